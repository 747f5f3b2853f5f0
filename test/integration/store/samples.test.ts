import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHUNK_SIZE, StoreError, type Columns } from '../../../electron/services/store/index';
import { chunkSizes, freshStore, open, peek, plain, samples, slice, storeWithRun, tempDir } from './helpers';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof StoreError) return e.reason;
    throw e;
  }
  return undefined;
}

/** A clock for the writer that only moves when told. */
function writerClock() {
  let t = 0;
  return { clock: () => t, advance: (ms: number) => (t += ms) };
}

function committedConsistent(file: string, runId: string): { count: number; sum: number } {
  return peek(file, (db) => ({
    count: db.prepare('SELECT sample_count FROM runs WHERE id = ?').pluck().get(runId) as number,
    sum: db.prepare('SELECT coalesce(sum(n), 0) FROM sample_chunks WHERE run_id = ?').pluck().get(runId) as number,
  }));
}

describe('SampleWriter', () => {
  it('cuts appends into 4096-sample chunks, commits full chunks at once, keeps the tail until flush', () => {
    const { store, runId } = storeWithRun();
    const { clock } = writerClock();
    const w = store.openWriter(runId, { clock });
    const data = samples(20_000);
    w.append(slice(data, 0, 10_000));
    expect(w.committed).toBe(8192);
    expect(w.pending).toBe(10_000 - 8192);
    expect(chunkSizes(store.file, runId)).toEqual([4096, 4096]);
    expect(store.runs.get(runId).sampleCount).toBe(8192);
    expect(store.readSamples(runId).length).toBe(8192);

    w.flush();
    expect(chunkSizes(store.file, runId)).toEqual([4096, 4096, 1808]);
    w.flush(); // nothing pending: no empty chunk
    expect(chunkSizes(store.file, runId)).toEqual([4096, 4096, 1808]);

    w.append(slice(data, 10_000, 15_000)); // a new chunk starts after a flush
    expect(chunkSizes(store.file, runId)).toEqual([4096, 4096, 1808, 4096]);
    w.append(slice(data, 15_000, 15_100));
    expect(w.pending).toBe(1004);
    w.append(slice(data, 15_100, 20_000)); // completes the partial chunk in the writer's buffer
    expect(chunkSizes(store.file, runId)).toEqual([4096, 4096, 1808, 4096, 4096]);
    expect(w.pending).toBe(1808);
    w.close();
    expect(chunkSizes(store.file, runId)).toEqual([4096, 4096, 1808, 4096, 4096, 1808]);
    expect(plain(store.readSamples(runId))).toEqual(plain(data));
  });

  it('stores each column as the little-endian bytes of its typed array', () => {
    const { store, runId } = storeWithRun();
    const w = store.openWriter(runId);
    const data = samples(3, 7);
    w.append(data);
    w.flush();
    const row = peek(store.file, (db) => db.prepare('SELECT * FROM sample_chunks WHERE run_id = ?').get(runId)) as Record<string, Buffer | number>;
    expect(row.n).toBe(3);
    expect(row.start).toBe(0);
    const f64 = (xs: Float64Array) => Buffer.concat([...xs].map((x) => { const b = Buffer.alloc(8); b.writeDoubleLE(x); return b; }));
    const i32 = (xs: Int32Array) => Buffer.concat([...xs].map((x) => { const b = Buffer.alloc(4); b.writeInt32LE(x); return b; }));
    expect(row.t).toEqual(f64(data.t));
    expect(row.v).toEqual(f64(data.v));
    expect(row.i).toEqual(f64(data.i));
    expect(row.g).toEqual(f64(data.g));
    expect(row.kind).toEqual(Buffer.from(data.kind));
    expect(row.block).toEqual(i32(data.block));
  });

  it('keeps the run summary equal to the committed samples after every append', () => {
    const { store, runId } = storeWithRun();
    const w = store.openWriter(runId);
    const g = [NaN, 3e-4, 1e-4, Infinity, 5e-4, 2e-4, NaN];
    const data: Columns = { ...samples(g.length), g: new Float64Array(g) };
    w.append(data);
    w.flush();
    const r = store.runs.get(runId);
    expect(r).toMatchObject({ sampleCount: 7, initialG: 3e-4, finalG: 2e-4, minG: 1e-4, maxG: 5e-4 });

    const more = samples(9000, 7);
    w.append(more);
    const { count, sum } = committedConsistent(store.file, runId);
    expect(count).toBe(sum);
    expect(count).toBe(7 + 8192);
    const committedG = [...more.g.subarray(0, 8192)];
    const r2 = store.runs.get(runId);
    expect(r2.initialG).toBe(3e-4);
    expect(r2.finalG).toBe(committedG[committedG.length - 1]);
    expect(r2.minG).toBe(Math.min(1e-4, ...committedG));
    expect(r2.maxG).toBe(Math.max(5e-4, ...committedG));
  });

  it('commits a tail older than maxPendingMs on the next append (bounded data at risk)', () => {
    const { store, runId } = storeWithRun();
    const c = writerClock();
    const w = store.openWriter(runId, { clock: c.clock, maxPendingMs: 100 });
    const data = samples(30);
    w.append(slice(data, 0, 10));
    c.advance(60);
    w.append(slice(data, 10, 20));
    expect(w.committed).toBe(0);
    expect(w.pending).toBe(20);
    c.advance(45); // the first samples are now 105 ms old
    w.append(slice(data, 20, 30));
    expect(w.committed).toBe(30);
    expect(w.pending).toBe(0);
    expect(chunkSizes(store.file, runId)).toEqual([30]);
    expect(plain(store.readSamples(runId))).toEqual(plain(data));
  });

  it('with maxPendingMs 0 commits every append, however small', () => {
    const { store, runId } = storeWithRun();
    const w = store.openWriter(runId, { maxPendingMs: 0 });
    for (let k = 0; k < 5; k++) w.append(samples(3, 3 * k));
    expect(chunkSizes(store.file, runId)).toEqual([3, 3, 3, 3, 3]);
    expect(store.runs.get(runId).sampleCount).toBe(15);
  });

  it('is all-or-nothing: an append refused by the database writes nothing, and the writer then closes', () => {
    const { store, runId } = storeWithRun();
    const w = store.openWriter(runId);
    w.append(samples(5000));
    // Another process ends the run behind the writer's back.
    const side = new Database(store.file);
    side.prepare("UPDATE runs SET status = 'stopped' WHERE id = ?").run(runId);
    side.close();
    let error: unknown;
    try {
      w.append(samples(9000, 5000)); // would complete two chunks
    } catch (e) {
      error = e;
    }
    expect((error as StoreError).reason).toBe('conflict');
    expect((error as Error).message).toMatch(/is stopped.*904 earlier samples/);
    expect(chunkSizes(store.file, runId)).toEqual([4096]);
    expect(w.committed).toBe(4096);
    expect(store.runs.get(runId).sampleCount).toBe(4096);
    expect(w.isOpen).toBe(false);
    expect(codeOf(() => w.append(samples(1)))).toBe('conflict');
    expect(() => store.openWriter(runId)).toThrow(/is stopped; it takes no more samples/); // not "already has a writer"
  });

  it('refuses samples for a queued run, and columns that do not line up', () => {
    const store = freshStore();
    const run = store.runs.create({ experimentName: 'e', name: 'q' });
    const w = store.openWriter(run.id, { maxPendingMs: 0 });
    expect(codeOf(() => w.append(samples(10)))).toBe('conflict');
    expect(store.runs.get(run.id).sampleCount).toBe(0);
    store.runs.setStatus(run.id, 'running');
    const good = samples(4);
    expect(codeOf(() => w.append({ ...good, length: 5 }))).toBe('invalid');
    expect(codeOf(() => w.append({ ...good, kind: new Uint8Array(3) }))).toBe('invalid');
    expect(codeOf(() => w.append({ ...good, g: [1, 2, 3, 4] as unknown as Float64Array }))).toBe('invalid');
    expect(codeOf(() => w.append({ ...good, block: new Float64Array(4) as unknown as Int32Array }))).toBe('invalid');
    expect(codeOf(() => w.append(null as unknown as Columns))).toBe('invalid');
    w.append(good);
    expect(store.readSamples(run.id).length).toBe(4);
  });

  it('one writer per run; none for an ended or unknown run', () => {
    const { store, runId } = storeWithRun();
    const w = store.openWriter(runId);
    expect(codeOf(() => store.openWriter(runId))).toBe('conflict');
    w.close();
    store.openWriter(runId).close(); // free again after close
    store.runs.setStatus(runId, 'completed');
    expect(codeOf(() => store.openWriter(runId))).toBe('conflict');
    expect(codeOf(() => store.openWriter('6f1c1d8e-2f3a-4b5c-8d9e-0a1b2c3d4e5f'))).toBe('not_found');
    expect(codeOf(() => store.openWriter('run-1'))).toBe('invalid');
  });

  it('ending or pausing a run commits what its writer holds first; an ended run takes no more', () => {
    const { store, runId } = storeWithRun();
    const w = store.openWriter(runId);
    w.append(samples(100));
    expect(store.runs.get(runId).sampleCount).toBe(0);
    store.runs.setStatus(runId, 'paused');
    expect(store.runs.get(runId).sampleCount).toBe(100);
    store.runs.setStatus(runId, 'running');
    w.append(samples(50, 100));
    store.runs.setStatus(runId, 'completed', { exitReason: 'protocol finished' });
    expect(store.runs.get(runId).sampleCount).toBe(150);
    expect(plain(store.readSamples(runId))).toEqual(plain(samples(150)));
    expect(w.isOpen).toBe(false);
    expect(codeOf(() => w.append(samples(1)))).toBe('conflict');
  });

  it('closing the store commits what open writers hold', () => {
    const dir = tempDir();
    const store = open(dir);
    const run = store.runs.create({ experimentName: 'e', name: 'r', status: 'running' });
    store.openWriter(run.id).append(samples(777));
    store.close();
    const again = open(dir);
    expect(again.runs.get(run.id).status).toBe('interrupted'); // it was still running when the store closed
    expect(plain(again.readSamples(run.id))).toEqual(plain(samples(777)));
  });

  it('closing the store closes the database and commits the other writers even when one cannot commit', () => {
    const dir = tempDir();
    const store = open(dir);
    const a = store.runs.create({ experimentName: 'e', name: 'a', status: 'running' });
    const b = store.runs.create({ experimentName: 'e', name: 'b', status: 'running' });
    store.openWriter(a.id).append(samples(10));
    store.openWriter(b.id).append(samples(20));
    const side = new Database(store.file);
    side.prepare("UPDATE runs SET status = 'aborted' WHERE id = ?").run(a.id);
    side.close();
    expect(() => store.close()).toThrow(/is aborted/);
    expect(store.isOpen).toBe(false);
    const again = open(dir);
    expect(again.runs.get(a.id).sampleCount).toBe(0);
    expect(plain(again.readSamples(b.id))).toEqual(plain(samples(20)));
  });

  it('a new writer for a run continues where the last one stopped (sequence, count, summary)', () => {
    const { store, runId } = storeWithRun();
    let w = store.openWriter(runId);
    w.append(samples(5000));
    w.close();
    w = store.openWriter(runId);
    w.append(samples(5000, 5000));
    w.close();
    expect(chunkSizes(store.file, runId)).toEqual([4096, 904, 4096, 904]);
    const run = store.runs.get(runId);
    const all = samples(10_000);
    expect(run.sampleCount).toBe(10_000);
    expect(run.initialG).toBe(all.g[0]);
    expect(run.finalG).toBe(all.g[9999]);
    expect(plain(store.readSamples(runId))).toEqual(plain(all));
  });

  it('round-trips any sequence of appends and flushes, and any range of it (property)', () => {
    const { store, runId } = storeWithRun();
    let written = 0;
    const op = fc.oneof(
      fc.record({ kind: fc.constant('append' as const), n: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 9000 })) }),
      fc.record({ kind: fc.constant('flush' as const), n: fc.constant(0) }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 12 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (ops, a, b) => {
        const w = store.openWriter(runId, { maxPendingMs: Number.POSITIVE_INFINITY });
        for (const o of ops) {
          if (o.kind === 'append') {
            w.append(samples(o.n, written));
            written += o.n;
          } else w.flush();
        }
        w.close();
        const sizes = chunkSizes(store.file, runId);
        expect(sizes.every((n) => n > 0 && n <= CHUNK_SIZE)).toBe(true);
        expect(sizes.reduce((s, n) => s + n, 0)).toBe(written);
        expect(store.runs.get(runId).sampleCount).toBe(written);
        const from = Math.floor(Math.min(a, b) * written);
        const to = Math.floor(Math.max(a, b) * written);
        expect(plain(store.readSamples(runId, { from, to }))).toEqual(plain(samples(to - from, from)));
      }),
      { numRuns: 40 },
    );
    expect(plain(store.readSamples(runId))).toEqual(plain(samples(written)));
  });
});

describe('readSamples', () => {
  it('reads ranges across chunk boundaries, clamps `to` to what is committed, and refuses bad ranges', () => {
    const { store, runId } = storeWithRun();
    const w = store.openWriter(runId);
    w.append(samples(10_000));
    w.flush();
    expect(plain(store.readSamples(runId, { from: 4090, to: 8200 }))).toEqual(plain(samples(8200 - 4090, 4090)));
    expect(plain(store.readSamples(runId, { from: 9000 }))).toEqual(plain(samples(1000, 9000)));
    expect(plain(store.readSamples(runId, { to: 3 }))).toEqual(plain(samples(3)));
    expect(store.readSamples(runId, { from: 9990, to: 50_000 }).length).toBe(10);
    expect(store.readSamples(runId, { from: 20_000 }).length).toBe(0);
    expect(store.readSamples(runId, { from: 5, to: 5 }).length).toBe(0);
    expect(codeOf(() => store.readSamples(runId, { from: 10, to: 5 }))).toBe('invalid');
    expect(codeOf(() => store.readSamples(runId, { from: -1 }))).toBe('invalid');
    expect(codeOf(() => store.readSamples(runId, { from: 1.5 }))).toBe('invalid');
    expect(codeOf(() => store.readSamples('6f1c1d8e-2f3a-4b5c-8d9e-0a1b2c3d4e5f'))).toBe('not_found');
  });

  it('returns typed arrays of the right kinds, each with its own aligned memory', () => {
    const { store, runId } = storeWithRun();
    const w = store.openWriter(runId);
    w.append(samples(5000));
    w.flush();
    const c = store.readSamples(runId, { from: 1, to: 4999 });
    expect(c.t).toBeInstanceOf(Float64Array);
    expect(c.kind).toBeInstanceOf(Uint8Array);
    expect(c.block).toBeInstanceOf(Int32Array);
    expect(c.t.byteOffset % 8).toBe(0);
    expect(c.block.byteOffset % 4).toBe(0);
    expect(c.t.buffer).not.toBe(c.v.buffer);
    expect(c.length).toBe(4998);
  });

  it('reports a missing chunk as corruption instead of returning shifted samples', () => {
    const { store, runId } = storeWithRun();
    const w = store.openWriter(runId);
    w.append(samples(12_288));
    const side = new Database(store.file);
    side.prepare('DELETE FROM sample_chunks WHERE run_id = ? AND seq = 1').run(runId);
    side.close();
    expect(codeOf(() => store.readSamples(runId))).toBe('corrupt');
    expect(plain(store.readSamples(runId, { to: 4096 }))).toEqual(plain(samples(4096)));
  });

  // How fast: `workbench bench` (store.read), against a raw SELECT of the same chunks.
  it('reads 1,000,000 samples back intact, every time', () => {
    const { store, runId } = storeWithRun();
    const w = store.openWriter(runId);
    const data = samples(1_000_000);
    for (let k = 0; k < data.length; k += 2000) w.append(slice(data, k, k + 2000));
    w.close();
    for (let r = 0; r < 2; r++) {
      const back: Columns = store.readSamples(runId);
      expect(back.length).toBe(1_000_000);
      for (const key of ['t', 'v', 'i', 'g', 'kind', 'block'] as const) {
        expect(Buffer.compare(Buffer.from(back[key].buffer), Buffer.from(data[key].buffer)), key).toBe(0);
      }
    }
  });
});
