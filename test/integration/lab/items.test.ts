/**
 * Everything a PC publishes besides protocol runs (#16) — protocols with every version, saved
 * device presets, RL runs with their traces — and their tombstones; an item the lab refuses is
 * marked failed with the reason while the others go on; the app's LabService (status, browse,
 * Settings-kept connection) never shows the password.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labConfigFromUrl } from '../../../electron/services/lab/config';
import { publishToLab } from '../../../electron/services/lab/publish';
import { traceToJson } from '../../../electron/services/lab/publish-items';
import { fileLabSecrets, LAB_CONNECTION_FILE } from '../../../electron/services/lab/secrets-file';
import { LabService } from '../../../electron/services/lab/service';
import { memoryLogger } from '../../../electron/services/logs';
import { DATABASE_FILE_NAME, openStore, type Store } from '../../../electron/services/store';
import { idealPreset } from '../../../shared/device';
import { runJob } from '../../../shared/rl';
import { pgUnavailableReason, startPgCluster, type PgCluster } from '../../fixtures/pg-cluster';
import { smallExperiment } from '../rl-store/helpers';
import { addRuns } from './lab-data';

const unavailable = pgUnavailableReason();

const train = (amplitude: string) => ({
  format: 'memristor-workbench/protocol',
  version: 1,
  name: 'n',
  blocks: [{ id: 'spikes', kind: 'train', count: 10, amplitude, width: '10 ms', period: '1 s', read: true }],
});

describe.skipIf(unavailable !== null)('publishing protocols, presets and RL runs; the lab service', () => {
  let cluster: PgCluster;
  const dirs: string[] = [];
  const stores: Store[] = [];
  beforeAll(async () => {
    cluster = await startPgCluster({ port: 55473 });
  }, 60_000);
  afterAll(async () => {
    for (const s of stores) if (s.isOpen) s.close();
    await cluster?.destroy();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });
  const fresh = (): { dir: string; store: Store } => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-lab-items-'));
    dirs.push(dir);
    const store = openStore(dir, { appVersion: 'test' });
    stores.push(store);
    return { dir, store };
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

  it('publishes protocols with their versions, presets and RL runs; edits republish; deletions become tombstones', async () => {
    const url = await cluster.createDatabase('lab_items');
    const config = labConfigFromUrl(url, 'env');
    const { store } = fresh();
    const p = store.protocols.save({ name: 'Train', document: train('2 V') });
    store.protocols.save({ id: p.id, name: 'Train', document: train('3 V') });
    store.devicePresets.save({ ...idealPreset, name: 'cell-a', title: 'An ideal cell' });
    const x = smallExperiment();
    const rl = store.rlRuns.create({ name: 'rl', config: x, seeds: [0], jobsTotal: 2 });
    const jobs = [runJob(x, { environmentId: 'static', strategyId: 'device', seed: 0 }), runJob(x, { environmentId: 'dynamic', strategyId: 'constant', seed: 0 })];
    for (const j of jobs) store.rlRuns.addJob(rl.id, j);
    store.rlRuns.finish(rl.id, 'completed', { comparison: [] });
    const [run] = addRuns(store, 1, 500, 'items');

    const log = memoryLogger();
    const report = await publishToLab({ store, config, log: (level, m) => log[level](m) });
    expect(report.stopped).toBeNull();
    expect(report.failed).toEqual([]);
    // Protocols, presets and the device hierarchy (here the virtual devices' sample, chips and devices) before the runs that use them.
    const kinds = report.published.map((i) => i.kind);
    expect(kinds.filter((k) => k !== 'device')).toEqual(['protocol', 'device-preset', 'run', 'rl-run']);
    expect(kinds.lastIndexOf('device')).toBeLessThan(kinds.indexOf('run'));

    const [proto] = await q<{ latest_version: number; n: number }>(url, 'SELECT latest_version, (SELECT count(*)::int FROM lab_protocol_versions v WHERE v.protocol_id = p.protocol_id) AS n FROM lab_protocols p');
    expect(proto).toEqual({ latest_version: 2, n: 2 });
    const docs = await q<{ version: number; document: { blocks: { amplitude: string }[] } }>(url, 'SELECT version, document FROM lab_protocol_versions ORDER BY version');
    expect(docs.map((d) => d.document.blocks[0]!.amplitude)).toEqual(['2 V', '3 V']);
    expect((await q(url, 'SELECT name FROM lab_device_presets'))).toEqual([{ name: 'cell-a' }]);
    const eps = await q<{ strategy_id: string; traces: Record<string, string> }>(url, 'SELECT strategy_id, traces FROM lab_rl_episodes WHERE run_id = $1 ORDER BY strategy_id', [rl.id]);
    expect(eps.map((e) => e.strategy_id)).toEqual(['constant', 'device']);
    // Traces travel as their exact bytes (NaN conductance of a schedule included).
    const local = store.rlRuns.traces(rl.id, 'static', 'device', 0)[0]!.trace;
    expect(eps[1]!.traces).toEqual(traceToJson(local));

    // Nothing pending; a lost ledger re-sends everything, and the lab already holds each exactly.
    expect((await publishToLab({ store, config })).published).toEqual([]);
    const db = new Database(path.join(store.dataDir, DATABASE_FILE_NAME));
    db.exec('DELETE FROM lab_publish');
    db.close();
    const again = await publishToLab({ store, config });
    expect(again.published.map((i) => i.wrote)).toEqual(kinds.map(() => 'unchanged'));
    expect(await q(url, 'SELECT count(*)::int AS n FROM lab_samples')).toEqual([{ n: 500 }]);

    // A new version is pending again, and reaches the lab.
    store.protocols.save({ id: p.id, name: 'Train', document: train('4 V') });
    expect(store.labPublish.pending().map((i) => i.kind)).toEqual(['protocol']);
    await publishToLab({ store, config });
    expect((await q<{ latest_version: number }>(url, 'SELECT latest_version FROM lab_protocols'))[0]!.latest_version).toBe(3);

    store.protocols.delete(p.id);
    store.devicePresets.delete('cell-a');
    store.rlRuns.delete(rl.id);
    store.runs.delete(run!);
    expect((await publishToLab({ store, config })).tombstones).toBe(4);
    for (const t of ['lab_protocols', 'lab_device_presets', 'lab_rl_runs', 'lab_runs']) {
      expect(await q(url, `SELECT count(*)::int AS n FROM ${t} WHERE deleted_at IS NULL`)).toEqual([{ n: 0 }]);
    }
    expect(await q(url, 'SELECT count(*)::int AS n FROM lab_samples')).toEqual([{ n: 0 }]);
    expect(store.labPublish.tombstones()).toEqual([]);
    expect(JSON.stringify(log.entries)).not.toContain(cluster.password);
  });

  it('marks an item the lab refuses as failed, with the reason, and publishes the others', async () => {
    const url = await cluster.createDatabase('lab_refuse');
    const { store } = fresh();
    const [bad, good] = addRuns(store, 2, 100, 'refuse');
    // PostgreSQL's text and jsonb hold no NUL character; SQLite does.
    store.runs.setNotes(bad!, 'a\u0000b');
    // The runs' (virtual) devices first, so this pass holds the runs only.
    await publishToLab({ store, config: labConfigFromUrl(url, 'env'), kinds: ['device'] });
    const report = await publishToLab({ store, config: labConfigFromUrl(url, 'env') });
    expect(report.published.map((i) => i.id)).toEqual([good]);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]).toMatchObject({ kind: 'run', id: bad });
    expect(report.failed[0]!.reason).toMatch(/unsupported Unicode escape sequence \(\\u0000 cannot be converted to text\.\)/);
    const states = store.labPublish.states('run', [bad!, good!]);
    expect(states.get(bad!)).toMatchObject({ state: 'failed', reason: report.failed[0]!.reason });
    expect(states.get(good!)!.state).toBe('published');
    expect(store.labPublish.counts()).toMatchObject({ pending: 0, failed: 1, tombstones: 0 });
    // Fixed locally, it is pending again and goes.
    store.runs.setNotes(bad!, 'ab');
    expect((await publishToLab({ store, config: labConfigFromUrl(url, 'env') })).published.map((i) => i.id)).toEqual([bad]);
  });

  it('the LabService: status, browse, an unreachable lab reported without the password, a connection kept by Settings', async () => {
    const url = await cluster.createDatabase('lab_service');
    const { dir, store } = fresh();
    const [id] = addRuns(store, 1, 300, 'svc');
    const log = memoryLogger();
    const none = new LabService({ store, logger: log, env: {} });
    expect(none.status()).toMatchObject({ source: null, display: null, problem: null, settingsAvailable: false });
    await expect(none.withClient('x', async () => 1)).rejects.toThrow(/No lab archive is configured: set WORKBENCH_LAB_URL/);
    await expect(none.configure({ host: 'db' })).rejects.toThrow(/only the desktop app keeps it in Settings/);
    await none.close();

    const svc = new LabService({ store, logger: log, env: { WORKBENCH_LAB_URL: url } });
    expect(svc.status()).toMatchObject({ source: 'env', display: `postgres://postgres@127.0.0.1:${cluster.port}/lab_service`, counts: { pending: 5 } });
    await svc.publishNow();
    // The run and its device hierarchy: the "Virtual devices" sample, its two chips, the run's virtual device.
    expect(svc.status().counts).toMatchObject({ pending: 0, published: 5 });
    expect(svc.states('run', [id!])).toEqual([{ id, state: 'published', reason: null }]);
    await svc.close();

    const down = new LabService({ store, logger: log, env: { WORKBENCH_LAB_URL: url.replace(`:${cluster.port}/`, ':55479/') } });
    const err = await down.withClient('Could not list the lab runs', async () => 1).catch((e: Error) => e);
    expect(err).toMatchObject({ code: 'unavailable' });
    expect((err as Error).message).toMatch(/Could not connect to the lab database \(lab postgres:\/\/postgres@127\.0\.0\.1:55479\/lab_service\)/);
    expect((err as Error).message).not.toContain(cluster.password);
    await down.close();

    // The desktop app: the connection kept beside the data, the password only as the cipher's output.
    const cipher = { isEncryptionAvailable: () => true, encryptString: (s: string) => Buffer.from(s.split('').reverse().join(''), 'utf8'), decryptString: (b: Buffer) => b.toString('utf8').split('').reverse().join('') };
    const desk = new LabService({ store, logger: log, env: {}, secrets: fileLabSecrets(dir, cipher) });
    const st = await desk.configure({ host: '127.0.0.1', port: cluster.port, database: 'lab_service', user: 'postgres', password: cluster.password });
    expect(st).toMatchObject({ source: 'settings', settingsAvailable: true, display: `postgres://postgres@127.0.0.1:${cluster.port}/lab_service` });
    const n = await desk.withClient('list', async (c) => (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM lab_runs')).rows[0]!.n);
    expect(n).toBe(1);
    const file = path.join(dir, LAB_CONNECTION_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).not.toContain(cluster.password);
    expect((await desk.configure({ host: '' })).source).toBeNull();
    expect(fs.existsSync(file)).toBe(false);
    await desk.close();
    expect(JSON.stringify(log.entries)).not.toContain(cluster.password);
  });
});
