/**
 * The threads that sample writers share: one writer thread, which runs the writers' SQLite work,
 * and one checkpoint thread, which copies what they committed into the database file while they
 * go on (writer-thread.ts). A WriterThreads (the run engine owns one) starts them with the first
 * writer and stops them when closed; they do not keep the process alive while no writer is open.
 */
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { WriterState, type FromWriter, type OpenCheckpointer } from './writer-messages';

/** @internal */
export interface Thread {
  worker: Worker;
  writers: number;
  /** Why the thread is gone, once it is. */
  dead: Error | null;
  /** Its WriterThreads was closed while writers used it: it stops when the last lets go. */
  stopWhenIdle?: boolean;
}

type Role = 'writer' | 'checkpointer';

/**
 * The writer thread and the checkpoint thread that a set of writers share (one set per run
 * engine): started with the first writer, kept for the next one, stopped by `close`.
 */
export class WriterThreads {
  private readonly threads: Record<Role, Thread | null> = { writer: null, checkpointer: null };
  private closed = false;

  /** True while the writer thread is up (started for an earlier writer and not stopped): a new writer costs no thread start. */
  get running(): boolean {
    const writer = this.threads.writer;
    return !this.closed && writer !== null && writer.dead === null;
  }

  /** @internal */
  acquire(role: Role): Thread {
    if (this.closed) throw new Error('the sample writer threads have been stopped');
    let thread = this.threads[role];
    if (thread === null || thread.dead !== null) {
      const started: Thread = { worker: new Worker(workerUrl()), writers: 0, dead: null };
      const gone = (why: Error): void => {
        started.dead ??= why;
        if (this.threads[role] === started) this.threads[role] = null;
      };
      started.worker.on('error', (e) => gone(e instanceof Error ? e : new Error(String(e))));
      started.worker.on('exit', (code) => gone(new Error(`the sample ${role} thread exited (code ${code})`)));
      this.threads[role] = started;
      thread = started;
    }
    thread.writers += 1;
    thread.worker.ref();
    return thread;
  }

  /**
   * Stops the threads that no writer uses; one still in use stops when its last writer lets go
   * (it no longer keeps the process alive either way). Later writers are refused.
   */
  async close(): Promise<void> {
    this.closed = true;
    const idle: Thread[] = [];
    for (const role of ['writer', 'checkpointer'] as const) {
      const thread = this.threads[role];
      if (thread === null) continue;
      if (thread.writers === 0) idle.push(thread);
      else thread.stopWhenIdle = true;
    }
    await Promise.all(idle.map((t) => t.worker.terminate().catch(() => undefined)));
  }
}

/**
 * The thread's entry file. From source (the CLI and tests run under tsx) it is a plain-JS file that
 * registers tsx inside the thread first; a compiled build ships writer-worker.js next to this file.
 */
function workerUrl(): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './writer-worker-from-source.mjs' : './writer-worker.js', import.meta.url);
}

/** @internal */
export function releaseThread(thread: Thread): void {
  thread.writers -= 1;
  if (thread.writers > 0) return;
  thread.worker.unref();
  if (thread.stopWhenIdle) void thread.worker.terminate().catch(() => undefined);
}

/**
 * Whether this thread may block in Atomics.wait, which flush() needs. Node's threads may; an
 * embedder can forbid it (Chromium does on a page's main thread), and then the caller writes on its
 * own thread instead.
 */
export function canWaitForThread(): boolean {
  try {
    // Refused before the value is even compared: this returns 'not-equal' at once where waiting is allowed.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** The checkpoint thread, checkpointing a writer's commits. */
/** @internal */
export interface Checkpoints {
  thread: Thread;
}

/**
 * Starts checkpointing for a writer on the checkpoint thread: null when that is not possible, and
 * the writer's own connection checkpoints, as SQLite does by default.
 */
/** @internal */
export async function openCheckpointer(threads: WriterThreads, file: string, state: Int32Array, timeoutMs: number): Promise<Checkpoints | null> {
  let thread: Thread;
  try {
    thread = threads.acquire('checkpointer');
  } catch {
    return null;
  }
  const { port1, port2 } = new MessageChannel();
  try {
    thread.worker.postMessage({ type: 'checkpointer', file, state, port: port2 } satisfies OpenCheckpointer, [port2]);
    const first = await firstReply(port1, thread, timeoutMs);
    if (first.type !== 'opened') throw new Error(`the checkpoint thread answered '${first.type}'`);
    return { thread };
  } catch {
    releaseThread(thread);
    return null;
  } finally {
    port1.close();
  }
}

/** Has the checkpoint thread checkpoint everything committed and let go; waits up to `waitMs` for that. */
/** @internal */
export function closeCheckpointer(c: Checkpoints, state: Int32Array, waitMs: number): void {
  Atomics.store(state, WriterState.stopCheckpoints, 1);
  Atomics.notify(state, WriterState.committed);
  const deadline = performance.now() + waitMs;
  for (let left = waitMs; Atomics.load(state, WriterState.checkpointerClosed) === 0 && left > 0 && c.thread.dead === null; left = deadline - performance.now()) {
    Atomics.wait(state, WriterState.checkpointerClosed, 0, Math.min(left, 250));
  }
  releaseThread(c.thread);
}

/** @internal */
export function firstReply(port: MessagePort, thread: Thread, timeoutMs: number): Promise<FromWriter> {
  return new Promise<FromWriter>((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      port.off('message', onMessage);
      thread.worker.off('error', onGone);
      thread.worker.off('exit', onGone);
    };
    const onMessage = (m: FromWriter): void => {
      done();
      resolve(m);
    };
    const onGone = (): void => {
      done();
      reject(thread.dead ?? new Error('the sample writer thread stopped'));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`the sample writer thread did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    port.on('message', onMessage);
    thread.worker.on('error', onGone);
    thread.worker.on('exit', onGone);
  });
}
