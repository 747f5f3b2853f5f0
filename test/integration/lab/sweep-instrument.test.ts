/**
 * Hardware jobs stay on the PC that owns the instrument (#16): an RL comparison submitted with
 * `--instrument k2400` whose device-driven strategy runs, through the RL device loop, ON the virtual
 * Keithley 2400 (`workbench emulator` on a socat pseudo-terminal) owned by one worker
 * (`--instrument k2400=serial:PATH`); another PC's worker takes none of its jobs, and a worker that
 * cannot open the instrument says so and takes no job of its queue. Real PostgreSQL, real processes.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { traceFromJson } from '../../../electron/services/lab/browse';
import { instrumentQueue } from '../../../electron/services/lab-queue/payload';
import { pgUnavailableReason, startPgCluster, type PgCluster } from '../../fixtures/pg-cluster';
import { emulatorProcess, tempDir } from '../instruments-cli/helpers';
import { runCli, spawnCli } from '../cli/run-cli';
import { until } from '../../fixtures/pg-query';
import { hardwareExperimentInput } from '../rl-hil/hardware-experiment';

const unavailable = pgUnavailableReason();
if (unavailable) console.warn(`lab instrument sweep tests skipped: ${unavailable}`);

/** The hardware-in-the-loop comparison (a small maze, device-driven on the instrument against a constant α, 2 seeds), 12 short episodes. */
function hardwareExperimentFile(dir: string, episodes = 12): string {
  const x = hardwareExperimentInput({ episodes, secondsPerEpisode: 0.2 });
  const file = path.join(dir, 'hil.json');
  fs.writeFileSync(file, JSON.stringify(x, null, 2));
  return file;
}

describe.skipIf(unavailable !== null)('sweeps on an instrument of the lab', () => {
  let cluster: PgCluster;
  beforeAll(async () => {
    cluster = await startPgCluster({ port: 55482 });
  }, 60_000);
  afterAll(async () => {
    await cluster?.destroy();
  });

  async function count(url: string, sql: string, params: unknown[] = []): Promise<number> {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return Number((await c.query<{ n: string }>(sql, params)).rows[0]!.n);
    } finally {
      await c.end();
    }
  }

  it('the owner worker drives the emulator for the device strategy; the other PC takes none of the jobs', async () => {
    const url = await cluster.createDatabase('sweep_instrument');
    const env = { WORKBENCH_LAB_URL: url };
    const dir = tempDir();
    const sub = runCli(['submit', '--experiment', hardwareExperimentFile(dir), '--instrument', 'k2400', '--retry-delay', '0', '--json'], { env });
    expect(sub.stderr).toBe('');
    expect(sub.status).toBe(0);
    const sweep = JSON.parse(sub.stdout) as { sweepId: string; queue: string; jobs: number };
    expect(sweep).toMatchObject({ queue: instrumentQueue('k2400'), jobs: 4 });
    const waiting = () => count(url, `SELECT count(*) AS n FROM pgboss.job WHERE name = $1 AND state = 'created'`, [sweep.queue]);

    // Another PC (the general queue and an instrument of its own) drains without touching them.
    const other = runCli(['worker', '--lab', '--drain', '--name', 'pc-other', '--instrument', 'k2401', '--poll-ms', '100', '--json'], { env });
    expect(other.status).toBe(0);
    expect(JSON.parse(other.stdout)).toMatchObject({ written: 0 });

    // A worker naming the instrument at a port that is not there says so and takes none of its jobs.
    const missing = path.join(dir, 'no-such-tty');
    const cannot = runCli(['worker', '--lab', '--drain', '--name', 'pc-broken', '--instrument', `k2400=serial:${missing}`, '--driver', 'keithley2400', '--data-dir', path.join(dir, 'broken'), '--poll-ms', '100', '--json'], { env });
    expect(cannot.status).toBe(0);
    expect(cannot.stderr).toContain(`workbench worker: warning: cannot open instrument k2400 at serial:${missing}: `);
    expect(cannot.stderr).toContain(`taking no job of its queue ${instrumentQueue('k2400')}`);
    expect(JSON.parse(cannot.stdout)).toMatchObject({ written: 0, queues: ['wb-sweep'] });
    const only = runCli(['worker', '--lab', '--drain', '--instrument', `k2400=serial:${missing}`, '--driver', 'keithley2400', '--data-dir', path.join(dir, 'broken'), '--instruments-only'], { env });
    expect(only.status).toBe(1);
    expect(only.stderr).toMatch(/no instrument could be opened and --instruments-only leaves no other queue: this worker takes no job/);
    expect(await waiting()).toBe(sweep.jobs);
    expect(await count(url, 'SELECT count(*) AS n FROM lab_sweep_results')).toBe(0);

    // The owner: the instrument on a real pseudo-terminal, the device strategy's jobs run on it.
    const emu = await emulatorProcess(['--driver', 'keithley2400', '--link', path.join(dir, 'ttyV2400')]);
    const dataDir = path.join(dir, 'owner');
    const owner = runCli(
      ['worker', '--lab', '--drain', '--name', 'pc-owner', '--instrument', `k2400=serial:${emu.info.path}`, '--driver', 'keithley2400', '--instruments-only', '--data-dir', dataDir, '--poll-ms', '100', '--json'],
      { env, timeoutMs: 300_000 },
    );
    expect(owner.status).toBe(0);
    expect(JSON.parse(owner.stdout)).toMatchObject({ written: 4, failed: 0, malformed: 0 });
    expect(owner.stderr).toContain(`instrument k2400 is serial:${emu.info.path} (${emu.info.idn})`);

    const res = runCli(['sweep-results', sweep.sweepId, '--json'], { env });
    expect(res.status).toBe(0);
    const report = JSON.parse(res.stdout) as { done: number; byWorker: Record<string, number>; onInstrument: { jobKey: string; worker: string; instrumentIdn: string }[]; comparison: unknown };
    expect(report.done).toBe(4);
    expect(report.byWorker).toEqual({ 'pc-owner': 4 });
    // The device strategy's two jobs ran on the instrument, recorded with its *IDN?; the schedule's in software.
    expect(report.onInstrument.map((j) => j.jobKey).sort()).toEqual(['small/smu/0', 'small/smu/1']);
    for (const j of report.onInstrument) expect(j).toMatchObject({ worker: 'pc-owner', instrumentIdn: emu.info.idn });
    expect(emu.info.idn).toMatch(/KEITHLEY INSTRUMENTS INC\.,MODEL 2400/);
    expect(report.comparison).not.toBeNull();

    // Every job's per-episode traces are in the lab (lab schema 6); the device jobs' with the conductance measured on the instrument.
    const lab = new pg.Client({ connectionString: url });
    await lab.connect();
    try {
      const rows = (await lab.query<{ job_key: string; traces: Record<string, string> }>('SELECT job_key, traces FROM lab_sweep_results WHERE sweep_id = $1 ORDER BY job_key', [sweep.sweepId])).rows;
      expect(rows.map((r) => r.job_key)).toEqual(['small/constant/0', 'small/constant/1', 'small/smu/0', 'small/smu/1']);
      for (const r of rows) {
        const t = traceFromJson(r.traces);
        expect(t.steps).toHaveLength(12);
        expect(t.alpha).toHaveLength(12);
        if (r.job_key.includes('/smu/')) expect(Array.from(t.conductance).every((g) => g > 0)).toBe(true);
      }
    } finally {
      await lab.end();
    }

    // The owner's data folder holds the device loop's record: every episode measured on the
    // instrument, spikes sent to it after successful episodes.
    const db = new Database(path.join(dataDir, 'workbench.sqlite'), { readonly: true, fileMustExist: true });
    try {
      const episodes = db.prepare('SELECT seed, episode, g_before, pulses FROM rl_device_episodes ORDER BY seed, episode').all() as { seed: number; episode: number; g_before: number; pulses: number }[];
      expect(episodes).toHaveLength(2 * 12);
      expect(episodes.reduce((n, e) => n + e.pulses, 0)).toBeGreaterThan(0);
      expect(episodes.every((e) => e.g_before > 0)).toBe(true);
      const runs = db.prepare('SELECT status, hardware_json FROM rl_runs').all() as { status: string; hardware_json: string }[];
      expect(runs).toHaveLength(2);
      for (const r of runs) {
        expect(r.status).toBe('completed');
        expect((JSON.parse(r.hardware_json) as { identity: string }).identity).toBe(emu.info.idn);
      }
    } finally {
      db.close();
    }
  }, 360_000);

  it('a worker killed mid-job: the retry on the same PC resumes its local run from the last episode, on the same instrument', async () => {
    const url = await cluster.createDatabase('sweep_instrument_resume');
    const env = { WORKBENCH_LAB_URL: url };
    const dir = tempDir();
    const episodes = 20;
    // The job timeout (ours) is well over a job's time, so only the kill makes a job come back.
    const sub = runCli(['submit', '--experiment', hardwareExperimentFile(dir, episodes), '--instrument', 'k2400', '--job-timeout', '30', '--retry-delay', '0', '--json'], { env });
    expect(sub.status).toBe(0);
    const sweep = JSON.parse(sub.stdout) as { sweepId: string; jobs: number };
    const emu = await emulatorProcess(['--driver', 'keithley2400', '--link', path.join(dir, 'ttyV2400')]);
    const dataDir = path.join(dir, 'owner');
    const args = ['worker', '--lab', '--drain', '--name', 'pc-owner', '--instrument', `k2400=serial:${emu.info.path}`, '--driver', 'keithley2400', '--instruments-only', '--data-dir', dataDir, '--poll-ms', '100', '--maintenance-interval', '1', '--json'];
    const local = <T>(sql: string): T[] => {
      const file = path.join(dataDir, 'workbench.sqlite');
      if (!fs.existsSync(file)) return [];
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        return db.prepare(sql).all() as T[];
      } catch {
        return []; // the schema not there yet: the worker is still creating its data folder
      } finally {
        db.close();
      }
    };
    type Episode = { run_id: string; seed: number; episode: number; ended_at: string };
    const episodesOf = () => local<Episode>('SELECT run_id, seed, episode, ended_at FROM rl_device_episodes ORDER BY run_id, seed, episode');

    const first = spawnCli(args, env);
    const firstExit = new Promise<number | null>((resolve) => first.once('exit', (code) => resolve(code)));
    await until('the first device job to store 5 episodes', async () => episodesOf().length >= 5);
    first.kill('SIGKILL');
    expect(await firstExit).toBeNull();
    const before = episodesOf();
    const killedRuns = [...new Set(before.map((e) => e.run_id))];
    expect(killedRuns).toHaveLength(1);
    expect(before.length).toBeLessThan(episodes);

    const second = runCli(args, { env, timeoutMs: 300_000 });
    expect(second.status).toBe(0);
    expect(second.stderr).toContain(`resumes local RL run ${killedRuns[0]} after episode ${before.length} of ${episodes} (its worker was stopped)`);
    expect(JSON.parse(second.stdout)).toMatchObject({ failed: 0, malformed: 0 });

    // Two device jobs, two local runs: the one the kill stopped went on; no episode twice, none lost,
    // and those measured before the kill are the very rows stored then.
    const runs = local<{ id: string; status: string }>('SELECT id, status FROM rl_runs ORDER BY created_at');
    expect(runs).toHaveLength(2);
    expect(runs.every((r) => r.status === 'completed')).toBe(true);
    expect(runs[0]!.id).toBe(killedRuns[0]);
    const after = episodesOf();
    for (const run of runs) {
      const mine = after.filter((e) => e.run_id === run.id).map((e) => e.episode);
      expect(mine).toEqual(Array.from({ length: episodes }, (_, k) => k));
    }
    expect(after.filter((e) => e.run_id === killedRuns[0]).slice(0, before.length)).toEqual(before);
    expect(local('SELECT * FROM rl_checkpoints')).toEqual([]);

    const res = runCli(['sweep-results', sweep.sweepId, '--json'], { env });
    expect(res.status).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ done: sweep.jobs, byWorker: { 'pc-owner': sweep.jobs } });
  }, 360_000);
});
