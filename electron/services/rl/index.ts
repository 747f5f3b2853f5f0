import { compareResults, experimentJobs, type EnvironmentComparison, type Experiment, type RunResult } from '../../../shared/rl';
import { defaultWorkerCount, runJobsInParallel, type PoolOptions } from './pool';

export { defaultWorkerCount, RunCancelledError, runJobsInParallel, type PoolOptions, type Progress } from './pool';

export interface ExperimentRun {
  results: RunResult[];
  comparison: EnvironmentComparison[];
  /** Wall time of the run (s). */
  seconds: number;
  workers: number;
}

/** Runs every (environment × strategy × seed) job of an experiment in parallel and compares them. */
export async function runExperiment(experiment: Experiment, options: PoolOptions & { seeds?: number } = {}): Promise<ExperimentRun> {
  const jobs = experimentJobs(experiment, options.seeds);
  const started = performance.now();
  const results = await runJobsInParallel(experiment, jobs, options);
  const seconds = (performance.now() - started) / 1000;
  return { results, comparison: compareResults(experiment, results), seconds, workers: Math.min(options.workers ?? defaultWorkerCount(), jobs.length) };
}
export { runJobAsync, type AsyncJobOptions, type AsyncLearningRate } from './async-job';
export { RlManager, RlManagerError, type HardwareStrategy, type RlManagerOptions, type StartedRl, type StartRl } from './manager';
export { listShippedExperiments } from './presets';
export { layoutAtEpisode, replayEpisode, type ReplayedEpisode } from './replay';
export { bandOf, comparisonOf, presentComparison, successRateOf } from './summary';
export { EPISODE_CSV_COLUMNS, EPISODE_CSV_HEADER, rlEpisodesCsv } from './episodes-csv';
