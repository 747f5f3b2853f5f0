/**
 * The Archive's filters, done in the store: many runs across devices, protocols (and versions of
 * one), dates, tags, statuses and experiments in a real SQLite file, listed through the real
 * router (contract validation, handler, SQL). Every filter and combinations of them must give
 * exactly the runs a plain JavaScript filter over the seeded runs gives, newest first, with the
 * right total on every page; the filter choices (`runs.facets`) are what the archive holds; bad
 * filter values are refused with a sentence naming the field, and write nothing.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openAppServices, type AppServices } from '../../../electron/app/app-services';
import { DATABASE_FILE_NAME, LATEST_SCHEMA_VERSION, openStore, Store } from '../../../electron/services/store';
import { migrations } from '../../../electron/services/store/migrations/index';
import type { RequestInput, RequestName, RequestOutput } from '../../../shared/contract';
import { manualClock, peek, tempDir } from './helpers';

interface Seeded {
  id: string;
  experimentId: string;
  createdAt: string;
  kind: string | null;
  deviceName: string | null;
  protocolName: string | null;
  protocolHash: string | null;
  tags: string[];
  status: string;
  name: string;
}

const DEVICES: (Record<string, unknown> | null)[] = [
  { kind: 'simulated', preset: 'intrinsic-gradient', seed: 1 },
  { kind: 'simulated', preset: 'filamentary', seed: 2 },
  { kind: 'simulated', preset: 'ideal', seed: 3 },
  { kind: 'instrument', driver: 'keithley2400', port: '/dev/ttyUSB0' },
  { kind: 'instrument', driver: 'pulse-board', port: '/dev/ttyACM0' },
  { kind: 'instrument', port: '/dev/ttyS0' }, // a snapshot that names no driver
  null, // no device recorded
];
const PROTOCOLS: (Record<string, unknown> | null)[] = [
  { name: 'Paper spike train', blocks: [{ kind: 'train', count: 100 }] },
  { name: 'Paper spike train', blocks: [{ kind: 'train', count: 200 }] }, // a second version: another hash
  { name: 'Relaxation', blocks: [{ kind: 'wait', duration: 600 }] },
  { name: 'relaxation', blocks: [{ kind: 'wait', duration: 300 }] }, // the same name, other case
  { name: 'LTP sweep_50%', blocks: [] },
  null,
];
const N = 150;
const DAY = 86_400_000;
const START = Date.parse('2025-01-01T00:00:00.000Z');

const services: AppServices[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.close();
});

/** N runs in a real store file, then the app services (router and all) on the same folder. */
function seed(): { s: AppServices; runs: Seeded[]; experiments: string[]; dir: string } {
  const dir = tempDir();
  const clock = manualClock();
  const store = openStore(dir, { appVersion: '0.1.0-test', now: clock.now });
  const experiments = [store.experiments.create({ name: 'Alpha' }).id, store.experiments.create({ name: 'Beta' }).id];
  const runs: Seeded[] = [];
  for (let i = 0; i < N; i++) {
    // Days 0…59 in a scrambled order, so creation order is not insertion order.
    clock.set(new Date(START + ((i * 37) % 60) * DAY + i * 60_000).toISOString());
    const device = DEVICES[i % DEVICES.length]!;
    const protocol = PROTOCOLS[(i * 5) % PROTOCOLS.length]!;
    const tags = [...(i % 4 === 0 ? ['baseline'] : []), ...(i % 6 === 0 ? ['ltp'] : []), ...(i % 9 === 0 ? ['85 C'] : [])];
    const run = store.runs.create({
      experimentId: experiments[i % 2]!,
      name: `run ${String(i).padStart(3, '0')}${i % 10 === 0 ? ' noisy contact' : ''}`,
      status: 'running',
      ...(device ? { device } : {}),
      ...(protocol ? { protocol } : {}),
      tags,
    });
    const status = i % 11 === 0 ? 'failed' : i % 13 === 0 ? 'aborted' : 'completed';
    store.runs.setStatus(run.id, status);
    runs.push({
      id: run.id,
      experimentId: run.experimentId,
      createdAt: run.createdAt,
      kind: (device?.kind as string | undefined) ?? null,
      deviceName: ((device?.preset ?? device?.driver) as string | undefined) ?? null,
      protocolName: (protocol?.name as string | undefined) ?? null,
      protocolHash: run.protocolHash,
      tags,
      status,
      name: run.name,
    });
  }
  store.close();
  const s = openAppServices({ dataDir: dir, hostKind: 'cli' });
  services.push(s);
  return { s, runs, experiments, dir };
}

async function call<N extends RequestName>(s: AppServices, method: N, input: RequestInput<N>): Promise<RequestOutput<N>> {
  const r = await s.router.call(method, input);
  if (!r.ok) throw new Error(`${method} ${JSON.stringify(input)}: ${r.error.code}: ${r.error.message}`);
  return r.value as RequestOutput<N>;
}

async function refusal(s: AppServices, method: RequestName, input: unknown): Promise<{ code: string; message: string }> {
  const r = await s.router.call(method, input);
  if (r.ok) throw new Error(`${method} accepted ${JSON.stringify(input)}`);
  return r.error;
}

/** Newest first, ties by id: the store's order. */
function ordered(runs: Seeded[]): string[] {
  return [...runs].sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? 1 : -1)).map((r) => r.id);
}

/** Every page of a filter, `limit` at a time, checking the total on each. */
async function allPages(s: AppServices, filter: RequestInput<'runs.list'>, limit: number): Promise<{ ids: string[]; totals: number[] }> {
  const ids: string[] = [];
  const totals: number[] = [];
  for (let offset = 0; ; offset += limit) {
    const page = await call(s, 'runs.list', { ...filter, limit, offset });
    totals.push(page.total);
    ids.push(...page.runs.map((r) => r.id));
    if (page.runs.length < limit) break;
  }
  return { ids, totals };
}

const day = (n: number) => new Date(START + n * DAY).toISOString();

describe('runs.list filters in the store', () => {
  it('filters by device: kind, preset or driver', async () => {
    const { s, runs } = seed();
    const cases: [RequestInput<'runs.list'>['device'], (r: Seeded) => boolean][] = [
      [{ kind: 'simulated' }, (r) => r.kind === 'simulated'],
      [{ kind: 'instrument' }, (r) => r.kind === 'instrument'],
      [{ kind: 'simulated', name: 'intrinsic-gradient' }, (r) => r.deviceName === 'intrinsic-gradient'],
      [{ kind: 'simulated', name: 'filamentary' }, (r) => r.deviceName === 'filamentary'],
      [{ kind: 'instrument', name: 'keithley2400' }, (r) => r.deviceName === 'keithley2400'],
      [{ kind: 'instrument', name: 'pulse-board' }, (r) => r.deviceName === 'pulse-board'],
      // A preset's name is not a driver's: kind and name go together.
      [{ kind: 'instrument', name: 'filamentary' }, () => false],
    ];
    for (const [device, keep] of cases) {
      const expected = ordered(runs.filter(keep));
      const got = await call(s, 'runs.list', { device, limit: 1000 });
      expect(got.runs.map((r) => r.id), JSON.stringify(device)).toEqual(expected);
      expect(got.total).toBe(expected.length);
    }
    // The seeding covers each case with something to find.
    expect(runs.filter((r) => r.deviceName === 'pulse-board').length).toBeGreaterThan(10);
  });

  it('filters by protocol: whole name case-insensitively, whole hash or its first 8+ hex digits', async () => {
    const { s, runs } = seed();
    const spikes = runs.filter((r) => r.protocolName === 'Paper spike train');
    const v1 = spikes[0]!.protocolHash!;
    expect(new Set(spikes.map((r) => r.protocolHash)).size).toBe(2);
    const cases: [string, (r: Seeded) => boolean][] = [
      ['Paper spike train', (r) => r.protocolName === 'Paper spike train'],
      ['PAPER SPIKE TRAIN', (r) => r.protocolName === 'Paper spike train'],
      ['Relaxation', (r) => r.protocolName?.toLowerCase() === 'relaxation'],
      ['LTP sweep_50%', (r) => r.protocolName === 'LTP sweep_50%'],
      ['LTP sweep_5_%', () => false], // no wildcards
      ['Paper', () => false], // whole names only (search finds pieces)
      [v1, (r) => r.protocolHash === v1],
      [v1.slice(0, 8).toUpperCase(), (r) => r.protocolHash?.startsWith(v1.slice(0, 8)) === true],
      [v1.slice(0, 7), () => false], // too short to be taken for a hash
    ];
    for (const [protocol, keep] of cases) {
      const expected = ordered(runs.filter(keep));
      const got = await call(s, 'runs.list', { protocol, limit: 1000 });
      expect(got.runs.map((r) => r.id), protocol).toEqual(expected);
      expect(got.total, protocol).toBe(expected.length);
    }
  });

  it('filters by creation time: from inclusive, to exclusive, either or both', async () => {
    const { s, runs } = seed();
    const cases: [RequestInput<'runs.list'>, (r: Seeded) => boolean][] = [
      [{ createdFrom: day(50) }, (r) => r.createdAt >= day(50)],
      [{ createdTo: day(3) }, (r) => r.createdAt < day(3)],
      [{ createdFrom: day(10), createdTo: day(12) }, (r) => r.createdAt >= day(10) && r.createdAt < day(12)],
      // Another zone, the same instant.
      [{ createdFrom: '2025-01-11T02:00:00+02:00', createdTo: '2025-01-13T00:00:00.000Z' }, (r) => r.createdAt >= day(10) && r.createdAt < day(12)],
      [{ createdFrom: day(100) }, () => false],
    ];
    for (const [filter, keep] of cases) {
      const expected = ordered(runs.filter(keep));
      const got = await call(s, 'runs.list', { ...filter, limit: 1000 });
      expect(got.runs.map((r) => r.id), JSON.stringify(filter)).toEqual(expected);
      expect(got.total).toBe(expected.length);
    }
    // An exact instant: the run created at it is in "from" and out of "to".
    const one = runs[17]!;
    expect((await call(s, 'runs.list', { createdFrom: one.createdAt, createdTo: new Date(Date.parse(one.createdAt) + 1).toISOString() })).runs.map((r) => r.id)).toEqual([one.id]);
  });

  it('combines every filter, and pages through the result with the total right on every page', async () => {
    const { s, runs, experiments } = seed();
    const combos: [RequestInput<'runs.list'>, (r: Seeded) => boolean][] = [
      [{ device: { kind: 'simulated' }, protocol: 'paper spike train' }, (r) => r.kind === 'simulated' && r.protocolName === 'Paper spike train'],
      [
        { device: { kind: 'simulated' }, createdFrom: day(20), createdTo: day(45), tag: 'baseline' },
        (r) => r.kind === 'simulated' && r.createdAt >= day(20) && r.createdAt < day(45) && r.tags.includes('baseline'),
      ],
      [
        { experimentId: experiments[0]!, device: { kind: 'instrument', name: 'keithley2400' }, status: 'completed' },
        (r) => r.experimentId === experiments[0] && r.deviceName === 'keithley2400' && r.status === 'completed',
      ],
      [{ protocol: 'relaxation', search: 'noisy', createdTo: day(59) }, (r) => r.protocolName?.toLowerCase() === 'relaxation' && r.name.includes('noisy') && r.createdAt < day(59)],
      [
        { experimentId: experiments[1]!, status: 'failed', device: { kind: 'simulated', name: 'ideal' }, protocol: 'Paper spike train', tag: 'ltp', createdFrom: day(0) },
        (r) =>
          r.experimentId === experiments[1] &&
          r.status === 'failed' &&
          r.deviceName === 'ideal' &&
          r.protocolName === 'Paper spike train' &&
          r.tags.includes('ltp') &&
          r.createdAt >= day(0),
      ],
      [{}, () => true],
    ];
    let nonEmpty = 0;
    for (const [filter, keep] of combos) {
      const expected = ordered(runs.filter(keep));
      if (expected.length > 0) nonEmpty++;
      for (const limit of [7, 20]) {
        const { ids, totals } = await allPages(s, filter, limit);
        expect(ids, `${JSON.stringify(filter)} by ${limit}`).toEqual(expected);
        expect(new Set(totals), JSON.stringify(filter)).toEqual(new Set([expected.length]));
      }
      // Past the end: no runs, the same total.
      const past = await call(s, 'runs.list', { ...filter, limit: 20, offset: expected.length + 20 });
      expect(past).toEqual({ runs: [], total: expected.length });
    }
    expect(nonEmpty).toBeGreaterThanOrEqual(4);
  });

  it('answers the Live page’s “last run of this protocol on this device”: the newest of that pair over every experiment and version, and how many there are', async () => {
    const { s, runs } = seed();
    const devices = [
      { kind: 'simulated', name: 'intrinsic-gradient' },
      { kind: 'simulated', name: 'ideal' },
      { kind: 'instrument', name: 'keithley2400' },
      { kind: 'simulated', name: 'no-such-preset' },
    ] as const;
    let found = 0;
    for (const protocol of ['Paper spike train', 'RELAXATION', 'LTP sweep_50%', 'Never run']) {
      for (const device of devices) {
        const expected = ordered(runs.filter((r) => r.protocolName?.toLowerCase() === protocol.toLowerCase() && r.kind === device.kind && r.deviceName === device.name));
        const last = await call(s, 'runs.list', { protocol, device, limit: 2 });
        expect(last.runs.map((r) => r.id), `${protocol} on ${device.name}`).toEqual(expected.slice(0, 2));
        expect(last.total).toBe(expected.length);
        for (const r of last.runs) expect([r.protocolName.toLowerCase(), r.deviceKind, r.deviceName]).toEqual([protocol.toLowerCase(), device.kind, device.name]);
        if (expected.length > 0) found++;
      }
    }
    expect(found).toBeGreaterThanOrEqual(6);
  });

  it('offers as choices the devices, protocols and tags the archive holds, with counts, per experiment', async () => {
    const { s, runs, experiments } = seed();
    const count = <K>(list: Seeded[], key: (r: Seeded) => K) => list.reduce((m, r) => m.set(key(r), (m.get(key(r)) ?? 0) + 1), new Map<K, number>());
    for (const scope of [undefined, experiments[0]!, experiments[1]!]) {
      const mine = runs.filter((r) => scope === undefined || r.experimentId === scope);
      const f = await call(s, 'runs.facets', scope === undefined ? {} : { experimentId: scope });
      const devices = count(
        mine.filter((r) => r.kind !== null),
        (r) => `${r.kind}|${r.deviceName}`,
      );
      expect(new Map(f.devices.map((d) => [`${d.kind}|${d.name}`, d.runs]))).toEqual(devices);
      // One entry per name whatever its case; a name run under two documents counts two versions.
      const protocols = count(
        mine.filter((r) => r.protocolName !== null),
        (r) => r.protocolName!.toLowerCase(),
      );
      expect(new Map(f.protocols.map((p) => [p.name.toLowerCase(), p.runs]))).toEqual(protocols);
      const spikes = f.protocols.find((p) => p.name === 'Paper spike train')!;
      expect(spikes.versions).toBe(new Set(mine.filter((r) => r.protocolName === 'Paper spike train').map((r) => r.protocolHash)).size);
      const tags = new Map<string, number>();
      for (const r of mine) for (const t of r.tags) tags.set(t, (tags.get(t) ?? 0) + 1);
      expect(new Map(f.tags.map((t) => [t.tag, t.runs]))).toEqual(tags);
      // Every choice finds exactly the runs it counts.
      for (const d of f.devices.filter((x) => x.name !== null)) {
        const kind = d.kind as 'simulated' | 'instrument';
        expect((await call(s, 'runs.list', { device: { kind, name: d.name! }, ...(scope ? { experimentId: scope } : {}), limit: 1 })).total).toBe(d.runs);
      }
      for (const p of f.protocols) expect((await call(s, 'runs.list', { protocol: p.name, ...(scope ? { experimentId: scope } : {}), limit: 1 })).total).toBe(p.runs);
    }
    // An empty archive has no choices.
    const empty = openAppServices({ dataDir: tempDir(), hostKind: 'cli' });
    services.push(empty);
    expect(await call(empty, 'runs.facets', {})).toEqual({ devices: [], protocols: [], tags: [] });
  });

  it('refuses bad filter values with a sentence naming the field, and writes nothing', async () => {
    const { s, dir } = seed();
    const file = path.join(dir, DATABASE_FILE_NAME);
    const side = new Database(file, { readonly: true, fileMustExist: true });
    const version = () => side.pragma('data_version', { simple: true }) as number;
    const before = version();
    const bad: [unknown, RegExp][] = [
      [{ device: { kind: 'robot' } }, /device\.kind/],
      [{ device: { kind: 'simulated', name: '  ' } }, /device\.name: must not be empty/],
      [{ device: 'simulated' }, /device/],
      [{ device: { kind: 'simulated', driver: 'x' } }, /driver/],
      [{ protocol: '' }, /protocol: must be a protocol name or hash, not empty/],
      [{ protocol: 'x'.repeat(201) }, /protocol: must be at most 200 characters/],
      [{ createdFrom: 'yesterday' }, /createdFrom: must be an ISO-8601 date and time with its zone/],
      [{ createdTo: '2025-01-01' }, /createdTo: must be an ISO-8601 date and time/],
      [{ createdFrom: '2025-13-01T00:00:00Z' }, /createdFrom/],
      [{ createdFrom: day(5), createdTo: day(5) }, /createdTo: must be later than createdFrom/],
      [{ createdFrom: day(6), createdTo: day(5) }, /createdTo: must be later than createdFrom/],
      [{ deviceKind: 'simulated' }, /deviceKind/],
      [{ limit: 0 }, /limit/],
      [{ offset: -1 }, /offset/],
    ];
    for (const [input, message] of bad) {
      const e = await refusal(s, 'runs.list', input);
      expect(e.code, JSON.stringify(input)).toBe('invalid_request');
      expect(e.message, JSON.stringify(input)).toMatch(message);
      expect(e.message.startsWith('runs.list: ')).toBe(true);
    }
    for (const input of [{ experimentId: 'nope' }, { extra: 1 }]) expect((await refusal(s, 'runs.facets', input)).code).toBe('invalid_request');
    expect(version()).toBe(before);
    side.close();
  });
});

describe('migration 7: device names and the filter indexes', () => {
  it('gives runs stored before it their device name, and serves the filters from indexes', () => {
    const dir = tempDir();
    // A database as schema 6 left it, holding runs.
    const old = Store.open(dir, { appVersion: '0.0.9' }, migrations.slice(0, 6));
    expect(old.schemaVersion).toBe(6);
    old.close();
    // Rows written as that schema's code wrote them (this build's store code reads schema 7).
    const raw = new Database(path.join(dir, DATABASE_FILE_NAME));
    const at = '2025-01-01T00:00:00.000Z';
    const sim = { id: '00000000-0000-4000-8000-000000000001' };
    const inst = { id: '00000000-0000-4000-8000-000000000002' };
    raw.prepare('INSERT INTO experiments (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)').run('00000000-0000-4000-8000-0000000000e0', 'old', at, at);
    const insert = raw.prepare(
      `INSERT INTO runs (id, experiment_id, name, status, protocol_json, device_json, app_version, host, created_at, updated_at)
       VALUES (?, '00000000-0000-4000-8000-0000000000e0', ?, 'completed', ?, ?, '0.0.9', 'lab', ?, ?)`,
    );
    insert.run(sim.id, 'sim', JSON.stringify({ name: 'Relaxation' }), JSON.stringify({ kind: 'simulated', preset: 'filamentary' }), at, at);
    insert.run(inst.id, 'inst', null, JSON.stringify({ kind: 'instrument', driver: 'keithley2600' }), at, at);
    raw.close();

    const store = openStore(dir, { appVersion: '0.1.0-test' });
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(store.runs.list({ deviceKind: 'simulated', deviceName: 'filamentary' }).runs.map((r) => r.id)).toEqual([sim.id]);
    expect(store.runs.list({ deviceKind: 'instrument', deviceName: 'keithley2600' }).runs.map((r) => r.id)).toEqual([inst.id]);
    // Every summary names its device, so the list can show which one.
    expect(store.runs.get(sim.id).deviceName).toBe('filamentary');
    expect(store.runs.get(inst.id).deviceName).toBe('keithley2600');
    expect(store.runs.list({ protocol: 'RELAXATION' }).runs.map((r) => r.id)).toEqual([sim.id]);
    expect(store.runs.facets().devices).toEqual([
      { kind: 'instrument', name: 'keithley2600', runs: 1 },
      { kind: 'simulated', name: 'filamentary', runs: 1 },
    ]);
    store.close();

    const plan = (sql: string, ...params: unknown[]) =>
      peek(path.join(dir, DATABASE_FILE_NAME), (db) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('; '));
    expect(plan('SELECT id FROM runs WHERE device_kind = ? AND device_name = ?', 'simulated', 'x')).toMatch(/USING (COVERING )?INDEX runs_by_device/);
    expect(plan('SELECT id FROM runs WHERE protocol_name = ? COLLATE NOCASE', 'x')).toMatch(/USING (COVERING )?INDEX runs_by_protocol_name/);
    expect(plan('SELECT id FROM runs WHERE protocol_hash >= ? AND protocol_hash < ?', 'ab', 'ac')).toMatch(/USING (COVERING )?INDEX runs_by_protocol_hash/);
  });
});
