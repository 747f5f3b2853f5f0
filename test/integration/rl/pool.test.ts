import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunCancelledError, runExperiment, runJobsInParallel } from '../../../electron/services/rl';
import { experimentJobs, parseExperiment, runJob, type Experiment } from '../../../shared/rl';

const paperFile = path.resolve(import.meta.dirname, '..', '..', '..', 'resources', 'experiments', 'paper.json');

function paper(): Experiment {
  const r = parseExperiment(JSON.parse(readFileSync(paperFile, 'utf8')));
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.experiment;
}

describe('the worker-thread pool', () => {
  it('returns, in job order, exactly what the single-thread runner returns', async () => {
    const x = paper();
    const jobs = experimentJobs(x, 3);
    const progress: number[] = [];
    const parallel = await runJobsInParallel(x, jobs, { workers: 2, onProgress: ({ done, total }) => progress.push(done / total) });
    const single = jobs.map((job) => runJob(x, job));
    expect(parallel).toHaveLength(jobs.length);
    expect(parallel).toEqual(single);
    expect(progress).toHaveLength(jobs.length);
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('gives the same results whatever the number of workers', async () => {
    const x = paper();
    const jobs = experimentJobs(x, 2).filter((_, k) => k % 3 === 0);
    const [one, three] = await Promise.all([runJobsInParallel(x, jobs, { workers: 1 }), runJobsInParallel(x, jobs, { workers: 3 })]);
    expect(three).toEqual(one);
  });

  it('can be cancelled, and stops its workers', async () => {
    const x = paper();
    const jobs = experimentJobs(x, 20);
    const controller = new AbortController();
    let seen = 0;
    const run = runJobsInParallel(x, jobs, {
      signal: controller.signal,
      onProgress: ({ done }) => {
        seen = done;
        if (done === 5) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(RunCancelledError);
    expect(seen).toBeLessThan(jobs.length);
    await expect(runJobsInParallel(x, jobs, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(RunCancelledError);
  });

  it('reports a failing job with its identity', async () => {
    const x = paper();
    await expect(runJobsInParallel(x, [{ environmentId: 'static', strategyId: 'no-such-strategy', seed: 4 }])).rejects.toThrow(
      /no-such-strategy × static × seed 4 failed: no strategy 'no-such-strategy'/,
    );
  });

  it('runs a whole experiment and compares it', async () => {
    const run = await runExperiment(paper(), { seeds: 2 });
    expect(run.results).toHaveLength(2 * 2 * paper().strategies.length);
    expect(run.comparison.map((c) => c.environmentId)).toEqual(['static', 'dynamic']);
    expect(run.workers).toBeGreaterThanOrEqual(1);
    expect(run.seconds).toBeGreaterThan(0);
  });
});
