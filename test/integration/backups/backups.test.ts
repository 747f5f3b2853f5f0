import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openAppServices, type AppServices } from '../../../electron/app/app-services';
import { BackupService, backupBeforeMigration, backupFileName, parseBackupName } from '../../../electron/services/backups';
import { silentLogger } from '../../../electron/services/logs';
import { DATABASE_FILE_NAME, LATEST_SCHEMA_VERSION, Store, openStore, type Columns } from '../../../electron/services/store';
import { migrations } from '../../../electron/services/store/migrations/index';

const dirs: string[] = [];
const open: AppServices[] = [];
const stores: Store[] = [];

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-backups-'));
  dirs.push(d);
  return d;
}

function services(dataDir = tempDir(), hostKind: 'web' | 'cli' = 'web'): AppServices {
  const s = openAppServices({ dataDir, hostKind });
  open.push(s);
  return s;
}

afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const s of stores.splice(0)) if (s.isOpen) s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Columns of random bytes: every bit pattern a double can hold (NaN payloads, -0, subnormals) must survive. */
function randomColumns(n: number): Columns {
  const f64 = () => new Float64Array(randomBytes(8 * n).buffer.slice(0));
  return { length: n, t: f64(), v: f64(), i: f64(), g: f64(), kind: new Uint8Array(randomBytes(n)), block: new Int32Array(randomBytes(4 * n).buffer.slice(0)), compliance: new Uint8Array(n).map(() => (Math.random() < 0.1 ? 1 : 0)) };
}

function bytesOf(c: Columns): Record<string, string> {
  const h = (a: ArrayBufferView) => createHash('sha256').update(Buffer.from(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
  return { length: String(c.length), t: h(c.t), v: h(c.v), i: h(c.i), g: h(c.g), kind: h(c.kind), block: h(c.block), compliance: h(c.compliance) };
}

/** A run with `n` random samples written through the store's SampleWriter, then completed. */
function recordRun(store: Store, name: string, n: number): { id: string; columns: Columns } {
  const run = store.runs.create({ experimentName: 'Backups', name, status: 'running', device: { kind: 'simulated' } });
  const writer = store.openWriter(run.id);
  const columns = randomColumns(n);
  // In uneven pieces, as a live run appends them.
  for (let at = 0; at < n; ) {
    const k = Math.min(n - at, 1 + Math.floor(Math.random() * 3000));
    writer.append({
      length: k,
      t: columns.t.subarray(at, at + k),
      v: columns.v.subarray(at, at + k),
      i: columns.i.subarray(at, at + k),
      g: columns.g.subarray(at, at + k),
      kind: columns.kind.subarray(at, at + k),
      block: columns.block.subarray(at, at + k),
      compliance: columns.compliance.subarray(at, at + k),
    });
    at += k;
  }
  writer.flush();
  store.runs.setStatus(run.id, 'completed');
  return { id: run.id, columns };
}

describe('backup names', () => {
  it('are valid file names on every system, sort by time and read back', () => {
    const at = new Date('2025-03-04T05:06:07.089Z');
    expect(backupFileName(at, 'scheduled')).toBe('workbench-2025-03-04T05-06-07-089Z.sqlite');
    expect(backupFileName(at, 'before-restore')).toBe('workbench-2025-03-04T05-06-07-089Z-before-restore.sqlite');
    expect(parseBackupName('workbench-2025-03-04T05-06-07-089Z-manual.sqlite')).toEqual({ createdAt: at.toISOString(), reason: 'manual' });
    for (const bad of ['workbench.sqlite', '../workbench-2025-03-04T05-06-07-089Z.sqlite', 'workbench-2025-03-04T05-06-07-089Z.sqlite-wal', 'workbench-2025-13-44T05-06-07-089Z.sqlite']) {
      expect(parseBackupName(bad), bad).toBeNull();
    }
  });
});

describe('backup and restore', () => {
  it('a backup, a change (a run deleted, another added), a restore: the original runs come back with bit-identical samples', async () => {
    const s = services();
    const a = recordRun(s.store, 'A', 10_000);
    const b = recordRun(s.store, 'B', 4_097);
    const listBefore = s.store.runs.list({}).runs;

    const made = await s.router.call('backups.create', {});
    expect(made.ok).toBe(true);
    const backup = made.ok ? (made.value as { name: string; reason: string }) : null;
    expect(backup?.reason).toBe('manual');
    // Self-contained: no -wal beside it, and it opens as a workbench database.
    expect(fs.existsSync(path.join(s.backups.folder, `${backup!.name}-wal`))).toBe(false);

    s.store.runs.delete(a.id);
    const c = recordRun(s.store, 'C', 500);
    expect(s.store.runs.list({}).runs.map((r) => r.name).sort()).toEqual(['B', 'C']);

    const restored = await s.router.call('backups.restore', { name: backup!.name });
    expect(restored.ok).toBe(true);
    const result = restored.ok ? (restored.value as { runCount: number; safetyCopy: { name: string; reason: string } }) : null;
    expect(result?.runCount).toBe(2);
    expect(result?.safetyCopy.reason).toBe('before-restore');

    // The same Store object (every service holds it) sees the restored archive.
    expect(s.store.runs.list({}).runs).toEqual(listBefore);
    expect(() => s.store.runs.get(c.id)).toThrow();
    expect(bytesOf(s.store.readSamples(a.id))).toEqual(bytesOf(a.columns));
    expect(bytesOf(s.store.readSamples(b.id))).toEqual(bytesOf(b.columns));
    // ...and so does every other connection: a reopened store, after the process ends.
    const dir = s.store.dataDir;
    await s.close();
    const again = openStore(dir, { appVersion: 'test' });
    stores.push(again);
    expect(bytesOf(again.readSamples(a.id))).toEqual(bytesOf(a.columns));
    expect(again.runs.list({}).total).toBe(2);

    // The safety copy holds the archive as it was just before the restore.
    const copyDir = tempDir();
    fs.copyFileSync(path.join(dir, 'backups', result!.safetyCopy.name), path.join(copyDir, DATABASE_FILE_NAME));
    const safety = openStore(copyDir, { appVersion: 'test' });
    stores.push(safety);
    expect(safety.runs.list({}).runs.map((r) => r.name).sort()).toEqual(['B', 'C']);
    expect(bytesOf(safety.readSamples(c.id))).toEqual(bytesOf(c.columns));
  });

  it('restores the settings with the archive and tells their listeners', async () => {
    const s = services();
    await s.router.call('settings.update', { limits: { maxVoltage: 2 } });
    const made = await s.backups.create('manual');
    await s.router.call('settings.update', { limits: { maxVoltage: 4 } });
    const seen: number[] = [];
    s.bus.subscribe((name, payload) => name === 'settings.changed' && seen.push((payload as { limits: { maxVoltage: number } }).limits.maxVoltage));
    await s.backups.restore(made.name);
    expect(s.settings.currentLimits().maxVoltage).toBe(2);
    expect(seen).toEqual([2]);
  });

  it('a backup taken mid-run restores that run as interrupted, with its committed samples', async () => {
    const s = services();
    const run = s.store.runs.create({ experimentName: 'E', name: 'live', status: 'running', device: { kind: 'simulated' } });
    const w = s.store.openWriter(run.id);
    const cols = randomColumns(5000);
    w.append(cols);
    w.flush();
    const made = await s.backups.create('manual');
    w.append(randomColumns(100));
    s.store.runs.setStatus(run.id, 'completed');
    await s.backups.restore(made.name);
    const back = s.store.runs.get(run.id);
    expect(back.status).toBe('interrupted');
    expect(back.sampleCount).toBe(5000);
    expect(bytesOf(s.store.readSamples(run.id))).toEqual(bytesOf(cols));
  });

  it('refuses, changing nothing, while a run is active and for files that are not workbench databases', async () => {
    const s = services();
    recordRun(s.store, 'kept', 300);
    const good = await s.backups.create('manual');
    const folder = s.backups.folder;
    const fake = (stamp: string) => `workbench-2020-01-01T00-00-00-${stamp}Z-manual.sqlite`;

    // A text file, another program's SQLite database, a damaged copy and one from a newer build.
    fs.writeFileSync(path.join(folder, fake('001')), 'just text, not a database at all '.repeat(200));
    const other = new Database(path.join(folder, fake('002')));
    other.exec('CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES (\'x\');');
    other.close();
    const bytes = fs.readFileSync(path.join(folder, good.name));
    fs.writeFileSync(path.join(folder, fake('003')), bytes.subarray(0, bytes.length - 3000));
    fs.copyFileSync(path.join(folder, good.name), path.join(folder, fake('004')));
    const newer = new Database(path.join(folder, fake('004')));
    newer.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    newer.close();
    fs.writeFileSync(path.join(folder, fake('005')), '');

    const active = s.store.runs.create({ experimentName: 'E', name: 'still running', status: 'running', device: { kind: 'simulated' } });
    const fingerprint = () => ({ db: s.store.runs.list({}).runs.map((r) => `${r.id}:${r.status}:${r.sampleCount}`), files: fs.readdirSync(folder).sort() });
    const before = fingerprint();

    const activeRefusal = await s.router.call('backups.restore', { name: good.name });
    expect(activeRefusal).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('"still running" (running)') } });
    s.store.runs.setStatus(active.id, 'stopped');
    const stopped = fingerprint();

    const expectations: [string, string, RegExp][] = [
      [fake('001'), 'corrupt', /damaged|SQLite header/],
      [fake('002'), 'not_workbench', /not a Memristor Workbench database/],
      [fake('003'), 'corrupt', /truncated|damaged/],
      [fake('004'), 'newer_schema', /newer version/],
      [fake('005'), 'empty', /empty/],
    ];
    for (const [name, reason, message] of expectations) {
      const r = await s.router.call('backups.restore', { name });
      expect(r, name).toMatchObject({ ok: false, error: { code: 'conflict', details: { reason } } });
      expect(!r.ok && r.error.message, name).toMatch(message);
      expect(!r.ok && r.error.message, name).toContain('Nothing was changed');
    }
    expect(fingerprint()).toEqual(stopped);
    expect(before.files).toEqual(stopped.files);

    const missing = await s.router.call('backups.restore', { name: 'workbench-2001-01-01T00-00-00-000Z.sqlite' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const traversal = await s.router.call('backups.restore', { name: '../workbench.sqlite' });
    expect(traversal).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('keeps the last N routine backups and, apart from them, the last N safety copies', async () => {
    const s = services();
    await s.router.call('settings.update', { backups: { keep: 2 } });
    let t = Date.parse('2025-01-01T00:00:00.000Z');
    const clocked = new BackupService({ logger: silentLogger, store: s.store, schedule: () => s.settings.get().backups, now: () => new Date((t += 1000)) });
    const made = [];
    for (let k = 0; k < 4; k++) made.push(await clocked.create(k === 1 ? 'before-restore' : 'manual'));
    made.push(await clocked.create('before-restore'));
    made.push(await clocked.create('before-restore'));
    const names = clocked.list().map((b) => b.name);
    expect(names).toEqual([made[5]!.name, made[4]!.name, made[3]!.name, made[2]!.name]);
    // Lowering N prunes at once.
    await s.router.call('settings.update', { backups: { keep: 1 } });
    s.backups.reschedule();
    expect(s.backups.list().map((b) => b.name)).toEqual([made[5]!.name, made[3]!.name]);
  });

  it('backs up on the schedule: due an interval after the last routine backup, not during start', async () => {
    const s = services(tempDir(), 'cli'); // no schedule of its own
    await s.router.call('settings.update', { backups: { schedule: 'hourly', keep: 5 } });
    let now = Date.parse('2025-06-01T12:00:00.000Z');
    const svc = new BackupService({ logger: silentLogger, store: s.store, schedule: () => s.settings.get().backups, now: () => new Date(now), startupDelayMs: 5_000, maxTimerMs: 5 });
    svc.start();
    try {
      expect(svc.nextScheduledAt()).toBe('2025-06-01T13:00:00.000Z');
      await new Promise((r) => setTimeout(r, 40));
      expect(svc.list()).toEqual([]);
      now += 3_600_000;
      await expect.poll(() => svc.list().length, { timeout: 5000 }).toBe(1);
      expect(svc.list()[0]!.reason).toBe('scheduled');
      await svc.idle();
      expect(svc.nextScheduledAt()).toBe('2025-06-01T14:00:00.000Z');
      // Switching the schedule off stops it.
      s.settings.update({ backups: { schedule: 'off' } });
      svc.reschedule();
      expect(svc.nextScheduledAt()).toBeNull();
      now += 10 * 3_600_000;
      await new Promise((r) => setTimeout(r, 40));
      expect(svc.list()).toHaveLength(1);
    } finally {
      svc.stop();
    }
  });

  it('an app that was closed past its backup time backs up soon after start', async () => {
    const dir = tempDir();
    const first = services(dir, 'cli');
    const old = new BackupService({ logger: silentLogger, store: first.store, schedule: () => first.settings.get().backups, now: () => new Date('2020-01-01T00:00:00.000Z') });
    await old.create('scheduled');
    let now = Date.parse('2025-01-01T00:00:00.000Z');
    const svc = new BackupService({ logger: silentLogger, store: first.store, schedule: () => ({ schedule: 'daily', keep: 5 }), now: () => new Date(now), startupDelayMs: 60_000, maxTimerMs: 5 });
    svc.start();
    try {
      expect(svc.nextScheduledAt()).toBe('2025-01-01T00:01:00.000Z');
      now += 61_000;
      await expect.poll(() => svc.list().length, { timeout: 5000 }).toBe(2);
    } finally {
      svc.stop();
    }
  });
});

describe('backup before a migration', () => {
  it('copies a database at an older schema before the store upgrades it, once', async () => {
    const dir = tempDir();
    const older = migrations.slice(0, 4); // before the settings table
    Store.open(dir, { appVersion: 'old' }, older).close();
    // A run and its samples as that schema's code wrote them (this build's store code reads the latest schema).
    const run = { id: '00000000-0000-4000-8000-000000000001' };
    const cols = randomColumns(2000);
    cols.compliance.fill(0); // that schema had no compliance column
    const raw = new Database(path.join(dir, DATABASE_FILE_NAME));
    const at = '2025-01-01T00:00:00.000Z';
    const blob = (a: Float64Array | Uint8Array | Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    raw.prepare('INSERT INTO experiments (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)').run('00000000-0000-4000-8000-0000000000e0', 'Old', at, at);
    raw
      .prepare(
        `INSERT INTO runs (id, experiment_id, name, status, device_json, app_version, host, created_at, updated_at, sample_count)
         VALUES (?, '00000000-0000-4000-8000-0000000000e0', 'old run', 'running', '{"kind":"simulated"}', 'old', 'lab', ?, ?, ?)`,
      )
      .run(run.id, at, at, cols.length);
    raw
      .prepare('INSERT INTO sample_chunks (run_id, seq, start, n, t, v, i, g, kind, block) VALUES (?, 0, 0, ?, ?, ?, ?, ?, ?, ?)')
      .run(run.id, cols.length, blob(cols.t), blob(cols.v), blob(cols.i), blob(cols.g), blob(cols.kind), blob(cols.block));
    raw.close();

    const s = services(dir);
    expect(s.store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    const backups = s.backups.list();
    expect(backups.map((b) => b.reason)).toEqual(['before-migration']);
    const copy = new Database(path.join(s.backups.folder, backups[0]!.name), { readonly: true });
    try {
      expect(copy.pragma('user_version', { simple: true })).toBe(4);
      expect(copy.pragma('journal_mode', { simple: true })).not.toBe('wal');
      expect(copy.prepare('SELECT name FROM runs').pluck().all()).toEqual(['old run']);
    } finally {
      copy.close();
    }
    const live = new Database(path.join(dir, DATABASE_FILE_NAME), { readonly: true });
    expect(live.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION); // the live database was upgraded
    live.close();
    // It restores (to the old contents, at this build's schema).
    await s.backups.restore(backups[0]!.name);
    expect(bytesOf(s.store.readSamples(run.id))).toEqual(bytesOf(cols));
    await s.close();

    services(dir);
    expect(fs.readdirSync(path.join(dir, 'backups')).filter((n) => n.includes('before-migration'))).toHaveLength(1);
  });

  it('does nothing for a new folder, an up-to-date database or a file the store will refuse', () => {
    const empty = tempDir();
    expect(backupBeforeMigration(empty, silentLogger)).toBeNull();
    const current = tempDir();
    openStore(current, { appVersion: 't' }).close();
    expect(backupBeforeMigration(current, silentLogger)).toBeNull();
    const foreign = tempDir();
    fs.writeFileSync(path.join(foreign, DATABASE_FILE_NAME), 'not a database');
    expect(backupBeforeMigration(foreign, silentLogger)).toBeNull();
    for (const d of [empty, current, foreign]) expect(fs.existsSync(path.join(d, 'backups'))).toBe(false);
  });
});
