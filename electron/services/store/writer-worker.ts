// The writer thread (see writer-thread.ts): each writer it is sent gets its own connection to the
// database file and a SampleWriter on it — the very code the main thread would run — and commits
// what arrives on the writer's port as it comes, what has queued up a few chunks per transaction.
// The same file runs the checkpoint thread, which checkpoints those commits (`checkpointer`).
import Database from 'better-sqlite3';
import os from 'node:os';
import { parentPort, receiveMessageOnPort } from 'node:worker_threads';
import { StoreContext } from './context';
import { StoreError } from './errors';
import { BUSY_TIMEOUT_MS } from './open';
import { SampleWriter, writerStart, type Columns } from './samples';
import { WriterState, type FromWriter, type OpenCheckpointer, type OpenWriter, type ToWriter, type WriterFailure } from './writer-messages';

/**
 * Chunks per transaction, at most (but whole messages): a sender that waits for commits (its
 * backlog is full) is woken after each and tops the queue up while the next one is written, and
 * the main thread's own writes (a run's status, its log) never wait long for the write lock.
 */
const CHUNKS_PER_TRANSACTION = 8;

const parent = parentPort;
if (!parent) throw new Error('electron/services/store/writer-worker.ts must run in a worker thread');

parent.on('message', (message: OpenWriter | OpenCheckpointer) => {
  if (message.type === 'open') openWriter(message);
  else if (message.type === 'checkpointer') void checkpointer(message);
});

/** A connection with the main connection's settings (open.ts); WAL mode is the file's own. */
function connect(file: string): Database.Database {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Also what makes a checkpoint sync the log before it copies pages, and the file after.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

function openWriter({ file, runId, state, port, autocheckpoint }: OpenWriter): void {
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
    db = connect(file);
    // A checkpoint thread copies the commits into the database file while this one writes the next.
    if (!autocheckpoint) db.pragma('wal_autocheckpoint = 0');
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
    while (queue[0]?.type === 'autocheckpoint') {
      queue.shift();
      try {
        db?.pragma('wal_autocheckpoint = 1000'); // SQLite's default, as on the main connection
      } catch (e) {
        fail(e);
      }
    }
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

/**
 * The checkpoint thread's side of a writer: after each of its commits (WriterState.committed moves
 * on), a PASSIVE checkpoint — what SQLite's automatic checkpoint would do, which the writer's
 * connection leaves to this one — copies the WAL's new pages into the database file and syncs the
 * log before and the file after. Much of that is waiting for the disk: here it overlaps the
 * writer's next transactions instead of holding them up. Asked to stop, it checkpoints every commit
 * made before, then lets go. The loop waits with Atomics.waitAsync, so one thread serves any number
 * of writers.
 */
async function checkpointer({ file, state, port }: OpenCheckpointer): Promise<void> {
  let db: Database.Database | null = null;
  try {
    db = connect(file);
    port.postMessage({ type: 'opened', committed: 0 } satisfies FromWriter);
  } catch (e) {
    port.postMessage({ type: 'failed', error: failure(e) } satisfies FromWriter);
  }
  let seen = 0;
  while (db !== null) {
    const stopping = Atomics.load(state, WriterState.stopCheckpoints) === 1;
    const committed = Atomics.load(state, WriterState.committed);
    if (committed !== seen) {
      try {
        db.pragma('wal_checkpoint(PASSIVE)');
      } catch {
        // The commits stay in the WAL, as safe as they were: a later checkpoint takes them.
        break;
      }
      seen = committed;
      continue;
    }
    if (stopping) break;
    // The writer's commits and the main thread's stop request both notify `committed`.
    const wait = (Atomics as unknown as AtomicsWithWaitAsync).waitAsync(state, WriterState.committed, committed);
    if (wait.async) await wait.value;
  }
  try {
    db?.close();
  } catch {
    // nothing of the writer's is lost with this connection
  }
  Atomics.store(state, WriterState.checkpointerClosed, 1);
  Atomics.notify(state, WriterState.checkpointerClosed);
}

/** Atomics.waitAsync (ES2024): Node has it; the TypeScript library this project targets does not declare it yet. */
interface AtomicsWithWaitAsync {
  waitAsync(array: Int32Array, index: number, value: number): { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
}

function failure(e: unknown): WriterFailure {
  if (e instanceof StoreError) return { name: 'StoreError', message: e.message, code: e.reason, details: e.details };
  if (e instanceof Error) return { name: e.name, message: e.message, ...('code' in e && typeof e.code === 'string' ? { code: e.code } : {}) };
  return { name: 'Error', message: String(e) };
}

