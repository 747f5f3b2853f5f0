/**
 * Lab sweep benchmark (#16): a report, no target.
 *
 * lab.sweep — wall time of the shipped paper comparison at 50 seeds (scaled by ctx.scale, at least
 *   2) through the lab's job queue on two `workbench worker --lab --drain` processes, against the
 *   same sweep on one. Each side: a fresh database, the sweep submitted (not timed), then the clock
 *   runs from spawning the workers to the last one exiting with every job's row written — worker
 *   start-up and pg-boss's polling included, as a lab would see it. ratio = one worker's time / two
 *   workers' (the speed-up; at most the number of idle cores when the workers share one PC, as here).
 * lab.sweep-overhead — the same jobs run one after another on this thread (shared/rl's runJob, no
 *   queue, no database), against the one-worker sweep above: ratio = local / queued, what the queue,
 *   the result rows and the worker's start-up cost (1 = nothing).
 *
 * The PostgreSQL as for lab.publish (WORKBENCH_BENCH_PG_URL or a throwaway cluster); skipped with a
 * message without one.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { appRoot, resourcesDir } from '../app-meta';
import { labConfigFromUrl } from '../services/lab/config';
import { experimentJobs, parseExperimentText, runJob } from '../../shared/rl';
import { submitRlSweep } from '../services/lab-queue/submit';
import { server } from './lab.bench';
import type { BenchContext, BenchFigure, Benchmark } from './types';

const FULL_SEEDS = 50;
const bin = path.join(appRoot, 'electron', 'bin', 'workbench.js');

/** Spawns `workers` drain-mode workers and returns the seconds until all have exited. */
async function timeWorkers(url: string, workers: number): Promise<number> {
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: workers }, (_, k) =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, [bin, 'worker', '--lab', '--drain', '--poll-ms', '100', '--name', `bench-${k}`], {
          env: { ...process.env, WORKBENCH_LAB_URL: url, WORKBENCH_LAB_URL_FILE: '' },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let err = '';
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.once('error', reject);
        child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`lab.sweep: worker ${k} exited with ${code}: ${err.trim().split('\n').pop() ?? ''}`))));
      }),
    ),
  );
  return (performance.now() - t0) / 1000;
}

async function rows(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM lab_sweep_results')).rows[0]!.n);
  } finally {
    await c.end();
  }
}

const sweep: Benchmark = {
  id: 'lab.sweep',
  title: 'Lab sweep wall time of the paper comparison on 2 workers vs 1',
  async run(ctx: BenchContext): Promise<BenchFigure[]> {
    const srv = await server('lab.sweep');
    if (srv === null) return [];
    try {
      const seeds = Math.max(2, Math.round(FULL_SEEDS * ctx.scale));
      const spec = readFileSync(path.join(resourcesDir(), 'experiments', 'paper.json'), 'utf8');
      const seconds: Record<number, number> = {};
      let jobs = 0;
      for (const workers of [1, 2]) {
        const url = await srv.database(`bench_sweep_${workers}`);
        const submitted = await submitRlSweep(labConfigFromUrl(url, 'env'), { spec, seeds, pcName: 'bench', userName: 'bench' });
        jobs = submitted.jobs;
        seconds[workers] = await timeWorkers(url, workers);
        const written = await rows(url);
        if (written !== jobs) throw new Error(`lab.sweep: ${written} results for ${jobs} jobs on ${workers} worker(s)`);
      }
      const one = seconds[1]!;
      const two = seconds[2]!;
      const parsed = parseExperimentText(spec);
      if (!parsed.ok) throw new Error('lab.sweep: the shipped paper experiment does not parse');
      const t0 = performance.now();
      for (const job of experimentJobs(parsed.experiment, seeds)) runJob(parsed.experiment, job);
      const local = (performance.now() - t0) / 1000;
      return [
        {
          id: 'lab.sweep',
          title: `seconds for the paper comparison at ${seeds} seeds (${jobs} jobs) through the lab queue on 2 worker processes; ratio = 1 worker / 2 (speed-up)`,
          value: two,
          unit: 's',
          baseline: { title: 'the same sweep on 1 worker process', value: one, unit: 's' },
          ratio: one / two,
        },
        {
          id: 'lab.sweep-overhead',
          title: `seconds for the same ${jobs} jobs through the lab queue on 1 worker process; ratio = local / queued (1: the queue costs nothing)`,
          value: one,
          unit: 's',
          baseline: { title: 'the same jobs one after another on this thread, no queue', value: local, unit: 's' },
          ratio: local / one,
        },
      ];
    } finally {
      await srv.close();
    }
  },
};

export const labSweepBenchmarks: readonly Benchmark[] = [sweep];
