import { z } from 'zod';
import { InstrumentState } from '../domain';
import { text } from '../bounded';
import { TEXT_LIMITS } from '../limits';

/**
 * The instruments area: the port list (polled for plug and unplug), one connection at a time with
 * settings editable while disconnected, the serial console, opt-in auto-reconnect to the same
 * identity, and virtual instruments (emulators) started from the UI.
 *
 * Two things live in Settings, not here, so each has one home: the safety limits (mirrored to the
 * instrument when it connects and whenever they change) and auto-reconnect ('settings.update'
 * with `autoReconnect`; ConnectionConfig shows its current value).
 */
const none = z.strictObject({});

export const InstrumentDriverName = z.enum(['keithley2400', 'keithley2600', 'pulse-board']);
export type InstrumentDriverName = z.infer<typeof InstrumentDriverName>;

export const InstrumentPort = z.object({
  path: z.string(),
  friendlyName: z.string(),
  source: z.enum(['enumerated', 'scanned', 'virtual', 'typed']),
  manufacturer: z.string().optional(),
  vidPid: z.string().optional(),
  serialNumber: z.string().optional(),
  accessible: z.boolean().optional(),
  virtual: z.object({ id: z.string(), driver: InstrumentDriverName, pty: z.string() }).optional(),
});
export type InstrumentPort = z.infer<typeof InstrumentPort>;

export const PortList = z.object({
  ports: z.array(InstrumentPort),
  /** Set when the system enumeration failed or gave no details and the list comes from a /dev scan. */
  warning: z.string().nullable(),
});
export type PortList = z.infer<typeof PortList>;

/** Serial settings; each may be left out for the driver's default. */
export const SerialSettingsInput = z.strictObject({
  baudRate: z.number().int().positive().optional(),
  dataBits: z.union([z.literal(7), z.literal(8)]).optional(),
  parity: z.enum(['none', 'even', 'odd']).optional(),
  stopBits: z.union([z.literal(1), z.literal(2)]).optional(),
  writeTerminator: z.enum(['CR', 'LF', 'CRLF']).optional(),
  timeoutMs: z.number().positive().max(600_000).optional(),
  identifyTimeoutMs: z.number().positive().max(600_000).optional(),
  openDelayMs: z.number().min(0).max(60_000).optional(),
});
export type SerialSettingsInput = z.infer<typeof SerialSettingsInput>;

export const SerialSettingsFull = z.object({
  baudRate: z.number(),
  dataBits: z.union([z.literal(7), z.literal(8)]),
  parity: z.enum(['none', 'even', 'odd']),
  stopBits: z.union([z.literal(1), z.literal(2)]),
  writeTerminator: z.enum(['CR', 'LF', 'CRLF']),
  timeoutMs: z.number(),
  identifyTimeoutMs: z.number(),
  openDelayMs: z.number(),
});
export type SerialSettingsFull = z.infer<typeof SerialSettingsFull>;

/** What Connect will use: the port, the driver, the effective serial settings; and auto-reconnect (Settings). */
export const ConnectionConfig = z.object({
  path: z.string().nullable(),
  driver: InstrumentDriverName,
  settings: SerialSettingsFull,
  /** Settings' `autoReconnect`, shown here; change it with 'settings.update'. */
  autoReconnect: z.boolean(),
});
export type ConnectionConfig = z.infer<typeof ConnectionConfig>;

export const ConsoleLine = z.object({
  /** Milliseconds since the Unix epoch. */
  t: z.number(),
  /** out: sent, in: received, note: the workbench's own remark (opened, output off, …). */
  dir: z.enum(['out', 'in', 'note']),
  text: z.string(),
  /** Position in the session's console (increasing): ask for lines after it with `since`. */
  seq: z.number().int().nonnegative(),
});
export type ConsoleLine = z.infer<typeof ConsoleLine>;

/** The limits an instrument enforces itself and mirrors to its protections (from Settings). */
export const AppliedInstrumentLimits = z.object({
  maxVoltage: z.number(),
  compliance: z.number(),
  /** Compliance during reads (the pulse compliance unless a driver sets its own). */
  readCompliance: z.number(),
  maxWidth: z.number(),
});

export const InstrumentLimitsInfo = z.object({
  /** The connected instrument, or null when nothing is connected. */
  instrument: z
    .object({
      driver: InstrumentDriverName,
      title: z.string(),
      port: z.string(),
      idn: z.string().nullable(),
      /** As mirrored to the instrument's protections now. */
      applied: AppliedInstrumentLimits,
      /** The shortest pulse the instrument can make (s); null when its driver knows no minimum. */
      minPulseWidth: z.number().nullable(),
      /** Settings' limits changed and are not on the instrument yet (they are when the running run ends). */
      pending: z.boolean(),
    })
    .nullable(),
});
export type InstrumentLimitsInfo = z.infer<typeof InstrumentLimitsInfo>;

export const VirtualInstrumentInfo = z.object({
  id: z.string(),
  driver: InstrumentDriverName,
  path: z.string(),
  idn: z.string(),
  preset: z.string(),
  seed: z.union([z.number(), z.string()]),
});
export type VirtualInstrumentInfo = z.infer<typeof VirtualInstrumentInfo>;

export const instrumentRequests = {
  'instruments.state': { input: none, output: InstrumentState },
  /** The port list as last polled (real ports, scanned devices, virtual instruments); `refresh` lists now. */
  'instruments.ports': { input: z.strictObject({ refresh: z.boolean().optional() }), output: PortList },
  'instruments.config': { input: none, output: ConnectionConfig },
  /** Changes the connection settings; 'conflict' while connected or connecting (disconnect first). */
  'instruments.configure': {
    input: z.strictObject({
      path: text(TEXT_LIMITS.path).nullable().optional(),
      driver: InstrumentDriverName.optional(),
      settings: SerialSettingsInput.optional(),
    }),
    output: ConnectionConfig,
  },
  /** The connected instrument's limits and shortest pulse: what a run on it is checked against besides Settings. */
  'instruments.limits': { input: none, output: InstrumentLimitsInfo },
  /** Connects with the current config (overridden by what is given); resolves with the resulting state. */
  'instruments.connect': {
    input: z.strictObject({ path: text(TEXT_LIMITS.path).min(1).optional(), driver: InstrumentDriverName.optional() }),
    output: InstrumentState,
  },
  /** Output off, then the port is released. Stops any pending auto-reconnect. */
  'instruments.disconnect': { input: none, output: InstrumentState },
  /** The console lines after `since` (all kept lines by default); kept after a disconnect. */
  'instruments.console': {
    input: z.strictObject({ since: z.number().int().min(-1).optional() }),
    output: z.object({ lines: z.array(ConsoleLine), dropped: z.number().int().nonnegative() }),
  },
  /** The console as text (ISO timestamps, > sent, < received, # notes), for a bug report. */
  'instruments.consoleExport': { input: none, output: z.object({ filename: z.string(), text: z.string() }) },
  /** Starts an emulator (wall time) listed with the ports; stopped when the app closes. */
  'instruments.startVirtual': {
    input: z.strictObject({
      driver: InstrumentDriverName,
      preset: z.string().max(64, 'must be a preset name').regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be a preset name').optional(),
      seed: z.union([z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), text(TEXT_LIMITS.seed).min(1)]).optional(),
    }),
    output: VirtualInstrumentInfo,
  },
  'instruments.stopVirtual': { input: z.strictObject({ id: text(TEXT_LIMITS.key).min(1) }), output: z.object({ id: z.string() }) },
  'instruments.virtuals': { input: none, output: z.array(VirtualInstrumentInfo) },
} as const;

export const instrumentEvents = {
  'instrument.state': InstrumentState,
  /** The port list changed (a device plugged or unplugged, a virtual instrument started or stopped). */
  'ports.changed': PortList,
  /** New console lines, batched (at most ~20 events a second). */
  'instruments.console': z.object({ lines: z.array(ConsoleLine) }),
} as const;
