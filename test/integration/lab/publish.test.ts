/**
 * The lab archive against a real PostgreSQL (#16): two data folders ("PCs") publish to one
 * database and each sees the other's runs with identical samples; a publish killed with SIGKILL
 * leaves no duplicate and no partial run; a database stopped mid-publish leaves runs pending until
 * it is back; the password is in no file the workbench writes and no log line.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labRunSamples } from '../../../electron/services/lab/browse';
import { samplesHash } from '../../../electron/services/lab/samples-copy';
import { pgUnavailableReason, startPgCluster, type PgCluster } from '../../fixtures/pg-cluster';
import { withClient } from '../../fixtures/pg-query';
import { runCli, spawnCli } from '../cli/run-cli';
import { addRuns, withStore } from './lab-data';

const unavailable = pgUnavailableReason();
if (unavailable) console.warn(`lab publish tests skipped: ${unavailable}`);

interface LabList {
  source: string;
  runs: { id: string; pcName: string; userName: string; sampleCount: number; samplesHash: string; name: string }[];
  total: number;
}

describe.skipIf(unavailable !== null)('publishing to the lab archive', () => {
  let cluster: PgCluster;
  // Every data folder used, kept until the last test greps them all for the password.
  const written: string[] = [];
  beforeAll(async () => {
    cluster = await startPgCluster({ port: 55471 });
  }, 60_000);
  afterAll(async () => {
    await cluster?.destroy();
    for (const d of written) fs.rmSync(d, { recursive: true, force: true });
  });

  const folder = (): string => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-lab-'));
    written.push(d);
    return d;
  };
  const env = (url: string, pc: string) => ({ WORKBENCH_LAB_URL: url, WORKBENCH_LAB_PC_NAME: pc, WORKBENCH_LAB_USER: `user-${pc}` });
  const publish = (dir: string, url: string, pc: string) => runCli(['publish', '--json', '--data-dir', dir], { env: env(url, pc) });
  const labRuns = (dir: string, url: string, pc: string): LabList => {
    const r = runCli(['runs', '--source', 'lab', '--json', '--limit', '1000', '--data-dir', dir], { env: env(url, pc) });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return JSON.parse(r.stdout) as LabList;
  };
  /** Every lab run is whole: its sample rows are exactly 0…sample_count-1. */
  async function checkWhole(url: string): Promise<number> {
    return withClient(url, async (c) => {
      const bad = await c.query(`
        SELECT r.run_id FROM lab_runs r LEFT JOIN (SELECT run_id, count(*) AS n, count(DISTINCT idx) AS d, max(idx) AS hi FROM lab_samples GROUP BY run_id) s USING (run_id)
         WHERE r.deleted_at IS NULL AND (coalesce(s.n, 0) <> r.sample_count OR coalesce(s.d, 0) <> r.sample_count OR (r.sample_count > 0 AND s.hi <> r.sample_count - 1))`);
      expect(bad.rows).toEqual([]);
      return Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM lab_runs')).rows[0]!.n);
    });
  }

  it('two PCs publish to one database; each sees the other’s runs with identical samples', async () => {
    const url = await cluster.createDatabase('lab_two_pcs');
    const [a, b] = [folder(), folder()];
    const idsA = withStore(a, (s) => addRuns(s, 3, 5000, 'alpha'));
    const idsB = withStore(b, (s) => addRuns(s, 2, 7000, 'beta'));
    const localHash = new Map<string, string>();
    withStore(a, (s) => idsA.forEach((id) => localHash.set(id, samplesHash(s.readSamples(id)))));
    withStore(b, (s) => idsB.forEach((id) => localHash.set(id, samplesHash(s.readSamples(id)))));

    const pa = publish(a, url, 'pc-a');
    expect(pa.stderr).toBe('');
    expect(pa.status).toBe(0);
    expect(JSON.parse(pa.stdout)).toMatchObject({ pending: 0, failed: [], stopped: null });
    expect(publish(b, url, 'pc-b').status).toBe(0);

    for (const [dir, pc] of [[a, 'pc-a'], [b, 'pc-b']] as const) {
      const list = labRuns(dir, url, pc);
      expect(list.source).toBe('lab');
      expect(new Set(list.runs.map((r) => r.id))).toEqual(new Set([...idsA, ...idsB]));
      for (const r of list.runs) {
        expect(r.pcName).toBe(idsA.includes(r.id) ? 'pc-a' : 'pc-b');
        expect(r.userName).toBe(idsA.includes(r.id) ? 'user-pc-a' : 'user-pc-b');
        expect(r.samplesHash).toBe(localHash.get(r.id));
      }
    }
    // The hash of the samples as the lab holds them, read back row by row, equals the local one.
    await withClient(url, async (c) => {
      for (const [id, h] of localHash) expect(samplesHash(await labRunSamples(c, id))).toBe(h);
    });
    await checkWhole(url);

    // Publishing again sends nothing; a lost ledger re-sends, and the lab keeps one copy of each.
    expect(JSON.parse(publish(a, url, 'pc-a').stdout)).toMatchObject({ published: [], pending: 0 });
  });

  it('a deleted run reaches the lab as a tombstone', async () => {
    const url = await cluster.createDatabase('lab_tombstone');
    const a = folder();
    const [gone, kept] = withStore(a, (s) => addRuns(s, 2, 1000, 'tomb'));
    expect(publish(a, url, 'pc-t').status).toBe(0);
    withStore(a, (s) => s.runs.delete(gone!));
    const r = publish(a, url, 'pc-t');
    expect(JSON.parse(r.stdout)).toMatchObject({ tombstones: 1 });
    expect(labRuns(a, url, 'pc-t').runs.map((x) => x.id)).toEqual([kept]);
    await withClient(url, async (c) => {
      const row = await c.query('SELECT deleted_at FROM lab_runs WHERE run_id = $1', [gone]);
      expect(row.rows[0].deleted_at).not.toBeNull();
      expect((await c.query('SELECT count(*)::int AS n FROM lab_samples WHERE run_id = $1', [gone])).rows[0].n).toBe(0);
    });
  });

  /** Starts `workbench publish` and resolves once a COPY of samples is in progress on the server. */
  async function publishUntilCopying(dir: string, url: string, pc: string) {
    const child = spawnCli(['publish', '--json', '--data-dir', dir], env(url, pc));
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let copying = false;
    let done = false;
    void exited.then(() => (done = true));
    await withClient(cluster.url(), async (c) => {
      while (!copying && !done) {
        const r = await c.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'COPY lab_samples%'");
        copying = r.rows[0].n > 0;
        if (!copying) await new Promise((res) => setTimeout(res, 5));
      }
    });
    return { child, copying, exited, output: () => ({ out, err }) };
  }

  it('kill -9 during a publish, five times: no duplicate, no partial run; the next publish completes', async () => {
    const url = await cluster.createDatabase('lab_kill');
    const a = folder();
    const ids = withStore(a, (s) => addRuns(s, 4, 80_000, 'kill'));
    let killedMidCopy = 0;
    for (let k = 0; k < 5; k++) {
      const p = await publishUntilCopying(a, url, 'pc-k');
      if (p.copying) killedMidCopy++;
      p.child.kill('SIGKILL');
      await p.exited;
      await checkWhole(url);
    }
    expect(killedMidCopy).toBeGreaterThanOrEqual(1);
    const done = publish(a, url, 'pc-k');
    expect(done.status).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ pending: 0, failed: [] });
    expect(await checkWhole(url)).toBe(4);
    const list = labRuns(a, url, 'pc-k');
    expect(list.runs.map((r) => r.id).sort()).toEqual([...ids].sort());
    const local = withStore(a, (s) => new Map(ids.map((id) => [id, samplesHash(s.readSamples(id))])));
    await withClient(url, async (c) => {
      for (const id of ids) expect(samplesHash(await labRunSamples(c, id))).toBe(local.get(id));
    });
  }, 240_000);

  it('the database stopped mid-publish: runs stay pending, then publish once it is back', async () => {
    const url = await cluster.createDatabase('lab_outage');
    const a = folder();
    const ids = withStore(a, (s) => addRuns(s, 3, 80_000, 'outage'));
    const p = await publishUntilCopying(a, url, 'pc-o');
    await cluster.stop();
    const code = await p.exited;
    expect(code).toBe(1);
    const report = JSON.parse(p.output().out) as { stopped: string | null; failed: unknown[]; pending: number };
    expect(report.stopped).not.toBeNull();
    expect(report.failed).toEqual([]);
    expect(report.pending).toBeGreaterThan(0);
    const states = withStore(a, (s) => s.labPublish.states('run', ids));
    expect([...states.values()].filter((x) => x.state === 'failed')).toEqual([]);
    expect([...states.values()].some((x) => x.state === 'pending')).toBe(true);

    // While it is down: the publish says so, nothing changes state.
    const down = publish(a, url, 'pc-o');
    expect(down.status).toBe(1);
    expect(down.stderr).toMatch(/Could not connect to the lab database/);
    await cluster.start();
    const back = publish(a, url, 'pc-o');
    expect(back.status).toBe(0);
    expect(await checkWhole(url)).toBe(3);
    const after = withStore(a, (s) => s.labPublish.states('run', ids));
    expect([...after.values()].every((x) => x.state === 'published')).toBe(true);
  }, 240_000);

  it('the password is in no file the workbench wrote and no log line', () => {
    const bad = runCli(['publish', '--data-dir', folder()], { env: { WORKBENCH_LAB_URL: cluster.url('nosuchdb') } });
    expect(bad.status).toBe(1);
    expect(bad.stderr).not.toContain(cluster.password);
    expect(bad.stderr).toMatch(/postgres:\/\/postgres@127\.0\.0\.1/);
    const wrong = runCli(['publish', '--data-dir', folder()], { env: { WORKBENCH_LAB_URL: cluster.url().replace(cluster.password, `${cluster.password}x`) } });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/password authentication failed/);
    expect(wrong.stderr).not.toContain(cluster.password);
    expect(written.length).toBeGreaterThanOrEqual(2);
    // grep -r exits 1 when nothing matches: the password is in no file of any data folder (database, WAL, logs).
    for (const dir of written) {
      expect(fs.readdirSync(dir).length).toBeGreaterThan(0);
      let found = '';
      try {
        found = execFileSync('grep', ['-r', '-l', '-a', '-F', cluster.password, dir], { encoding: 'utf8' });
      } catch (e) {
        expect((e as { status: number }).status).toBe(1);
      }
      expect(found).toBe('');
    }
  });
});
