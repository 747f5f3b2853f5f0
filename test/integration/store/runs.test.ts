import { createHash } from 'node:crypto';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { INTERRUPTED_EXIT_REASON, StoreError, transitions, type RunStatus } from '../../../electron/services/store/index';
import { freshStore, manualClock, peek, samples } from './helpers';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof StoreError) return e.reason;
    throw e;
  }
  return undefined;
}

const protocol = { name: 'LTP train', version: 3, blocks: [{ kind: 'pulse', amplitude: 1.2, width: 1e-6, count: 100 }] };
const device = { kind: 'simulated', model: 'intrinsic-gradient', parameters: { g0: 1e-4 }, seed: 42 };

describe('runs', () => {
  it('creates a queued run with its provenance snapshot and reads it back', () => {
    const clock = manualClock('2025-02-01T10:00:00.000Z');
    const store = freshStore({ now: clock.now, appVersion: '1.2.3', host: 'lab-pc-7' });
    const run = store.runs.create({
      experimentName: 'Plasticity',
      name: 'LTP #1',
      protocol,
      device,
      instrumentIdn: null,
      notes: 'first try',
      tags: ['ltp', ' baseline ', 'ltp'],
    });
    expect(run).toMatchObject({
      experimentName: 'Plasticity',
      name: 'LTP #1',
      status: 'queued',
      exitReason: null,
      protocolName: 'LTP train',
      deviceKind: 'simulated',
      protocol,
      device,
      protocolHash: createHash('sha256').update(JSON.stringify(protocol)).digest('hex'),
      instrumentIdn: null,
      appVersion: '1.2.3',
      host: 'lab-pc-7',
      createdAt: '2025-02-01T10:00:00.000Z',
      startedAt: null,
      endedAt: null,
      notes: 'first try',
      tags: ['ltp', 'baseline'],
      sampleCount: 0,
      initialG: null,
      finalG: null,
      minG: null,
    });
    expect(store.runs.get(run.id)).toEqual(run);
    expect(store.experiments.findByName('plasticity')?.id).toBe(run.experimentId);
  });

  it('records the host name by default, a given protocol hash, an instrument IDN, a caller-chosen id', () => {
    const store = freshStore();
    const id = '0b7e6f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
    const run = store.runs.create({
      id,
      experimentName: 'x',
      name: 'hw',
      status: 'running',
      protocolHash: 'abc123',
      protocol,
      device: { kind: 'instrument', driver: 'keithley-2400', port: '/dev/ttyUSB0' },
      instrumentIdn: 'KEITHLEY INSTRUMENTS INC.,MODEL 2400,1234567,C30',
    });
    expect(run.id).toBe(id);
    expect(run.host).toBe(os.hostname());
    expect(run.protocolHash).toBe('abc123');
    expect(run.instrumentIdn).toMatch(/MODEL 2400/);
    expect(run.status).toBe('running');
    expect(run.startedAt).toBe(run.createdAt);
    expect(codeOf(() => store.runs.create({ id, experimentName: 'x', name: 'again' }))).toBe('conflict');
  });

  it('validates new runs and writes nothing when they are invalid', () => {
    const store = freshStore();
    const exp = store.experiments.create({ name: 'e' });
    const bad: Array<Record<string, unknown>> = [
      { experimentId: exp.id, name: '' },
      { experimentId: exp.id, name: 'r', status: 'completed' },
      { experimentId: exp.id, name: 'r', status: 'bogus' },
      { name: 'r' }, // no experiment
      { experimentId: exp.id, experimentName: 'e', name: 'r' }, // both
      { experimentId: 'nope', name: 'r' },
      { experimentId: exp.id, name: 'r', tags: ['ok', ''] },
      { experimentId: exp.id, name: 'r', tags: 'ltp' },
      { experimentId: exp.id, name: 'r', protocol: 'not an object' },
      { experimentId: exp.id, name: 'r', device: [1, 2] },
      { experimentId: exp.id, name: 'r', id: '12345' },
      { experimentId: exp.id, name: 'r', notes: 7 },
    ];
    for (const input of bad) expect(codeOf(() => store.runs.create(input as never)), JSON.stringify(input)).toBe('invalid');
    expect(codeOf(() => store.runs.create({ experimentId: '6f1c1d8e-2f3a-4b5c-8d9e-0a1b2c3d4e5f', name: 'r' }))).toBe('not_found');
    expect(store.runs.list().total).toBe(0);
    expect(store.experiments.list().map((e) => e.name)).toEqual(['e']);
  });

  it('follows the status transitions, stamping startedAt, endedAt and the exit reason', () => {
    const clock = manualClock('2025-01-01T00:00:00.000Z');
    const store = freshStore({ now: clock.now });
    const run = store.runs.create({ experimentName: 'e', name: 'r' });
    clock.set('2025-01-01T00:00:05.000Z');
    let r = store.runs.setStatus(run.id, 'running');
    expect(r.startedAt).toBe('2025-01-01T00:00:05.000Z');
    clock.set('2025-01-01T00:00:09.000Z');
    r = store.runs.setStatus(run.id, 'paused');
    clock.set('2025-01-01T00:00:12.000Z');
    r = store.runs.setStatus(run.id, 'running');
    expect(r.startedAt).toBe('2025-01-01T00:00:05.000Z'); // the first start stays
    expect(r.endedAt).toBeNull();
    r = store.runs.setStatus(run.id, 'stopped', { exitReason: 'stopped by the user', at: '2025-01-01T00:01:00Z' });
    expect(r).toMatchObject({ status: 'stopped', exitReason: 'stopped by the user', endedAt: '2025-01-01T00:01:00.000Z' });
    for (const s of ['running', 'completed', 'queued', 'interrupted'] as RunStatus[]) {
      expect(codeOf(() => store.runs.setStatus(run.id, s))).toBe('conflict');
    }
    expect(store.runs.get(run.id).status).toBe('stopped');
  });

  it('allows exactly the transitions in the table', () => {
    const store = freshStore();
    const all = Object.keys(transitions) as RunStatus[];
    // Reach each starting status through allowed moves, then try every target from there.
    const pathTo: Record<RunStatus, RunStatus[]> = {
      queued: [],
      running: ['running'],
      paused: ['running', 'paused'],
      completed: ['running', 'completed'],
      stopped: ['stopped'],
      aborted: ['aborted'],
      interrupted: ['running', 'interrupted'],
      failed: ['failed'],
    };
    for (const from of all) {
      for (const to of all) {
        const run = store.runs.create({ experimentName: 'e', name: `${from}->${to}` });
        for (const step of pathTo[from]) store.runs.setStatus(run.id, step);
        const code = codeOf(() => store.runs.setStatus(run.id, to));
        expect(code, `${from} -> ${to}`).toBe(transitions[from].includes(to) ? undefined : 'conflict');
      }
    }
  });

  it('renames, sets notes and tags, moves between experiments, validating each', () => {
    const clock = manualClock();
    const store = freshStore({ now: clock.now });
    const run = store.runs.create({ experimentName: 'e', name: 'r' });
    clock.advance(1000);
    expect(store.runs.rename(run.id, ' better name ').name).toBe('better name');
    expect(store.runs.setNotes(run.id, 'device looked fine').notes).toBe('device looked fine');
    const tagged = store.runs.setTags(run.id, ['a', 'b', 'a']);
    expect(tagged.tags).toEqual(['a', 'b']);
    expect(tagged.updatedAt).toBe('2025-01-01T00:00:01.000Z');
    const other = store.experiments.create({ name: 'other' });
    expect(store.runs.move(run.id, other.id).experimentName).toBe('other');
    expect(codeOf(() => store.runs.rename(run.id, ''))).toBe('invalid');
    expect(codeOf(() => store.runs.setTags(run.id, ['x'.repeat(101)]))).toBe('invalid');
    expect(codeOf(() => store.runs.setNotes(run.id, null as unknown as string))).toBe('invalid');
    expect(codeOf(() => store.runs.rename('6f1c1d8e-2f3a-4b5c-8d9e-0a1b2c3d4e5f', 'x'))).toBe('not_found');
    expect(codeOf(() => store.runs.setStatus(run.id, 'done' as RunStatus))).toBe('invalid');
    expect(store.runs.get(run.id).name).toBe('better name');
  });

  it('deletes a run with its samples; refuses to delete an active one', () => {
    const store = freshStore();
    const run = store.runs.create({ experimentName: 'e', name: 'r', status: 'running' });
    const keep = store.runs.create({ experimentName: 'e', name: 'keep', status: 'running' });
    for (const id of [run.id, keep.id]) {
      const w = store.openWriter(id);
      w.append(samples(10_000));
      w.close();
    }
    expect(codeOf(() => store.runs.delete(run.id))).toBe('conflict');
    store.runs.setStatus(run.id, 'completed');
    store.runs.delete(run.id);
    expect(codeOf(() => store.runs.get(run.id))).toBe('not_found');
    expect(codeOf(() => store.runs.delete(run.id))).toBe('not_found');
    const chunks = peek(store.file, (db) => db.prepare('SELECT run_id, count(*) AS n FROM sample_chunks GROUP BY run_id').all());
    expect(chunks).toEqual([{ run_id: keep.id, n: 3 }]);
    expect(store.readSamples(keep.id).length).toBe(10_000);
  });

  it('marks runs left running or paused as interrupted, keeping their samples and last activity as endedAt', () => {
    const clock = manualClock('2025-05-05T05:05:05.000Z');
    const store = freshStore({ now: clock.now });
    const running = store.runs.create({ experimentName: 'e', name: 'running', status: 'running' });
    const paused = store.runs.create({ experimentName: 'e', name: 'paused', status: 'running' });
    const queued = store.runs.create({ experimentName: 'e', name: 'queued' });
    const done = store.runs.create({ experimentName: 'e', name: 'done', status: 'running' });
    store.runs.setStatus(paused.id, 'paused');
    store.runs.setStatus(done.id, 'completed');
    clock.set('2025-05-05T06:00:00.000Z');
    expect(store.markInterruptedRuns()).toBe(2);
    for (const id of [running.id, paused.id]) {
      expect(store.runs.get(id)).toMatchObject({ status: 'interrupted', exitReason: INTERRUPTED_EXIT_REASON, endedAt: '2025-05-05T05:05:05.000Z' });
    }
    expect(store.runs.get(queued.id).status).toBe('queued');
    expect(store.runs.get(done.id).status).toBe('completed');
    expect(store.markInterruptedRuns()).toBe(0);
  });

  it('does not mark a run this process is writing as interrupted', () => {
    const store = freshStore();
    const live = store.runs.create({ experimentName: 'e', name: 'live', status: 'running' });
    store.openWriter(live.id);
    expect(store.markInterruptedRuns()).toBe(0);
    expect(store.runs.get(live.id).status).toBe('running');
  });
});

describe('runs.list', () => {
  function seeded() {
    const clock = manualClock('2025-01-01T00:00:00.000Z');
    const store = freshStore({ now: clock.now });
    const a = store.experiments.create({ name: 'A' });
    const b = store.experiments.create({ name: 'B' });
    const mk = (day: number, experimentId: string, name: string, extra: Record<string, unknown> = {}) => {
      clock.set(`2025-01-${String(day).padStart(2, '0')}T12:00:00.000Z`);
      return store.runs.create({ experimentId, name, ...extra });
    };
    const r1 = mk(1, a.id, 'LTP sweep', { tags: ['ltp'], protocol: { name: 'Potentiation 100' }, device: { kind: 'simulated' } });
    const r2 = mk(2, a.id, 'LTD sweep', { tags: ['ltd', 'baseline'], notes: 'noisy contact', device: { kind: 'instrument' } });
    const r3 = mk(3, b.id, 'Retention 85C', { tags: ['baseline'], protocol: { name: 'Read only 50%_x' }, device: { kind: 'simulated' } });
    const r4 = mk(4, b.id, 'Endurance', { status: 'running' });
    store.runs.setStatus(r4.id, 'failed', { exitReason: 'compliance hit' });
    return { store, a, b, r1, r2, r3, r4 };
  }

  it('lists newest first with the total', () => {
    const { store, r1, r2, r3, r4 } = seeded();
    const all = store.runs.list();
    expect(all.total).toBe(4);
    expect(all.runs.map((r) => r.id)).toEqual([r4.id, r3.id, r2.id, r1.id]);
    expect(all.runs[0]).not.toHaveProperty('protocol'); // summaries carry no documents
  });

  it('filters by experiment, status (one or several), device kind', () => {
    const { store, a, r1, r2, r3, r4 } = seeded();
    expect(store.runs.list({ experimentId: a.id }).runs.map((r) => r.id)).toEqual([r2.id, r1.id]);
    expect(store.runs.list({ status: 'failed' }).runs.map((r) => r.id)).toEqual([r4.id]);
    expect(store.runs.list({ status: ['failed', 'queued'] }).total).toBe(4);
    expect(store.runs.list({ status: 'running' }).total).toBe(0);
    expect(store.runs.list({ deviceKind: 'simulated' }).runs.map((r) => r.id)).toEqual([r3.id, r1.id]);
    expect(store.runs.list({ deviceKind: 'instrument' }).runs.map((r) => r.id)).toEqual([r2.id]);
  });

  it('searches names, notes and protocol names, case-insensitively and literally', () => {
    const { store, r1, r2, r3 } = seeded();
    expect(store.runs.list({ search: 'sweep' }).runs.map((r) => r.id)).toEqual([r2.id, r1.id]);
    expect(store.runs.list({ search: 'NOISY' }).runs.map((r) => r.id)).toEqual([r2.id]);
    expect(store.runs.list({ search: 'potentiation' }).runs.map((r) => r.id)).toEqual([r1.id]);
    expect(store.runs.list({ search: '50%_x' }).runs.map((r) => r.id)).toEqual([r3.id]);
    expect(store.runs.list({ search: '%' }).runs.map((r) => r.id)).toEqual([r3.id]); // % is not a wildcard
    expect(store.runs.list({ search: '_' }).runs.map((r) => r.id)).toEqual([r3.id]);
    expect(store.runs.list({ search: '   ' }).total).toBe(4);
  });

  it('filters by tag (all given tags must be present) and by creation date range', () => {
    const { store, r1, r2, r3 } = seeded();
    expect(store.runs.list({ tag: 'baseline' }).runs.map((r) => r.id)).toEqual([r3.id, r2.id]);
    expect(store.runs.list({ tag: ['baseline', 'ltd'] }).runs.map((r) => r.id)).toEqual([r2.id]);
    expect(store.runs.list({ tag: 'base' }).total).toBe(0); // whole tags only
    expect(
      store.runs.list({ createdFrom: '2025-01-02T00:00:00Z', createdTo: new Date('2025-01-04T00:00:00Z') }).runs.map((r) => r.id),
    ).toEqual([r3.id, r2.id]);
    expect(store.runs.list({ createdFrom: Date.parse('2025-01-01T12:00:00Z'), createdTo: '2025-01-01T12:00:00.001Z' }).runs.map((r) => r.id)).toEqual([
      r1.id,
    ]);
    expect(store.runs.list({ experimentId: r1.experimentId, tag: 'ltp', search: 'LTP', createdTo: '2030-01-01' }).total).toBe(1);
  });

  it('pages with limit and offset, keeping the total', () => {
    const { store, r1, r2, r3, r4 } = seeded();
    const p1 = store.runs.list({ limit: 3 });
    const p2 = store.runs.list({ limit: 3, offset: 3 });
    expect(p1.total).toBe(4);
    expect(p2.total).toBe(4);
    expect([...p1.runs, ...p2.runs].map((r) => r.id)).toEqual([r4.id, r3.id, r2.id, r1.id]);
    expect(store.runs.list({ offset: 10 }).runs).toEqual([]);
  });

  it('rejects bad filters', () => {
    const { store } = seeded();
    const bad: Array<Record<string, unknown>> = [
      { experimentId: 'x' },
      { status: 'done' },
      { status: [] },
      { limit: 0 },
      { limit: 1001 },
      { limit: 1.5 },
      { offset: -1 },
      { createdFrom: 'yesterday-ish' },
      { tag: '' },
      { search: 5 },
    ];
    for (const f of bad) expect(codeOf(() => store.runs.list(f as never)), JSON.stringify(f)).toBe('invalid');
  });
});
