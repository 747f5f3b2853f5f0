/**
 * The device hierarchy and RL runs in the lab archive (#16 with #14), against a real PostgreSQL:
 * two data folders ("PCs") publish their samples, chips, crossbar devices and RL runs; each sees
 * the other's RL runs and every run's device (sample › chip › device, word and bit line) through
 * `workbench rl-runs --source lab` and `workbench runs --source lab`; publishing again is a no-op;
 * a deleted device reaches the lab as a tombstone; `kill -9` during a publish leaves no partial RL
 * run and the next publish completes; the lab requests read an RL run as this PC reads its own; a
 * lab schema migration merged late still applies.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labRlTraces } from '../../../electron/services/lab/browse';
import { applyLabMigrations } from '../../../electron/services/lab/migrate';
import { LATEST_LAB_SCHEMA, labMigrations } from '../../../electron/services/lab/pg-migrations/index';
import { openAppServices } from '../../../electron/app/app-services';
import { DATABASE_FILE_NAME } from '../../../electron/services/store';
import { pgUnavailableReason, startPgCluster, type PgCluster } from '../../fixtures/pg-cluster';
import { runCli, spawnCli } from '../cli/run-cli';
import { addCrossbarWork, withStore } from './lab-data';

const unavailable = pgUnavailableReason();
if (unavailable) console.warn(`lab device tests skipped: ${unavailable}`);

interface Place {
  id: string;
  name: string | null;
  wordLine: number | null;
  bitLine: number | null;
  chipName: string | null;
  sampleName: string | null;
}
interface LabRlList {
  source: string;
  rlRuns: { id: string; name: string; pcName: string; userName: string; device: Place | null; jobsDone: number }[];
  total: number;
}

describe.skipIf(unavailable !== null)('the device hierarchy and RL runs in the lab archive', () => {
  let cluster: PgCluster;
  const dirs: string[] = [];
  beforeAll(async () => {
    cluster = await startPgCluster({ port: 55490 });
  }, 60_000);
  afterAll(async () => {
    await cluster?.destroy();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });
  const folder = (): string => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-lab-dev-'));
    dirs.push(d);
    return d;
  };
  const env = (url: string, pc: string) => ({ WORKBENCH_LAB_URL: url, WORKBENCH_LAB_PC_NAME: pc, WORKBENCH_LAB_USER: `user-${pc}` });
  const publish = (dir: string, url: string, pc: string) => {
    const r = runCli(['publish', '--json', '--data-dir', dir], { env: env(url, pc) });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return JSON.parse(r.stdout) as { published: { kind: string; wrote: string }[]; pending: number; failed: unknown[]; tombstones: number; stopped: string | null };
  };
  const lab = <T,>(args: string[], dir: string, url: string, pc: string): T => {
    const r = runCli([...args, '--source', 'lab', '--json', '--data-dir', dir], { env: env(url, pc) });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return JSON.parse(r.stdout) as T;
  };
  async function q<T extends pg.QueryResultRow>(url: string, sql: string, args: unknown[] = []): Promise<T[]> {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query<T>(sql, args)).rows;
    } finally {
      await c.end();
    }
  }

  it('two PCs publish hierarchy and RL runs; each sees the other’s with PC, user and device; again is a no-op; a deleted device is a tombstone', async () => {
    const url = await cluster.createDatabase('lab_devices_two');
    const [a, b] = [folder(), folder()];
    const A = withStore(a, (s) => addCrossbarWork(s, 'a', 4));
    const B = withStore(b, (s) => addCrossbarWork(s, 'b', 3));

    const pa = publish(a, url, 'pc-a');
    expect(pa).toMatchObject({ pending: 0, failed: [], stopped: null });
    // The hierarchy goes before the runs that name their device.
    const kinds = pa.published.map((p) => p.kind);
    expect(kinds.lastIndexOf('device')).toBeLessThan(kinds.indexOf('run'));
    expect(publish(b, url, 'pc-b')).toMatchObject({ pending: 0, failed: [] });

    // Every local sample, chip and device is in the lab once, keyed by its PC (both PCs' "Virtual devices" sample shares its fixed id).
    for (const [dir, pc] of [[a, 'pc-a'], [b, 'pc-b']] as const) {
      const local = withStore(dir, (s) => ({ samples: s.lab.listSamples().length, chips: s.lab.listChips().length, devices: s.lab.listDevices({ includeArchived: true }).length }));
      const [row] = await q<{ samples: number; chips: number; devices: number }>(
        url,
        `SELECT (SELECT count(*)::int FROM lab_wafer_samples s JOIN lab_pcs p USING (pc_id) WHERE p.name = $1) AS samples,
                (SELECT count(*)::int FROM lab_chips c JOIN lab_pcs p USING (pc_id) WHERE p.name = $1) AS chips,
                (SELECT count(*)::int FROM lab_devices d JOIN lab_pcs p USING (pc_id) WHERE p.name = $1) AS devices`,
        [pc],
      );
      expect(row).toEqual(local);
    }

    for (const [dir, pc] of [[a, 'pc-a'], [b, 'pc-b']] as const) {
      const rl = lab<LabRlList>(['rl-runs'], dir, url, pc);
      expect(rl.source).toBe('lab');
      expect(rl.rlRuns.map((r) => r.id).sort()).toEqual([A.rlId, B.rlId].sort());
      const other = rl.rlRuns.find((r) => r.id === (pc === 'pc-a' ? B.rlId : A.rlId))!;
      const them = pc === 'pc-a' ? 'b' : 'a';
      expect(other).toMatchObject({ name: `${them} RL`, pcName: `pc-${them}`, userName: `user-pc-${them}`, jobsDone: 18 });
      expect(other.device).toMatchObject({ name: 'WL1/BL1', wordLine: 1, bitLine: 1, chipName: `X-${them}`, sampleName: `W-${them}` });
      const runs = lab<{ runs: { id: string; device: Place | null }[] }>(['runs'], dir, url, pc);
      const otherRun = runs.runs.find((r) => r.id === (pc === 'pc-a' ? B.runId : A.runId))!;
      expect(otherRun.device).toMatchObject({ wordLine: 2, bitLine: 1, chipName: `X-${them}`, sampleName: `W-${them}` });
    }
    // The RL traces come back from the lab exactly as stored (typed arrays, NaN conductance of a schedule included).
    const local = withStore(a, (s) => ['device', 'constant'].map((st) => s.rlRuns.traces(A.rlId, 'dynamic', st)));
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const fromLab = await Promise.all(['device', 'constant'].map((st) => labRlTraces(c, A.rlId, 'dynamic', st)));
      expect(fromLab.map((l) => l.map((t) => ({ seed: t.seed, trace: t.trace })))).toEqual(local.map((l) => l.map((t) => ({ seed: t.seed, trace: t.trace }))));
      expect(fromLab[1]![0]!.trace.conductance.some((g) => Number.isNaN(g))).toBe(true);
    } finally {
      await c.end();
    }

    // The text listing names the device by sample › chip › device.
    const text = runCli(['rl-runs', '--source', 'lab', '--data-dir', a], { env: env(url, 'pc-a') });
    expect(text.stdout).toContain('W-b › X-b (3×3) › WL1/BL1 (word line 1, bit line 1)');

    // Nothing is pending; a lost ledger re-sends everything and the lab already holds each exactly.
    expect(publish(a, url, 'pc-a').published).toEqual([]);
    const db = new Database(path.join(a, DATABASE_FILE_NAME));
    db.exec('DELETE FROM lab_publish');
    db.close();
    const again = publish(a, url, 'pc-a');
    expect(again.published.length).toBe(pa.published.length);
    expect(new Set(again.published.map((p) => p.wrote))).toEqual(new Set(['unchanged']));

    // An edit publishes the one item; a deleted device (one without runs) becomes a tombstone.
    const gone = A.deviceIds[A.deviceIds.length - 1]!;
    withStore(a, (s) => {
      const w = s.lab.listSamples().find((x) => x.name === 'W-a')!;
      s.lab.updateSample(w.id, { name: 'W-a renamed' });
      s.lab.deleteDevice(gone);
    });
    const edit = publish(a, url, 'pc-a');
    expect(edit).toMatchObject({ tombstones: 1, published: [{ kind: 'device', wrote: 'updated' }] });
    expect(await q(url, 'SELECT deleted_at IS NOT NULL AS gone FROM lab_devices WHERE device_id = $1', [gone])).toEqual([{ gone: true }]);
    const seen = lab<LabRlList>(['rl-runs'], b, url, 'pc-b').rlRuns.find((r) => r.id === A.rlId)!;
    expect(seen.device?.sampleName).toBe('W-a renamed');
  });

  it('kill -9 during a publish of a large crossbar and RL runs, five times: no partial RL run, the next publish completes', async () => {
    const url = await cluster.createDatabase('lab_devices_kill');
    const a = folder();
    const { rlId, deviceIds } = withStore(a, (s) => addCrossbarWork(s, 'k', 40));
    let killedMidway = 0;
    for (let k = 0; k < 5; k++) {
      const child = spawnCli(['publish', '--json', '--data-dir', a], env(url, 'pc-k'));
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      let done = false;
      void exited.then(() => (done = true));
      // Kill once the hierarchy has started to arrive (some devices in, more to come).
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      let inFlight = false;
      while (!inFlight && !done) {
        const n = await c.query<{ n: number }>("SELECT CASE WHEN to_regclass('lab_devices') IS NULL THEN 0 ELSE (SELECT count(*)::int FROM lab_devices) END AS n").catch(() => ({ rows: [{ n: 0 }] }));
        inFlight = n.rows[0]!.n > k * 50;
        if (!inFlight) await new Promise((res) => setTimeout(res, 5));
      }
      await c.end();
      if (!done) killedMidway++;
      child.kill('SIGKILL');
      await exited;
      // An RL run in the lab is whole: all its episodes, or absent.
      const rl = await q<{ n: number }>(url, "SELECT (SELECT count(*)::int FROM lab_rl_episodes WHERE run_id = r.run_id) AS n FROM lab_rl_runs r").catch(() => []);
      for (const r of rl) expect(r.n).toBe(18);
    }
    expect(killedMidway).toBeGreaterThanOrEqual(1);
    const done = publish(a, url, 'pc-k');
    expect(done).toMatchObject({ pending: 0, failed: [], stopped: null });
    expect(await q(url, 'SELECT count(*)::int AS n FROM lab_devices WHERE chip_id IN (SELECT chip_id FROM lab_chips WHERE name = $1)', ['X-k'])).toEqual([{ n: deviceIds.length }]);
    expect(await q(url, 'SELECT count(*)::int AS n FROM lab_rl_episodes WHERE run_id = $1', [rlId])).toEqual([{ n: 18 }]);
    expect(publish(a, url, 'pc-k').published).toEqual([]);
  }, 240_000);

  it('through the router: a lab RL run reads as this PC reads its own (the same curves), and bad ids are refused with a sentence', async () => {
    const url = await cluster.createDatabase('lab_devices_router');
    const a = folder();
    const { rlId } = withStore(a, (s) => addCrossbarWork(s, 'r', 3));
    publish(a, url, 'pc-r');
    const before = process.env.WORKBENCH_LAB_URL;
    process.env.WORKBENCH_LAB_URL = url;
    const app = openAppServices({ dataDir: a, hostKind: 'cli' });
    try {
      const ok = async (method: string, input: unknown) => {
        const r = await app.router.call(method as never, input as never);
        if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
        return r.value as Record<string, unknown>;
      };
      const list = (await ok('lab.rlRuns', {})) as { runs: { id: string; run: { jobsDone: number } }[]; total: number };
      expect(list.total).toBe(1);
      expect(list.runs[0]).toMatchObject({ id: rlId, run: { jobsDone: 18 } });
      const labRun = await ok('lab.rlRun', { id: rlId });
      const local = await ok('rl.get', { id: rlId });
      expect(labRun.comparison).toEqual(local.comparison);
      expect(labRun.jobs).toEqual(local.jobs);
      for (const input of [{ id: rlId, environment: 'dynamic', strategy: 'device' }, { id: rlId, environment: 'static', strategy: 'exp', seed: 2 }]) {
        expect(await ok('lab.rlEpisodes', input)).toEqual(await ok('rl.episodes', input));
      }
      const refused = async (method: string, input: unknown) => {
        const r = await app.router.call(method as never, input as never);
        if (r.ok) throw new Error(`${method} accepted ${JSON.stringify(input)}`);
        return r.error;
      };
      expect(await refused('lab.rlRun', { id: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ code: 'not_found', message: expect.stringMatching(/The lab has no RL run 0{8}-/) });
      expect(await refused('lab.rlEpisodes', { id: rlId, environment: 'static', strategy: 'nope' })).toMatchObject({ code: 'not_found', message: expect.stringMatching(/has no strategy 'nope' \(it has device, constant, exp\)/) });
      expect(await refused('lab.rlEpisodes', { id: rlId, environment: 'static', strategy: 'device', seed: 9 })).toMatchObject({ code: 'not_found', message: expect.stringMatching(/Seed 9 of 'device' on 'static' has not been stored/) });
      expect((await refused('lab.rlEpisodes', { id: rlId, environment: 'static', strategy: '../x' })).code).toBe('invalid_request');
    } finally {
      await app.close();
      if (before === undefined) delete process.env.WORKBENCH_LAB_URL;
      else process.env.WORKBENCH_LAB_URL = before;
    }
  });

  it('lab schema: a migration that arrives late (merged after a newer one) still applies; a newer database is refused', async () => {
    const url = await cluster.createDatabase('lab_devices_migrate');
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const late = labMigrations[labMigrations.length - 2]!;
      const first = await applyLabMigrations(c, labMigrations.filter((m) => m !== late));
      expect(first.applied).not.toContain(late.version);
      expect(first.version).toBe(LATEST_LAB_SCHEMA);
      expect((await applyLabMigrations(c)).applied).toEqual([late.version]);
      expect((await applyLabMigrations(c)).applied).toEqual([]);
      await c.query("INSERT INTO lab_schema_migrations (version, name) VALUES ($1, 'from the future')", [LATEST_LAB_SCHEMA + 1]);
      await expect(applyLabMigrations(c)).rejects.toThrow(`The lab database has lab schema ${LATEST_LAB_SCHEMA + 1}, newer than this workbench knows (${LATEST_LAB_SCHEMA}); update the workbench on this PC.`);
    } finally {
      await c.end();
    }
  });
});
