import { runEpisode } from '../agent/episode';
import { TabularAgent } from '../agent/tabular-agent';
import { greedyPathLength, shortestPathLength } from '../env/layout';
import { MazeEnv } from '../env/maze-env';
import { phaseStarts } from '../env/schedule';
import { createStrategy } from '../lr/create';
import { phaseIterations, type PhaseResult } from '../metrics/convergence';
import { createRng } from '../../random';
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
  /** Sum over phases of the episodes needed to (re-)converge; see metrics/convergence.ts. */
  trainingIterations: number;
  /** Every phase converged. */
  converged: boolean;
  phases: PhaseResult[];
  episodes: EpisodeTrace;
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

/** Runs one job from start to finish. Pure: the same experiment and job give the same result. */
export function runJob(experiment: Experiment, job: Job): RunResult {
  const envSpec = experiment.environments.find((e) => e.id === job.environmentId);
  const strategySpec = experiment.strategies.find((s) => s.id === job.strategyId);
  if (!envSpec) throw new RangeError(`no environment '${job.environmentId}' in the experiment`);
  if (!strategySpec) throw new RangeError(`no strategy '${job.strategyId}' in the experiment`);
  const episodes = episodesOf(experiment, envSpec);
  const seeds = jobSeeds(job.seed);
  const env = createEnvironment(envSpec);
  const agent = new TabularAgent(env.observationCount, env.actionCount, experiment.agent, seeds.agent);
  const strategy = createStrategy(strategySpec, seeds.device);
  const optimalByLayout = env.layouts.map(shortestPathLength);

  const trace: EpisodeTrace = {
    steps: new Int32Array(episodes),
    returns: new Float64Array(episodes),
    alpha: new Float64Array(episodes),
    conductance: new Float64Array(episodes),
    success: new Uint8Array(episodes),
    tdErrorMean: new Float64Array(episodes),
    greedyLength: new Int32Array(episodes),
  };
  const optimal = new Uint8Array(episodes);
  for (let e = 0; e < episodes; e++) {
    const alpha = strategy.alpha(e);
    trace.alpha[e] = alpha;
    trace.conductance[e] = strategy.conductance();
    const stats = runEpisode(env, agent, alpha, e, e === 0 ? seeds.environment : undefined);
    trace.steps[e] = stats.steps;
    trace.returns[e] = stats.return;
    trace.success[e] = stats.success ? 1 : 0;
    trace.tdErrorMean[e] = stats.tdErrorMean;
    const layout = env.currentLayout;
    const greedy = greedyPathLength(layout, agent.q);
    trace.greedyLength[e] = greedy;
    optimal[e] = greedy === optimalByLayout[env.layouts.indexOf(layout)] ? 1 : 0;
    strategy.afterEpisode({ episode: e, ...stats });
  }

  const starts = envSpec.kind === 'dynamic-maze' ? phaseStarts(envSpec.schedule, episodes) : [0];
  const phases = starts.map((start, k): PhaseResult => {
    const length = (starts[k + 1] ?? episodes) - start;
    const { converged, iterations } = phaseIterations(optimal, start, length, experiment.convergenceWindow);
    return { start, length, optimalLength: optimalByLayout[env.layouts.indexOf(env.layoutAt(start))]!, converged, iterations };
  });
  return {
    ...job,
    trainingIterations: phases.reduce((sum, p) => sum + p.iterations, 0),
    converged: phases.every((p) => p.converged),
    phases,
    episodes: trace,
  };
}
