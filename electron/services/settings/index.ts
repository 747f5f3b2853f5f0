/**
 * The workbench's settings, kept in the database's `settings` table (one row per key, JSON).
 *
 Each data folder has its own SettingsService (opened by the composition root, electron/app), and
 * others read it through the instance they are given:
 * - `settings.currentLimits()` — the safety limits to pass to validateProtocol as `{limits}` (the
 *   workbench ceiling) wherever a protocol is validated or compiled, and to mirror to an instrument;
 * - `settings.get()` — everything else (autoReconnect, which the composition root hands the
 *   instruments manager, defaultReadVoltage, …);
 * - `settings.onChange(listener)` to hear of changes.
 *
 * Reads never fail: a stored value that does not pass its key's schema (a hand edit, a newer
 * build's shape) falls back, field by field, to the shipped default, with a warning in the log;
 * if the database cannot be read at all, the last settings read are used. Writes are validated
 * whole (the read voltage must fit under the voltage limit) and refused with the field named.
 */
import Database from 'better-sqlite3';
import type { z } from 'zod';
import { summarizeProblems, zodProblems } from '../../../shared/contract';
import {
  DEFAULT_SETTINGS,
  Settings,
  SettingsPatch,
  settingKeys,
  settingSchemas,
  type SettingKey,
} from '../../../shared/contract/areas/settings';
import { DEFAULT_LIMITS, type SafetyLimits } from '../../../shared/protocol/limits';
import { ServiceError } from '../errors';
import type { Logger } from '../logs/logger';

export type { Settings, SettingsPatch };

export interface SettingsServiceOptions {
  /** Where unreadable or invalid stored settings and changes are logged (source 'settings'). */
  logger: Logger;
  now?: () => Date;
  /** busy_timeout of the settings connection (ms). */
  busyTimeoutMs?: number;
}

const BUSY_TIMEOUT_MS = 5000;

function clone<T>(x: T): T {
  return structuredClone(x);
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The object-valued keys, whose stored value is merged field by field. */
function objectShape(key: SettingKey): Record<string, z.ZodType> | null {
  const schema = settingSchemas[key] as unknown as { shape?: Record<string, z.ZodType> };
  return schema.shape ?? null;
}

export class SettingsService {
  private readonly db: Database.Database;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly listeners = new Set<(settings: Settings) => void>();
  private lastGood: Settings = clone(DEFAULT_SETTINGS) as Settings;
  private closed = false;
  /** Keys already warned about, so a bad stored value is reported once, not on every read. */
  private readonly warned = new Set<string>();

  /** Opens its own connection to the workbench database `file` (already opened, and migrated, by the store). */
  constructor(
    readonly file: string,
    options: SettingsServiceOptions,
  ) {
    this.logger = options.logger.child('settings');
    this.now = options.now ?? (() => new Date());
    this.db = new Database(file, { fileMustExist: true });
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? BUSY_TIMEOUT_MS}`);
    this.lastGood = this.read();
  }

  /** The whole settings, validated. */
  get(): Settings {
    if (this.closed) return clone(this.lastGood);
    try {
      this.lastGood = this.read();
    } catch (e) {
      this.logger.error(`the settings could not be read; using the last ones read: ${(e as Error).message}`, e);
    }
    return clone(this.lastGood);
  }

  /** The safety limits: the ceiling for validateProtocol and the instruments. */
  currentLimits(): SafetyLimits {
    return { ...this.get().limits };
  }

  /**
   * Changes the keys given (object-valued keys in part) and answers the whole settings. Throws a
   * ServiceError 'invalid_request' naming the field when the patch or the result is invalid.
   */
  update(patch: unknown): Settings {
    if (this.closed) throw new ServiceError('unavailable', 'The settings are closed.');
    const parsed = SettingsPatch.safeParse(patch);
    if (!parsed.success) throw invalid(zodProblems(parsed.error));
    const given = parsed.data as Record<string, unknown>;
    const next = this.db
      .transaction(() => {
        const raw = this.rawRows();
        const current = this.fromRows(raw, false) as Record<string, unknown>;
        const merged: Record<string, unknown> = { ...current };
        for (const [key, value] of Object.entries(given)) {
          if (value === undefined) continue;
          merged[key] = isPlainObject(value) ? { ...(current[key] as object), ...value } : value;
        }
        const checked = Settings.safeParse(merged);
        if (!checked.success) throw invalid(zodProblems(checked.error));
        const write = this.db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at');
        const at = this.now().toISOString();
        for (const key of Object.keys(given) as SettingKey[]) {
          if (given[key] === undefined) continue;
          let value: unknown = checked.data[key];
          // Keep fields a newer build stored under this key; ours replace theirs.
          const stored = raw.get(key);
          if (isPlainObject(value) && isPlainObject(stored)) value = { ...stored, ...value };
          write.run(key, JSON.stringify(value), at);
        }
        return checked.data;
      })
      .immediate();
    this.lastGood = next;
    this.logger.info(`settings changed: ${Object.keys(given).join(', ')}`, given);
    this.notify(next);
    return clone(next);
  }

  /** Hears every change (after an update, or a restore's `reload`). */
  onChange(listener: (settings: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** After the database's contents were replaced (a restore): reads again and tells the listeners. */
  reload(): Settings {
    this.warned.clear();
    const s = this.get();
    this.notify(s);
    return s;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    try {
      this.db.close();
    } catch {
      // a read-only use: nothing to lose
    }
  }

  private notify(s: Settings): void {
    for (const l of this.listeners) {
      try {
        l(clone(s));
      } catch (e) {
        this.logger.error(`a settings listener failed: ${(e as Error).message}`, e);
      }
    }
  }

  private rawRows(): Map<string, unknown> {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    const out = new Map<string, unknown>();
    for (const r of rows) {
      try {
        out.set(r.key, JSON.parse(r.value));
      } catch {
        out.set(r.key, undefined);
      }
    }
    return out;
  }

  private read(): Settings {
    return this.fromRows(this.rawRows(), true);
  }

  /** Stored values over the defaults, each field checked; what fails its schema stays default. */
  private fromRows(raw: Map<string, unknown>, warn: boolean): Settings {
    const out = clone(DEFAULT_SETTINGS) as Record<string, unknown>;
    for (const key of settingKeys) {
      if (!raw.has(key)) continue;
      const stored = raw.get(key);
      const shape = objectShape(key);
      if (shape) {
        const base = out[key] as Record<string, unknown>;
        if (!isPlainObject(stored)) {
          if (warn) this.warnOnce(key, `the stored setting ${key} is not an object; using the defaults`);
          continue;
        }
        for (const [field, schema] of Object.entries(shape)) {
          if (!(field in stored)) continue;
          const r = schema.safeParse(stored[field]);
          if (r.success) base[field] = r.data;
          else if (warn) this.warnOnce(`${key}.${field}`, `the stored setting ${key}.${field} is invalid (${r.error.issues[0]?.message ?? 'invalid'}); using the default`);
        }
      } else {
        const r = (settingSchemas[key] as z.ZodType).safeParse(stored);
        if (r.success) out[key] = r.data;
        else if (warn) this.warnOnce(key, `the stored setting ${key} is invalid (${r.error.issues[0]?.message ?? 'invalid'}); using the default`);
      }
    }
    const whole = Settings.safeParse(out);
    if (whole.success) return whole.data;
    // Fields that are each valid can still clash (a read voltage above the voltage limit): clamp.
    const limits = out.limits as SafetyLimits;
    const v = out.defaultReadVoltage as number;
    out.defaultReadVoltage = Math.sign(v) * Math.min(Math.abs(v), limits.maxVoltage);
    if (warn) this.warnOnce('defaultReadVoltage', `the stored default read voltage exceeds the voltage limit; using ${String(out.defaultReadVoltage)} V`);
    const again = Settings.safeParse(out);
    return again.success ? again.data : (clone(DEFAULT_SETTINGS) as Settings);
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.logger.warn(message);
  }
}

function invalid(problems: ReturnType<typeof zodProblems>): ServiceError {
  return new ServiceError('invalid_request', `settings: ${summarizeProblems(problems)}`, { problems });
}

/**
 * @deprecated The shipped default limits, not the Settings: a workbench's limits are
 * `settings.currentLimits()` of its own SettingsService (electron/app). Kept only for
 * instruments/manager.ts's connection for a run without a manager, which no engine opens any more
 * (each engine opens instruments through its own manager), until that code goes.
 */
export function currentLimits(): SafetyLimits {
  return { ...DEFAULT_LIMITS };
}
