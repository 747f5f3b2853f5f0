import { z } from 'zod';
import { DRIVER_NAMES } from '../../instruments/drivers';
import { BAUD_RATES, LINE_TERMINATORS, MAX_OPEN_DELAY_MS, MAX_TIMEOUT_MS, PARITIES, isBaudRate } from '../../instruments/serial-settings';
import { InstrumentState } from '../domain';
import { text } from '../bounded';
import { TEXT_LIMITS } from '../limits';

/**
 * The instruments area: the list of instruments to connect to (serial ports polled for plug and
 * unplug, usbtmc devices, remembered LAN and GPIB instruments, virtual instruments), one connection
 * at a time addressed by a VISA-style resource string with settings editable while disconnected,
 * the console (commands typed and their replies), opt-in auto-reconnect to the same identity,
 * what each driver can make, and virtual instruments (emulators) started from the UI.
 *
 * Two things live in Settings, not here, so each has one home: the safety limits (mirrored to the
 * instrument when it connects and whenever they change) and auto-reconnect ('settings.update'
 * with `autoReconnect`; ConnectionConfig shows its current value).
 */
const none = z.strictObject({});

export const InstrumentDriverName = z.enum(DRIVER_NAMES);
export type InstrumentDriverName = z.infer<typeof InstrumentDriverName>;

/** A driver, or 'auto': chosen by the instrument's `*IDN?` reply when it connects. */
export const DriverChoice = z.union([InstrumentDriverName, z.literal('auto')]);
export type DriverChoice = z.infer<typeof DriverChoice>;

export const ResourceKind = z.enum(['serial', 'tcp', 'usbtmc', 'gpib']);

/** What a driver can make (shared/instruments/capabilities.ts). */
export const DriverCapabilities = z.object({
  minPulseWidth: z.number().nullable(),
  maxPulseWidth: z.number().nullable(),
  voltageRanges: z.array(z.number()),
  currentRanges: z.array(z.number()),
  sweep: z.boolean(),
  pulse: z.enum(['pulse-mode', 'list-sweep', 'output-switched', 'script', 'board']),
  commandSet: z.string(),
  transports: z.array(ResourceKind),
  note: z.string().nullable(),
});
export type DriverCapabilities = z.infer<typeof DriverCapabilities>;

export const DriverDescription = z.object({ name: InstrumentDriverName, title: z.string(), capabilities: DriverCapabilities });
export type DriverDescription = z.infer<typeof DriverDescription>;

/** One row of the list: a serial port, a usbtmc device, a remembered instrument or a virtual one. */
export const InstrumentPort = z.object({
  /** What to connect to: a port path or a resource string. */
  path: z.string(),
  kind: ResourceKind,
  friendlyName: z.string(),
  source: z.enum(['enumerated', 'scanned', 'virtual', 'typed', 'usbtmc', 'remembered']),
  manufacturer: z.string().optional(),
  vidPid: z.string().optional(),
  serialNumber: z.string().optional(),
  /** Whether this user may open it (false: the dialout group, or a udev rule for usbtmc). */
  accessible: z.boolean().optional(),
  virtual: z.object({ id: z.string(), driver: InstrumentDriverName, pty: z.string().nullable() }).optional(),
  /** A remembered instrument: the driver and identity it last connected with. */
  remembered: z.object({ driver: InstrumentDriverName, idn: z.string().nullable(), lastConnected: z.string() }).optional(),
});
export type InstrumentPort = z.infer<typeof InstrumentPort>;

export const PortList = z.object({
  ports: z.array(InstrumentPort),
  /** A plain note when the system enumeration failed or gave no details and serial ports come from a /dev scan. */
  warning: z.string().nullable(),
});
export type PortList = z.infer<typeof PortList>;

/** One of the standard rates (shared/instruments/serial-settings.ts is the one list). */
const BaudRate = z.number().refine((x): boolean => isBaudRate(x), { message: `must be one of ${BAUD_RATES.join(', ')}` });

/** Serial settings; each may be left out for the driver's default. */
export const SerialSettingsInput = z.strictObject({
  baudRate: BaudRate.optional(),
  dataBits: z.union([z.literal(7), z.literal(8)]).optional(),
  parity: z.enum(PARITIES).optional(),
  stopBits: z.union([z.literal(1), z.literal(2)]).optional(),
  writeTerminator: z.enum(LINE_TERMINATORS).optional(),
  timeoutMs: z.number().positive().max(MAX_TIMEOUT_MS).optional(),
  identifyTimeoutMs: z.number().positive().max(MAX_TIMEOUT_MS).optional(),
  openDelayMs: z.number().min(0).max(MAX_OPEN_DELAY_MS).optional(),
});
export type SerialSettingsInput = z.infer<typeof SerialSettingsInput>;

export const SerialSettingsFull = z.object({
  baudRate: z.number(),
  dataBits: z.union([z.literal(7), z.literal(8)]),
  parity: z.enum(PARITIES),
  stopBits: z.union([z.literal(1), z.literal(2)]),
  writeTerminator: z.enum(LINE_TERMINATORS),
  timeoutMs: z.number(),
  identifyTimeoutMs: z.number(),
  openDelayMs: z.number(),
});
export type SerialSettingsFull = z.infer<typeof SerialSettingsFull>;

/** What Connect will use: the address, the driver, the effective settings; and auto-reconnect (Settings). */
export const ConnectionConfig = z.object({
  /** A port path or a resource string (TCPIP::HOST::5025::SOCKET, USB::/dev/usbtmc0, GPIB::24…). */
  path: z.string().nullable(),
  /** What the address is, or null when there is none (or it does not parse). */
  kind: ResourceKind.nullable(),
  driver: DriverChoice,
  /** The Prologix controller GPIB::N goes through: a serial path, or HOST[:PORT]. */
  gpibController: z.string().nullable(),
  /** Serial settings for a serial port; on other links only the timeouts and terminator apply. */
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
      /** What this instrument can make; a protocol beyond it is refused before it runs. */
      capabilities: DriverCapabilities,
      /** It identified as the workbench's emulator. */
      virtual: z.boolean(),
      /** A run is using it (the console refuses commands until it ends). */
      inUse: z.boolean(),
    })
    .nullable(),
});
export type InstrumentLimitsInfo = z.infer<typeof InstrumentLimitsInfo>;

/** How a virtual instrument is reached: a pseudo-terminal, a loopback TCP port, or a Prologix GPIB-USB on a pseudo-terminal. */
export const VirtualTransport = z.enum(['serial', 'tcp', 'gpib']);

export const VirtualInstrumentInfo = z.object({
  id: z.string(),
  driver: InstrumentDriverName,
  transport: VirtualTransport,
  /** What to connect to (a pty path, TCPIP::127.0.0.1::PORT::SOCKET, GPIB::24@PATH). */
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
      driver: DriverChoice.optional(),
      gpibController: text(TEXT_LIMITS.path).nullable().optional(),
      settings: SerialSettingsInput.optional(),
    }),
    output: ConnectionConfig,
  },
  /** Every driver with what it can make. */
  'instruments.drivers': { input: none, output: z.array(DriverDescription) },
  /** The connected instrument's limits and shortest pulse: what a run on it is checked against besides Settings. */
  'instruments.limits': { input: none, output: InstrumentLimitsInfo },
  /** Connects with the current config (overridden by what is given); resolves with the resulting state. */
  'instruments.connect': {
    input: z.strictObject({ path: text(TEXT_LIMITS.path).min(1).optional(), driver: DriverChoice.optional() }),
    output: InstrumentState,
  },
  /**
   * A command typed in the console, sent to the connected instrument: its reply when the command
   * set says it has one. 'conflict' while a run uses the instrument or nothing is connected. After
   * a command that touches sources or protections the limits are mirrored again (output off);
   * `warning` says so, or why that failed.
   */
  'instruments.send': {
    input: z.strictObject({ command: text(1000).min(1) }),
    output: z.object({ reply: z.string().nullable(), remirrored: z.boolean(), warning: z.string().nullable() }),
  },
  /** Forgets a remembered instrument (by its address). */
  'instruments.forget': { input: z.strictObject({ path: text(TEXT_LIMITS.path).min(1) }), output: PortList },
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
      /** serial (default): a pseudo-terminal; tcp: a loopback port; gpib: behind an emulated Prologix GPIB-USB. */
      transport: VirtualTransport.optional(),
      /** The GPIB address behind the Prologix controller (default 24). */
      gpibAddress: z.number().int().min(1).max(30).optional(),
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
  /** A run started or stopped using the connected instrument (the console is refused meanwhile). */
  'instruments.usage': z.object({ inUse: z.boolean() }),
} as const;
