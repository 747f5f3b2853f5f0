/**
 * Lab sweeps from the app (#16 item 4), through the router against a real PostgreSQL and pg-boss:
 * lab.submitRl puts the RL page's experiment on the queue, a worker run in-process drains it,
 * lab.sweeps / lab.sweep show the progress by worker and the comparison `workbench sweep-results`
 * assembles; no lab, an unreachable lab and bad input are refused with a sentence.
 */
import fs from 'node:fs';
import PgBoss from 'pg-boss';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppServices } from '../../../electron/app/app-services';
import { labConfigFromUrl } from '../../../electron/services/lab/config';
import { GENERAL_QUEUE } from '../../../electron/services/lab-queue/payload';
import { loadSimulationSweep } from '../../../electron/cli/sweep';
import { submitSimulationSweep } from '../../../electron/services/lab-queue/submit';
import { readSweep } from '../../../electron/services/lab-queue/results';
import { presentComparison } from '../../../electron/services/rl';
import { runLabWorker } from '../../../electron/services/lab-queue/worker';
import { pgUnavailableReason, startPgCluster, type PgCluster } from '../../fixtures/pg-cluster';
import { callOk, callRefused, smallPaper, withLabApp } from './lab-app';

const unavailable = pgUnavailableReason();
if (unavailable) console.warn(`lab sweeps-through-the-router tests skipped: ${unavailable}`);

describe.skipIf(unavailable !== null)('lab sweeps through the router', () => {
  let cluster: PgCluster;
  const dirs: string[] = [];
  beforeAll(async () => {
    cluster = await startPgCluster({ port: 55495 });
  }, 60_000);
  afterAll(async () => {
    await cluster?.destroy();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  const withApp = (url: string | undefined, fn: (app: AppServices) => Promise<void>) => withLabApp(dirs, url, fn);
  const ok = callOk;
  const refused = callRefused;

  interface Summary {
    id: string;
    kind: string;
    title: string;
    pcName: string;
    userName: string;
    total: number;
    done: number;
    failed: number;
  }
  interface Sweep {
    summary: Summary;
    byWorker: { worker: string; jobs: number }[];
    failures: unknown[];
    comparison: unknown[] | null;
    runs: unknown[] | null;
  }

  it('submit from the request, a worker drains it, list and get show the progress, the failure with its reason and the comparison sweepReport assembles', async () => {
    const url = await cluster.createDatabase('sweeps_router');
    await withApp(url, async (app) => {
      expect(await ok(app, 'lab.sweeps', {})).toEqual({ sweeps: [], total: 0 });
      const sub = await ok<{ sweepId: string; jobs: number; seeds: number; title: string }>(app, 'lab.submitRl', { experiment: smallPaper(), seeds: 3 });
      expect(sub).toMatchObject({ jobs: 2 * 2 * 3, seeds: 3, queue: 'wb-sweep', instrument: null });

      const before = await ok<{ sweeps: Summary[]; total: number }>(app, 'lab.sweeps', {});
      expect(before.total).toBe(1);
      expect(before.sweeps[0]).toEqual({
        id: sub.sweepId,
        kind: 'rl-comparison',
        title: sub.title,
        seeds: 3,
        instrument: null,
        pcName: 'pc-submit',
        userName: 'ada',
        submittedAt: expect.any(String),
        total: 12,
        done: 0,
        failed: 0,
      });
      const pending = await ok<Sweep>(app, 'lab.sweep', { id: sub.sweepId });
      expect(pending).toMatchObject({ summary: { done: 0, total: 12 }, byWorker: [], failures: [], comparison: null, runs: null });

      // One job of this sweep that cannot be run (a strategy its experiment does not have): it fails for good, with its reason.
      const boss = new PgBoss({ connectionString: url, supervise: false, schedule: false });
      boss.on('error', () => undefined);
      await boss.start();
      const badJob = await boss.send(GENERAL_QUEUE, { sweepId: sub.sweepId, environmentId: 'static', strategyId: 'nope', seed: 1 }, { retryLimit: 0 });
      await boss.stop({ graceful: false });

      const config = labConfigFromUrl(url, 'env');
      const summary = await runLabWorker(config, { name: 'pc-worker', drain: true, pollMs: 100 });
      expect(summary).toMatchObject({ written: 12 });
      expect(summary.failed + summary.malformed).toBe(1);

      const after = await ok<{ sweeps: Summary[] }>(app, 'lab.sweeps', {});
      expect(after.sweeps[0]).toMatchObject({ id: sub.sweepId, done: 12, total: 12, failed: 1 });
      const done = await ok<Sweep>(app, 'lab.sweep', { id: sub.sweepId });
      expect(done.summary).toEqual(after.sweeps[0]);
      expect(done.byWorker).toEqual([{ worker: 'pc-worker', jobs: 12 }]);
      expect(done.failures).toEqual([{ jobId: badJob, worker: 'pc-worker', reason: expect.stringMatching(/nope/) }]);
      // sweepReport's comparison (what `workbench sweep-results` prints), as the RL area shows one.
      const { report, experiment } = await readSweep(config, sub.sweepId);
      expect(report.comparison).not.toBeNull();
      expect(done.comparison).toEqual(presentComparison(experiment!, report.comparison!));
      expect(done.comparison!.map((c) => (c as { rows: { seeds: number }[] }).rows.map((r) => r.seeds))).toEqual([[3, 3], [3, 3]]);
      expect(done.comparison!.map((c) => (c as { rows: { median: number | null }[] }).rows.map((r) => r.median))).toEqual(report.comparison!.map((c) => c.rows.map((r) => r.median)));
      expect(done.comparison).toHaveLength(2);
    });
  }, 300_000);

  it('a simulation sweep: list and get show its progress and its runs as sweepReport lists them', async () => {
    const url = await cluster.createDatabase('sweeps_router_sim');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-lab-sweeps-sim-'));
    dirs.push(dir);
    const file = path.join(dir, 'sweep.json');
    fs.writeFileSync(file, JSON.stringify({ title: 'tauG scan', protocol: 'paper-spike-train', device: 'intrinsic-gradient', seeds: [1, 2], grid: { 'params.tauG': [60, 400] } }));
    const config = labConfigFromUrl(url, 'env');
    const sub = await submitSimulationSweep(config, { spec: loadSimulationSweep(file, undefined), pcName: 'pc-sim', userName: 'grace' });
    await withApp(url, async (app) => {
      expect((await ok<{ sweeps: Summary[] }>(app, 'lab.sweeps', {})).sweeps).toEqual([expect.objectContaining({ id: sub.sweepId, kind: 'simulation', title: 'tauG scan', done: 0, total: 4, pcName: 'pc-sim', userName: 'grace' })]);
      await runLabWorker(config, { name: 'pc-sim-worker', drain: true, pollMs: 100 });
      const got = await ok<Sweep>(app, 'lab.sweep', { id: sub.sweepId });
      expect(got.summary).toMatchObject({ done: 4, total: 4, failed: 0 });
      expect(got.comparison).toBeNull();
      expect(got.byWorker).toEqual([{ worker: 'pc-sim-worker', jobs: 4 }]);
      expect(got.runs).toEqual((await readSweep(config, sub.sweepId)).report.runs);
      expect((got.runs as { point: Record<string, number> }[]).map((r) => r.point['params.tauG'])).toEqual([60, 60, 400, 400]);
    });
  }, 300_000);

  it('bad input is refused with a sentence and submits nothing', async () => {
    const url = await cluster.createDatabase('sweeps_router_bad');
    await withApp(url, async (app) => {
      const notExperiment = await refused(app, 'lab.submitRl', { experiment: { name: 'x' } });
      expect(notExperiment.code).toBe('invalid_request');
      expect(notExperiment.message).toMatch(/^lab\.submitRl: /);
      for (const seeds of [0, 1.5, 10_001]) expect((await refused(app, 'lab.submitRl', { experiment: smallPaper(), seeds })).code).toBe('invalid_request');
      expect((await refused(app, 'lab.submitRl', { experiment: smallPaper(), extra: 1 })).code).toBe('invalid_request');
      expect((await refused(app, 'lab.sweep', { id: 'not-a-sweep' })).code).toBe('invalid_request');
      expect((await refused(app, 'lab.sweeps', { limit: 0 })).code).toBe('invalid_request');
      expect(await refused(app, 'lab.sweep', { id: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ code: 'not_found', message: expect.stringMatching(/no sweep 0{8}-0{4}-4000-8000-0{12} in the lab/) });
      expect(await ok(app, 'lab.sweeps', {})).toEqual({ sweeps: [], total: 0 });
    });
  }, 120_000);

  it('no lab configured, or a lab that is unreachable: every sweep request says so', async () => {
    await withApp(undefined, async (app) => {
      for (const [method, input] of [['lab.sweeps', {}], ['lab.sweep', { id: '00000000-0000-4000-8000-000000000000' }], ['lab.submitRl', { experiment: smallPaper() }]] as const) {
        expect(await refused(app, method, input)).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/^No lab archive is configured: set WORKBENCH_LAB_URL/) });
      }
    });
    // Nothing listens on 55496 (in this test file's port range).
    const down = `postgres://workbench:s3cret-pw@127.0.0.1:55496/nowhere`;
    await withApp(down, async (app) => {
      for (const [method, input, what] of [
        ['lab.sweeps', {}, 'Could not (connect to the lab database|list the lab’s sweeps)'],
        ['lab.sweep', { id: '00000000-0000-4000-8000-000000000000' }, 'Could not connect to the lab database'],
        ['lab.submitRl', { experiment: smallPaper(), seeds: 1 }, 'Could not connect to the lab database'],
      ] as const) {
        const e = await refused(app, method, input);
        expect(e.code).toBe('unavailable');
        expect(e.message).toMatch(new RegExp(`^${what} \\(lab postgres://workbench@127\\.0\\.0\\.1:55496/nowhere\\)`));
        expect(e.message).not.toContain('s3cret-pw');
      }
    });
  }, 120_000);
});
