import {
  createEnvironment,
  episodesOf,
  greedyPathLength,
  jobSeeds,
  phaseIterations,
  phaseStarts,
  runEpisode,
  shortestPathLength,
  TabularAgent,
  type EpisodeOutcome,
  type EpisodeTrace,
  type Experiment,
  type Job,
  type PhaseResult,
  type RunResult,
} from '../../../shared/rl';

/**
 * A learning rate whose update may wait for I/O: AsyncDeviceLearningRate (a physical device behind
 * an instrument, or any Device) fits, and so does every synchronous LearningRateStrategy.
 */
export interface AsyncLearningRate {
  alpha(episode: number): number;
  conductance(): number;
  afterEpisode(outcome: EpisodeOutcome): void | Promise<void>;
}

export interface AsyncJobOptions {
  /** Checked between episodes; aborting rejects with the signal's reason. */
  signal?: AbortSignal;
  /** After every episode (0-based index, of `episodes`). */
  onEpisode?: (episode: number, episodes: number) => void;
}

/**
 * One job with an awaited learning rate — the episode loop of shared/rl's runJob, step for step
 * (same seeds, same order of draws, same metrics), with `await strategy.afterEpisode` between
 * episodes. With a synchronous strategy it returns exactly what runJob returns (tested), so a
 * hardware-in-the-loop job is comparable with the simulated ones beside it.
 */
export async function runJobAsync(experiment: Experiment, job: Job, strategy: AsyncLearningRate, options: AsyncJobOptions = {}): Promise<RunResult> {
  const envSpec = experiment.environments.find((e) => e.id === job.environmentId);
  if (!envSpec) throw new RangeError(`no environment '${job.environmentId}' in the experiment`);
  if (!experiment.strategies.some((s) => s.id === job.strategyId)) throw new RangeError(`no strategy '${job.strategyId}' in the experiment`);
  const episodes = episodesOf(experiment, envSpec);
  const seeds = jobSeeds(job.seed);
  const env = createEnvironment(envSpec);
  const agent = new TabularAgent(env.observationCount, env.actionCount, experiment.agent, seeds.agent);
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
    options.signal?.throwIfAborted();
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
    await strategy.afterEpisode({ episode: e, ...stats });
    options.onEpisode?.(e, episodes);
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
