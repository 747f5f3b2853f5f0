/**
 * Backups of the workbench database, in `<dataDir>/backups/workbench-<time>[-<reason>].sqlite`
 * (the time is ISO-8601 UTC with ':' and '.' written '-', so the name is valid on every file
 * system and sorts by time).
 *
 * - On a schedule (Settings: off / hourly / daily, keep the last N) and on demand ('manual'), an
 *   online backup with SQLite's backup API (`store.backup`, better-sqlite3's `db.backup`): the
 *   store stays usable while it runs. Each backup is written under a hidden '.partial' name and
 *   renamed when complete, and is made a self-contained file (rollback journal, no -wal).
 * - Before a migration: `backupBeforeMigration(dataDir)` runs before the store opens, when the
 *   file's schema is older than this build's. It is synchronous (`VACUUM INTO` on a read-only
 *   connection: also a consistent snapshot), because opening the workbench is.
 * - Restore: the backup is checked with the store's own refusal checks (not a workbench database,
 *   damaged, newer schema), copied aside and migrated to this build's schema, the current
 *   database is backed up ('before-restore'), then the copy replaces the database's contents
 *   through SQLite's backup API into the live file. The store object stays the same (every
 *   service holding it keeps working) and sees the restored contents at its next statement;
 *   runs the backup caught mid-run are marked interrupted. Refused while a run is active.
 *
 * Routine backups (scheduled and manual) are pruned to the last N; the safety copies
 * (before-migration, before-restore) are pruned to the last N of their own kind, so a burst of
 * routine backups never removes one.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BACKUP_NAME_PATTERN, type BackupInfo, type BackupReason, type BackupSchedule } from '../../../shared/contract/areas/settings';
import { ServiceError } from '../errors';
import type { Logger } from '../logs/logger';
import type { Store } from '../store';
import { StoreOpenError } from '../store/errors';
import { APPLICATION_ID, DATABASE_FILE_NAME } from '../store/identity';
import { inspectDatabaseFile } from '../store/inspect';
import { LATEST_SCHEMA_VERSION } from '../store/migrations/index';
import { openDatabase } from '../store/open';

export type { BackupInfo, BackupReason, BackupSchedule };

export const BACKUPS_FOLDER = 'backups';
const HOUR = 3_600_000;
export const SCHEDULE_INTERVAL_MS: Readonly<Record<Exclude<BackupSchedule['schedule'], 'off'>, number>> = { hourly: HOUR, daily: 24 * HOUR };

/** The name of a backup made at `at` for `reason`. */
export function backupFileName(at: Date, reason: BackupReason): string {
  const stamp = at.toISOString().replace(/[:.]/g, '-');
  return `workbench-${stamp}${reason === 'scheduled' ? '' : `-${reason}`}.sqlite`;
}

/** Reads a backup's name back: its time and reason; null for anything else. */
export function parseBackupName(name: string): { createdAt: string; reason: BackupReason } | null {
  const m = BACKUP_NAME_PATTERN.exec(name);
  if (!m) return null;
  const [, stamp = '', reason] = m;
  const iso = `${stamp.slice(0, 10)}T${stamp.slice(11, 13)}:${stamp.slice(14, 16)}:${stamp.slice(17, 19)}.${stamp.slice(20, 23)}Z`;
  if (Number.isNaN(Date.parse(iso))) return null;
  return { createdAt: iso, reason: (reason as BackupReason | undefined) ?? 'scheduled' };
}

function isRoutine(reason: BackupReason): boolean {
  return reason === 'scheduled' || reason === 'manual';
}

function removeQuietly(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    try {
      fs.rmSync(f, { force: true });
    } catch {
      // left behind: a hidden temporary name, cleaned at the next start
    }
  }
}

/** Makes a finished backup a single self-contained file (rollback journal: no -wal beside it). */
function makeSelfContained(file: string): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

function pageSizeOf(file: string): number | null {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(18);
      if (fs.readSync(fd, buf, 0, 18, 0) < 18) return null;
      const raw = buf.readUInt16BE(16);
      return raw === 1 ? 65536 : raw;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null;
  }
}

export interface BackupServiceOptions {
  store: Store;
  /** Where backups made, pruned and failed are logged (source 'backups'). */
  logger: Logger;
  /** The schedule and how many to keep (from Settings). */
  schedule: () => BackupSchedule;
  now?: () => Date;
  /** After a restore replaced the database's contents (settings reload, UI notice). */
  onRestored?: () => void;
  /** Wait after start before an overdue scheduled backup (ms). Default 60 s. */
  startupDelayMs?: number;
  /** Longest single timer (ms), so clock changes are noticed. Default 1 h. */
  maxTimerMs?: number;
}

export interface RestoreResult {
  restored: BackupInfo;
  safetyCopy: BackupInfo;
  runCount: number;
}

export class BackupService {
  readonly folder: string;
  private readonly store: Store;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly startedAt: number;
  private timer: NodeJS.Timeout | null = null;
  private due: number | null = null;
  private scheduling = false;
  /** One backup or restore at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: BackupServiceOptions) {
    this.store = options.store;
    this.folder = path.join(options.store.dataDir, BACKUPS_FOLDER);
    this.logger = options.logger.child('backups');
    this.now = options.now ?? (() => new Date());
    this.startedAt = this.now().getTime();
  }

  /** Every backup in the folder, newest first. */
  list(): BackupInfo[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.folder);
    } catch {
      return [];
    }
    const out: BackupInfo[] = [];
    for (const name of names) {
      const parsed = parseBackupName(name);
      if (!parsed) continue;
      try {
        const st = fs.statSync(path.join(this.folder, name));
        if (st.isFile()) out.push({ name, createdAt: parsed.createdAt, reason: parsed.reason, size: st.size });
      } catch {
        // removed meanwhile
      }
    }
    return out.sort((a, b) => (a.createdAt === b.createdAt ? b.name.localeCompare(a.name) : b.createdAt.localeCompare(a.createdAt)));
  }

  /** A backup now. */
  create(reason: BackupReason = 'manual'): Promise<BackupInfo> {
    return this.exclusive(() => this.write(reason));
  }

  /** Replaces the database's contents with the backup `name` (see the module comment). */
  restore(name: string): Promise<RestoreResult> {
    return this.exclusive(() => this.restoreNow(name));
  }

  /** When the next scheduled backup is due (ISO), or null when the schedule is off or not running. */
  nextScheduledAt(): string | null {
    return this.due === null ? null : new Date(this.due).toISOString();
  }

  /** Starts the schedule (and removes what an interrupted backup left). */
  start(): void {
    this.scheduling = true;
    this.removeLeftovers();
    this.prune();
    this.arm();
  }

  /** Re-reads the schedule (after Settings changed) and prunes to the new N. */
  reschedule(): void {
    if (!this.scheduling) return;
    this.prune();
    this.arm();
  }

  stop(): void {
    this.scheduling = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.due = null;
  }

  /** Waits for a backup or restore in progress. */
  async idle(): Promise<void> {
    await this.queue.catch(() => undefined);
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.due = null;
    if (!this.scheduling) return;
    const { schedule } = this.options.schedule();
    if (schedule === 'off') return;
    const interval = SCHEDULE_INTERVAL_MS[schedule];
    const last = this.list().find((b) => isRoutine(b.reason));
    const base = last ? Date.parse(last.createdAt) : this.startedAt;
    const now = this.now().getTime();
    // Overdue at start (the app was closed for a while): soon after start, not during it.
    this.due = Math.max(base + interval, this.startedAt + (this.options.startupDelayMs ?? 60_000));
    const delay = Math.max(0, Math.min(this.due - now, this.options.maxTimerMs ?? HOUR));
    this.timer = setTimeout(() => void this.tick(), delay);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    this.timer = null;
    if (!this.scheduling) return;
    if (this.due !== null && this.now().getTime() >= this.due) {
      try {
        await this.create('scheduled');
      } catch (e) {
        this.logger.error(`the scheduled backup failed: ${(e as Error).message}`, e);
      }
    }
    this.arm();
  }

  private async write(reason: BackupReason): Promise<BackupInfo> {
    if (!this.store.isOpen) throw new ServiceError('unavailable', 'The workbench is closing; no backup was made.');
    fs.mkdirSync(this.folder, { recursive: true });
    let at = this.now().getTime();
    let name = backupFileName(new Date(at), reason);
    while (fs.existsSync(path.join(this.folder, name))) name = backupFileName(new Date(++at), reason);
    const target = path.join(this.folder, name);
    const partial = path.join(this.folder, `.${name}.partial`);
    removeQuietly(partial);
    try {
      await this.store.backup(partial);
      makeSelfContained(partial);
      fs.renameSync(partial, target);
    } catch (e) {
      removeQuietly(partial);
      this.logger.error(`a ${reason} backup failed: ${(e as Error).message}`, e);
      throw e;
    }
    const info: BackupInfo = { name, createdAt: new Date(at).toISOString(), reason, size: fs.statSync(target).size };
    this.logger.info(`backup ${name} written (${reason}, ${info.size} bytes)`);
    this.prune(name);
    return info;
  }

  /** Keeps the newest N routine backups and the newest N of each kind of safety copy. */
  private prune(justMade?: string): void {
    const keep = this.options.schedule().keep;
    const groups = new Map<string, BackupInfo[]>();
    for (const b of this.list()) {
      const g = isRoutine(b.reason) ? 'routine' : b.reason;
      groups.set(g, [...(groups.get(g) ?? []), b]);
    }
    for (const list of groups.values()) {
      for (const old of list.slice(keep)) {
        if (old.name === justMade) continue;
        try {
          fs.rmSync(path.join(this.folder, old.name));
          this.logger.info(`old backup ${old.name} removed (keeping the last ${keep})`);
        } catch (e) {
          this.logger.warn(`old backup ${old.name} could not be removed: ${(e as Error).message}`);
        }
      }
    }
  }

  private removeLeftovers(): void {
    let names: string[];
    try {
      names = fs.readdirSync(this.folder);
    } catch {
      return;
    }
    for (const n of names) if (/^\.(workbench-.*\.partial|restore-[0-9a-f-]+\.sqlite)(-wal|-shm|-journal)?$/.test(n)) removeQuietly(path.join(this.folder, n));
  }

  private activeRunNames(): string[] {
    return this.store.runs.list({ status: ['queued', 'running', 'paused'], limit: 20 }).runs.map((r) => `"${r.name}" (${r.status})`);
  }

  private refuseWhileActive(): void {
    const active = this.activeRunNames();
    if (active.length > 0) {
      throw new ServiceError('conflict', `A backup cannot be restored while a run is active: ${active.join(', ')}. Stop it (or let it finish) first.`, { active });
    }
  }

  private async restoreNow(name: string): Promise<RestoreResult> {
    const info = this.list().find((b) => b.name === name);
    if (!info) throw new ServiceError('not_found', `There is no backup called ${name} in ${this.folder}.`);
    const file = path.join(this.folder, name);
    this.refuseWhileActive();
    try {
      const inspection = inspectDatabaseFile(file, LATEST_SCHEMA_VERSION);
      if (inspection.kind !== 'workbench') throw new ServiceError('conflict', `${name} is empty: it holds no workbench database. Nothing was changed.`, { reason: 'empty' });
    } catch (e) {
      if (e instanceof StoreOpenError) {
        throw new ServiceError('conflict', `${name} cannot be restored: ${e.message.replace(/ It was left untouched\..*$/s, '')} Nothing was changed.`, { reason: e.reason });
      }
      throw e;
    }

    const tmp = path.join(this.folder, `.restore-${randomUUID()}.sqlite`);
    try {
      // A copy, brought to this build's schema and to the live file's page size.
      fs.copyFileSync(file, tmp);
      const { db } = openDatabase(tmp);
      let runCount: number;
      try {
        db.pragma('journal_mode = DELETE');
        const live = pageSizeOf(this.store.file);
        if (live !== null && (db.pragma('page_size', { simple: true }) as number) !== live) {
          db.pragma(`page_size = ${live}`);
          db.exec('VACUUM');
        }
        runCount = db.prepare('SELECT count(*) FROM runs').pluck().get() as number;
      } finally {
        db.close();
      }

      const safetyCopy = await this.write('before-restore');
      this.refuseWhileActive();
      const source = new Database(tmp, { readonly: true, fileMustExist: true });
      try {
        // All pages in one step after the first, so the live file's lock is held for one step only.
        await source.backup(this.store.file, { progress: () => 0x7fffffff });
      } finally {
        source.close();
      }
      const interrupted = this.store.runs.markInterrupted(() => 'dead');
      this.logger.info(`restored ${name} (${runCount} runs); the database as it was is in ${safetyCopy.name}`, { interrupted });
      try {
        this.options.onRestored?.();
      } catch (e) {
        this.logger.error(`after the restore: ${(e as Error).message}`, e);
      }
      this.arm();
      return { restored: info, safetyCopy, runCount };
    } catch (e) {
      if (!(e instanceof ServiceError)) this.logger.error(`restoring ${name} failed: ${(e as Error).message}`, e);
      throw e;
    } finally {
      removeQuietly(tmp);
    }
  }
}

/**
 * Before the store opens: when `dataDir`'s database is a workbench database at an older schema
 * than this build's, copies it to a 'before-migration' backup. Returns it, or null when no
 * migration is pending (or the file is missing, or is one the store will refuse anyway). Never
 * throws: a failed backup is logged and the store opens as before (each migration is a single
 * transaction either way).
 */
export function backupBeforeMigration(dataDir: string, parent: Logger, now: () => Date = () => new Date()): BackupInfo | null {
  const logger = parent.child('backups');
  const dir = path.resolve(dataDir);
  const file = path.join(dir, DATABASE_FILE_NAME);
  try {
    // The header first (cheap): most opens are of a file that is already up to date.
    const fd = fs.openSync(file, 'r');
    const header = Buffer.alloc(100);
    let n: number;
    try {
      n = fs.readSync(fd, header, 0, 100, 0);
    } finally {
      fs.closeSync(fd);
    }
    if (n < 100 || header.toString('latin1', 0, 15) !== 'SQLite format 3') return null;
    if (header.readUInt32BE(68) !== APPLICATION_ID || header.readInt32BE(60) >= LATEST_SCHEMA_VERSION) return null;
  } catch {
    return null;
  }
  let inspection: ReturnType<typeof inspectDatabaseFile>;
  try {
    inspection = inspectDatabaseFile(file, LATEST_SCHEMA_VERSION);
  } catch {
    return null; // the store refuses it with the full story
  }
  if (inspection.kind !== 'workbench' || inspection.userVersion >= LATEST_SCHEMA_VERSION) return null;

  const folder = path.join(dir, BACKUPS_FOLDER);
  let at = now().getTime();
  const reason: BackupReason = 'before-migration';
  try {
    fs.mkdirSync(folder, { recursive: true });
    let name = backupFileName(new Date(at), reason);
    while (fs.existsSync(path.join(folder, name))) name = backupFileName(new Date(++at), reason);
    const partial = path.join(folder, `.${name}.partial`);
    removeQuietly(partial);
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      db.prepare('VACUUM INTO ?').run(partial);
    } finally {
      db.close();
    }
    fs.renameSync(partial, path.join(folder, name));
    const size = fs.statSync(path.join(folder, name)).size;
    logger.info(`backup ${name} written before upgrading the database from schema ${inspection.userVersion} to ${LATEST_SCHEMA_VERSION}`);
    return { name, createdAt: new Date(at).toISOString(), reason, size };
  } catch (e) {
    logger.error(`the backup before upgrading the database failed (${(e as Error).message}); upgrading without one`, e);
    return null;
  }
}
