import { runEpisode } from '../agent/episode';
import { TabularAgent } from '../agent/tabular-agent';
import { greedyPathLength, shortestPathLength } from '../env/layout';
import { MazeEnv } from '../env/maze-env';
import { phaseStarts } from '../env/schedule';
import { createStrategy } from '../lr/create';
import { phaseIterations, phaseRegret, phaseSettle, type PhaseResult } from '../metrics/convergence';
import { createRng } from '../../random';
import type { EpisodeOutcome } from '../lr/types';
import type { EnvironmentSpec, Experiment } from './schema';

/** One unit of work: a strategy on an environment with a seed. */
export interface Job {
  environmentId: string;
  strategyId: string;
  seed: number;
}

/** Per-episode traces (index = episode). */
export interface EpisodeTrace {
  steps: Int32Array;
  returns: Float64Array;
  /** α used during the episode. */
  alpha: Float64Array;
  /** Device conductance (S) behind that α; NaN for schedules. */
  conductance: Float64Array;
  /** 1 when the episode reached the goal. */
  success: Uint8Array;
  tdErrorMean: Float64Array;
  /** Greedy path length after the episode (no slip), -1 when the greedy policy misses the goal. */
  greedyLength: Int32Array;
}

export interface RunResult extends Job {
  /** Sum over phases of the episodes to the first K consecutive optimal ones (secondary); see metrics/convergence.ts. */
  trainingIterations: number;
  /** Every phase converged by that metric. */
  converged: boolean;
  /** The headline: sum over phases of the episodes until the greedy policy is optimal for good. */
  settleIterations: number;
  /** Every phase settled (false: the figure above is a lower bound, censored). */
  settled: boolean;
  /** Steps beyond the optimum, summed over all episodes. */
  regret: number;
  phases: PhaseResult[];
  episodes: EpisodeTrace;
}

/** A job between two episodes, as JSON-safe plain data (NaN conductances travel as null). */
export interface JobCheckpoint {
  job: Job;
  next: number;
  env: ReturnType<MazeEnv['snapshot']>;
  agent: ReturnType<TabularAgent['snapshot']>;
  trace: {
    steps: number[];
    returns: number[];
    alpha: number[];
    conductance: (number | null)[];
    success: number[];
    tdErrorMean: number[];
    greedyLength: number[];
  };
  optimal: number[];
}

/** One episode's entries in the traces. */
export interface EpisodeValues {
  steps: number;
  returns: number;
  alpha: number;
  conductance: number | null;
  success: number;
  tdErrorMean: number;
  greedyLength: number;
  optimal: number;
}

/** The seeds an experiment runs: firstSeed, firstSeed + 1, … (count overrides the file's number). */
export function experimentSeeds(experiment: Experiment, count = experiment.seeds): number[] {
  return Array.from({ length: count }, (_, k) => experiment.firstSeed + k);
}

/** Every (environment × strategy × seed) job, environment-major, in a fixed order. */
export function experimentJobs(experiment: Experiment, seedCount?: number): Job[] {
  const seeds = experimentSeeds(experiment, seedCount);
  return experiment.environments.flatMap((env) =>
    experiment.strategies.flatMap((strategy) => seeds.map((seed) => ({ environmentId: env.id, strategyId: strategy.id, seed }))),
  );
}

export function episodesOf(experiment: Experiment, env: EnvironmentSpec): number {
  return env.episodes ?? experiment.episodes;
}

export function createEnvironment(env: EnvironmentSpec): MazeEnv {
  return env.kind === 'maze' ? MazeEnv.static(env.maze) : MazeEnv.dynamic(env);
}

/**
 * Independent seeds for the environment, the agent and the device, all derived from the job's seed.
 * Every strategy sees the same environment and agent streams for a given seed (common random
 * numbers), so differences between strategies are not sampling noise in the maze.
 */
export function jobSeeds(seed: number): { environment: number; agent: number; device: number } {
  const root = createRng(seed);
  return { environment: root.fork('environment').nextUint32(), agent: root.fork('agent').nextUint32(), device: root.fork('device').nextUint32() };
}

/**
 * A job between its episodes: the environment, the agent and the traces, advanced one episode at a
 * time. The synchronous runJob and the host's awaited runner (hardware in the loop) both drive it,
 * so they run the same episodes with the same draws in the same order.
 */
export class JobInProgress {
  readonly episodes: number;
  private readonly env: MazeEnv;
  private readonly agent: TabularAgent;
  private readonly optimalByLayout: number[];
  private readonly optimal: Uint8Array;
  private readonly trace: EpisodeTrace;
  private readonly environmentSeed: number;
  private next = 0;

  constructor(
    private readonly experiment: Experiment,
    private readonly job: Job,
  ) {
    const envSpec = this.envSpec();
    if (!experiment.strategies.some((s) => s.id === job.strategyId)) throw new RangeError(`no strategy '${job.strategyId}' in the experiment`);
    this.episodes = episodesOf(experiment, envSpec);
    const seeds = jobSeeds(job.seed);
    this.environmentSeed = seeds.environment;
    this.env = createEnvironment(envSpec);
    this.agent = new TabularAgent(this.env.observationCount, this.env.actionCount, experiment.agent, seeds.agent);
    this.optimalByLayout = this.env.layouts.map(shortestPathLength);
    const n = this.episodes;
    this.trace = {
      steps: new Int32Array(n),
      returns: new Float64Array(n),
      alpha: new Float64Array(n),
      conductance: new Float64Array(n),
      success: new Uint8Array(n),
      tdErrorMean: new Float64Array(n),
      greedyLength: new Int32Array(n),
    };
    this.optimal = new Uint8Array(n);
  }

  /** The seed of the job's device, for the strategy that drives α. */
  get deviceSeed(): number {
    return jobSeeds(this.job.seed).device;
  }

  /** Episodes where the environment changes (after episode 0), for a strategy told of changes. */
  get changes(): number[] {
    const envSpec = this.envSpec();
    return envSpec.kind === 'dynamic-maze' ? phaseStarts(envSpec.schedule, this.episodes).slice(1) : [];
  }

  /** The index of the episode `episode()` runs next. */
  get nextEpisode(): number {
    return this.next;
  }

  get done(): boolean {
    return this.next >= this.episodes;
  }

  /** Runs the next episode with this α (and the G behind it); returns what the strategy learns from. */
  episode(alpha: number, conductance: number): EpisodeOutcome {
    const e = this.next++;
    const t = this.trace;
    t.alpha[e] = alpha;
    t.conductance[e] = conductance;
    const stats = runEpisode(this.env, this.agent, alpha, e, e === 0 ? this.environmentSeed : undefined);
    t.steps[e] = stats.steps;
    t.returns[e] = stats.return;
    t.success[e] = stats.success ? 1 : 0;
    t.tdErrorMean[e] = stats.tdErrorMean;
    const layout = this.env.currentLayout;
    const greedy = greedyPathLength(layout, this.agent.q);
    t.greedyLength[e] = greedy;
    this.optimal[e] = greedy === this.optimalByLayout[this.env.layouts.indexOf(layout)] ? 1 : 0;
    return { episode: e, ...stats };
  }

  /**
   * Everything the job needs to continue after a crash, as plain data: the episode counter, the
   * environment's and agent's streams, the Q table and the traces so far. Restored into a fresh
   * JobInProgress of the same experiment and job, the remaining episodes are the ones an
   * uninterrupted job would have run, draw for draw.
   */
  snapshot(options: { traces?: boolean } = {}): JobCheckpoint {
    const n = options.traces === false ? 0 : this.next;
    const t = this.trace;
    return {
      job: { ...this.job },
      next: this.next,
      env: this.env.snapshot(),
      agent: this.agent.snapshot(),
      trace: {
        steps: Array.from(t.steps.subarray(0, n)),
        returns: Array.from(t.returns.subarray(0, n)),
        alpha: Array.from(t.alpha.subarray(0, n)),
        conductance: Array.from(t.conductance.subarray(0, n), (g) => (Number.isNaN(g) ? null : g)),
        success: Array.from(t.success.subarray(0, n)),
        tdErrorMean: Array.from(t.tdErrorMean.subarray(0, n)),
        greedyLength: Array.from(t.greedyLength.subarray(0, n)),
      },
      optimal: Array.from(this.optimal.subarray(0, n)),
    };
  }

  /** What one finished episode left in the traces, for a store that keeps them episode by episode. */
  episodeValues(e: number): EpisodeValues {
    if (!(Number.isInteger(e) && e >= 0 && e < this.next)) throw new RangeError(`episode ${e} has not run (${this.next} have)`);
    const t = this.trace;
    return {
      steps: t.steps[e]!,
      returns: t.returns[e]!,
      alpha: t.alpha[e]!,
      conductance: Number.isNaN(t.conductance[e]!) ? null : t.conductance[e]!,
      success: t.success[e]!,
      tdErrorMean: t.tdErrorMean[e]!,
      greedyLength: t.greedyLength[e]!,
      optimal: this.optimal[e]!,
    };
  }

  /** A checkpoint assembled from its constant-size part and the episodes' values, in order. */
  static checkpointOf(state: Omit<JobCheckpoint, 'trace' | 'optimal'>, episodes: readonly EpisodeValues[]): JobCheckpoint {
    return {
      ...state,
      trace: {
        steps: episodes.map((v) => v.steps),
        returns: episodes.map((v) => v.returns),
        alpha: episodes.map((v) => v.alpha),
        conductance: episodes.map((v) => v.conductance),
        success: episodes.map((v) => v.success),
        tdErrorMean: episodes.map((v) => v.tdErrorMean),
        greedyLength: episodes.map((v) => v.greedyLength),
      },
      optimal: episodes.map((v) => v.optimal),
    };
  }

  restore(c: JobCheckpoint): void {
    if (c.job.environmentId !== this.job.environmentId || c.job.strategyId !== this.job.strategyId || c.job.seed !== this.job.seed) {
      throw new RangeError(`the checkpoint is of job ${c.job.strategyId} × ${c.job.environmentId} × seed ${c.job.seed}, not of this one`);
    }
    if (!(Number.isInteger(c.next) && c.next >= 0 && c.next <= this.episodes)) throw new RangeError(`the checkpoint's episode counter must be 0 to ${this.episodes} (got ${c.next})`);
    const t = this.trace;
    for (const [key, values] of Object.entries(c.trace)) {
      if (values.length !== c.next) throw new RangeError(`the checkpoint's ${key} trace holds ${values.length} episodes, not ${c.next}`);
    }
    if (c.optimal.length !== c.next) throw new RangeError(`the checkpoint's optimality flags hold ${c.optimal.length} episodes, not ${c.next}`);
    this.env.restore(c.env);
    this.agent.restore(c.agent);
    t.steps.set(c.trace.steps);
    t.returns.set(c.trace.returns);
    t.alpha.set(c.trace.alpha);
    t.conductance.set(c.trace.conductance.map((g) => g ?? Number.NaN));
    t.success.set(c.trace.success);
    t.tdErrorMean.set(c.trace.tdErrorMean);
    t.greedyLength.set(c.trace.greedyLength);
    this.optimal.set(c.optimal);
    this.next = c.next;
  }

  /** The job's metrics, once every episode has run. */
  result(): RunResult {
    if (!this.done) throw new Error(`the job has run ${this.next} of ${this.episodes} episodes`);
    const envSpec = this.envSpec();
    const starts = envSpec.kind === 'dynamic-maze' ? phaseStarts(envSpec.schedule, this.episodes) : [0];
    const phases = starts.map((start, k): PhaseResult => {
      const length = (starts[k + 1] ?? this.episodes) - start;
      const window = this.experiment.convergenceWindow;
      const { converged, iterations } = phaseIterations(this.optimal, start, length, window);
      const settle = phaseSettle(this.optimal, start, length, window);
      const optimalLength = this.optimalByLayout[this.env.layouts.indexOf(this.env.layoutAt(start))]!;
      return {
        start,
        length,
        optimalLength,
        converged,
        iterations,
        settled: settle.settled,
        settleIterations: settle.iterations,
        regret: phaseRegret(this.trace.steps, start, length, optimalLength),
      };
    });
    return {
      ...this.job,
      trainingIterations: phases.reduce((sum, p) => sum + p.iterations, 0),
      converged: phases.every((p) => p.converged),
      settleIterations: phases.reduce((sum, p) => sum + p.settleIterations!, 0),
      settled: phases.every((p) => p.settled),
      regret: phases.reduce((sum, p) => sum + p.regret!, 0),
      phases,
      episodes: this.trace,
    };
  }

  private envSpec(): EnvironmentSpec {
    const envSpec = this.experiment.environments.find((e) => e.id === this.job.environmentId);
    if (!envSpec) throw new RangeError(`no environment '${this.job.environmentId}' in the experiment`);
    return envSpec;
  }
}

/** Runs one job from start to finish. Pure: the same experiment and job give the same result. */
export function runJob(experiment: Experiment, job: Job): RunResult {
  const run = new JobInProgress(experiment, job);
  // createStrategy comes after the job is checked: the constructor names a missing strategy.
  const strategy = createStrategy(experiment.strategies.find((s) => s.id === job.strategyId)!, run.deviceSeed, { changes: run.changes });
  while (!run.done) {
    const alpha = strategy.alpha(run.nextEpisode);
    strategy.afterEpisode(run.episode(alpha, strategy.conductance()));
  }
  return run.result();
}
