import { z } from 'zod';
import { boundedName as name, jsonDocument, searchText } from '../bounded';
import { float64Array, int32Array, isoTime, uint8Array, uuid } from '../domain';
import { RlDeviceState, RlHardwareChoice } from './rl-device';

/**
 * The rl area: reinforcement-learning comparisons whose learning rate can come from a memristor's
 * conductance (shared/rl). Start one from an experiment definition (a shipped preset as edited on
 * the RL page), watch its progress ('rl.progress', batched at most 10 times a second), read back
 * its comparison, its per-episode curves (typed arrays: one seed, or median and IQR across seeds)
 * and the agent's path in any episode. Every run is stored; a stored run replays to the same
 * curves, table and paths.
 */
const none = z.strictObject({});
/** Ids inside an experiment definition (environments, strategies): see shared/rl's schema. */
export const defId = z.string().max(64, 'must be an id of at most 64 characters').regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be an id from the experiment (letters, digits, . _ -)');
export const seed = z.number().int().min(0).max(0xffffffff);
/** A number that may be undefined for the data at hand (a median over no seeds, a % of zero) travels as null. */
const maybe = z.number().nullable();

/** Every status an RL run can have: the one list the contract, the store and the pages use. */
export const rlRunStatuses = ['running', 'completed', 'cancelled', 'failed', 'interrupted'] as const;
export const RlRunStatus = z.enum(rlRunStatuses);
export type RlRunStatus = z.infer<typeof RlRunStatus>;
/** Statuses an RL run never leaves. */
export const rlTerminalStatuses: readonly RlRunStatus[] = ['completed', 'cancelled', 'failed', 'interrupted'];

/** A shipped experiment definition (resources/experiments), as written. */
export const RlPreset = z.object({
  /** The file's name without .json, e.g. 'paper'. */
  file: z.string(),
  name: z.string(),
  title: z.string(),
  provenance: z.string(),
  notes: z.string().nullable(),
  /** The definition as written (parse it with shared/rl's parseExperiment to fill in defaults). */
  experiment: z.record(z.string(), z.unknown()),
});
export type RlPreset = z.infer<typeof RlPreset>;

/** How the primary strategy fared against the best other one. */
export const rlVerdicts = ['wins', 'ties', 'loses', 'unknown'] as const;

const Figures = z.object({ median: maybe, q1: maybe, q3: maybe });
const Bound = z.enum(['exact', 'at-least', 'at-most', 'unknown']);
/** A reduction of the headline metric against a reference: % fewer (median), a paired bootstrap 95 % interval, and whether censoring makes it a bound. */
const Reduction = z.object({ percent: maybe, ci95: z.tuple([z.number(), z.number()]).nullable(), bound: Bound });
export type RlReduction = z.infer<typeof Reduction>;
const Reference = z.object({ id: z.string(), name: z.string(), median: maybe });

/*
 * Comparisons stored before the stability-aware metric existed lack the fields marked optional;
 * the page shows them as unknown rather than refusing the run.
 */
export const RlStrategyRow = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  /** The family it was tuned in (constant, exponential, exponential-restarted, success-gated, device:<preset>…). */
  family: z.string().optional(),
  /** The headline metric over seeds: median and quartiles (null when no seed finished). */
  median: maybe,
  q1: maybe,
  q3: maybe,
  seeds: z.number().int().nonnegative(),
  /** Seeds in which a phase never converged by the first-K metric (charged its full length). */
  unconverged: z.number().int().nonnegative(),
  /** Seeds in which a phase never settled (headline metric, charged its length: a lower bound). */
  censored: z.number().int().nonnegative().optional(),
  /** A censored seed reaches the median: the true median may be larger. */
  medianCensored: z.boolean().optional(),
  /** Secondary figures: first K consecutive optimal episodes, and the regret (steps beyond the optimum). */
  firstK: Figures.optional(),
  regret: Figures.optional(),
  /** % fewer than the baseline (negative: more); null for the baseline itself or when undefined. */
  vsBaselinePercent: maybe,
});
export type RlStrategyRow = z.infer<typeof RlStrategyRow>;

export const RlComparison = z.object({
  environmentId: z.string(),
  title: z.string(),
  /** The headline metric's name (absent: a run stored when the headline was the first-K metric). */
  metric: z.string().optional(),
  rows: z.array(RlStrategyRow),
  primary: z.object({ id: z.string(), name: z.string() }),
  baseline: z.object({ id: z.string(), name: z.string() }),
  /** Primary vs baseline, % fewer (median). */
  reductionPercent: maybe,
  vsBaseline: Reduction.optional(),
  /** The best tuned constant α and the best decay not told of changes, computed from the rows. */
  bestConstant: Reference.nullable().optional(),
  vsBestConstant: Reduction.nullable().optional(),
  bestDecay: Reference.nullable().optional(),
  vsBestDecay: Reduction.nullable().optional(),
  /** The strategy other than the primary with the lowest median. */
  bestOther: Reference,
  reductionVsBestPercent: maybe,
  /** Strategies with a lower median than the primary's. */
  beatenBy: z.array(z.string()),
  verdict: z.enum(rlVerdicts),
  /** A published figure to print beside ours (e.g. the paper's), in %. */
  reportedReductionPercent: maybe,
});
export type RlComparison = z.infer<typeof RlComparison>;

export const RlRunSummary = z.object({
  id: uuid,
  experimentId: uuid.nullable(),
  name: z.string(),
  /** The experiment definition's name ('paper') and title. */
  definitionName: z.string(),
  title: z.string(),
  status: RlRunStatus,
  message: z.string().nullable(),
  seeds: z.array(z.number().int()),
  jobsDone: z.number().int().nonnegative(),
  jobsTotal: z.number().int().nonnegative(),
  environments: z.array(z.object({ id: z.string(), title: z.string(), episodes: z.number().int() })),
  /** `color`: the colour the experiment chose for the strategy, when it chose one. */
  strategies: z.array(z.object({ id: z.string(), name: z.string(), kind: z.string(), color: z.string().optional() })),
  /** The comparison once the run ended; null while it runs. */
  comparison: z.array(RlComparison).nullable(),
  /** A physical device was in the loop (its snapshot is in rl.get's `hardware`). */
  hardware: z.boolean(),
  createdAt: isoTime,
  endedAt: isoTime.nullable(),
  wallSeconds: maybe,
});
export type RlRunSummary = z.infer<typeof RlRunSummary>;

export const RlProgress = z.object({
  id: uuid,
  status: RlRunStatus,
  /** Jobs (environment × strategy × seed) finished, of total. */
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** Seconds left, estimated from the jobs so far; null before the first finishes. */
  etaS: z.number().nonnegative().nullable(),
  elapsedS: z.number().nonnegative(),
  /** Why it failed or was cancelled. */
  message: z.string().nullable(),
});
export type RlProgress = z.infer<typeof RlProgress>;

export const RlJob = z.object({
  environmentId: z.string(),
  strategyId: z.string(),
  seed: z.number().int(),
  episodes: z.number().int(),
  trainingIterations: z.number().int(),
  converged: z.boolean(),
});

/** Median and quartiles across seeds, per episode. */
const Band = z.object({ median: float64Array, q1: float64Array, q3: float64Array });
export type RlBand = z.infer<typeof Band>;

export const RlEpisodes = z.discriminatedUnion('kind', [
  /** One seed's traces, per episode (index = episode, 0-based). */
  z.object({
    kind: z.literal('seed'),
    environmentId: z.string(),
    strategyId: z.string(),
    seed: z.number().int(),
    length: z.number().int().nonnegative(),
    steps: int32Array,
    returns: float64Array,
    alpha: float64Array,
    /** Conductance G (S) behind α; NaN for schedules. */
    conductance: float64Array,
    success: uint8Array,
    /** Greedy path length after the episode, -1 when the greedy policy misses the goal. */
    greedyLength: int32Array,
  }),
  /** Across the seeds stored so far (a running run's curves sharpen as seeds finish). */
  z.object({
    kind: z.literal('aggregate'),
    environmentId: z.string(),
    strategyId: z.string(),
    seeds: z.array(z.number().int()),
    length: z.number().int().nonnegative(),
    steps: Band,
    returns: Band,
    alpha: Band,
    conductance: Band,
    /** Fraction of seeds whose episode reached the goal. */
    successRate: float64Array,
  }),
]);
export type RlEpisodes = z.infer<typeof RlEpisodes>;

export const RlPath = z.object({
  environmentId: z.string(),
  strategyId: z.string(),
  seed: z.number().int(),
  episode: z.number().int(),
  /** The maze as it was in this episode (a dynamic maze's phase applied). */
  layout: z.array(z.string()),
  rows: z.number().int(),
  cols: z.number().int(),
  phase: z.number().int(),
  /** Cells visited, start first (cell = row·cols + column). */
  path: int32Array,
  steps: z.number().int(),
  return: z.number(),
  success: z.boolean(),
  alpha: z.number(),
  /** G (S) behind α; null for schedules. */
  conductance: maybe,
  /** Greedy action per cell after the episode (0 up, 1 right, 2 down, 3 left), -1 for walls and cells never updated. */
  greedy: int32Array,
  /** The greedy walk from the start after the episode (no slip). */
  greedyPath: int32Array,
  greedyReachesGoal: z.boolean(),
  /** The replay reproduced the stored episode exactly (steps and return): the path is the one that ran. */
  matchesStored: z.boolean(),
});
export type RlPath = z.infer<typeof RlPath>;

/** A per-episode CSV file, ready to save. */
export const RlEpisodesFile = z.object({ filename: z.string(), mime: z.string(), text: z.string() });
export type RlEpisodesFile = z.infer<typeof RlEpisodesFile>;

/** `rl.path`'s question: one episode of one job (environment × strategy × seed). */
export const RlPathInput = z.strictObject({ id: uuid, strategy: defId, environment: defId, seed, episode: z.number().int().min(0).max(1_000_000) });

export const rlRequests = {
  /** The shipped experiment definitions (resources/experiments/*.json), as written. */
  'rl.presets': { input: none, output: z.array(RlPreset) },
  /**
   * Validates the definition with shared/rl's parseExperiment (invalid_request lists every problem
   * with its path, e.g. `strategies[2].alpha`), stores the run and starts it on the worker pool.
   * `seeds` overrides the definition's number of seeds. One RL run at a time ('conflict' otherwise).
   */
  'rl.start': {
    input: z.strictObject({
      experiment: jsonDocument('the experiment'),
      seeds: z.number().int().min(1).max(10_000).optional(),
      name: name.optional(),
      /** The archive experiment to file it under (the one chosen at the top of the app). */
      experimentId: uuid.optional(),
      /** Run one device strategy on the connected instrument (the others in simulation). */
      hardware: RlHardwareChoice.optional(),
      /** The device (Samples page) the run is filed under; default the run's virtual device. */
      deviceId: uuid.optional(),
    }),
    output: z.object({ rlRunId: uuid }),
  },
  /** Stops a running RL run: status 'cancelled', the jobs it finished are kept. */
  'rl.cancel': { input: z.strictObject({ id: uuid }), output: z.object({ id: uuid, status: RlRunStatus }) },
  /**
   * Stored RL runs matching every given filter, newest first: `limit` at a time (default all) from
   * `offset`, with `total`, how many match over all pages. `search` finds a case-insensitive piece
   * of the run's name or of its definition's name or title.
   */
  'rl.list': {
    input: z.strictObject({
      experimentId: uuid.optional(),
      status: RlRunStatus.optional(),
      search: searchText.optional(),
      limit: z.number().int().min(1).max(10_000).optional(),
      offset: z.number().int().min(0).optional(),
    }),
    output: z.object({ runs: z.array(RlRunSummary), total: z.number().int().nonnegative() }),
  },
  /** Renames a stored RL run (running or not). */
  'rl.rename': { input: z.strictObject({ id: uuid, name }), output: RlRunSummary },
  /** The RL run this workbench is running now, with its progress; null when none. */
  'rl.active': { input: none, output: z.object({ run: RlRunSummary.nullable(), progress: RlProgress.nullable(), device: RlDeviceState.nullable().optional() }) },
  /**
   * A stored run: the definition exactly as it ran, its seeds, the jobs it finished and the
   * comparison (for a run that has not ended, or ended early, computed from the jobs so far).
   */
  'rl.get': {
    input: z.strictObject({ id: uuid }),
    output: z.object({
      run: RlRunSummary,
      experiment: z.record(z.string(), z.unknown()),
      comparison: z.array(RlComparison),
      /** Fewer jobs than planned went into the comparison. */
      partial: z.boolean(),
      jobs: z.array(RlJob),
      hardware: z.unknown(),
      appVersion: z.string(),
      host: z.string(),
    }),
  },
  /**
   * Per-episode traces of one strategy on one environment: one seed's (with `seed`), else the
   * median and IQR across the seeds stored so far.
   */
  'rl.episodes': {
    input: z.strictObject({ id: uuid, strategy: defId, environment: defId, seed: seed.optional() }),
    output: RlEpisodes,
  },
  /** The agent's path in one episode and its greedy policy after it, replayed deterministically from the stored run. */
  'rl.path': { input: RlPathInput, output: RlPath },
  /**
   * The run's per-episode data as one CSV (one header line; a row per episode of every stored job:
   * environment, strategy, seed, episode, steps, return, learning_rate, conductance_S,
   * reached_goal, greedy_steps), each number the double the store holds.
   */
  'rl.export': { input: z.strictObject({ id: uuid }), output: RlEpisodesFile },
  /** Deletes a stored RL run and its episodes; a running one is refused ('conflict'). */
  'rl.delete': { input: z.strictObject({ id: uuid }), output: z.object({ id: uuid }) },
} as const;

export const rlEvents = {
  /** A run's progress (at most 10 a second) and every change of its status. */
  'rl.progress': RlProgress,
} as const;
