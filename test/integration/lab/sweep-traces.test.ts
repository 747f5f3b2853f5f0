/**
 * An RL sweep's jobs replay and export as a local run of the same experiment (lab schema 6),
 * against a real PostgreSQL and a real worker: an app submits a comparison to the lab
 * (`lab.submitRl`), a worker drains it, and the same app runs the experiment locally (`rl.start`,
 * the pool `workbench reproduce` uses).
 * - the lab's replay of any episode of any job (fast-check over jobs and episodes) is the local
 *   `rl.path` of the same job;
 * - the sweep's per-episode CSV (`lab.sweepExport`, `workbench rl-export --source sweep`) is the
 *   local run's, row for row, and reads back to what the local store holds;
 * - a job a worker older than schema 6 wrote (no traces) is said, for replay and for the CSV, also
 *   in a lab that was at schema 5 when the sweep ran (migration 6 applied later);
 * - a worker cannot store more episodes than the experiment's cap (the bound a local run has).
 */
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppServices } from '../../../electron/app/app-services';
import { labConfigFromUrl } from '../../../electron/services/lab/config';
import { applyLabMigrations } from '../../../electron/services/lab/migrate';
import { labMigrations } from '../../../electron/services/lab/pg-migrations/index';
import { jobTraceJson } from '../../../electron/services/lab-queue/sweep-traces';
import { runLabWorker } from '../../../electron/services/lab-queue/worker';
import { EPISODE_CSV_HEADER } from '../../../electron/services/rl';
import { readDelimited } from '../../../shared/csv/delimited';
import { parseExperiment, runJob, type Experiment } from '../../../shared/rl';
import { pgUnavailableReason, startPgCluster, type PgCluster } from '../../fixtures/pg-cluster';
import { runCli } from '../cli/run-cli';
import { callOk, callRefused, smallPaper, withLabApp } from './lab-app';

const unavailable = pgUnavailableReason();
if (unavailable) console.warn(`lab sweep trace tests skipped: ${unavailable}`);

interface Replay {
  environments: { id: string; episodes: number }[];
  seeds: number[];
  primary: string;
  jobs: { environmentId: string; strategyId: string; seed: number; traces: boolean }[];
}

const SEEDS = 2;

function experimentOf(doc: Record<string, unknown>): Experiment {
  const parsed = parseExperiment(doc);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.experiment;
}

describe.skipIf(unavailable !== null)('an RL sweep’s jobs replay and export as a local run', () => {
  let cluster: PgCluster;
  let url = '';
  let sweepId = '';
  let localId = '';
  const dirs: string[] = [];
  let app: AppServices;
  let closeApp: () => void = () => undefined;
  let appClosed: Promise<void> = Promise.resolve();

  beforeAll(async () => {
    cluster = await startPgCluster({ port: 55671 });
    url = await cluster.createDatabase('sweep_traces');
    // One app for the file: submits the sweep, runs it locally, and asks both.
    let ready: () => void = () => undefined;
    const opened = new Promise<void>((r) => (ready = r));
    appClosed = withLabApp(dirs, url, async (a) => {
      app = a;
      ready();
      await new Promise<void>((r) => (closeApp = r));
    });
    await opened;
    const doc = smallPaper();
    const sub = await callOk<{ sweepId: string; jobs: number }>(app, 'lab.submitRl', { experiment: doc, seeds: SEEDS });
    expect(sub.jobs).toBe(2 * 2 * SEEDS);
    sweepId = sub.sweepId;
    const summary = await runLabWorker(labConfigFromUrl(url, 'env'), { drain: true, pollMs: 100, name: 'pc-traces' });
    expect(summary).toMatchObject({ written: sub.jobs, failed: 0, malformed: 0 });
    const local = app.rl.start({ experiment: experimentOf(doc), seeds: SEEDS, name: 'local twin' });
    localId = local.id;
    expect((await local.finished).status).toBe('completed');
  }, 300_000);
  afterAll(async () => {
    closeApp();
    await appClosed;
    await cluster?.destroy();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('replays any episode of any job of the sweep exactly as rl.path replays the same job of a local run (fast-check over jobs and episodes)', async () => {
    const { replay } = await callOk<{ replay: Replay }>(app, 'lab.sweep', { id: sweepId });
    expect(replay.seeds).toEqual([0, 1]);
    expect(replay.primary).toBe('device-intrinsic-gradient');
    expect(replay.jobs).toHaveLength(8);
    expect(replay.jobs.every((j) => j.traces)).toBe(true);
    const episodes = new Map(replay.environments.map((e) => [e.id, e.episodes]));
    const job = fc.constantFrom(...replay.jobs).chain((j) => fc.record({ j: fc.constant(j), episode: fc.nat(episodes.get(j.environmentId)! - 1) }));
    await fc.assert(
      fc.asyncProperty(job, async ({ j, episode }) => {
        const q = { environment: j.environmentId, strategy: j.strategyId, seed: j.seed, episode };
        const local = await callOk<{ matchesStored: boolean; episode: number }>(app, 'rl.path', { id: localId, ...q });
        expect(local).toMatchObject({ matchesStored: true, episode });
        expect(await callOk(app, 'lab.sweepPath', { id: sweepId, ...q })).toEqual(local);
      }),
      { numRuns: 50 },
    );
    // The refusals rl.path gives, in lab.sweepPath's words.
    const last = { environment: 'static', strategy: 'constant-0.1', seed: 0, episode: 600 };
    expect(await callRefused(app, 'lab.sweepPath', { id: sweepId, ...last })).toMatchObject({ code: 'invalid_request', message: 'lab.sweepPath: episode must be from 0 to 599 (got 600)' });
    expect(await callRefused(app, 'lab.sweepPath', { id: sweepId, ...last, strategy: 'nope', episode: 0 })).toMatchObject({ code: 'not_found', message: expect.stringMatching(/no strategy 'nope'/) });
    expect(await callRefused(app, 'lab.sweepPath', { id: sweepId, ...last, seed: 7, episode: 0 })).toMatchObject({ code: 'not_found', message: expect.stringMatching(/Seed 7 of 'constant-0\.1' on 'static' has not been stored/) });
    expect(await callRefused(app, 'lab.sweepPath', { id: '00000000-0000-4000-8000-000000000000', ...last, episode: 0 })).toMatchObject({ code: 'not_found', message: 'The lab has no sweep 00000000-0000-4000-8000-000000000000.' });
  }, 120_000);

  it('the sweep’s per-episode CSV is the local run’s, row for row, and reads back to what the local store holds; so is rl-export --source sweep', async () => {
    const lab = await callOk<{ filename: string; mime: string; text: string }>(app, 'lab.sweepExport', { id: sweepId });
    const local = await callOk<{ filename: string; mime: string; text: string }>(app, 'rl.export', { id: localId });
    expect(lab.mime).toBe('text/csv');
    // The sweep's title and id, as rl.export names a run's file (a long title is cut).
    expect(lab.filename).toBe(`our-experiment-after-the-paper-a-device-driven-learning-rate-${sweepId.slice(0, 8)}.csv`);
    expect(lab.text).toBe(local.text);
    const read = readDelimited(lab.text, { delimiter: ',', decimal: '.' });
    if (!read.ok) throw new Error(JSON.stringify(read.error));
    const [header, ...rows] = read.records.map((r) => r.fields);
    expect(header!.join(',')).toBe(EPISODE_CSV_HEADER);
    expect(rows).toHaveLength((600 + 1200) * 2 * SEEDS);
    const cell = (c: string) => (c === '' ? NaN : Number(c));
    const config = app.store.rlRuns.get(localId).config;
    const expected = config.environments.flatMap((e) =>
      config.strategies.flatMap((st) =>
        app.store.rlRuns.traces(localId, e.id, st.id).flatMap(({ seed, trace: t }) =>
          Array.from(t.steps, (_, k) => [e.id, st.id, seed, k, t.steps[k], t.returns[k], t.alpha[k], t.conductance[k], t.success[k], t.greedyLength[k]]),
        ),
      ),
    );
    expect(rows.map((f) => [f[0], f[1], ...f.slice(2).map(cell)])).toEqual(expected);

    const out = path.join(dirs[0]!, 'sweep-episodes.csv');
    const cli = runCli(['rl-export', sweepId, '--source', 'sweep', '--out', out], { env: { WORKBENCH_LAB_URL: url } });
    expect(cli.stderr).toBe(`wrote ${out}\n`);
    expect(cli.status).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(lab.text);
    const none = runCli(['rl-export', '00000000-0000-4000-8000-000000000000', '--source', 'sweep'], { env: { WORKBENCH_LAB_URL: url } });
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('The lab has no sweep 00000000-0000-4000-8000-000000000000.');
  }, 120_000);

  it('a job written by a worker older than lab schema 6 (no traces) is said for replay and for the CSV; the other jobs still replay', async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    let saved: unknown;
    try {
      saved = (await c.query(`SELECT traces FROM lab_sweep_results WHERE sweep_id = $1 AND environment_id = 'static' AND strategy_id = 'constant-0.1' AND seed = 1`, [sweepId])).rows[0]!.traces;
      await c.query(`UPDATE lab_sweep_results SET traces = NULL WHERE sweep_id = $1 AND environment_id = 'static' AND strategy_id = 'constant-0.1' AND seed = 1`, [sweepId]);
      const { replay } = await callOk<{ replay: Replay }>(app, 'lab.sweep', { id: sweepId });
      expect(replay.jobs.filter((j) => !j.traces)).toEqual([{ environmentId: 'static', strategyId: 'constant-0.1', seed: 1, traces: false }]);
      const old = /^Seed 1 of 'constant-0\.1' on 'static' of this sweep was run by a worker older than lab schema 6, which kept only the comparison, not the per-episode traces \(learning rate per episode\) that the replay and the per-episode CSV need\. Submit the sweep again for workers of this version to keep them\.$/;
      expect(await callRefused(app, 'lab.sweepPath', { id: sweepId, environment: 'static', strategy: 'constant-0.1', seed: 1, episode: 3 })).toMatchObject({ code: 'not_found', message: expect.stringMatching(old) });
      expect(await callRefused(app, 'lab.sweepExport', { id: sweepId })).toMatchObject({ code: 'not_found', message: expect.stringMatching(old) });
      expect(await callOk(app, 'lab.sweepPath', { id: sweepId, environment: 'static', strategy: 'constant-0.1', seed: 0, episode: 3 })).toMatchObject({ matchesStored: true });
      // The comparison does not need the traces.
      expect(await callOk(app, 'lab.sweep', { id: sweepId })).toMatchObject({ comparison: expect.any(Array) });
    } finally {
      await c.query(`UPDATE lab_sweep_results SET traces = $2 WHERE sweep_id = $1 AND environment_id = 'static' AND strategy_id = 'constant-0.1' AND seed = 1`, [sweepId, JSON.stringify(saved)]);
      await c.end();
    }
  }, 60_000);

  it('a sweep written under lab schema 5 (a worker before traces) reads once schema 6 arrives: its comparison stands, every job is said to have no traces', async () => {
    // A lab at schema 5 holding this sweep and its results as a schema-5 worker wrote them.
    const oldUrl = await cluster.createDatabase('sweep_traces_schema5');
    const src = new pg.Client({ connectionString: url });
    const dst = new pg.Client({ connectionString: oldUrl });
    await src.connect();
    await dst.connect();
    try {
      expect((await applyLabMigrations(dst, labMigrations.filter((m) => m.version < 6))).version).toBe(5);
      const sweep = (await src.query('SELECT sweep_id, kind, title, spec, spec_hash, seeds, job_count, queue, instrument, pc_name, user_name FROM lab_sweeps WHERE sweep_id = $1', [sweepId])).rows[0] as Record<string, unknown>;
      await dst.query('INSERT INTO lab_sweeps (sweep_id, kind, title, spec, spec_hash, seeds, job_count, queue, instrument, pc_name, user_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)', Object.values(sweep));
      const results = (await src.query('SELECT sweep_id, job_key, environment_id, strategy_id, seed, settle_iterations, result, worker, instrument_idn FROM lab_sweep_results WHERE sweep_id = $1', [sweepId])).rows as Record<string, unknown>[];
      for (const r of results) {
        await dst.query('INSERT INTO lab_sweep_results (sweep_id, job_key, environment_id, strategy_id, seed, settle_iterations, result, worker, instrument_idn) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', Object.values(r));
      }
    } finally {
      await src.end();
      await dst.end();
    }
    const expected = (await callOk<{ comparison: unknown }>(app, 'lab.sweep', { id: sweepId })).comparison;
    expect(expected).not.toBeNull();
    await withLabApp(dirs, oldUrl, async (old) => {
      const got = await callOk<{ replay: Replay; comparison: unknown }>(old, 'lab.sweep', { id: sweepId });
      expect(got.comparison).toEqual(expected);
      expect(got.replay.jobs).toHaveLength(8);
      expect(got.replay.jobs.every((j) => !j.traces)).toBe(true);
      const said = expect.stringMatching(/of this sweep was run by a worker older than lab schema 6, which kept only the comparison/);
      expect(await callRefused(old, 'lab.sweepPath', { id: sweepId, environment: 'dynamic', strategy: 'device-intrinsic-gradient', seed: 0, episode: 0 })).toMatchObject({ code: 'not_found', message: said });
      expect(await callRefused(old, 'lab.sweepExport', { id: sweepId })).toMatchObject({ code: 'not_found', message: said });
    });
  }, 60_000);

  it('a simulation sweep has no episodes: lab.sweepPath and lab.sweepExport say so', async () => {
    const sim = await callOk<{ sweepId: string }>(app, 'lab.submitSimulation', { protocol: { source: 'template', id: 'paper-spike-train' }, device: { name: 'intrinsic-gradient' }, seeds: [1] });
    const said = { code: 'invalid_request', message: `Sweep ${sim.sweepId} is a simulation sweep: it has no RL episodes (its runs are in the lab archive).` };
    expect(await callRefused(app, 'lab.sweepExport', { id: sim.sweepId })).toMatchObject(said);
    expect(await callRefused(app, 'lab.sweepPath', { id: sim.sweepId, environment: 'static', strategy: 'x', seed: 0, episode: 0 })).toMatchObject(said);
    expect(await callOk(app, 'lab.sweep', { id: sim.sweepId })).toMatchObject({ replay: null });
  }, 60_000);

  it('a worker stores no more episodes than the experiment’s cap for the environment (a local run’s bound)', () => {
    const x = experimentOf(smallPaper());
    const result = runJob({ ...x, environments: x.environments.map((e) => ({ ...e, episodes: 40 })) }, { environmentId: 'static', strategyId: 'constant-0.1', seed: 0 });
    const capped = { ...x, environments: x.environments.map((e) => ({ ...e, episodes: 39 })) };
    expect(() => jobTraceJson(capped, result)).toThrow("job static/constant-0.1/0 has 40 episodes, more than the experiment's cap of 39");
    expect(Object.keys(jobTraceJson({ ...x, environments: x.environments.map((e) => ({ ...e, episodes: 40 })) }, result)).sort()).toEqual(['alpha', 'conductance', 'greedyLength', 'returns', 'steps', 'success', 'tdErrorMean']);
    // A trace whose columns disagree in length is refused as the store refuses it.
    expect(() => jobTraceJson(x, { ...result, episodes: { ...result.episodes, alpha: new Float64Array(3) } })).toThrow(/episodes\.alpha holds 3 values but episodes\.steps holds 40/);
  });
});
