/**
 * Samples, stored as columnar chunks: one `sample_chunks` row per run and run of up to CHUNK_SIZE
 * samples, each column the raw little-endian bytes of its typed array.
 *
 * Write path (SampleWriter): `append` copies nothing it does not have to. Full chunks are written
 * straight from the caller's arrays (a partly filled chunk is completed in the writer's own
 * buffer), all of one `append` in one transaction, together with the run's summary columns
 * (sample_count, initial_g, final_g, min_g, max_g) — so the summary always describes exactly the
 * committed samples. Samples that do not fill a chunk wait in memory; they are committed as a
 * (shorter) chunk of their own by `flush()`, or by the first `append` that finds the oldest of them
 * older than `maxPendingMs` (default 100 ms). So a live run that keeps appending never has more
 * than ~maxPendingMs + one append interval of samples uncommitted, whatever its sample rate, while
 * a fast run still writes full 4096-sample chunks. An `append` is all-or-nothing: if its
 * transaction fails, the writer is as it was before the call.
 *
 * With WAL and synchronous = NORMAL a commit is not an fsync: it survives the process being
 * killed (the OS keeps the log), which is what the workbench must survive; only a power loss can
 * take the last commits.
 */
import os from 'node:os';
import { allocColumns, sliceColumns, type SampleColumns } from '../../../shared/samples/columns';
import type { StoreContext, WriterHandle } from './context';
import { StoreError } from './errors';
import { CHUNK_SIZE } from './identity';
import { activeRunStatuses } from '../../../shared/contract';
import { checkInteger, checkUuid, invalid } from './validate';

// Typed arrays are stored as their memory image; every platform the workbench ships on is little-endian.
if (os.endianness() !== 'LE') throw new Error('The workbench store needs a little-endian machine.');

/** The columns of a set of samples: shared/samples/columns.ts's SampleColumns. */
export type Columns = SampleColumns;

export interface SampleWriterOptions {
  /**
   * Longest time (ms) appended samples may wait in memory before an `append` commits them as a
   * partial chunk. Default 100. 0 commits everything on every append.
   */
  maxPendingMs?: number;
  /** Clock in milliseconds (tests). Default performance.now. */
  clock?: () => number;
}

export interface SampleRange {
  /** First sample index (default 0). */
  from?: number;
  /** One past the last sample index (default: all committed samples; clamped to them). */
  to?: number;
}

export interface Summary {
  count: number;
  initialG: number | null;
  finalG: number | null;
  minG: number | null;
  maxG: number | null;
}

function bytes(a: Float64Array | Uint8Array | Int32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

function copyInto(dst: Columns, at: number, src: Columns, start: number, end: number): void {
  dst.t.set(src.t.subarray(start, end), at);
  dst.v.set(src.v.subarray(start, end), at);
  dst.i.set(src.i.subarray(start, end), at);
  dst.g.set(src.g.subarray(start, end), at);
  dst.kind.set(src.kind.subarray(start, end), at);
  dst.block.set(src.block.subarray(start, end), at);
  dst.compliance.set(src.compliance.subarray(start, end), at);
}

/** Like allocColumns, without zero-filling: for readers that then write every byte. Own, aligned memory. */
function allocColumnsUnfilled(n: number): Columns {
  const raw = (bytesPer: number) => Buffer.allocUnsafeSlow(n * bytesPer).buffer as ArrayBuffer;
  return {
    length: n,
    t: new Float64Array(raw(8)),
    v: new Float64Array(raw(8)),
    i: new Float64Array(raw(8)),
    g: new Float64Array(raw(8)),
    kind: new Uint8Array(raw(1)),
    block: new Int32Array(raw(4)),
    compliance: new Uint8Array(raw(1)),
  };
}

/**
 * The compliance column as stored: NULL when no sample of the chunk was in compliance (most chunks:
 * pulses and reads never are), the bytes otherwise. Chunks written before migration 9 are NULL too.
 */
function complianceBlob(a: Uint8Array): Buffer | null {
  for (let k = 0; k < a.length; k++) if (a[k] !== 0) return bytes(a);
  return null;
}

/** Checks that `c` is a SampleColumns whose arrays all hold exactly `length` samples. */
export function checkColumns(c: unknown): Columns {
  if (c === null || typeof c !== 'object') throw invalid('samples must be SampleColumns (t, v, i, g, kind, block, compliance)');
  const s = c as Partial<Columns>;
  const n = s.length;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw invalid('samples.length must be a whole number ≥ 0');
  const expect = [
    ['t', Float64Array],
    ['v', Float64Array],
    ['i', Float64Array],
    ['g', Float64Array],
    ['kind', Uint8Array],
    ['block', Int32Array],
    ['compliance', Uint8Array],
  ] as const;
  for (const [key, type] of expect) {
    const a = s[key];
    if (!(a instanceof type)) throw invalid(`samples.${key} must be a ${type.name}`);
    if (a.length !== n) throw invalid(`samples.${key} holds ${a.length} values but samples.length is ${n}`);
  }
  return s as Columns;
}

/** A summary copied field by field, so every copy has one shape (spread copies did not: summarise was deoptimized once a chunk). */
function copySummary(s: Summary): Summary {
  return { count: s.count, initialG: s.initialG, finalG: s.finalG, minG: s.minG, maxG: s.maxG };
}

/** Folds the finite conductances of `c` into `s` (in place). */
export function summarise(s: Summary, c: Columns): void {
  // The chunk's own figures in plain numbers (a number | null is boxed anew at each change), then merged.
  const g = c.g;
  let found = false;
  let first = 0;
  let last = 0;
  let min = 0;
  let max = 0;
  for (let k = 0; k < g.length; k++) {
    const x = g[k] as number;
    if (x - x !== 0) continue; // NaN or ±Infinity
    if (!found) {
      found = true;
      first = min = max = x;
    }
    last = x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  s.count += c.length;
  if (!found) return;
  if (s.initialG === null) s.initialG = first;
  s.finalG = last;
  if (s.minG === null || min < s.minG) s.minG = min;
  if (s.maxG === null || max > s.maxG) s.maxG = max;
}

const INSERT_CHUNK = `INSERT INTO sample_chunks (run_id, seq, start, n, t, v, i, g, kind, block, compliance) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const UPDATE_SUMMARY = `UPDATE runs SET sample_count = ?, initial_g = ?, final_g = ?, min_g = ?, max_g = ?, updated_at = ?
  WHERE id = ? AND status IN (${activeRunStatuses.map((s) => `'${s}'`).join(',')})`;

/**
 * Writes one run's samples. Get one with `Store.openWriter(runId)`; one writer per run at a time.
 * Samples are accepted while the run is 'running' or 'paused'.
 */
export class SampleWriter implements WriterHandle {
  private readonly buf = allocColumns(CHUNK_SIZE);
  private pendingN = 0;
  private pendingSince = 0;
  private seq: number;
  private summary: Summary;
  private ended: string | null = null;
  private readonly maxPendingMs: number;
  private readonly clock: () => number;
  private readonly commit: (chunks: readonly Columns[], next: Summary) => void;

  /** @internal use Store.openWriter */
  constructor(
    private readonly ctx: StoreContext,
    readonly runId: string,
    start: { seq: number; summary: Summary },
    options: SampleWriterOptions = {},
  ) {
    this.seq = start.seq;
    this.summary = copySummary(start.summary);
    const maxPendingMs = options.maxPendingMs ?? 100;
    if (typeof maxPendingMs !== 'number' || !(maxPendingMs >= 0)) throw invalid('maxPendingMs must be a number ≥ 0');
    this.maxPendingMs = maxPendingMs;
    this.clock = options.clock ?? (() => performance.now());

    const insert = ctx.stmt(INSERT_CHUNK);
    const update = ctx.stmt(UPDATE_SUMMARY);
    this.commit = ctx.db.transaction((chunks: readonly Columns[], next: Summary) => {
      let seq = this.seq;
      let start = this.summary.count;
      for (const c of chunks) {
        insert.run(this.runId, seq, start, c.length, bytes(c.t), bytes(c.v), bytes(c.i), bytes(c.g), bytes(c.kind), bytes(c.block), complianceBlob(c.compliance));
        seq += 1;
        start += c.length;
      }
      const info = update.run(next.count, next.initialG, next.finalG, next.minG, next.maxG, ctx.now(), this.runId);
      if (info.changes === 0) throw this.notAccepting();
    }).immediate;
  }

  /** Samples committed to the store so far. */
  get committed(): number {
    return this.summary.count;
  }

  /** Samples held in memory, not yet committed. */
  get pending(): number {
    return this.pendingN;
  }

  get isOpen(): boolean {
    return this.ended === null;
  }

  /** Takes samples of any count; commits every chunk they complete (and an aged tail) in one transaction. */
  append(samples: Columns): void {
    this.assertOpen();
    const c = checkColumns(samples);
    const n = c.length;
    const now = this.clock();
    const since = this.pendingN > 0 ? this.pendingSince : now;
    const flushTail = now - since >= this.maxPendingMs;

    const chunks: Columns[] = [];
    let off = 0;
    let usedBuffer = false;
    if (this.pendingN > 0) {
      const need = CHUNK_SIZE - this.pendingN;
      if (n >= need) {
        copyInto(this.buf, this.pendingN, c, 0, need); // beyond pendingN: harmless if the commit fails
        chunks.push(this.buf);
        off = need;
        usedBuffer = true;
      } else if (flushTail) {
        copyInto(this.buf, this.pendingN, c, 0, n);
        chunks.push(sliceColumns(this.buf, 0, this.pendingN + n));
        off = n;
        usedBuffer = true;
      }
    }
    while (n - off >= CHUNK_SIZE) {
      chunks.push(sliceColumns(c, off, off + CHUNK_SIZE));
      off += CHUNK_SIZE;
    }
    if (flushTail && n - off > 0 && (usedBuffer || this.pendingN === 0)) {
      chunks.push(sliceColumns(c, off, n));
      off = n;
    }

    if (chunks.length > 0) {
      const next = copySummary(this.summary);
      for (const ch of chunks) summarise(next, ch);
      this.commitChunks(chunks, next);
      if (usedBuffer) this.pendingN = 0;
    }
    if (off < n) {
      if (this.pendingN === 0) this.pendingSince = now;
      copyInto(this.buf, this.pendingN, c, off, n);
      this.pendingN += n - off;
    }
  }

  /**
   * Commits each of `chunks` (at most CHUNK_SIZE samples each) as one chunk row, in order, in one
   * transaction: for a caller that cuts its own chunks (the writer thread, writer-thread.ts). All or
   * nothing, like append; nothing may be held in memory from an earlier append.
   */
  appendChunks(chunks: readonly Columns[]): void {
    this.assertOpen();
    if (this.pendingN > 0) throw new StoreError('conflict', `The sample writer for run ${this.runId} holds samples in memory; flush it before appending whole chunks.`);
    const next = copySummary(this.summary);
    for (const chunk of chunks) {
      const c = checkColumns(chunk);
      if (c.length === 0 || c.length > CHUNK_SIZE) throw invalid(`a chunk holds 1…${CHUNK_SIZE} samples, not ${c.length}`);
      summarise(next, c);
    }
    if (chunks.length > 0) this.commitChunks(chunks, next);
  }

  /** Commits the samples held in memory as a chunk of their own; the next append starts a new chunk. */
  flush(): void {
    this.assertOpen();
    if (this.pendingN === 0) return;
    const tail = sliceColumns(this.buf, 0, this.pendingN);
    const next = copySummary(this.summary);
    summarise(next, tail);
    this.commitChunks([tail], next);
    this.pendingN = 0;
  }

  /** Flushes and lets go of the run; the writer cannot be used again. */
  close(): void {
    if (this.ended !== null) return;
    this.flush();
    this.detach('the writer was closed');
  }

  /** @internal Forgets the run without committing (the store calls this when the run ends or is deleted). */
  detach(reason: string): void {
    if (this.ended !== null) return;
    this.ended = reason;
    if (this.ctx.writers.get(this.runId) === this) this.ctx.writers.delete(this.runId);
  }

  private commitChunks(chunks: readonly Columns[], next: Summary): void {
    this.ctx.assertOpen();
    try {
      this.commit(chunks, next);
    } catch (e) {
      // The run ended or vanished behind the writer's back: it will never take these samples.
      // (A queued run may still start, so its writer stays.)
      if (e instanceof StoreError && (e.reason === 'not_found' || (e.details as { status?: string } | undefined)?.status !== 'queued')) {
        this.detach(e.message);
      }
      throw e;
    }
    this.seq += chunks.length;
    this.summary = next;
  }

  private assertOpen(): void {
    if (this.ended !== null) {
      throw new StoreError('conflict', `The sample writer for run ${this.runId} is closed (${this.ended}).`);
    }
  }

  private notAccepting(): StoreError {
    const row = this.ctx.stmt('SELECT status FROM runs WHERE id = ?').get(this.runId) as { status: string } | undefined;
    if (!row) return new StoreError('not_found', `No run with id ${this.runId}: it was deleted while samples were being written.`);
    return new StoreError(
      'conflict',
      `Run ${this.runId} is ${row.status}; samples are stored only while a run is running or paused` +
        (this.pendingN > 0 ? ` (${this.pendingN} earlier samples held in memory were not stored either).` : '.'),
      { status: row.status, unstored: this.pendingN },
    );
  }
}

/** @internal The starting point of a writer for a run that may already hold samples. */
export function writerStart(ctx: StoreContext, runId: string): { seq: number; summary: Summary } {
  const row = ctx
    .stmt(
      `SELECT r.sample_count, r.initial_g, r.final_g, r.min_g, r.max_g,
         (SELECT coalesce(max(seq) + 1, 0) FROM sample_chunks c WHERE c.run_id = r.id) AS next_seq
       FROM runs r WHERE r.id = ?`,
    )
    .get(runId) as
    | { sample_count: number; initial_g: number | null; final_g: number | null; min_g: number | null; max_g: number | null; next_seq: number }
    | undefined;
  if (!row) throw new StoreError('not_found', `No run with id ${runId}.`);
  return {
    seq: row.next_seq,
    summary: { count: row.sample_count, initialG: row.initial_g, finalG: row.final_g, minG: row.min_g, maxG: row.max_g },
  };
}

type ChunkRow = [start: number, n: number, t: Buffer, v: Buffer, i: Buffer, g: Buffer, kind: Buffer, block: Buffer, compliance: Buffer | null];

/** Reads samples [from, to) of a run back as columns (a consistent snapshot, even of a live run). */
export function readSamples(ctx: StoreContext, runId: string, range: SampleRange = {}): Columns {
  const { key, from } = checkRange(runId, range);
  return ctx.db.transaction(() => {
    const count = committed(ctx, key);
    const to = Math.min(range.to ?? count, count);
    const lo = Math.min(from, to);
    if (to === lo) return allocColumns(0);
    // Every byte of `out` is written below, or the read throws (gaps are corruption).
    const out = allocColumnsUnfilled(to - lo);
    copyChunks(ctx, key, lo, to, out, 0);
    return out;
  }).deferred();
}

/**
 * Reads samples [from, to) of a run (clamped to those committed) into `dst`'s arrays from index
 * `at`, for a reader that streams a run through buffers of its own; returns how many it read.
 */
export function readSamplesInto(ctx: StoreContext, runId: string, range: Required<SampleRange>, dst: Columns, at: number): number {
  const { key, from } = checkRange(runId, range);
  return ctx.db.transaction(() => {
    const to = Math.min(range.to, committed(ctx, key));
    const lo = Math.min(from, to);
    const room = Math.min(dst.t.length, dst.v.length, dst.i.length, dst.g.length, dst.kind.length, dst.block.length, dst.compliance.length) - at;
    if (!(Number.isInteger(at) && at >= 0 && room >= to - lo)) throw invalid(`no room for samples ${lo}…${to - 1} at ${at} of the columns given`);
    copyChunks(ctx, key, lo, to, dst, at);
    return to - lo;
  }).deferred();
}

function checkRange(runId: string, range: SampleRange): { key: string; from: number } {
  const key = checkUuid(runId, 'run id');
  const from = range.from === undefined ? 0 : checkInteger(range.from, 'from', 0);
  if (range.to !== undefined) checkInteger(range.to, 'to', 0);
  if (range.to !== undefined && range.to < from) throw invalid(`the sample range is empty the wrong way round (from ${from} > to ${range.to})`);
  return { key, from };
}

/** The run's committed sample count (not_found when there is no such run). */
function committed(ctx: StoreContext, key: string): number {
  const run = ctx.stmt('SELECT sample_count FROM runs WHERE id = ?').get(key) as { sample_count: number } | undefined;
  if (!run) throw new StoreError('not_found', `No run with id ${key}.`);
  return run.sample_count;
}

/** Copies samples [lo, to) of a run from its chunks into `out` from index `at`; throws on a gap (corruption). */
function copyChunks(ctx: StoreContext, key: string, lo: number, to: number, out: Columns, at: number): void {
  if (to === lo) return;
  const chunkStmt = ctx.stmt(
    'SELECT start, n, t, v, i, g, kind, block, compliance FROM sample_chunks WHERE run_id = ? AND start < ? AND start + n > ? ORDER BY seq',
  );
  chunkStmt.raw(true);
  const rows = chunkStmt.iterate(key, to, lo) as IterableIterator<ChunkRow>;
  const dst = [out.t, out.v, out.i, out.g, out.kind, out.block, out.compliance].map((a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  const width = [8, 8, 8, 8, 1, 4, 1];
  let expect = -1;
  for (const row of rows) {
    const [start, n] = row;
    if ((expect === -1 && start > lo) || (expect !== -1 && start !== expect)) throw gap(key, expect === -1 ? lo : expect, start);
    expect = start + n;
    const a = Math.max(lo, start);
    const b = Math.min(to, start + n);
    for (let col = 0; col < 7; col++) {
      const w = width[col] as number;
      const blob = row[col + 2] as Buffer | null;
      // A chunk without compliance flags (none in compliance, or stored before migration 9): all 0.
      if (blob === null) {
        (dst[col] as Uint8Array).fill(0, (a - lo + at) * w, (b - lo + at) * w);
        continue;
      }
      if (blob.length !== n * w) throw new StoreError('corrupt', `Run ${key}: a sample chunk at ${start} has a damaged column.`);
      (dst[col] as Uint8Array).set(blob.subarray((a - start) * w, (b - start) * w), (a - lo + at) * w);
    }
  }
  if (expect < to) throw gap(key, Math.max(expect, lo), to);
}

function gap(runId: string, at: number, next: number): StoreError {
  return new StoreError('corrupt', `Run ${runId}: samples ${at}…${next - 1} are missing from the store.`);
}
