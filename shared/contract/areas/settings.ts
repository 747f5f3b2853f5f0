import { z } from 'zod';
import { DEFAULT_LIMITS } from '../../protocol/limits';
import { searchText } from '../bounded';
import { isoTime } from '../domain';

/**
 * Settings, backups and logs: the workbench's own housekeeping.
 *
 * Settings live in the database (one row per key, each key with its own schema below). A request
 * changes some keys ('settings.update' takes a partial document; object-valued keys may be given
 * in part) and always answers the whole validated settings. Unknown keys and invalid values are
 * refused with the field named (`limits.maxVoltage: must be at most 200 V`).
 */
const none = z.strictObject({});

/** Hard bounds on what Settings may allow; beyond them the number is a typo, not a choice. */
export const LIMIT_BOUNDS = {
  maxVoltage: 200,
  compliance: 1,
  maxWidth: 3600,
  maxCount: 1_000_000_000,
} as const;

export const SafetyLimitsSetting = z.strictObject({
  maxVoltage: z.number().gt(0, 'must be more than 0 V').max(LIMIT_BOUNDS.maxVoltage, `must be at most ${LIMIT_BOUNDS.maxVoltage} V`),
  compliance: z.number().gt(0, 'must be more than 0 A').max(LIMIT_BOUNDS.compliance, `must be at most ${LIMIT_BOUNDS.compliance} A`),
  maxWidth: z.number().gt(0, 'must be longer than 0 s').max(LIMIT_BOUNDS.maxWidth, 'must be at most 1 h (3600 s)'),
  maxDutyCycle: z.number().gt(0, 'must be more than 0 %').max(1, 'must be at most 100 %'),
  maxPulses: z.number().int('must be a whole number').min(1, 'must be at least 1').max(LIMIT_BOUNDS.maxCount, 'must be at most 1,000,000,000'),
  maxReads: z.number().int('must be a whole number').min(1, 'must be at least 1').max(LIMIT_BOUNDS.maxCount, 'must be at most 1,000,000,000'),
});

export const DefaultReadVoltageSetting = z
  .number()
  .refine((v) => v !== 0, 'must not be 0 V: a read at 0 V measures no conductance')
  .refine((v) => Math.abs(v) <= LIMIT_BOUNDS.maxVoltage, `must be within ±${LIMIT_BOUNDS.maxVoltage} V`);

/** How numbers are shown: with SI prefixes ('10 µS') or in exponent form ('1.000e-5 S'), to `digits` significant figures. */
export const UnitsDisplaySetting = z.strictObject({
  prefixes: z.boolean(),
  digits: z.number().int('must be a whole number').min(2, 'must be at least 2').max(8, 'must be at most 8'),
});

export const ThemeSetting = z.enum(['system', 'light', 'dark']);

export const BackupScheduleSetting = z.strictObject({
  schedule: z.enum(['off', 'hourly', 'daily']),
  keep: z.number().int('must be a whole number').min(1, 'must keep at least 1 backup').max(100, 'must be at most 100'),
});

/** One schema per stored key. */
export const settingSchemas = {
  limits: SafetyLimitsSetting,
  defaultReadVoltage: DefaultReadVoltageSetting,
  units: UnitsDisplaySetting,
  theme: ThemeSetting,
  /** Reconnect to the same instrument identity (with backoff) after a disconnect; read by the instruments service. */
  autoReconnect: z.boolean(),
  backups: BackupScheduleSetting,
} as const;

export type SettingKey = keyof typeof settingSchemas;
export const settingKeys = Object.keys(settingSchemas) as SettingKey[];

/** The read voltage must fit under the voltage limit; checked on the whole document. */
function readWithinLimit(s: { limits: { maxVoltage: number }; defaultReadVoltage: number }, ctx: z.RefinementCtx): void {
  if (Math.abs(s.defaultReadVoltage) > s.limits.maxVoltage) {
    ctx.addIssue({
      code: 'custom',
      path: ['defaultReadVoltage'],
      message: `must be within the voltage limit (max |V| = ${s.limits.maxVoltage} V)`,
    });
  }
}

export const Settings = z.strictObject(settingSchemas).superRefine(readWithinLimit);
export type Settings = z.infer<typeof Settings>;
export type UnitsDisplay = z.infer<typeof UnitsDisplaySetting>;
export type ThemeSetting = z.infer<typeof ThemeSetting>;
export type BackupSchedule = z.infer<typeof BackupScheduleSetting>;

const defaults: Settings = {
  limits: { ...DEFAULT_LIMITS },
  defaultReadVoltage: 0.1,
  units: { prefixes: true, digits: 4 },
  theme: 'system',
  autoReconnect: false,
  backups: { schedule: 'daily', keep: 7 },
};
export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze(defaults);

export const SettingsPatch = z
  .strictObject({
    limits: SafetyLimitsSetting.partial().optional(),
    defaultReadVoltage: DefaultReadVoltageSetting.optional(),
    units: UnitsDisplaySetting.partial().optional(),
    theme: ThemeSetting.optional(),
    autoReconnect: z.boolean().optional(),
    backups: BackupScheduleSetting.partial().optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'give at least one setting to change' })
  .superRefine((p, ctx) => {
    // An empty group ({"limits": {}}) changes nothing: refused, so nothing is written.
    for (const [key, value] of Object.entries(p)) {
      if (value !== null && typeof value === 'object' && Object.keys(value).length === 0) {
        ctx.addIssue({ code: 'custom', path: [key], message: `give at least one ${key === 'limits' ? 'limit' : 'field'} to change` });
      }
    }
  });
export type SettingsPatch = z.infer<typeof SettingsPatch>;

/** Backups: `<dataDir>/backups/workbench-<time>[-<reason>].sqlite`. */
export const backupReasons = ['scheduled', 'manual', 'before-migration', 'before-restore'] as const;
export const BackupReason = z.enum(backupReasons);
export type BackupReason = z.infer<typeof BackupReason>;
export const BACKUP_NAME_PATTERN = /^workbench-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z)(?:-(manual|before-migration|before-restore))?\.sqlite$/;
export const BackupName = z.string().max(200, 'must be at most 200 characters').regex(BACKUP_NAME_PATTERN, 'must be the name of a backup such as "workbench-2025-01-01T00-00-00-000Z.sqlite", not a path');

export const BackupInfo = z.object({
  name: z.string(),
  createdAt: isoTime,
  reason: BackupReason,
  size: z.number().int().nonnegative(),
});
export type BackupInfo = z.infer<typeof BackupInfo>;

export const logLevels = ['debug', 'info', 'warn', 'error'] as const;
export const LogLevel = z.enum(logLevels);
export type LogLevel = z.infer<typeof LogLevel>;

export const LogEntry = z.object({
  time: z.string(),
  level: LogLevel,
  source: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});
export type LogEntry = z.infer<typeof LogEntry>;

export const settingsRequests = {
  'settings.get': { input: none, output: Settings },
  'settings.update': { input: SettingsPatch, output: Settings },
  /** Opens the data folder in the system's file manager: desktop only ('unavailable' in the web host). */
  'settings.openDataFolder': { input: none, output: z.object({ path: z.string() }) },

  'backups.list': {
    input: none,
    output: z.object({
      folder: z.string(),
      backups: z.array(BackupInfo),
      /** When the schedule will make the next one; null when it is off. */
      nextScheduledAt: isoTime.nullable(),
    }),
  },
  /** A backup now (reason 'manual'), kept with the scheduled ones (the last N). */
  'backups.create': { input: none, output: BackupInfo },
  /**
   * Replaces the database's contents with a backup's, after copying the current file to a
   * 'before-restore' backup. Refused ('conflict') while a run is active, and for a file that is not
   * a workbench database (or is damaged, or newer than this build).
   */
  'backups.restore': {
    input: z.strictObject({ name: BackupName }),
    output: z.object({ restored: BackupInfo, safetyCopy: BackupInfo, runCount: z.number().int().nonnegative() }),
  },

  /** The newest log entries (newest last), at or above a level, optionally containing a text. */
  'logs.tail': {
    input: z.strictObject({
      lines: z.number().int('must be a whole number').min(1, 'must be at least 1').max(5000, 'must be at most 5000').optional(),
      minLevel: LogLevel.optional(),
      search: searchText.optional(),
    }),
    output: z.object({ file: z.string(), entries: z.array(LogEntry), scannedAll: z.boolean() }),
  },
  /** An error the renderer did not catch (window 'error' / 'unhandledrejection'), for the log. */
  'logs.report': {
    input: z.strictObject({
      kind: z.enum(['error', 'unhandledrejection']),
      message: z.string().max(2000, 'must be at most 2000 characters'),
      stack: z.string().max(20_000, 'must be at most 20,000 characters').optional(),
      /** Script URL and position, when the browser gives them. */
      where: z.string().max(2000, 'must be at most 2000 characters').optional(),
      /** The page (route) it happened on. */
      page: z.string().max(200, 'must be at most 200 characters').optional(),
    }),
    /** logged: false when reports arrive too fast and this one was dropped. */
    output: z.object({ logged: z.boolean() }),
  },
} as const;

export const settingsEvents = {
  /** The settings changed (from any window, or a restore). */
  'settings.changed': Settings,
} as const;
