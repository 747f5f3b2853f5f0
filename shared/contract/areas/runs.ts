import { z } from 'zod';
import { boundedName as name, jsonDocument, notes, tags, text } from '../bounded';
import { ActiveRun, Pace, RunDetail, RunProgress, RunStatus, RunSummary, SampleColumnsSchema, uint8Array, uuid } from '../domain';
import { TEXT_LIMITS } from '../limits';
import { InstrumentDriverName } from './instruments';
import { runAnalysisRequest } from './run-analysis';

/**
 * The runs area: start a protocol on a device, control it (Bluesky-style pause / resume / stop /
 * abort), watch it (events batched at 10–30 Hz), read its samples back, annotate, export, delete.
 * Listing runs and experiments lives in the archive area.
 */
const none = z.strictObject({});
/** A name from the shipped library (resources/), never a path. */
const libraryName = z.string().max(64, 'must be a library name of at most 64 characters').regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be a library name (letters, digits, - and _), not a path');
const sampleIndex = z.number().int().min(0);

/** A simulated device: a preset (a library name or a whole preset document), seed and noise. */
export const SimulatedDeviceSpec = z.strictObject({
  kind: z.literal('simulated'),
  preset: z.union([libraryName, jsonDocument('the preset')]),
  /** Every random number of the device derives from it; a random seed is chosen (and recorded) when absent. */
  seed: z.union([z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), text(TEXT_LIMITS.seed).min(1)]).optional(),
  /** false: the model's equations without cycle-to-cycle, device-to-device or read noise. Default true. */
  noise: z.boolean().optional(),
});

/** A physical device behind an instrument driver (available once the instruments work registers it). */
export const InstrumentDeviceSpec = z.strictObject({
  kind: z.literal('instrument'),
  /** Serial port path, or 'virtual:…' for the emulator. */
  port: text(TEXT_LIMITS.path).min(1),
  driver: InstrumentDriverName,
  settings: jsonDocument('the settings').optional(),
});

export const DeviceSpec = z.discriminatedUnion('kind', [SimulatedDeviceSpec, InstrumentDeviceSpec]);

export const RunAction = z.enum(['pause', 'resume', 'stop', 'abort']);

/** The experiment a run goes into when none is named. */
export const DEFAULT_EXPERIMENT = 'Default';

export const runRequests = {
  /**
   * Queues a run; it starts at once when nothing else runs. The protocol is a document (as the
   * editor holds it) or a library name; the handler validates it (and the device preset) and
   * answers invalid_request with every problem, each with its path (`protocol.blocks[0].width`).
   * The run goes into experimentId, or the experiment called experimentName (created when
   * missing), or 'Default'.
   */
  'runs.start': {
    input: z
      .strictObject({
        protocol: z.union([libraryName, jsonDocument('the protocol')]),
        device: DeviceSpec,
        pace: Pace.optional(),
        experimentId: uuid.optional(),
        experimentName: name.optional(),
        name: name.optional(),
        notes: notes.optional(),
        tags: tags.optional(),
        /** The device (lab area) the run is on; a simulated run goes to its preset's virtual device, an instrument run to its instrument's, when absent. */
        deviceId: uuid.optional(),
      })
      .refine((x) => x.experimentId === undefined || x.experimentName === undefined, {
        message: 'give experimentId or experimentName, not both',
        path: ['experimentName'],
      }),
    output: z.object({ runId: uuid, status: RunStatus, queuePosition: z.number().int().nonnegative() }),
  },
  /**
   * pause: at the next safe point (between operations); resume; stop: a clean finish (output off,
   * status 'stopped'); abort: output off at once, status 'aborted'. A queued run can be stopped or
   * aborted (it never starts). 'conflict' when the action does not apply to the run's status.
   */
  'runs.control': {
    input: z.strictObject({ id: uuid, action: RunAction }),
    output: z.object({ runId: uuid, status: RunStatus }),
  },
  /** The running run and the queue, with progress; `elsewhere`: runs another process on this data folder is driving. */
  'runs.active': {
    input: none,
    output: z.object({ running: ActiveRun.nullable(), queue: z.array(ActiveRun), elsewhere: z.array(RunSummary) }),
  },
  /**
   * Committed samples [from, to) of a run (all by default), as typed-array columns. `total` is how
   * many are committed now; a live run's newer samples arrive as 'run.samples' events, whose
   * `from` says where they go.
   */
  'runs.samples': {
    input: z
      .strictObject({ id: uuid, from: sampleIndex.optional(), to: sampleIndex.optional() })
      .refine((x) => x.from === undefined || x.to === undefined || x.from <= x.to, { message: 'from must not be after to', path: ['to'] }),
    output: z.object({
      runId: uuid,
      from: sampleIndex,
      to: sampleIndex,
      total: sampleIndex,
      status: RunStatus,
      columns: SampleColumnsSchema,
    }),
  },
  /** Everything recorded about a run: protocol as written and its hash, device snapshot, versions, host, times, log. */
  'runs.detail': { input: z.strictObject({ id: uuid }), output: RunDetail },
  'runs.update': {
    input: z
      .strictObject({ id: uuid, name: name.optional(), notes: notes.optional(), tags: tags.optional() })
      .refine((x) => x.name !== undefined || x.notes !== undefined || x.tags !== undefined, { message: 'give name, notes or tags to change' }),
    output: RunDetail,
  },
  /** Deletes a run and its samples; a running or paused run is refused ('conflict'): stop it first. */
  'runs.delete': { input: z.strictObject({ id: uuid }), output: z.object({ id: uuid }) },
  /**
   * A run as text. CSV: the tidy table — one header line `t_s,v_V,i_A,g_S,kind,width_s,pulse,
   * cycle,block,compliance`, one row per sample, exact decimal times — and its provenance as a JSON `sidecar`
   * to save next to it (`<filename>.json`); `comments` also writes the provenance as '#' lines
   * above the header. JSON: provenance + columns (no sidecar).
   */
  'runs.export': {
    input: z.strictObject({ id: uuid, format: z.enum(['csv', 'json']), comments: z.boolean().optional() }),
    output: z.object({
      filename: z.string(),
      mime: z.string(),
      text: z.string(),
      sidecar: z.object({ filename: z.string(), mime: z.string(), text: z.string() }).nullable(),
    }),
  },
  /**
   * One run, or every run of a device (in the order they were made, with run and device columns),
   * as a Parquet file with the column units in its metadata — the file `workbench export --format
   * parquet` writes — as bytes to save as `filename`.
   */
  'runs.exportParquet': {
    input: z
      .strictObject({ id: uuid.optional(), deviceId: uuid.optional() })
      .refine((x) => (x.id === undefined) !== (x.deviceId === undefined), 'give a run id or a device id, one of them'),
    output: z.object({
      filename: z.string(),
      bytes: uint8Array,
      runs: z.number().int().nonnegative(),
      samples: z.number().int().nonnegative(),
    }),
  },
  /** The run's switching figures per cycle (#13), computed once and stored with a finished run. */
  'runs.analysis': runAnalysisRequest,
} as const;

export const runEvents = {
  /** A run changed status or made progress (progress at most a few times a second). */
  'run.state': z.object({
    runId: uuid,
    status: RunStatus,
    progress: RunProgress,
    /** Why it paused, failed or stopped; a compliance trip; null when there is nothing to say. */
    message: z.string().nullable(),
  }),
  /** New samples of a live run, batched (10–30 Hz): they are samples [from, from + columns.length) of the run. */
  'run.samples': z.object({ runId: uuid, from: sampleIndex, columns: SampleColumnsSchema }),
} as const;
