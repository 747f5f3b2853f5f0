/**
 * A lab RL run replays and exports as this PC's own (#16's gap), against a real PostgreSQL: a data
 * folder publishes its RL runs, and the same app reads each run twice — from its own store
 * (`rl.path`, `rl.export`) and from the lab (`lab.rlPath`, `lab.rlExport`).
 * - the lab's replay of any episode (fast-check over jobs and episodes) is the local replay;
 * - so is a run whose device-driven α was measured on an instrument (the virtual Keithley 2400 on
 *   a socat pty): the replay needs the stored α, not the device, locally and in the lab;
 * - a job the lab holds without its per-episode learning rates answers a clear error;
 * - the per-episode CSV from the lab is the local one, and reads back to what the store holds; so
 *   does `workbench rl-export [--source lab]`.
 */
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppServices } from '../../../electron/app/app-services';
import { EPISODE_CSV_HEADER } from '../../../electron/services/rl';
import { connectInstrumentDevice, startEmulator } from '../../../electron/services/instruments/index';
import { readDelimited } from '../../../shared/csv/delimited';
import { pgUnavailableReason, startPgCluster, type PgCluster } from '../../fixtures/pg-cluster';
import { hardwareExperiment } from '../rl-hil/hardware-experiment';
import { runCli } from '../cli/run-cli';
import { callOk, callRefused, withLabApp } from './lab-app';
import { addCrossbarWork, withStore } from './lab-data';

const unavailable = pgUnavailableReason();
if (unavailable) console.warn(`lab RL replay tests skipped: ${unavailable}`);

interface Job {
  environmentId: string;
  strategyId: string;
  seed: number;
  episodes: number;
}

describe.skipIf(unavailable !== null)('lab RL runs replay and export as this PC’s', () => {
  let cluster: PgCluster;
  const dirs: string[] = [];
  beforeAll(async () => {
    cluster = await startPgCluster({ port: 55630 });
  }, 60_000);
  afterAll(async () => {
    await cluster?.destroy();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  /** An app on `dir` pointed at the lab `url`, closed after `fn`. */
  const withApp = (dir: string, url: string, fn: (app: AppServices) => Promise<void>) => withLabApp(dirs, url, fn, dir);
  const folder = (): string => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-lab-replay-'));
    dirs.push(d);
    return d;
  };
  async function publish(app: AppServices): Promise<void> {
    expect(await callOk(app, 'lab.publish', {})).toMatchObject({ failed: 0, pending: 0, stopped: null });
  }
  async function sql(url: string, text: string, args: unknown[] = []): Promise<void> {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(text, args);
    } finally {
      await c.end();
    }
  }
  const jobsOf = async (app: AppServices, id: string) => (await callOk<{ jobs: Job[] }>(app, 'lab.rlRun', { id })).jobs;

  it('the lab replays any episode of a published RL run exactly as rl.path replays it on its PC (fast-check over jobs and episodes)', async () => {
    const url = await cluster.createDatabase('lab_replay_sim');
    const dir = folder();
    const { rlId } = withStore(dir, (s) => addCrossbarWork(s, 'r', 3));
    await withApp(dir, url, async (app) => {
      await publish(app);
      const jobs = await jobsOf(app, rlId);
      expect(jobs).toHaveLength(18);
      const job = fc.constantFrom(...jobs).chain((j) => fc.record({ j: fc.constant(j), episode: fc.nat(j.episodes - 1) }));
      await fc.assert(
        fc.asyncProperty(job, async ({ j, episode }) => {
          const q = { id: rlId, environment: j.environmentId, strategy: j.strategyId, seed: j.seed, episode };
          const local = await callOk<{ matchesStored: boolean; episode: number }>(app, 'rl.path', q);
          expect(local).toMatchObject({ matchesStored: true, episode });
          expect(await callOk(app, 'lab.rlPath', q)).toEqual(local);
        }),
        { numRuns: 60 },
      );
    });
  }, 120_000);

  it('a run whose device-driven α was measured on an instrument replays from the lab as rl.path replays it locally', async () => {
    const url = await cluster.createDatabase('lab_replay_hil');
    const dir = folder();
    const emu = await startEmulator({ driver: 'keithley2400', time: 'simulated', noise: false, seed: 5 });
    try {
      const device = await connectInstrumentDevice({ path: emu.path, driver: 'keithley2400' }, { clock: emu.clock });
      await withApp(dir, url, async (app) => {
        let id = '';
        try {
          const started = await app.rl.startOnDevice({ experiment: hardwareExperiment(16), name: 'HIL', hardware: { strategyId: 'smu', device, restSeconds: 5000 } });
          id = started.id;
          expect((await started.finished).status).toBe('completed');
        } finally {
          await device.close();
        }
        expect(await callOk(app, 'rl.get', { id })).toMatchObject({ run: { hardware: true } });
        await publish(app);
        expect(await callOk(app, 'lab.rlRun', { id })).toMatchObject({ summary: { run: { hardware: true } } });
        const jobs = await jobsOf(app, id);
        expect(jobs.map((j) => `${j.strategyId}:${j.seed}`).sort()).toEqual(['constant:0', 'constant:1', 'smu:0', 'smu:1']);
        for (const j of jobs.filter((x) => x.strategyId === 'smu')) {
          for (let episode = 0; episode < j.episodes; episode++) {
            const q = { id, environment: j.environmentId, strategy: j.strategyId, seed: j.seed, episode };
            const local = await callOk<{ matchesStored: boolean; conductance: number | null }>(app, 'rl.path', q);
            // The measured G is the stored one, and the replay with its α is the episode that ran.
            expect(local.matchesStored).toBe(true);
            expect(local.conductance).toBeGreaterThan(0);
            expect(await callOk(app, 'lab.rlPath', q)).toEqual(local);
          }
        }
      });
    } finally {
      await emu.stop();
    }
  }, 120_000);

  it('a job the lab holds without per-episode learning rates answers a clear error; other bad questions are refused as rl.path refuses them', async () => {
    const url = await cluster.createDatabase('lab_replay_old');
    const dir = folder();
    const { rlId } = withStore(dir, (s) => addCrossbarWork(s, 'o', 3));
    await withApp(dir, url, async (app) => {
      await publish(app);
      // As a publisher that kept no traces (seed 1) or no learning rates (seed 2) left them.
      await sql(url, "UPDATE lab_rl_episodes SET traces = 'null'::jsonb WHERE run_id = $1 AND environment_id = 'static' AND strategy_id = 'device' AND seed = 1", [rlId]);
      await sql(url, "UPDATE lab_rl_episodes SET traces = traces - 'alpha' WHERE run_id = $1 AND environment_id = 'static' AND strategy_id = 'device' AND seed = 2", [rlId]);
      for (const seed of [1, 2]) {
        expect(await callRefused(app, 'lab.rlPath', { id: rlId, environment: 'static', strategy: 'device', seed, episode: 3 })).toMatchObject({
          code: 'not_found',
          message: expect.stringMatching(
            new RegExp(`^Seed ${seed} of 'device' on 'static' of this lab RL run was published before replay data was kept: the lab holds no learning rate per episode for it, which the replay needs\\. Publish the run again from its PC\\.$`),
          ),
        });
        // Its PC still replays it, and the lab's other jobs still replay.
        expect(await callOk(app, 'rl.path', { id: rlId, environment: 'static', strategy: 'device', seed, episode: 3 })).toMatchObject({ matchesStored: true });
      }
      expect(await callOk(app, 'lab.rlPath', { id: rlId, environment: 'static', strategy: 'device', seed: 0, episode: 3 })).toMatchObject({ matchesStored: true });
      // A seed never stored, an episode past the run's end and a strategy it does not have: the refusals rl.path gives.
      for (const q of [
        { id: rlId, environment: 'static', strategy: 'device', seed: 9, episode: 0 },
        { id: rlId, environment: 'dynamic', strategy: 'exp', seed: 0, episode: 60 },
        { id: rlId, environment: 'static', strategy: 'nope', seed: 0, episode: 0 },
      ]) {
        const local = await callRefused(app, 'rl.path', q);
        expect(local.code).not.toBe('internal');
        expect(await callRefused(app, 'lab.rlPath', q)).toEqual({ ...local, message: local.message.replace('rl.path:', 'lab.rlPath:') });
      }
      expect(await callRefused(app, 'lab.rlPath', { id: rlId, environment: 'dynamic', strategy: 'exp', seed: 0, episode: 60 })).toMatchObject({
        code: 'invalid_request',
        message: 'lab.rlPath: episode must be from 0 to 59 (got 60)',
      });
      expect(await callRefused(app, 'lab.rlPath', { id: '00000000-0000-4000-8000-000000000000', environment: 'static', strategy: 'device', seed: 0, episode: 0 })).toMatchObject({
        code: 'not_found',
        message: expect.stringMatching(/The lab has no RL run 0{8}-/),
      });
      expect((await callRefused(app, 'lab.rlPath', { id: rlId, environment: 'static', strategy: 'device', seed: 0, episode: -1 })).code).toBe('invalid_request');
    });
  }, 120_000);

  it('the per-episode CSV of a lab RL run is its PC’s, one header line, every value the store holds', async () => {
    const url = await cluster.createDatabase('lab_replay_csv');
    const dir = folder();
    const { rlId } = withStore(dir, (s) => addCrossbarWork(s, 'c', 3));
    let text = '';
    await withApp(dir, url, async (app) => {
      await publish(app);
      const local = await callOk<{ filename: string; mime: string; text: string }>(app, 'rl.export', { id: rlId });
      expect(await callOk(app, 'lab.rlExport', { id: rlId })).toEqual(local);
      expect(local).toMatchObject({ filename: `c-rl-episodes-${rlId.slice(0, 8)}.csv`, mime: 'text/csv' });
      const read = readDelimited(local.text, { delimiter: ',', decimal: '.' });
      if (!read.ok) throw new Error(JSON.stringify(read.error));
      const [header, ...rows] = read.records.map((r) => r.fields);
      expect(header!.join(',')).toBe(EPISODE_CSV_HEADER);
      expect(header).toEqual(['environment', 'strategy', 'seed', 'episode', 'steps', 'return', 'learning_rate', 'conductance_S', 'reached_goal', 'greedy_steps']);
      // 2 environments × 3 strategies × 3 seeds × 60 episodes, each row the stored episode.
      expect(rows).toHaveLength(18 * 60);
      const cell = (c: string) => (c === '' ? NaN : Number(c));
      const expected = withStore(dir, (s) =>
        s.rlRuns.get(rlId).config.environments.flatMap((e) =>
          s.rlRuns.get(rlId).config.strategies.flatMap((st) =>
            s.rlRuns.traces(rlId, e.id, st.id).flatMap(({ seed, trace: t }) =>
              Array.from(t.steps, (_, k) => [e.id, st.id, seed, k, t.steps[k], t.returns[k], t.alpha[k], t.conductance[k], t.success[k], t.greedyLength[k]]),
            ),
          ),
        ),
      );
      expect(rows.map((f) => [f[0], f[1], ...f.slice(2).map(cell)])).toEqual(expected);
      // A schedule has no conductance (an empty cell); the device strategy's is in siemens.
      expect(rows.find((f) => f[1] === 'constant')![7]).toBe('');
      expect(cell(rows.find((f) => f[1] === 'device')![7]!)).toBeGreaterThan(0);
      // A run the lab does not have.
      expect((await callRefused(app, 'lab.rlExport', { id: '00000000-0000-4000-8000-000000000000' })).code).toBe('not_found');
      expect((await callRefused(app, 'rl.export', { id: '00000000-0000-4000-8000-000000000000' })).code).toBe('not_found');
      text = local.text;
    });
    // The command line gives the same file, from the lab or from this PC, and never overwrites one.
    const env = { WORKBENCH_LAB_URL: url };
    for (const source of ['lab', 'local']) {
      const r = runCli(['rl-export', rlId, '--source', source, '--data-dir', dir], { env });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(text);
    }
    const out = path.join(dir, 'episodes.csv');
    expect(runCli(['rl-export', rlId, '--source', 'lab', '--out', out, '--data-dir', dir], { env }).status).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(text);
    const again = runCli(['rl-export', rlId, '--source', 'lab', '--out', out, '--data-dir', dir], { env });
    expect(again.status).not.toBe(0);
    expect(again.stderr).toContain(`${out} already exists; choose another --out`);
    const usage = runCli(['rl-export', '--data-dir', dir], { env });
    expect(usage.status).not.toBe(0);
    expect(usage.stderr).toContain('missing argument RUN_ID');
    const gone = runCli(['rl-export', '00000000-0000-4000-8000-000000000000', '--source', 'lab', '--data-dir', dir], { env });
    expect(gone.status).not.toBe(0);
    expect(gone.stderr).toContain('The lab has no RL run 00000000-');
    expect(gone.stdout).toBe('');
    for (const r of [again, usage, gone]) expect(r.stderr).not.toContain(cluster.password);
  }, 120_000);
});
