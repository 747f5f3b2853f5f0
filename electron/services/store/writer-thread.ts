/**
 * Sample writes off the main thread. A ThreadSampleWriter takes a run's samples with the
 * SampleWriter's synchronous calls — append, flush, close — but the SQLite work (the chunk
 * INSERTs, the run's summary) happens on a worker thread, on a connection of its own, by the same SampleWriter code (writer-worker.ts). As Signal
 * Desktop moves its SQLite work off the main thread, this lets a fast run generate samples on one
 * core while the samples before them are written on the other.
 *
 * append copies the samples into chunks of CHUNK_SIZE and hands each full chunk to the thread at
 * once (its memory moved, not copied). flush hands over the partly filled chunk and waits
 * (Atomics.wait) until the thread has committed everything: after flush(), as after
 * SampleWriter.flush(), every sample appended is in the database. append waits too when more than
 * `maxBacklog` samples are not committed yet, so a killed process loses at most that many, however
 * fast samples come: a few milliseconds of writing.
 *
 * The WAL checkpoints that SQLite would run after the writer's commits — copying the new pages
 * into the database file, syncing the log before and the file after, mostly a wait for the disk —
 * run on a third thread, the checkpoint thread, on a connection of its own (writer-worker.ts
 * `checkpointer`): a commit no longer waits for the checkpoint of the ones before. The checkpoint
 * thread is as far behind as one checkpoint; letting go of a writer (close, detach) waits until
 * everything it committed is checkpointed, so a run ends with its samples in the database file,
 * not only in the log. If the checkpoint thread cannot start, the writer's connection checkpoints
 * as SQLite does by default.
 *
 * A commit that fails in the thread (the run ended behind the writer's back, a full disk) makes
 * the next append or flush throw what the SampleWriter threw there: a StoreError keeps its reason,
 * message and details. A thread that does not answer within `timeoutMs` is an error too.
 *
 * One writer thread and one checkpoint thread (a WriterThreads, which the run engine owns) serve
 * every writer opened through it. They start with the first writer and do not keep the process
 * alive while no writer is open. Writers are not registered with the Store (that needs
 * Store.openWriter to offer them): whoever opens one flushes it before changing the run's status.
 */
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { StoreError, type StoreErrorCode } from './errors';
import { CHUNK_SIZE } from './identity';
import { checkColumns, type Columns } from './samples';
import { WRITER_STATE_LENGTH, WriterState, type FromWriter, type OpenWriter, type ToWriter, type WriterFailure } from './writer-messages';
import { canWaitForThread, closeCheckpointer, firstReply, openCheckpointer, releaseThread, type Checkpoints, type Thread, type WriterThreads } from './writer-threads';

export { WriterThreads, canWaitForThread } from './writer-threads';

export interface ThreadWriterOptions {
  /** Most samples taken and not yet committed when append returns (it waits for the thread). Default 64 chunks. */
  maxBacklog?: number;
  /** Longest wait for the thread, ms. Default 30 000. */
  timeoutMs?: number;
}

/**
 * Opens a writer for the run on the database `file` (a workbench database another connection has
 * opened and migrated), on `threads`.
 */
export async function openThreadWriter(threads: WriterThreads, file: string, runId: string, options: ThreadWriterOptions = {}): Promise<ThreadSampleWriter> {
  if (!canWaitForThread()) throw new Error('this thread may not wait for another (Atomics.wait is not allowed here)');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxBacklog = Math.max(CHUNK_SIZE, options.maxBacklog ?? 64 * CHUNK_SIZE);
  const state = new Int32Array(new SharedArrayBuffer(4 * WRITER_STATE_LENGTH));
  // Both threads open their connections at once. Until its first commit the writer checkpoints
  // nothing either way, so its connection can leave checkpoints to a checkpointer that is still
  // opening; if that fails, the writer is told to checkpoint its own commits after all.
  const checkpointing = openCheckpointer(threads, file, state, timeoutMs);
  const thread = threads.acquire('writer');
  const { port1, port2 } = new MessageChannel();
  let checkpoints: Checkpoints | null = null;
  try {
    thread.worker.postMessage({ type: 'open', file, runId, state, port: port2, autocheckpoint: false } satisfies OpenWriter, [port2]);
    const [first, opened] = await Promise.all([firstReply(port1, thread, timeoutMs), checkpointing]);
    checkpoints = opened;
    if (first.type === 'failed') throw rebuild(first.error);
    if (checkpoints === null) port1.postMessage({ type: 'autocheckpoint' } satisfies ToWriter);
    if (first.type !== 'opened') throw new Error(`the sample writer thread answered '${first.type}' to 'open'`);
    return new ThreadSampleWriter(thread, checkpoints, runId, port1, state, first.committed, maxBacklog, timeoutMs);
  } catch (e) {
    port1.close();
    releaseThread(thread);
    if (checkpoints === null) checkpoints = await checkpointing;
    if (checkpoints !== null) closeCheckpointer(checkpoints, state, 0);
    throw e;
  }
}

/** Bytes of one chunk's columns: t, v, i, g (8 each), block (4), kind (1), compliance (1). */
const CHUNK_BYTES = CHUNK_SIZE * 38;

/** Column arrays for one chunk, in one buffer so that one transfer moves them all. */
function chunkOver(buffer: ArrayBuffer): Columns {
  const n = CHUNK_SIZE;
  return {
    length: n,
    t: new Float64Array(buffer, 0, n),
    v: new Float64Array(buffer, 8 * n, n),
    i: new Float64Array(buffer, 16 * n, n),
    g: new Float64Array(buffer, 24 * n, n),
    block: new Int32Array(buffer, 32 * n, n),
    kind: new Uint8Array(buffer, 36 * n, n),
    compliance: new Uint8Array(buffer, 37 * n, n),
  };
}

function head(c: Columns, n: number): Columns {
  return {
    length: n,
    t: c.t.subarray(0, n),
    v: c.v.subarray(0, n),
    i: c.i.subarray(0, n),
    g: c.g.subarray(0, n),
    kind: c.kind.subarray(0, n),
    block: c.block.subarray(0, n),
    compliance: c.compliance.subarray(0, n),
  };
}

const STORE_CODES: readonly string[] = ['not_found', 'invalid', 'conflict', 'corrupt'] satisfies StoreErrorCode[];

function rebuild(f: WriterFailure): Error {
  if (f.name === 'StoreError' && f.code !== undefined && STORE_CODES.includes(f.code)) return new StoreError(f.code as StoreErrorCode, f.message, f.details);
  const e = new Error(`the sample writer thread could not store samples: ${f.message}`);
  if (f.code !== undefined) Object.assign(e, { code: f.code });
  return e;
}

/**
 * Full chunks go to a busy thread this many at a time: each message costs the sender a wake-up of
 * the thread (a fraction of a millisecond on a loaded machine). A thread that has caught up gets
 * every chunk at once.
 */
const CHUNKS_PER_MESSAGE = 8;

export class ThreadSampleWriter {
  /** Chunk buffers the thread has given back once committed, to be filled again. */
  private readonly spare: ArrayBuffer[] = [];
  private chunk: Columns;
  private filled = 0;
  /** Full chunks not sent yet. */
  private readonly full: Columns[] = [];
  /** 'chunks' messages sent; the thread acknowledges them by this number. */
  private seq = 0;
  /** Samples handed to the thread (committed at open included). */
  private sent: number;
  private committedCount: number;
  /** Sent messages not yet known to be committed: [seq, samples sent up to and including it]. */
  private readonly unacknowledged: [number, number][] = [];
  private ended: string | null = null;
  private failure: Error | null = null;
  private readonly maxSpare: number;

  /** @internal use openThreadWriter */
  constructor(
    private readonly thread: Thread,
    private readonly checkpoints: Checkpoints | null,
    readonly runId: string,
    private readonly port: MessagePort,
    private readonly state: Int32Array,
    committed: number,
    private readonly maxBacklog: number,
    private readonly timeoutMs: number,
  ) {
    this.sent = committed;
    this.committedCount = committed;
    this.maxSpare = Math.ceil(maxBacklog / CHUNK_SIZE) + 2 * CHUNKS_PER_MESSAGE;
    this.chunk = this.newChunk();
  }

  /** Samples committed to the store so far (as far as this thread knows without waiting). */
  get committed(): number {
    this.collectAcknowledgements();
    return this.committedCount;
  }

  /** Samples taken but not yet committed (being written, or waiting in chunks). */
  get pending(): number {
    return this.sent + this.full.length * CHUNK_SIZE + this.filled - this.committed;
  }

  get isOpen(): boolean {
    return this.ended === null;
  }

  /** Takes samples of any count; full chunks go to the thread at once. Waits while the thread is far behind. */
  append(samples: Columns): void {
    this.assertUsable();
    const c = checkColumns(samples);
    for (let off = 0; off < c.length; ) {
      const k = Math.min(CHUNK_SIZE - this.filled, c.length - off);
      const at = this.filled;
      this.chunk.t.set(c.t.subarray(off, off + k), at);
      this.chunk.v.set(c.v.subarray(off, off + k), at);
      this.chunk.i.set(c.i.subarray(off, off + k), at);
      this.chunk.g.set(c.g.subarray(off, off + k), at);
      this.chunk.kind.set(c.kind.subarray(off, off + k), at);
      this.chunk.block.set(c.block.subarray(off, off + k), at);
      this.chunk.compliance.set(c.compliance.subarray(off, off + k), at);
      this.filled += k;
      off += k;
      if (this.filled === CHUNK_SIZE) {
        this.full.push(this.chunk);
        this.chunk = this.newChunk();
        this.filled = 0;
      }
    }
    if (this.full.length >= CHUNKS_PER_MESSAGE || (this.full.length > 0 && Atomics.load(this.state, WriterState.committed) === this.seq)) this.send();
    if (this.pending > this.maxBacklog) {
      if (this.full.length > 0) this.send();
      this.waitUntilCommitted(this.sent + this.filled - this.maxBacklog);
    }
  }

  /** Hands over the partly filled chunk (as a chunk of its own) and waits until every sample is committed. */
  flush(): void {
    this.handOver();
    this.waitUntilCommitted(this.sent);
  }

  /**
   * Hands every sample appended to the thread (the partly filled chunk as a chunk of its own)
   * without waiting for the commit: for a caller with work to do meanwhile, before its flush().
   */
  handOver(): void {
    this.assertUsable();
    if (this.filled > 0) {
      this.full.push(head(this.chunk, this.filled));
      this.chunk = this.newChunk();
      this.filled = 0;
    }
    if (this.full.length > 0) this.send();
  }

  /** Flushes and lets go of the run; the writer cannot be used again. Throws what the flush threw, after letting go. */
  close(): void {
    if (this.ended !== null) return;
    try {
      this.flush();
    } finally {
      this.detach('the writer was closed');
    }
  }

  /** Lets go of the run without committing what is not committed yet. */
  detach(reason: string): void {
    if (this.ended !== null) return;
    this.ended = reason;
    if (this.thread.dead === null) {
      this.port.postMessage({ type: 'close' } satisfies ToWriter);
      // Until the thread has let go, its connection may still be committing: wait, briefly.
      this.wait(WriterState.closed, () => Atomics.load(this.state, WriterState.closed) === 1, Math.min(this.timeoutMs, 5000), false);
    }
    this.port.close();
    releaseThread(this.thread);
    // Everything committed is in the database file, not only in the WAL, before the run goes on.
    if (this.checkpoints !== null) closeCheckpointer(this.checkpoints, this.state, Math.min(this.timeoutMs, 5000));
  }

  private send(): void {
    const chunks = this.full.splice(0);
    this.seq += 1;
    for (const c of chunks) this.sent += c.length;
    this.unacknowledged.push([this.seq, this.sent]);
    const buffers = [...new Set(chunks.map((c) => c.t.buffer as ArrayBuffer))];
    this.port.postMessage({ type: 'chunks', seq: this.seq, chunks } satisfies ToWriter, buffers);
  }

  private collectAcknowledgements(): void {
    const acked = Atomics.load(this.state, WriterState.committed);
    while (this.unacknowledged.length > 0 && (this.unacknowledged[0] as [number, number])[0] <= acked) {
      this.committedCount = (this.unacknowledged.shift() as [number, number])[1];
    }
  }

  private waitUntilCommitted(samples: number): void {
    this.wait(WriterState.committed, () => this.committed >= samples, this.timeoutMs, true);
  }

  /** Waits (blocking) until `done()`; throws the thread's failure, or after `timeoutMs` (when `strict`). */
  private wait(index: number, done: () => boolean, timeoutMs: number, strict: boolean): void {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      if (strict) this.throwIfFailed();
      if (done()) return;
      const left = deadline - performance.now();
      if (left <= 0) {
        if (!strict) return;
        this.failure = new Error(`the sample writer thread has not answered for ${Math.round(timeoutMs / 1000)} s`);
        throw this.failure;
      }
      const seen = Atomics.load(this.state, index);
      if (done()) return;
      // Wakes when the thread moves the value on (or fails, which also wakes this index).
      Atomics.wait(this.state, index, seen, Math.min(left, 250));
    }
  }

  private assertUsable(): void {
    if (this.ended !== null) throw new StoreError('conflict', `The sample writer for run ${this.runId} is closed (${this.ended}).`);
    this.throwIfFailed();
  }

  /** An empty chunk: in a buffer the thread gave back, or a new one. */
  private newChunk(): Columns {
    if (this.spare.length === 0) this.readReplies();
    return chunkOver(this.spare.pop() ?? new ArrayBuffer(CHUNK_BYTES));
  }

  /** Takes in what the thread said: buffers it is done with, and why it failed. */
  private readReplies(): void {
    for (let m = receiveMessageOnPort(this.port); m !== undefined; m = receiveMessageOnPort(this.port)) {
      const reply = m.message as FromWriter;
      if (reply.type === 'free') {
        for (const b of reply.buffers) if (b.byteLength === CHUNK_BYTES && this.spare.length < this.maxSpare) this.spare.push(b);
      } else if (reply.type === 'failed') this.failure ??= rebuild(reply.error);
    }
  }

  private throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
    if (Atomics.load(this.state, WriterState.failed) === 1) {
      this.readReplies();
      this.failure ??= new Error('the sample writer thread failed');
      throw this.failure;
    }
    if (this.thread.dead !== null) {
      this.failure = new Error(`the sample writer thread stopped: ${this.thread.dead.message}`);
      throw this.failure;
    }
  }
}
