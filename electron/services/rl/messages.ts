import type { Experiment, Job, RunResult } from '../../../shared/rl';

/** Messages between the pool and its workers. */
export type ToWorker = { type: 'init'; experiment: Experiment } | { type: 'job'; index: number; job: Job };

export type FromWorker = { type: 'result'; index: number; result: RunResult } | { type: 'error'; index: number; message: string };

/** The buffers of a result's traces, moved (not copied) across the thread boundary. */
export function transferList(result: RunResult): ArrayBuffer[] {
  return Object.values(result.episodes).map((a: ArrayBufferView) => a.buffer as ArrayBuffer);
}
