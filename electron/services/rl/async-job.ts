import { JobInProgress, type EpisodeOutcome, type Experiment, type Job, type RunResult } from '../../../shared/rl';

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
  const run = new JobInProgress(experiment, job);
  while (!run.done) {
    options.signal?.throwIfAborted();
    const e = run.nextEpisode;
    const alpha = strategy.alpha(e);
    await strategy.afterEpisode(run.episode(alpha, strategy.conductance()));
    options.onEpisode?.(e, run.episodes);
  }
  return run.result();
}
