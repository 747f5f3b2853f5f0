import { z } from 'zod';

/** Schemas of the domain objects that cross the host boundary. */

export const uuid = z.string().max(36, 'must be a UUID').regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i, 'must be a UUID');
export const isoTime = z.string().min(1);

/** Every status a run can have: the one list the contract, the store, the engine and the pages use. */
export const runStatuses = ['queued', 'running', 'paused', 'completed', 'stopped', 'aborted', 'interrupted', 'failed'] as const;
export const RunStatus = z.enum(runStatuses);
export type RunStatus = z.infer<typeof RunStatus>;

/** How a run ended; a run in one of these never changes status again. */
export type TerminalRunStatus = Exclude<RunStatus, 'queued' | 'running' | 'paused'>;
export const terminalRunStatuses: readonly TerminalRunStatus[] = ['completed', 'stopped', 'aborted', 'interrupted', 'failed'];
/** A run a process is driving (or was, when it died). */
export const activeRunStatuses: readonly RunStatus[] = ['running', 'paused'];

export function isTerminalRunStatus(status: RunStatus): status is TerminalRunStatus {
  return (terminalRunStatuses as readonly RunStatus[]).includes(status);
}

export const Experiment = z.object({
  id: uuid,
  name: z.string(),
  description: z.string(),
  createdAt: isoTime,
  updatedAt: isoTime,
  runCount: z.number().int().nonnegative(),
});
export type Experiment = z.infer<typeof Experiment>;

export const RunSummary = z.object({
  id: uuid,
  experimentId: uuid,
  experimentName: z.string(),
  name: z.string(),
  status: RunStatus,
  exitReason: z.string().nullable(),
  deviceKind: z.string(),
  /** Which one: the simulated device's preset, the instrument's driver; null when not recorded. */
  deviceName: z.string().nullable(),
  protocolName: z.string(),
  createdAt: isoTime,
  startedAt: isoTime.nullable(),
  endedAt: isoTime.nullable(),
  tags: z.array(z.string()),
  notes: z.string(),
  sampleCount: z.number().int().nonnegative(),
  initialG: z.number().nullable(),
  finalG: z.number().nullable(),
  minG: z.number().nullable(),
});
export type RunSummary = z.infer<typeof RunSummary>;

/** One line of a run's log: a pause, a resume, a compliance trip, why it ended. */
export const RunLogEntry = z.object({ at: isoTime, kind: z.string(), message: z.string() });
export type RunLogEntry = z.infer<typeof RunLogEntry>;

/** The process driving a queued, running or paused run (another workbench may share the data folder). */
export const RunOwner = z.object({
  pid: z.number().int(),
  host: z.string(),
  processStartedAt: z.string(),
  procStart: z.string().nullable(),
});
export type RunOwner = z.infer<typeof RunOwner>;

/** A run with its full provenance snapshot. */
export const RunDetail = RunSummary.extend({
  updatedAt: isoTime,
  maxG: z.number().nullable(),
  /** The protocol document as written (parsed JSON), or null. */
  protocol: z.unknown(),
  /** SHA-256 (hex) of the protocol document's canonical JSON (keys sorted, no spaces). */
  protocolHash: z.string().nullable(),
  /** Simulated: model, preset, parameters, variation, seed, noise, pace. Instrument: driver, port, identity, settings. */
  device: z.unknown(),
  instrumentIdn: z.string().nullable(),
  appVersion: z.string(),
  /** Where the run was recorded: '<host kind>@<hostname>'. */
  host: z.string(),
  owner: RunOwner.nullable(),
  events: z.array(RunLogEntry),
});
export type RunDetail = z.infer<typeof RunDetail>;

export const paces = ['fast', 'realtime'] as const;
/** 'fast': simulated time, as fast as the machine goes; 'realtime': paced to the wall clock. */
export const Pace = z.enum(paces);
export type Pace = z.infer<typeof Pace>;

/**
 * How far a run has got. `done`/`total` count operations that produce samples (pulses and reads);
 * when `exact` is false (an until block may stop early) `total` is an upper bound.
 */
export const RunProgress = z.object({
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  fraction: z.number().min(0).max(1),
  /** Seconds left, estimated; null when unknown (nothing done yet). */
  etaS: z.number().nonnegative().nullable(),
  exact: z.boolean(),
  /** Protocol time reached (s since the run started). */
  protocolTime: z.number().nonnegative(),
  /** Protocol duration from the program's estimate (s; an upper bound when not exact). */
  duration: z.number().nonnegative(),
});
export type RunProgress = z.infer<typeof RunProgress>;

/**
 * Samples as typed-array columns (shared/samples/columns.ts): t (s since the run started),
 * v (V), i (A), g (S) as Float64Array, kind (0 read, 1 pulse) as Uint8Array, block (index into the
 * compiled program's block table, -1 none) as Int32Array, compliance (1: the source was in
 * compliance when the current was measured) as Uint8Array. Electron IPC clones typed arrays; the
 * WebSocket wire carries them as binary.
 */
export const float64Array = z.custom<Float64Array>((x) => x instanceof Float64Array, 'must be a Float64Array');
export const uint8Array = z.custom<Uint8Array>((x) => x instanceof Uint8Array, 'must be bytes (a Uint8Array)');
export const int32Array = z.custom<Int32Array>((x) => x instanceof Int32Array, 'must be an Int32Array');

export const SampleColumnsSchema = z
  .object({
    length: z.number().int().nonnegative(),
    t: float64Array,
    v: float64Array,
    i: float64Array,
    g: float64Array,
    kind: uint8Array,
    block: int32Array,
    compliance: uint8Array,
  })
  .refine((c) => [c.t, c.v, c.i, c.g, c.kind, c.block, c.compliance].every((a) => a.length === c.length), 'every column must hold `length` values');

/** A run in this workbench's queue or running now. */
export const ActiveRun = z.object({
  runId: uuid,
  name: z.string(),
  experimentId: uuid,
  experimentName: z.string(),
  status: RunStatus,
  pace: Pace,
  protocolName: z.string(),
  deviceKind: z.string(),
  progress: RunProgress,
  /** Samples taken so far. */
  samples: z.number().int().nonnegative(),
  /** The latest thing worth saying (a compliance trip, why it paused), or null. */
  message: z.string().nullable(),
  /** 0 for the running run, 1… for queued runs in order. */
  queuePosition: z.number().int().nonnegative(),
});
export type ActiveRun = z.infer<typeof ActiveRun>;

/** What importing an experiment bundle did. */
export const BundleImportResult = z.object({
  /** Runs added. */
  imported: z.number().int().nonnegative(),
  /** Runs the archive already held (same UUID), left as they were. */
  skipped: z.number().int().nonnegative(),
  experimentId: uuid,
  experimentName: z.string(),
  /**
   * Every record and sample chunk matched its checksum. False for a version-1 bundle (workbench
   * 0.1.0), which has none: its structure and values were checked, not every sample bit by bit.
   */
  checksums: z.boolean(),
});
export type BundleImportResult = z.infer<typeof BundleImportResult>;

export const instrumentStates = ['disconnected', 'connecting', 'connected', 'error'] as const;
export const InstrumentState = z.object({
  state: z.enum(instrumentStates),
  /** Port path or 'virtual:…' of the connected instrument, if any. */
  port: z.string().nullable(),
  /** The identification reply (`*IDN?` or its equivalent), once connected. */
  idn: z.string().nullable(),
  /** What went wrong, in a sentence, when state is 'error'. */
  message: z.string().nullable(),
});
export type InstrumentState = z.infer<typeof InstrumentState>;

export const AppInfo = z.object({
  appName: z.string(),
  appVersion: z.string(),
  hostKind: z.enum(['desktop', 'web', 'cli']),
  dataDir: z.string(),
  dataFile: z.string(),
  schemaVersion: z.number().int(),
  platform: z.string(),
  versions: z.record(z.string(), z.string()),
});
export type AppInfo = z.infer<typeof AppInfo>;
