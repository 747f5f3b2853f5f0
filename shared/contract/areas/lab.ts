/**
 * The lab archive (#16): this PC's publish state, and every PC's published runs and RL runs, read-only.
 * The connection URL never crosses the contract; only its password-free description does.
 */
import { z } from 'zod';
import { jsonDocument, searchText } from '../bounded';
import { RunDetail, SampleColumnsSchema, uuid } from '../domain';
import { MAX_GRID_VALUES, MAX_SEEDS } from '../../lab/simulation-spec';
import { instrumentNameProblem } from '../../lab/instrument-name';
import { presetOrigins } from './devices';
import { defId, RlComparison, RlEpisodes, RlEpisodesFile, RlJob, RlPath, RlPathInput, RlRunSummary, seed } from './rl';

const none = z.strictObject({});
const sampleIndex = z.number().int().min(0);

export const labPublishStates = ['pending', 'published', 'failed'] as const;
export const LabPublishState = z.enum(labPublishStates);
export type LabPublishState = z.infer<typeof LabPublishState>;

export const LabStatus = z.object({
  /** Where the connection comes from; null when no lab is configured. */
  source: z.enum(['env', 'file', 'settings']).nullable(),
  /** postgres://user@host:port/db (never the password), or null. */
  display: z.string().nullable(),
  /** Why the configuration was refused (a file readable by others, a malformed URL), or null. */
  problem: z.string().nullable(),
  /** Whether this host can keep a connection in Settings (the desktop app, with safeStorage). */
  settingsAvailable: z.boolean(),
  counts: z.object({
    pending: z.number().int().nonnegative(),
    published: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    tombstones: z.number().int().nonnegative(),
  }),
  /** The last publish pass of this process: when, what it did, why it stopped (redacted). */
  lastPass: z
    .object({ at: z.string(), published: z.number().int().nonnegative(), failed: z.number().int().nonnegative(), pending: z.number().int().nonnegative(), stopped: z.string().nullable() })
    .nullable(),
  publishing: z.boolean(),
});
export type LabStatus = z.infer<typeof LabStatus>;

/** The device a lab run was on, as its PC published it: sample → chip → device (null parts: not published, or deleted). */
export const LabDeviceRef = z.object({
  id: uuid,
  name: z.string().nullable(),
  kind: z.string().nullable(),
  /** Crossbar coordinates (word line, bit line), null off a crossbar. */
  wordLine: z.number().int().nullable(),
  bitLine: z.number().int().nullable(),
  chipName: z.string().nullable(),
  chipRows: z.number().int().nullable(),
  chipCols: z.number().int().nullable(),
  sampleName: z.string().nullable(),
  sampleKind: z.string().nullable(),
});
export type LabDeviceRef = z.infer<typeof LabDeviceRef>;

export const LabRunSummary = z.object({
  id: uuid,
  pcId: uuid,
  pcName: z.string(),
  userName: z.string(),
  experimentName: z.string(),
  name: z.string(),
  status: z.string(),
  protocolName: z.string(),
  deviceKind: z.string(),
  deviceName: z.string().nullable(),
  createdAt: z.string(),
  endedAt: z.string().nullable(),
  sampleCount: z.number().int().nonnegative(),
  samplesHash: z.string(),
  contentHash: z.string(),
  publishedAt: z.string(),
  device: LabDeviceRef.nullable(),
});
export type LabRunSummary = z.infer<typeof LabRunSummary>;

/** A lab RL run: who published it, its device, and the RL run as its PC listed it. */
export const LabRlRunSummary = z.object({
  id: uuid,
  pcId: uuid,
  pcName: z.string(),
  userName: z.string(),
  name: z.string(),
  status: z.string(),
  createdAt: z.string(),
  endedAt: z.string().nullable(),
  contentHash: z.string(),
  publishedAt: z.string(),
  device: LabDeviceRef.nullable(),
  run: RlRunSummary,
});
export type LabRlRunSummary = z.infer<typeof LabRlRunSummary>;

export const labSweepKinds = ['rl-comparison', 'simulation'] as const;

/** A sweep on the lab's job queue: who submitted it from which PC, and how far its jobs are. */
export const LabSweepSummary = z.object({
  id: uuid,
  kind: z.enum(labSweepKinds),
  title: z.string(),
  seeds: z.number().int().nonnegative(),
  /** The instrument its jobs are routed to (only the PC that owns it takes them), or null. */
  instrument: z.string().nullable(),
  pcName: z.string(),
  userName: z.string(),
  submittedAt: z.string(),
  total: z.number().int().nonnegative(),
  done: z.number().int().nonnegative(),
  /** Jobs failed for good. */
  failed: z.number().int().nonnegative(),
});
export type LabSweepSummary = z.infer<typeof LabSweepSummary>;

/** An instrument's name on the queue: shared/lab/instrument-name's rule, its sentence as the refusal (bounded first, as every text is). */
const instrumentName = z.string().max(200).superRefine((name, ctx) => {
  const problem = instrumentNameProblem(name);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});

/** A PC whose lab worker serves an instrument's queue (`workbench worker --lab --instrument NAME[=DEVICE]`). */
export const LabInstrumentWorker = z.object({
  pcName: z.string(),
  worker: z.string(),
  /** What the worker opened (serial:PATH, …), or null: it serves the queue in software only. */
  device: z.string().nullable(),
  /** The instrument's *IDN? reply as the worker read it, or null. */
  identity: z.string().nullable(),
  lastSeenAt: z.string(),
});
export type LabInstrumentWorker = z.infer<typeof LabInstrumentWorker>;

export const LabInstrument = z.object({
  name: z.string(),
  queue: z.string(),
  /** The PCs whose workers served it, most recently seen first (empty: no worker has announced it). */
  workers: z.array(LabInstrumentWorker),
  /** Sweeps submitted for it, and when the last was. */
  sweeps: z.number().int().nonnegative(),
  lastSweepAt: z.string().nullable(),
});
export type LabInstrument = z.infer<typeof LabInstrument>;

/** A simulation sweep's run in the lab archive (one grid point × seed). */
export const LabSweepRun = z.object({
  jobKey: z.string(),
  runId: uuid,
  point: z.record(z.string(), z.number()),
  seed: z.number().int().nonnegative(),
  pcName: z.string(),
  worker: z.string(),
  sampleCount: z.number().int().nonnegative(),
  samplesHash: z.string(),
});
export type LabSweepRun = z.infer<typeof LabSweepRun>;

/** What an RL sweep's page needs to replay its jobs' episodes (see 'lab.sweep'). */
export const LabSweepReplay = z.object({
  environments: z.array(z.object({ id: z.string(), title: z.string(), episodes: z.number().int().positive() })),
  strategies: z.array(z.object({ id: z.string(), name: z.string(), color: z.string().optional() })),
  seeds: z.array(z.number().int().nonnegative()),
  /** The strategy under test (shown first). */
  primary: z.string(),
  jobs: z.array(z.object({ environmentId: z.string(), strategyId: z.string(), seed: z.number().int().nonnegative(), traces: z.boolean() })),
});
export type LabSweepReplay = z.infer<typeof LabSweepReplay>;

/** A protocol a simulation sweep runs: a library protocol (at its latest version, or `version`) or a shipped template. */
export const SimulationProtocolRef = z.discriminatedUnion(
  'source',
  [
    z.strictObject({ source: z.literal('library'), id: uuid, version: z.number().int().min(1).optional() }),
    z.strictObject({ source: z.literal('template'), id: z.string().min(1).max(100) }),
  ],
  { error: (issue) => (issue.input === undefined ? 'choose a protocol: one from the library or a shipped template' : undefined) },
);
export type SimulationProtocolRef = z.infer<typeof SimulationProtocolRef>;

/**
 * A simulation sweep as the app's form sends it: what a `workbench submit --simulation` file holds,
 * with the protocol and the preset named as the app's pickers name them. The shape is checked here;
 * what the values mean (seeds, grid paths, values in range) is checked by shared/lab/simulation-spec,
 * as for a sweep file.
 */
export const SimulationSweepInput = z.strictObject({
  title: z.string().max(200).optional(),
  protocol: SimulationProtocolRef,
  device: z.strictObject(
    { name: z.string().min(1).max(64), origin: z.enum(presetOrigins).optional() },
    { error: (issue) => (issue.input === undefined ? 'choose a device preset' : undefined) },
  ),
  /** A count N (seeds 1…N) or a list of seeds. */
  seeds: z.union([z.number(), z.array(z.number()).max(MAX_SEEDS)]),
  noise: z.boolean().optional(),
  /** Dotted preset paths ("params.tauG") and the values each takes. */
  grid: jsonDocument('the grid')
    .pipe(z.record(z.string().max(200), z.array(z.number()).max(MAX_GRID_VALUES)))
    .optional(),
});
export type SimulationSweepInput = z.infer<typeof SimulationSweepInput>;

export const labRequests = {
  'lab.status': { input: none, output: LabStatus },
  /** The publish state of each of these runs of this PC (runs still in progress are absent). */
  'lab.states': {
    input: z.strictObject({ kind: z.enum(['run', 'rl-run', 'device']), ids: z.array(uuid).max(1000) }),
    output: z.array(z.object({ id: uuid, state: LabPublishState, reason: z.string().nullable() })),
  },
  /** Publishes what is pending now (the background publisher does the same every few minutes). */
  'lab.publish': {
    input: none,
    output: z.object({ published: z.number().int().nonnegative(), failed: z.number().int().nonnegative(), pending: z.number().int().nonnegative(), stopped: z.string().nullable() }),
  },
  /** Every PC's published runs, newest first. */
  'lab.runs': {
    input: z.strictObject({ search: searchText.optional(), limit: z.number().int().min(1).max(1000).optional(), offset: z.number().int().min(0).optional() }),
    output: z.object({ runs: z.array(LabRunSummary), total: z.number().int().nonnegative() }),
  },
  /** A lab run with the detail its PC recorded (read-only). */
  'lab.run': { input: z.strictObject({ id: uuid }), output: z.object({ summary: LabRunSummary, detail: RunDetail }) },
  'lab.samples': {
    input: z.strictObject({ id: uuid, from: sampleIndex.optional(), to: sampleIndex.optional() }),
    output: z.object({ runId: uuid, from: sampleIndex, to: sampleIndex, total: sampleIndex, columns: SampleColumnsSchema }),
  },
  /** Every PC's published RL runs, newest first. */
  'lab.rlRuns': {
    input: z.strictObject({ search: searchText.optional(), limit: z.number().int().min(1).max(1000).optional(), offset: z.number().int().min(0).optional() }),
    output: z.object({ runs: z.array(LabRlRunSummary), total: z.number().int().nonnegative() }),
  },
  /** A lab RL run, read-only: what `rl.get` gives for this PC's, with who made it and on which device. */
  'lab.rlRun': {
    input: z.strictObject({ id: uuid }),
    output: z.object({
      summary: LabRlRunSummary,
      experiment: z.record(z.string(), z.unknown()),
      comparison: z.array(RlComparison),
      partial: z.boolean(),
      jobs: z.array(RlJob),
      appVersion: z.string(),
      host: z.string(),
    }),
  },
  /** A lab RL run's per-episode traces, as `rl.episodes` gives this PC's. */
  'lab.rlEpisodes': {
    input: z.strictObject({ id: uuid, strategy: defId, environment: defId, seed: seed.optional() }),
    output: RlEpisodes,
  },
  /**
   * The agent's path in one episode of a lab RL run and its greedy policy after it, replayed from
   * what the lab holds (the experiment and the episode's stored learning rates) by the replay
   * `rl.path` uses: the same answer this PC's copy of the run gives.
   */
  'lab.rlPath': { input: RlPathInput, output: RlPath },
  /** A lab RL run's per-episode data, the CSV `rl.export` gives for this PC's runs. */
  'lab.rlExport': { input: z.strictObject({ id: uuid }), output: RlEpisodesFile },
  'lab.export': {
    input: z.strictObject({ id: uuid, format: z.enum(['csv', 'json']) }),
    output: z.object({
      filename: z.string(),
      mime: z.string(),
      text: z.string(),
      sidecar: z.object({ filename: z.string(), mime: z.string(), text: z.string() }).nullable(),
    }),
  },
  /** The sweeps on the lab's job queue, newest first, with their progress. */
  'lab.sweeps': {
    input: z.strictObject({ limit: z.number().int().min(1).max(1000).optional(), offset: z.number().int().min(0).optional() }),
    output: z.object({ sweeps: z.array(LabSweepSummary), total: z.number().int().nonnegative() }),
  },
  /**
   * One sweep: its progress by worker, its failures with their reasons, and — an RL comparison
   * whose every job is done — the comparison `workbench sweep-results` assembles; a simulation
   * sweep's runs in the lab archive.
   */
  'lab.sweep': {
    input: z.strictObject({ id: uuid }),
    output: z.object({
      summary: LabSweepSummary,
      queue: z.string(),
      byWorker: z.array(z.object({ worker: z.string(), jobs: z.number().int().nonnegative() })),
      failures: z.array(z.object({ jobId: z.string(), reason: z.string(), worker: z.string() })),
      onInstrument: z.array(z.object({ jobKey: z.string(), worker: z.string(), instrumentIdn: z.string() })),
      comparison: z.array(RlComparison).nullable(),
      runs: z.array(LabSweepRun).nullable(),
      /**
       * An RL comparison's jobs for replay and the per-episode CSV (null for a simulation sweep):
       * its environments (with their episode caps), strategies and seeds, and each finished job
       * with whether its worker kept its traces (false: a worker older than lab schema 6).
       */
      replay: LabSweepReplay.nullable(),
    }),
  },
  /**
   * The agent's path in one episode of an RL sweep's job and its greedy policy after it, replayed
   * from the job's stored learning rates by the replay `rl.path` uses (`id` is the sweep's): the
   * answer a local run of the same experiment and seed gives.
   */
  'lab.sweepPath': { input: RlPathInput, output: RlPath },
  /** An RL sweep's per-episode data, the CSV `rl.export` gives for this PC's runs. */
  'lab.sweepExport': { input: z.strictObject({ id: uuid }), output: RlEpisodesFile },
  /**
   * Puts an RL comparison on the lab's job queue (every environment × strategy × seed job, as
   * `workbench submit --experiment` does), submitted by this PC; `workbench worker --lab` on the
   * lab's PCs runs it. `seeds` overrides the experiment's own. With `instrument` (the name rule of
   * `submit --instrument`), every job goes to that instrument's queue: only the PC whose worker
   * serves it takes them, and runs the device-driven strategies on the instrument itself.
   */
  'lab.submitRl': {
    input: z.strictObject({ experiment: jsonDocument('the experiment'), seeds: z.number().int().min(1).max(10_000).optional(), instrument: instrumentName.optional() }),
    output: z.object({
      sweepId: uuid,
      title: z.string(),
      jobs: z.number().int().positive(),
      seeds: z.number().int().positive(),
      queue: z.string(),
      /** The instrument the jobs are routed to, or null: the general queue, every PC's worker. */
      instrument: z.string().nullable(),
    }),
  },
  /**
   * The instruments the lab knows of, for choosing where a sweep runs: those whose queue a worker
   * serves or served (its PC, whether it opened the instrument, when it was last seen) and those
   * past sweeps were submitted for; most recently seen first.
   */
  'lab.instruments': { input: none, output: z.object({ instruments: z.array(LabInstrument) }) },
  /**
   * Puts a simulation sweep on the lab's job queue — every grid point × seed run, as
   * `workbench submit --simulation` does — with the protocol and the preset inlined, so every worker
   * runs what was submitted. Refused (invalid_request, every problem in details.problems) when the
   * protocol does not compile, a seed or grid axis is malformed, or a grid value makes no valid preset.
   */
  'lab.submitSimulation': {
    input: SimulationSweepInput,
    output: z.object({ sweepId: uuid, title: z.string(), jobs: z.number().int().positive(), points: z.number().int().positive(), seeds: z.number().int().positive(), queue: z.string() }),
  },
  /**
   * Desktop app only: keeps the lab connection in Settings, the password in the operating system's
   * secret storage (Electron safeStorage), never in workbench.sqlite. An empty host clears it.
   */
  'lab.configure': {
    input: z.strictObject({
      host: z.string().max(255),
      port: z.number().int().min(1).max(65535).optional(),
      database: z.string().max(63).optional(),
      user: z.string().max(63).optional(),
      password: z.string().max(1000).optional(),
    }),
    output: LabStatus,
  },
} as const;
