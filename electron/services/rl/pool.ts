import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Experiment, Job, RunResult } from '../../../shared/rl';
import type { FromWorker, ToWorker } from './messages';
import { EMPTY_TRACE } from './summary';

export interface Progress {
  done: number;
  total: number;
}

export interface PoolOptions {
  /** Number of worker threads; default: the available cores (at least 1), never more than the jobs. */
  workers?: number;
  /** Called after every finished job. */
  onProgress?: (progress: Progress) => void;
  /**
   * Called with every job's result as it arrives (before onProgress), in completion order: a caller
   * can store each one at once. A throw here fails the whole run (the workers are stopped).
   */
  onResult?: (result: RunResult, index: number) => void;
  /** Aborting stops every worker; the promise then rejects with a RunCancelledError. */
  signal?: AbortSignal;
  /**
   * false: keep each result's figures and phases but drop its per-episode traces as it arrives
   * (a tuning sweep of ten thousand jobs would otherwise hold half a gigabyte of traces).
   */
  keepTraces?: boolean;
}


export class RunCancelledError extends Error {
  constructor() {
    super('the RL run was cancelled');
    this.name = 'RunCancelledError';
  }
}

/** A run stopped on purpose (cancelled, aborted), as opposed to one that failed. */
export function isCancellation(e: unknown): boolean {
  return e instanceof RunCancelledError || (e instanceof Error && e.name === 'AbortError') || (e instanceof DOMException && e.name === 'AbortError');
}

export function defaultWorkerCount(): number {
  return Math.max(1, os.availableParallelism());
}

/**
 * The worker's entry file. From source (the CLI and tests run under tsx) it is a small JS file that
 * registers tsx inside the thread first: a worker inherits neither the parent's register() call nor,
 * on Node 20, an `--import tsx` for its entry. A compiled build ships worker.js next to this file.
 */
function workerUrl(): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './worker-from-source.mjs' : './worker.js', import.meta.url);
}

/**
 * Runs jobs on a pool of worker threads. Results come back in the order of `jobs`, and are
 * identical to runJob(experiment, job) on the calling thread: each job is pure and seeded.
 */
export function runJobsInParallel(experiment: Experiment, jobs: readonly Job[], options: PoolOptions = {}): Promise<RunResult[]> {
  const total = jobs.length;
  const results: RunResult[] = new Array<RunResult>(total);
  if (total === 0) return Promise.resolve(results);
  if (options.signal?.aborted) return Promise.reject(new RunCancelledError());
  const size = Math.max(1, Math.min(options.workers ?? defaultWorkerCount(), total));
  const url = workerUrl();

  return new Promise<RunResult[]>((resolve, reject) => {
    const workers: Worker[] = [];
    let next = 0;
    let done = 0;
    let settled = false;

    const finish = (error: Error | null) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      for (const w of workers) void w.terminate();
      if (error) reject(error);
      else resolve(results);
    };
    const onAbort = () => finish(new RunCancelledError());
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const feed = (worker: Worker) => {
      if (next >= total) return;
      const index = next++;
      worker.postMessage({ type: 'job', index, job: jobs[index]! } satisfies ToWorker);
    };

    for (let k = 0; k < size; k++) {
      const worker = new Worker(url);
      workers.push(worker);
      worker.on('message', (message: FromWorker) => {
        if (settled) return;
        if (message.type === 'error') {
          const job = jobs[message.index]!;
          finish(new Error(`job ${job.strategyId} × ${job.environmentId} × seed ${job.seed} failed: ${message.message}`));
          return;
        }
        results[message.index] = options.keepTraces === false ? { ...message.result, episodes: EMPTY_TRACE } : message.result;
        try {
          options.onResult?.(message.result, message.index);
        } catch (error) {
          finish(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        done++;
        options.onProgress?.({ done, total });
        if (done === total) finish(null);
        else feed(worker);
      });
      worker.on('error', (error) => finish(error instanceof Error ? error : new Error(String(error))));
      worker.on('exit', (code) => {
        if (!settled) finish(new Error(`an RL worker thread exited unexpectedly (code ${code})`));
      });
      worker.postMessage({ type: 'init', experiment } satisfies ToWorker);
      feed(worker);
    }
  });
}
