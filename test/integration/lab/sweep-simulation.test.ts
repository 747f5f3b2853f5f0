/**
 * Simulation sweeps over the lab's PCs (#16) against a real PostgreSQL and real worker processes:
 * a protocol × a device preset × seeds over a grid of one preset parameter, two workers, one killed
 * with SIGKILL mid-way. Every job lands exactly once as a lab run (row and samples together), and
 * every run's samples hash equals the one `workbench simulate --seed S --json` prints locally for a
 * preset file with the grid point's value. A malformed sweep file is refused, nothing submitted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERAL_QUEUE } from '../../../electron/services/lab-queue/payload';
import { nameUuid } from '../../../electron/services/lab-queue/simulation-job';
import { pgUnavailableReason, startPgCluster, type PgCluster } from '../../fixtures/pg-cluster';
import { count, until, withClient } from '../../fixtures/pg-query';
import { repoRoot, runCli, spawnCli } from '../cli/run-cli';

const unavailable = pgUnavailableReason();
if (unavailable) console.warn(`lab simulation sweep tests skipped: ${unavailable}`);

interface SweepRunRow {
  jobKey: string;
  runId: string;
  point: Record<string, number>;
  seed: number;
  pcName: string;
  worker: string;
  sampleCount: number;
  samplesHash: string;
}

describe.skipIf(unavailable !== null)('simulation sweeps over the lab', () => {
  let cluster: PgCluster;
  let dir: string;
  beforeAll(async () => {
    cluster = await startPgCluster({ port: 55481 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-simsweep-'));
    // The paper's spike train, longer: a job takes long enough to be caught mid-way by the kill.
    const train = JSON.parse(fs.readFileSync(path.join(repoRoot, 'resources', 'protocols', 'paper-spike-train.json'), 'utf8')) as { blocks: { count: number }[] };
    train.blocks[0]!.count = 3000;
    fs.writeFileSync(path.join(dir, 'long-train.json'), JSON.stringify(train));
  }, 60_000);
  afterAll(async () => {
    await cluster?.destroy();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const exited = (child: ReturnType<typeof spawnCli>) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const writeJson = (name: string, value: unknown) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
    return file;
  };

  it('two workers, one killed mid-way: every run stored once, each samples hash equal to a local workbench simulate', async () => {
    const url = await cluster.createDatabase('simsweep_kill');
    const env = { WORKBENCH_LAB_URL: url };
    const sweepFile = writeJson('sweep.json', { title: 'tauG scan', protocol: 'long-train.json', device: 'intrinsic-gradient', seeds: [3, 7, 11, 19, 23, 42], grid: { 'params.tauG': [60, 400] } });
    const sub = runCli(['submit', '--simulation', sweepFile, '--job-timeout', '3', '--retries', '5', '--retry-delay', '0', '--json'], { env });
    expect(sub.stderr).toBe('');
    expect(sub.status).toBe(0);
    const sweep = JSON.parse(sub.stdout) as { sweepId: string; jobs: number; points: number; seeds: number; queue: string };
    expect(sweep).toMatchObject({ jobs: 12, points: 2, seeds: 6, queue: GENERAL_QUEUE });

    const worker = (pc: string, extra: string[] = []) =>
      spawnCli(['worker', '--lab', '--drain', '--name', `${pc}-worker`, '--poll-ms', '200', '--maintenance-interval', '1', '--json', ...extra], { ...env, WORKBENCH_LAB_PC_NAME: pc });
    const a = worker('pc-a');
    const aExit = exited(a);
    await until('pc-a to store 2 runs', async () => (await count(url, `SELECT count(*) AS n FROM lab_sweep_runs WHERE worker = 'pc-a-worker'`)) >= 2);
    // pc-b has a data folder: its runs carry that folder's lab PC id, the one `workbench publish` uses.
    const bData = path.join(dir, 'pc-b-data');
    const b = worker('pc-b', ['--data-dir', bData]);
    let bOut = '';
    b.stdout.on('data', (d: Buffer) => (bOut += d.toString()));
    const bExit = exited(b);
    a.kill('SIGKILL');
    expect(await aExit).toBeNull();
    expect(await bExit).toBe(0);
    expect(JSON.parse(bOut)).toMatchObject({ worker: 'pc-b-worker', malformed: 0, failed: 0 });

    // Exactly one run per job, whole: its row's sample count is the samples it has.
    expect(await count(url, 'SELECT count(*) AS n FROM lab_sweep_runs WHERE sweep_id = $1', [sweep.sweepId])).toBe(sweep.jobs);
    expect(await count(url, 'SELECT count(*) AS n FROM lab_runs')).toBe(sweep.jobs);
    expect(await count(url, 'SELECT count(*) AS n FROM lab_runs r WHERE sample_count <> (SELECT count(*) FROM lab_samples s WHERE s.run_id = r.run_id)')).toBe(0);
    expect(await count(url, `SELECT count(*) AS n FROM pgboss.job WHERE name = $1 AND state = 'completed'`, [GENERAL_QUEUE])).toBe(sweep.jobs);
    expect(await count(url, `SELECT count(*) AS n FROM pgboss.job WHERE name = $1 AND retry_count > 0`, [GENERAL_QUEUE])).toBeGreaterThanOrEqual(1);

    const res = runCli(['sweep-results', sweep.sweepId, '--json'], { env });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const report = JSON.parse(res.stdout) as { kind: string; done: number; total: number; byWorker: Record<string, number>; runs: SweepRunRow[] };
    expect(report).toMatchObject({ kind: 'simulation', done: 12, total: 12 });
    expect(report.byWorker['pc-a-worker']).toBeGreaterThanOrEqual(2);
    expect(report.byWorker['pc-b-worker']).toBeGreaterThan(0);
    expect(new Set(report.runs.map((r) => r.pcName))).toEqual(new Set(['pc-a', 'pc-b']));
    expect(report.runs.map((r) => r.jobKey)).toEqual([0, 1].flatMap((p) => [3, 7, 11, 19, 23, 42].map((s) => `point-${p}/seed-${s}`)));

    const folderPcId = (() => {
      const db = new Database(path.join(bData, 'workbench.sqlite'), { readonly: true, fileMustExist: true });
      try {
        return db.prepare('SELECT pc_id FROM lab_identity').pluck().get() as string;
      } finally {
        db.close();
      }
    })();
    const pcIds = await withClient(url, async (c) => (await c.query<{ pc_name: string; pc_id: string }>('SELECT DISTINCT pc_name, pc_id FROM lab_runs ORDER BY pc_name')).rows);
    expect(pcIds).toEqual([
      { pc_name: 'pc-a', pc_id: nameUuid('lab-worker-pc:pc-a') },
      { pc_name: 'pc-b', pc_id: folderPcId },
    ]);

    // The runs are lab runs: listed with the others, attributed to the PC whose worker made them.
    const listed = runCli(['runs', '--source', 'lab', '--json'], { env });
    expect(listed.status).toBe(0);
    const labRuns = (JSON.parse(listed.stdout) as { runs: { id: string; pcName: string; samplesHash: string }[] }).runs;
    for (const r of report.runs) expect(labRuns.find((x) => x.id === r.runId)).toMatchObject({ pcName: r.pcName, samplesHash: r.samplesHash });

    // Local runs of `workbench simulate`, one per job, with the grid point's value in a preset file.
    const preset = JSON.parse(fs.readFileSync(path.join(repoRoot, 'resources', 'devices', 'intrinsic-gradient.json'), 'utf8')) as { params: Record<string, number> };
    const hashes = new Set<string>();
    for (const r of report.runs) {
      const presetFile = writeJson(`ig-tauG-${r.point['params.tauG']}.json`, { ...preset, params: { ...preset.params, tauG: r.point['params.tauG'] } });
      const local = runCli(['simulate', '--device', presetFile, '--protocol', path.join(dir, 'long-train.json'), '--seed', String(r.seed), '--json']);
      expect(local.status).toBe(0);
      const doc = JSON.parse(local.stdout) as { samplesHash: string; sampleCount: number };
      expect(r.sampleCount).toBe(doc.sampleCount);
      expect(r.samplesHash).toBe(doc.samplesHash);
      hashes.add(r.samplesHash);
    }
    // Seeds and the grid's value matter: twelve different runs.
    expect(hashes.size).toBe(12);
  }, 600_000);

  it('a malformed simulation sweep file is refused with every problem and its path; nothing is submitted', async () => {
    const url = await cluster.createDatabase('simsweep_bad');
    const env = { WORKBENCH_LAB_URL: url };
    const submit = (file: string, extra: string[] = []) => runCli(['submit', '--simulation', file, ...extra], { env });

    const notJson = submit(writeJson('not-json.json', '{"protocol": '));
    expect(notJson.status).toBe(1);
    expect(notJson.stderr).toMatch(/simulation sweep .*not-json\.json is not JSON/);

    const bad = submit(writeJson('bad.json', { protocol: 'paper-spike-train', device: 'intrinsic-gradient', seeds: [1, -2, 1], grid: { 'params.tauG': [100, 'fast'], 'bad path!': [1] }, colour: 'red' }));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/colour: unknown field/);
    expect(bad.stderr).toMatch(/seeds\[1\]: a seed must be a whole number ≥ 0/);
    expect(bad.stderr).toMatch(/seeds\[2\]: seed 1 is listed twice/);
    expect(bad.stderr).toMatch(/grid\["params.tauG"\]\[1\]: must be a finite number \(got "fast"\)/);
    expect(bad.stderr).toMatch(/grid\["bad path!"\]: a grid key must be a dotted path/);

    const noField = submit(writeJson('no-field.json', { protocol: 'paper-spike-train', device: 'intrinsic-gradient', seeds: 2, grid: { 'params.nope': [1] } }));
    expect(noField.status).toBe(1);
    expect(noField.stderr).toMatch(/grid\["params.nope"\]: the preset 'intrinsic-gradient' has no numeric field params.nope/);

    const outOfRange = submit(writeJson('range.json', { protocol: 'paper-spike-train', device: 'intrinsic-gradient', seeds: 2, grid: { 'params.tauG': [100, -5] } }));
    expect(outOfRange.status).toBe(1);
    expect(outOfRange.stderr).toMatch(/params.tauG: at params.tauG = -5: .*tauG/);

    const missing = submit(writeJson('missing.json', { protocol: 'no-such-protocol.json', device: 'intrinsic-gradient', seeds: 1 }));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no-such-protocol\.json/);

    const mixed = submit(writeJson('ok.json', { protocol: 'paper-spike-train', device: 'intrinsic-gradient', seeds: 1 }), ['--seeds', '3']);
    expect(mixed.status).toBe(2);
    expect(mixed.stderr).toMatch(/--seeds is for an RL comparison/);

    // The lab was never asked: no schema, no sweep, no job.
    expect(await count(url, "SELECT count(*) AS n FROM pg_tables WHERE tablename = 'lab_sweeps'")).toBe(0);
  }, 120_000);
});
