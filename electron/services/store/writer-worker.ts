// The writer thread (see writer-thread.ts): each writer it is sent gets its own connection to the
// database file and a SampleWriter on it — the very code the main thread would run — and commits
// what arrives on the writer's port as it comes, what has queued up a few chunks per transaction.
import Database from 'better-sqlite3';
import os from 'node:os';
import { parentPort, receiveMessageOnPort } from 'node:worker_threads';
import { StoreContext } from './context';
import { StoreError } from './errors';
import { BUSY_TIMEOUT_MS } from './open';
import { SampleWriter, writerStart, type Columns } from './samples';
import { WriterState, type FromWriter, type OpenWriter, type ToWriter, type WriterFailure } from './writer-messages';

/**
 * Chunks per transaction, at most (but whole messages): a sender that waits for commits (its
 * backlog is full) is woken after each and tops the queue up while the next one is written, and
 * the main thread's own writes (a run's status, its log) never wait long for the write lock.
 */
const CHUNKS_PER_TRANSACTION = 8;

const parent = parentPort;
if (!parent) throw new Error('electron/services/store/writer-worker.ts must run in a worker thread');

parent.on('message', (message: OpenWriter) => {
  if (message.type === 'open') openWriter(message);
});

function openWriter({ file, runId, state, port }: OpenWriter): void {
  let db: Database.Database | null = null;
  let writer: SampleWriter | null = null;
  let failed = false;
  const reply = (m: FromWriter, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);
  const fail = (e: unknown): void => {
    failed = true;
    // The reason goes first, so the main thread finds it once it sees the flag.
    reply({ type: 'failed', error: failure(e) });
    Atomics.store(state, WriterState.failed, 1);
    Atomics.notify(state, WriterState.committed);
    Atomics.notify(state, WriterState.failed);
  };
  const close = (): void => {
    try {
      writer?.detach('the writer was closed');
      db?.close();
    } catch {
      // closing a connection whose last transaction failed: nothing left to lose
    }
    writer = null;
    db = null;
    Atomics.store(state, WriterState.closed, 1);
    Atomics.notify(state, WriterState.closed);
    port.close();
  };

  try {
    db = new Database(file, { fileMustExist: true });
    // The main connection's settings (open.ts); WAL mode is the file's own.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    const ctx = new StoreContext(db, file, 'writer thread', os.hostname(), () => new Date());
    writer = new SampleWriter(ctx, runId, writerStart(ctx, runId), { maxPendingMs: 0 });
    reply({ type: 'opened', committed: writer.committed });
  } catch (e) {
    fail(e);
  }

  /** Messages received and not yet committed, in order. */
  const queue: ToWriter[] = [];
  const take = (): void => {
    for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) queue.push(m.message as ToWriter);
  };
  /** Commits whole messages from the front of the queue, a few chunks' worth; false at a 'close'. */
  const commitSome = (): boolean => {
    const chunks: Columns[] = [];
    let seq = 0;
    while (queue[0]?.type === 'chunks' && (chunks.length === 0 || chunks.length + queue[0].chunks.length <= CHUNKS_PER_TRANSACTION)) {
      const m = queue.shift() as ToWriter & { type: 'chunks' };
      for (const c of m.chunks) chunks.push(c);
      seq = m.seq;
    }
    if (!failed && writer !== null && chunks.length > 0) {
      try {
        writer.appendChunks(chunks);
        Atomics.store(state, WriterState.committed, seq);
        Atomics.notify(state, WriterState.committed);
        // SQLite has copied the bytes: the sender may fill these buffers again.
        const buffers = [...new Set(chunks.map((c) => c.t.buffer as ArrayBuffer))];
        reply({ type: 'free', buffers }, buffers);
      } catch (e) {
        fail(e);
      }
    }
    return queue[0]?.type !== 'close';
  };

  port.on('message', (first: ToWriter) => {
    queue.push(first);
    take();
    while (queue.length > 0) {
      if (!commitSome()) {
        close();
        return;
      }
      take();
    }
  });
}

function failure(e: unknown): WriterFailure {
  if (e instanceof StoreError) return { name: e.name, message: e.message, code: e.code, details: e.details };
  if (e instanceof Error) return { name: e.name, message: e.message, ...('code' in e && typeof e.code === 'string' ? { code: e.code } : {}) };
  return { name: 'Error', message: String(e) };
}

