/**
 * Sweeps over the lab's PCs against a real PostgreSQL and pg-boss (#16): two worker processes on a
 * 50-seed comparison, one killed with SIGKILL mid-way: every job's row written exactly once, and the
 * assembled comparison equal, number for number, to `workbench reproduce --seeds 50 --json`.
 * Instrument jobs reach only the worker that serves that instrument; a malformed payload is failed
 * with its reason; no lab / an unreachable lab are clear errors, the worker backing off.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labConfigFromUrl } from '../../../electron/services/lab/config';
import { GENERAL_QUEUE } from '../../../electron/services/lab-queue/payload';
import { runLabWorker } from '../../../electron/services/lab-queue/worker';
import { pgUnavailableReason, startPgCluster, type PgCluster } from '../../fixtures/pg-cluster';
import { count, until, withClient } from '../../fixtures/pg-query';
import { repoRoot, runCli, spawnCli } from '../cli/run-cli';

const unavailable = pgUnavailableReason();
if (unavailable) console.warn(`lab sweep tests skipped: ${unavailable}`);

/** The paper's experiment cut to three strategies (a quick test; the jobs and their code are the same). */
function smallExperiment(dir: string): string {
  const paper = JSON.parse(fs.readFileSync(path.join(repoRoot, 'resources', 'experiments', 'paper.json'), 'utf8')) as Record<string, unknown> & { strategies: { id: string }[] };
  const keep = ['device-intrinsic-gradient', 'constant-0.1', 'constant'];
  const { tuning: _tuning, ...rest } = paper;
  void _tuning;
  const small = { ...rest, name: 'sweep-test', strategies: paper.strategies.filter((s) => keep.includes(s.id)) };
  const file = path.join(dir, 'small.json');
  fs.writeFileSync(file, JSON.stringify(small, null, 2));
  return file;
}

describe.skipIf(unavailable !== null)('sweeps over the lab', () => {
  let cluster: PgCluster;
  let dir: string;
  let experiment: string;
  beforeAll(async () => {
    cluster = await startPgCluster({ port: 55480 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-sweep-'));
    experiment = smallExperiment(dir);
  }, 60_000);
  afterAll(async () => {
    await cluster?.destroy();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const exited = (child: ReturnType<typeof spawnCli>) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  it('two workers, one killed mid-way: every job done exactly once, the comparison identical to reproduce --seeds 50', async () => {
    const url = await cluster.createDatabase('sweep_kill');
    const env = { WORKBENCH_LAB_URL: url };
    const sub = runCli(['submit', '--experiment', experiment, '--seeds', '50', '--job-timeout', '3', '--retries', '5', '--retry-delay', '0', '--json'], { env });
    expect(sub.stderr).toBe('');
    expect(sub.status).toBe(0);
    const sweep = JSON.parse(sub.stdout) as { sweepId: string; jobs: number };
    expect(sweep.jobs).toBe(2 * 3 * 50);

    const worker = (name: string) => spawnCli(['worker', '--lab', '--drain', '--name', name, '--poll-ms', '200', '--maintenance-interval', '1', '--json'], env);
    const a = worker('pc-a');
    const b = worker('pc-b');
    let bOut = '';
    let bErr = '';
    b.stdout.on('data', (d: Buffer) => (bOut += d.toString()));
    b.stderr.on('data', (d: Buffer) => (bErr += d.toString()));
    const aExit = exited(a);
    const bExit = exited(b);
    // Kill pc-a once it has done a fair share, while it holds a job.
    await until('pc-a to write 40 results', async () => (await count(url, `SELECT count(*) AS n FROM lab_sweep_results WHERE worker = 'pc-a'`)) >= 40);
    a.kill('SIGKILL');
    expect(await aExit).toBeNull();
    expect(await bExit).toBe(0);
    expect(bErr).not.toContain(cluster.password);
    expect(JSON.parse(bOut)).toMatchObject({ worker: 'pc-b', malformed: 0, failed: 0 });

    // Exactly one row per job, and pg-boss holds every job completed, at least one after a retry.
    expect(await count(url, 'SELECT count(*) AS n FROM lab_sweep_results WHERE sweep_id = $1', [sweep.sweepId])).toBe(sweep.jobs);
    expect(await count(url, 'SELECT count(DISTINCT job_key) AS n FROM lab_sweep_results WHERE sweep_id = $1', [sweep.sweepId])).toBe(sweep.jobs);
    expect(await count(url, `SELECT count(*) AS n FROM pgboss.job WHERE name = $1 AND state = 'completed'`, [GENERAL_QUEUE])).toBe(sweep.jobs);
    expect(await count(url, `SELECT count(*) AS n FROM pgboss.job WHERE name = $1 AND retry_count > 0`, [GENERAL_QUEUE])).toBeGreaterThanOrEqual(1);

    const res = runCli(['sweep-results', sweep.sweepId, '--json'], { env });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const report = JSON.parse(res.stdout) as { done: number; total: number; byWorker: Record<string, number>; comparison: unknown };
    expect(report.done).toBe(sweep.jobs);
    expect(report.byWorker['pc-a']).toBeGreaterThanOrEqual(40);
    expect(report.byWorker['pc-b']).toBeGreaterThan(0);
    const local = runCli(['reproduce', '--experiment', experiment, '--seeds', '50', '--json'], { timeoutMs: 600_000 });
    expect(local.status).toBe(0);
    // Exact: the same text, so every median, quartile, reduction and interval is the same double.
    expect(JSON.stringify(report.comparison, null, 2)).toBe(JSON.stringify(JSON.parse(local.stdout), null, 2));
  }, 600_000);

  it("an instrument's jobs go only to the worker of the PC that serves it", async () => {
    const url = await cluster.createDatabase('sweep_route');
    const env = { WORKBENCH_LAB_URL: url };
    const sub = runCli(['submit', '--experiment', experiment, '--seeds', '1', '--instrument', 'keithley-7', '--json'], { env });
    expect(sub.status).toBe(0);
    const sweep = JSON.parse(sub.stdout) as { sweepId: string; queue: string; jobs: number };
    expect(sweep.queue).toBe(`${GENERAL_QUEUE}-instrument-keithley-7`);

    // Another PC (the general queue, or another instrument) drains without touching them.
    const other = runCli(['worker', '--lab', '--drain', '--name', 'pc-other', '--instrument', 'keithley-8', '--poll-ms', '100', '--json'], { env });
    expect(other.status).toBe(0);
    expect(JSON.parse(other.stdout)).toMatchObject({ written: 0 });
    expect(await count(url, 'SELECT count(*) AS n FROM lab_sweep_results')).toBe(0);
    expect(await count(url, `SELECT count(*) AS n FROM pgboss.job WHERE name = $1 AND state = 'created'`, [sweep.queue])).toBe(sweep.jobs);

    const owner = runCli(['worker', '--lab', '--drain', '--name', 'pc-owner', '--instrument', 'keithley-7', '--instruments-only', '--poll-ms', '100', '--json'], { env });
    expect(owner.status).toBe(0);
    expect(JSON.parse(owner.stdout)).toMatchObject({ written: sweep.jobs });
    expect(await count(url, `SELECT count(*) AS n FROM lab_sweep_results WHERE worker = 'pc-owner'`)).toBe(sweep.jobs);
    const report = JSON.parse(runCli(['sweep-results', sweep.sweepId, '--json'], { env }).stdout) as { instrument: string; comparison: unknown };
    expect(report.instrument).toBe('keithley-7');
    expect(report.comparison).not.toBeNull();
  }, 180_000);

  it('a malformed payload is failed with its reason, once, and the worker goes on', async () => {
    const url = await cluster.createDatabase('sweep_bad');
    const env = { WORKBENCH_LAB_URL: url };
    // A valid one-seed sweep, so the queue exists and one good job sits behind the bad ones.
    expect(runCli(['submit', '--experiment', experiment, '--seeds', '1', '--retries', '3'], { env }).status).toBe(0);
    const boss = new PgBoss({ connectionString: url, supervise: false, schedule: false });
    boss.on('error', () => undefined);
    await boss.start();
    const bad = [
      await boss.send(GENERAL_QUEUE, { bogus: true }, { retryLimit: 3 }),
      await boss.send(GENERAL_QUEUE, { sweepId: '00000000-0000-4000-8000-000000000000', environmentId: 'static', strategyId: 'constant', seed: 1 }, { retryLimit: 3 }),
      await boss.send(GENERAL_QUEUE, { sweepId: 'x', environmentId: 'static', strategyId: 'constant', seed: -1 }, { retryLimit: 3 }),
    ];
    await boss.stop({ graceful: false });
    const logs: string[] = [];
    const summary = await runLabWorker(labConfigFromUrl(url, 'env'), { drain: true, pollMs: 50, name: 'pc-m', log: (_l, m) => logs.push(m) });
    expect(summary).toMatchObject({ malformed: 3, written: 6, failed: 0 });
    await withClient(url, async (c) => {
      const jobs = await c.query<{ id: string; state: string; retry_count: number; output: { reason?: string } }>('SELECT id, state, retry_count, output FROM pgboss.job WHERE id = ANY($1)', [bad]);
      expect(jobs.rows.map((j) => [j.state, j.retry_count])).toEqual([['failed', 0], ['failed', 0], ['failed', 0]]);
      const reasons = (await c.query<{ job_id: string; reason: string }>('SELECT job_id, reason FROM lab_sweep_failures')).rows;
      const byId = new Map(reasons.map((r) => [r.job_id, r.reason]));
      expect(byId.get(bad[0]!)).toMatch(/unknown field\(s\): "bogus"/);
      expect(byId.get(bad[1]!)).toMatch(/no sweep 00000000-0000-4000-8000-000000000000 in the lab/);
      expect(byId.get(bad[2]!)).toMatch(/sweepId is missing or not a UUID/);
      for (const j of jobs.rows) expect(j.output.reason).toBe(byId.get(j.id));
    });
  }, 120_000);

  it('the database stopped mid-sweep: the worker says so, backs off, and finishes once it is back', async () => {
    const url = await cluster.createDatabase('sweep_outage');
    const sub = runCli(['submit', '--experiment', experiment, '--seeds', '10', '--job-timeout', '2', '--retry-delay', '0', '--json'], { env: { WORKBENCH_LAB_URL: url } });
    expect(sub.status).toBe(0);
    const sweep = JSON.parse(sub.stdout) as { sweepId: string; jobs: number };
    const logs: string[] = [];
    let stopping: Promise<void> | null = null;
    const done = runLabWorker(labConfigFromUrl(url, 'env'), {
      drain: true,
      pollMs: 100,
      maintenanceIntervalSeconds: 1,
      name: 'pc-o',
      log: (_l, m) => logs.push(m),
      onJob: (e) => {
        if (stopping === null && e.outcome === 'written') stopping = cluster.stop();
      },
    });
    await until('the worker to report the outage', async () => logs.some((m) => /the lab database is unreachable: .*retrying in 1 s/.test(m)));
    await stopping;
    await cluster.start();
    const summary = await done;
    expect(summary.outages).toBeGreaterThanOrEqual(1);
    expect(logs.some((m) => /is reachable again; taking jobs/.test(m))).toBe(true);
    expect(logs.join('\n')).not.toContain(cluster.password);
    expect(await count(url, 'SELECT count(*) AS n FROM lab_sweep_results WHERE sweep_id = $1', [sweep.sweepId])).toBe(sweep.jobs);
    const report = JSON.parse(runCli(['sweep-results', sweep.sweepId, '--json'], { env: { WORKBENCH_LAB_URL: url } }).stdout) as { done: number; comparison: unknown };
    expect(report.done).toBe(sweep.jobs);
    expect(report.comparison).not.toBeNull();
  }, 180_000);

  it('no lab configured, or a lab that cannot be reached: clear errors; the worker backs off and says so', async () => {
    const none = runCli(['submit', '--experiment', experiment, '--json'], { env: { WORKBENCH_LAB_URL: undefined, WORKBENCH_LAB_URL_FILE: undefined } });
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/no lab archive is configured: set WORKBENCH_LAB_URL/);
    const w = runCli(['worker', '--lab'], { env: { WORKBENCH_LAB_URL: undefined, WORKBENCH_LAB_URL_FILE: undefined } });
    expect(w.status).toBe(1);
    expect(w.stderr).toMatch(/no lab archive is configured/);
    expect(runCli(['worker'], { env: { WORKBENCH_LAB_URL: cluster.url() } }).stderr).toMatch(/needs --lab/);

    // Nothing listens on this port of our range.
    const dead = `postgres://postgres:s3cret-word@127.0.0.1:55489/lab`;
    const sub = runCli(['submit', '--experiment', experiment], { env: { WORKBENCH_LAB_URL: dead } });
    expect(sub.status).toBe(1);
    expect(sub.stderr).toMatch(/Could not connect to the lab database \(lab postgres:\/\/postgres@127\.0\.0\.1:55489\/lab\): .*ECONNREFUSED/);
    expect(sub.stderr).not.toContain('s3cret-word');

    // The worker waits 1, 2, 4 … s between attempts (a fake sleep: counted, not waited).
    const controller = new AbortController();
    const waits: number[] = [];
    const logs: string[] = [];
    const summary = await runLabWorker(labConfigFromUrl(dead, 'env'), {
      signal: controller.signal,
      log: (_l, m) => logs.push(m),
      sleep: async (ms) => {
        waits.push(ms);
        if (waits.length === 4) controller.abort();
      },
    });
    expect(waits).toEqual([1000, 2000, 4000, 8000]);
    expect(summary.outages).toBe(4);
    expect(logs[0]).toMatch(/the lab database is unreachable: Could not connect .*ECONNREFUSED.*; retrying in 1 s \(attempt 1\)/);
    expect(logs.join('\n')).not.toContain('s3cret-word');
  }, 120_000);
});
