/**
 * The store's writer thread (electron/services/store/writer-thread.ts), which a fast run writes
 * its samples through: on a real SQLite file, with a real worker thread. It stores exactly what
 * the main thread's SampleWriter stores, commits everything by flush(), keeps at most its backlog
 * uncommitted, leaves what it committed checkpointed into the database file once let go, and reports
 * the thread's failures with the SampleWriter's own errors.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHUNK_SIZE, openStore, StoreError, type Columns, type Store } from '../../../electron/services/store';
import { WriterThreads, openThreadWriter } from '../../../electron/services/store/writer-thread';
import { samples } from '../store/fixtures/samples';
import { THREAD_WORTH_SAMPLES } from '../../../electron/services/runs/engine';
import { harness, onCleanup, prepared, readsDoc, sim, tempDir } from './helpers';

function storeWithRun(status: 'running' | 'queued' = 'running'): { store: Store; runId: string } {
  const store = openStore(tempDir(), { appVersion: '0.1.0-test' });
  onCleanup(() => {
    if (store.isOpen) store.close();
  });
  const runId = store.runs.create({ experimentName: 'e', name: 'r', status }).id;
  return { store, runId };
}

function plain(c: Columns): Record<string, number[]> {
  return { t: [...c.t], v: [...c.v], i: [...c.i], g: [...c.g], kind: [...c.kind], block: [...c.block] };
}

function chunkSizes(file: string, runId: string): number[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT n FROM sample_chunks WHERE run_id = ? ORDER BY seq').all(runId) as { n: number }[]).map((r) => r.n);
  } finally {
    db.close();
  }
}

/** Samples of the run in the database file alone, read from a copy of it without its WAL. */
function samplesInFileAlone(file: string, runId: string): number {
  const copy = path.join(tempDir(), 'without-wal.sqlite');
  fs.copyFileSync(file, copy);
  const db = new Database(copy);
  try {
    return (db.prepare('SELECT coalesce(sum(n), 0) AS n FROM sample_chunks WHERE run_id = ?').get(runId) as { n: number }).n;
  } finally {
    db.close();
  }
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

/** The threads every writer of these tests shares, as a run engine's writers do. */
const threads = new WriterThreads();
afterAll(() => threads.close());

describe('the writer thread', () => {
  it('stores what the main-thread writer stores: samples, chunks and the run summary', async () => {
    const sizes = [1, 4095, 4097, 10_000, 50, 30_000, 3];
    const { store: a, runId: ra } = storeWithRun();
    const { store: b, runId: rb } = storeWithRun();
    const inline = a.openWriter(ra, { maxPendingMs: Number.POSITIVE_INFINITY });
    const thread = await openThreadWriter(threads, b.file, rb);
    let at = 0;
    for (const [k, n] of sizes.entries()) {
      inline.append(samples(n, at));
      thread.append(samples(n, at));
      at += n;
      if (k === 3) {
        inline.flush();
        thread.flush();
        expect(thread.committed).toBe(at);
        expect(b.runs.get(rb).sampleCount).toBe(at); // a reader on the main connection sees it all
      }
    }
    inline.close();
    thread.close();
    expect(thread.isOpen).toBe(false);
    expect(chunkSizes(b.file, rb)).toEqual(chunkSizes(a.file, ra));
    expect(plain(b.readSamples(rb))).toEqual(plain(samples(at)));
    const [x, y] = [a.runs.get(ra), b.runs.get(rb)];
    expect([y.sampleCount, y.initialG, y.finalG, y.minG, y.maxG]).toEqual([x.sampleCount, x.initialG, x.finalG, x.minG, x.maxG]);
  });

  it('round-trips any sequence of appends and flushes (property)', async () => {
    const { store, runId } = storeWithRun();
    let written = 0;
    const op = fc.oneof(
      fc.record({ kind: fc.constant('append' as const), n: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 20_000 })) }),
      fc.record({ kind: fc.constant('flush' as const), n: fc.constant(0) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 8 }), async (ops, backlogChunks) => {
        const w = await openThreadWriter(threads, store.file, runId, { maxBacklog: backlogChunks * CHUNK_SIZE });
        for (const o of ops) {
          if (o.kind === 'append') {
            w.append(samples(o.n, written));
            written += o.n;
          } else w.flush();
        }
        w.close();
        expect(chunkSizes(store.file, runId).every((n) => n > 0 && n <= CHUNK_SIZE)).toBe(true);
        expect(store.runs.get(runId).sampleCount).toBe(written);
      }),
      { numRuns: 25 },
    );
    expect(plain(store.readSamples(runId))).toEqual(plain(samples(written)));
  });

  it('never holds more than its backlog uncommitted', async () => {
    const { store, runId } = storeWithRun();
    const maxBacklog = 2 * CHUNK_SIZE;
    const w = await openThreadWriter(threads, store.file, runId, { maxBacklog });
    let written = 0;
    let most = 0;
    for (let k = 0; k < 200; k++) {
      w.append(samples(3000, written));
      written += 3000;
      most = Math.max(most, w.pending);
      expect(w.pending).toBeLessThanOrEqual(maxBacklog);
      // What a reader of the database does not see yet is never more than the backlog either.
      expect(written - store.runs.get(runId).sampleCount).toBeLessThanOrEqual(maxBacklog);
    }
    expect(most).toBeGreaterThan(0);
    w.flush();
    expect(w.pending).toBe(0);
    expect(store.runs.get(runId).sampleCount).toBe(written);
    w.close();
  });

  it('leaves everything it committed in the database file, not only in the WAL, once let go (two writers at once)', async () => {
    // Far fewer pages than SQLite's automatic checkpoint waits for (1000): without the checkpoint
    // thread, these commits would all still be in the WAL only.
    const runs = [storeWithRun(), storeWithRun()];
    const writers = await Promise.all(runs.map(({ store, runId }) => openThreadWriter(threads, store.file, runId)));
    const sizes = [3 * CHUNK_SIZE + 17, 5 * CHUNK_SIZE];
    for (let k = 0; k < 4; k++) {
      for (const [w, writer] of writers.entries()) {
        writer.append(samples(sizes[w] as number, k * (sizes[w] as number)));
        writer.flush();
      }
    }
    for (const writer of writers) writer.close();
    for (const [w, { store, runId }] of runs.entries()) {
      expect(store.runs.get(runId).sampleCount).toBe(4 * (sizes[w] as number));
      expect(samplesInFileAlone(store.file, runId)).toBe(4 * (sizes[w] as number));
    }
  });

  it("fails like the main-thread writer when the run ends behind the writer's back", async () => {
    const { store, runId } = storeWithRun();
    const w = await openThreadWriter(threads, store.file, runId);
    w.append(samples(5000));
    w.flush();
    store.runs.setStatus(runId, 'stopped');
    w.append(samples(9000, 5000)); // handed over; the thread's commit is refused
    const error = caught(() => w.flush());
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).reason).toBe('conflict');
    expect((error as Error).message).toMatch(/is stopped; samples are stored only while a run is running or paused/);
    expect((error as StoreError).details).toMatchObject({ status: 'stopped' });
    expect(caught(() => w.append(samples(1)))).toBe(error); // and keeps failing
    w.detach('the test is over');
    expect(store.runs.get(runId).sampleCount).toBe(5000);
    expect(plain(store.readSamples(runId))).toEqual(plain(samples(5000)));
    expect((caught(() => w.append(samples(1))) as StoreError).reason).toBe('conflict'); // closed
  });

  it('refuses an unknown run, a queued one, and a file that is not there, with the store’s errors', async () => {
    const { store, runId } = storeWithRun('queued');
    await expect(openThreadWriter(threads, store.file, '6f1c1d8e-2f3a-4b5c-8d9e-0a1b2c3d4e5f')).rejects.toMatchObject({ name: 'StoreError', code: 'not_found' });
    const queued = await openThreadWriter(threads, store.file, runId);
    queued.append(samples(10));
    expect((caught(() => queued.flush()) as StoreError).reason).toBe('conflict');
    queued.detach('refused');
    await expect(openThreadWriter(threads, `${tempDir()}/missing.sqlite`, runId)).rejects.toThrow(/missing\.sqlite|unable to open|does not exist/);
  });

  it('checks the columns it is given, as the main-thread writer does', async () => {
    const { store, runId } = storeWithRun();
    const w = await openThreadWriter(threads, store.file, runId);
    const good = samples(4);
    expect((caught(() => w.append({ ...good, length: 5 })) as StoreError).reason).toBe('invalid');
    expect((caught(() => w.append({ ...good, kind: new Uint8Array(3) })) as StoreError).reason).toBe('invalid');
    w.append(good);
    w.close();
    expect(plain(store.readSamples(runId))).toEqual(plain(good));
  });

  it('is started only for a fast run big enough to pay for it; once running, every fast run writes on it', { timeout: 120_000 }, async () => {
    const own = new WriterThreads();
    onCleanup(() => own.close());
    const h = harness({ writerThreads: own });
    const small = h.engine.submit({ protocol: prepared(readsDoc(20_000)), device: sim(3) });
    expect((await h.engine.whenDone(small.runId)).sampleCount).toBe(20_000);
    expect(own.running).toBe(false);
    const big = h.engine.submit({ protocol: prepared(readsDoc(THREAD_WORTH_SAMPLES)), device: sim(3) });
    expect((await h.engine.whenDone(big.runId)).sampleCount).toBe(THREAD_WORTH_SAMPLES);
    expect(own.running).toBe(true);
    // The small run again, now on the running thread: the same samples as on the main thread.
    const again = h.engine.submit({ protocol: prepared(readsDoc(20_000)), device: sim(3) });
    await h.engine.whenDone(again.runId);
    const a = h.store.readSamples(small.runId);
    const b = h.store.readSamples(again.runId);
    for (const key of ['t', 'i', 'g'] as const) expect(Buffer.compare(Buffer.from(a[key].buffer), Buffer.from(b[key].buffer))).toBe(0);
  });
});
