/**
 * Simulation sweeps from the app (#16), through the router against a real PostgreSQL and pg-boss:
 * lab.submitSimulation puts a protocol × preset × seeds (× grid) on the queue with the protocol
 * and the preset inlined; a worker drains it and its runs are bit-identical to those of the same
 * sweep submitted as a file with `workbench submit --simulation`'s loader. Every refusal — no
 * protocol, no seeds, an unknown parameter, a value out of range — says why and submits nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSimulationSweep } from '../../../electron/cli/sweep';
import { labConfigFromUrl } from '../../../electron/services/lab/config';
import { submitSimulationSweep } from '../../../electron/services/lab-queue/submit';
import { runLabWorker } from '../../../electron/services/lab-queue/worker';
import { pgUnavailableReason, startPgCluster, type PgCluster } from '../../fixtures/pg-cluster';
import { callOk as ok, callRefused as refused, withLabApp } from './lab-app';

const unavailable = pgUnavailableReason();
if (unavailable) console.warn(`lab simulation-sweep router tests skipped: ${unavailable}`);

/** This file's PostgreSQL port, and one of its range where nothing listens. */
const PORT = 55610;
const NOTHING_THERE = 55612;

interface SweepRun {
  point: Record<string, number>;
  seed: number;
  samplesHash: string;
  sampleCount: number;
}
interface Submitted {
  sweepId: string;
  title: string;
  jobs: number;
  points: number;
  seeds: number;
  queue: string;
}

const template = { source: 'template', id: 'paper-spike-train' } as const;
const device = { name: 'intrinsic-gradient' } as const;

describe.skipIf(unavailable !== null)('simulation sweeps through the router', () => {
  let cluster: PgCluster;
  const dirs: string[] = [];
  const withApp = (url: string | undefined, fn: Parameters<typeof withLabApp>[2]) => withLabApp(dirs, url, fn);
  beforeAll(async () => {
    cluster = await startPgCluster({ port: PORT });
  }, 60_000);
  afterAll(async () => {
    await cluster?.destroy();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('a template on a shipped preset over a tauG grid: listed, drained, and its runs bit-identical to the same sweep submitted as a file', async () => {
    const url = await cluster.createDatabase('sim_router');
    const config = labConfigFromUrl(url, 'env');
    await withApp(url, async (app) => {
      const sub = await ok<Submitted>(app, 'lab.submitSimulation', { protocol: template, device, seeds: [1, 2], grid: { 'params.tauG': [60, 400] } });
      expect(sub).toMatchObject({ title: 'Paper spike train on intrinsic-gradient', jobs: 4, points: 2, seeds: 2, queue: 'wb-sweep' });
      const listed = await ok<{ sweeps: { id: string; kind: string; total: number; pcName: string; userName: string }[] }>(app, 'lab.sweeps', {});
      expect(listed.sweeps).toEqual([expect.objectContaining({ id: sub.sweepId, kind: 'simulation', total: 4, pcName: 'pc-submit', userName: 'ada' })]);

      // The same sweep as a file, through the CLI's loader.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-sim-router-'));
      dirs.push(dir);
      const file = path.join(dir, 'sweep.json');
      fs.writeFileSync(file, JSON.stringify({ protocol: 'paper-spike-train', device: 'intrinsic-gradient', seeds: [1, 2], grid: { 'params.tauG': [60, 400] } }));
      const viaFile = await submitSimulationSweep(config, { spec: loadSimulationSweep(file, undefined), pcName: 'pc-cli', userName: 'grace' });
      expect(viaFile.title).toBe(sub.title);

      const worker = await runLabWorker(config, { name: 'pc-worker', drain: true, pollMs: 100 });
      expect(worker).toMatchObject({ written: 8, failed: 0, malformed: 0 });
      const runsOf = async (id: string) => {
        const got = await ok<{ summary: { done: number; total: number; failed: number }; runs: SweepRun[] | null }>(app, 'lab.sweep', { id });
        expect(got.summary).toMatchObject({ done: 4, total: 4, failed: 0 });
        return got.runs!.map((r) => ({ tauG: r.point['params.tauG'], seed: r.seed, hash: r.samplesHash, n: r.sampleCount }));
      };
      const fromApp = await runsOf(sub.sweepId);
      expect(fromApp.map((r) => [r.tauG, r.seed])).toEqual([[60, 1], [60, 2], [400, 1], [400, 2]]);
      expect(fromApp.every((r) => r.n > 0)).toBe(true);
      expect(new Set(fromApp.map((r) => r.hash)).size).toBe(4);
      expect(fromApp).toEqual(await runsOf(viaFile.sweepId));
    });
  }, 300_000);

  it('a library protocol (its latest version unless one is named), a seed count, no grid', async () => {
    const url = await cluster.createDatabase('sim_router_library');
    await withApp(url, async (app) => {
      const shipped = (await ok<{ id: string; document: Record<string, unknown> }[]>(app, 'protocols.templates', {})).find((t) => t.id === 'paper-spike-train')!;
      const saved = await ok<{ id: string; version: number }>(app, 'protocols.save', { name: 'My spikes', description: '', tags: [], document: shipped.document });
      await ok(app, 'protocols.save', { id: saved.id, name: 'My spikes v2', description: '', tags: [], document: shipped.document });
      const latest = await ok<Submitted>(app, 'lab.submitSimulation', { protocol: { source: 'library', id: saved.id }, device, seeds: 3, noise: false });
      expect(latest).toMatchObject({ title: 'My spikes v2 on intrinsic-gradient', jobs: 3, points: 1, seeds: 3 });
      const first = await ok<Submitted>(app, 'lab.submitSimulation', { protocol: { source: 'library', id: saved.id, version: 1 }, device, seeds: [7], title: 'first version' });
      expect(first).toMatchObject({ title: 'first version', jobs: 1 });
      expect((await ok<{ total: number }>(app, 'lab.sweeps', {})).total).toBe(2);
    });
  }, 120_000);

  it('bad input is refused with a sentence naming the field, and submits nothing', async () => {
    const url = await cluster.createDatabase('sim_router_bad');
    await withApp(url, async (app) => {
      const cases: [string, Record<string, unknown>, RegExp][] = [
        ['no protocol', { device, seeds: 2 }, /^lab\.submitSimulation: protocol: choose a protocol/],
        ['no preset', { protocol: template, seeds: 2 }, /^lab\.submitSimulation: device: choose a device preset/],
        ['zero seeds', { protocol: template, device, seeds: 0 }, /seeds: seeds as a count must be a whole number from 1 to 10000 \(got 0\)/],
        ['an empty seed list', { protocol: template, device, seeds: [] }, /seeds: seeds must be a count N/],
        ['a seed twice', { protocol: template, device, seeds: [3, 3] }, /seeds\[1\]: seed 3 is listed twice/],
        ['a negative seed', { protocol: template, device, seeds: [-1] }, /seeds\[0\]: a seed must be a whole number ≥ 0/],
        ['an unknown parameter', { protocol: template, device, seeds: 1, grid: { 'params.nope': [1] } }, /grid\["params\.nope"\]: the preset 'intrinsic-gradient' has no numeric field params\.nope/],
        ['a value out of range', { protocol: template, device, seeds: 1, grid: { 'params.tauG': [60, -5] } }, /at params\.tauG = -5: .*tauG/],
        ['a malformed grid path', { protocol: template, device, seeds: 1, grid: { 'params..x': [1] } }, /grid\["params\.\.x"\]: a grid key must be a dotted path/],
        ['an axis without values', { protocol: template, device, seeds: 1, grid: { 'params.tauG': [] } }, /grid\["params\.tauG"\]: must be a list of 1 to 1000 numbers/],
        ['too many jobs', { protocol: template, device, seeds: 10_000, grid: { 'params.tauG': Array.from({ length: 11 }, (_, k) => 60 + k) } }, /110000 jobs, more than 100000 \(ours\)/],
        ['an unknown field', { protocol: template, device, seeds: 1, extra: true }, /^lab\.submitSimulation: /],
      ];
      for (const [what, input, message] of cases) {
        const e = await refused(app, 'lab.submitSimulation', input);
        expect(e.code, what).toBe('invalid_request');
        expect(e.message, what).toMatch(message);
        expect((e.details as { problems: unknown[] }).problems.length, what).toBeGreaterThan(0);
      }
      expect(await refused(app, 'lab.submitSimulation', { protocol: { source: 'template', id: 'nope' }, device, seeds: 1 })).toMatchObject({ code: 'not_found', message: expect.stringMatching(/no shipped protocol called "nope"/) });
      expect(await refused(app, 'lab.submitSimulation', { protocol: template, device: { name: 'nope' }, seeds: 1 })).toMatchObject({ code: 'not_found' });
      expect(await refused(app, 'lab.submitSimulation', { protocol: { source: 'library', id: '00000000-0000-4000-8000-000000000000' }, device, seeds: 1 })).toMatchObject({ code: 'not_found' });
      expect(await ok(app, 'lab.sweeps', {})).toEqual({ sweeps: [], total: 0 });
    });
  }, 120_000);

  it('no lab configured, or a lab that is unreachable: refused, saying so', async () => {
    const input = { protocol: template, device, seeds: 1 };
    await withApp(undefined, async (app) => {
      expect(await refused(app, 'lab.submitSimulation', input)).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/^No lab archive is configured: set WORKBENCH_LAB_URL/) });
    });
    await withApp(`postgres://workbench:s3cret-pw@127.0.0.1:${NOTHING_THERE}/nowhere`, async (app) => {
      const e = await refused(app, 'lab.submitSimulation', input);
      expect(e.code).toBe('unavailable');
      expect(e.message).toMatch(/^Could not connect to the lab database/);
      expect(e.message).not.toContain('s3cret-pw');
    });
  }, 120_000);
});
