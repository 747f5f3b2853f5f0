/**
 * What a ThreadSampleWriter (writer-thread.ts, main thread), the writer thread and the checkpoint
 * thread (both writer-worker.ts) say to each other. Each writer has its own MessageChannel to each
 * thread, and a small shared Int32Array (`WriterState`) the threads set as they go, so that the
 * main thread can wait for a commit synchronously (Atomics.wait) where its caller expects one, and
 * the checkpoint thread learns of each commit without a message.
 */
import type { MessagePort } from 'node:worker_threads';
import type { Columns } from './samples';

/** Indices into a writer's shared state. */
export const WriterState = {
  /** The sequence number of the last 'chunks' message committed (0: none yet). */
  committed: 0,
  /** 1 once the writer failed; the reason is a 'failed' message on the writer's port. */
  failed: 1,
  /** 1 once the thread has let go of the writer (after 'close'). */
  closed: 2,
  /** Set to 1 (and `committed` notified) by the main thread: the checkpoint thread is to checkpoint what is committed and let go. */
  stopCheckpoints: 3,
  /** 1 once the checkpoint thread has let go of the writer, with every commit before `stopCheckpoints` checkpointed. */
  checkpointerClosed: 4,
} as const;
export const WRITER_STATE_LENGTH = 5;

/** To the thread (worker.postMessage): start a writer for a run on the database file. */
export interface OpenWriter {
  type: 'open';
  file: string;
  runId: string;
  /** Int32Array(WRITER_STATE_LENGTH) over a SharedArrayBuffer. */
  state: Int32Array;
  /** The writer's end of its channel: 'chunks' and 'close' come in, replies go out. */
  port: MessagePort;
  /**
   * Whether the writer's connection checkpoints the WAL itself after its commits (SQLite's
   * automatic checkpoints). false when a checkpoint thread does it (OpenCheckpointer); an
   * 'autocheckpoint' message turns them back on.
   */
  autocheckpoint: boolean;
}

/**
 * To the checkpoint thread (worker.postMessage): checkpoint the WAL of the database file after each
 * commit of the writer whose `state` this is, on a connection of its own, until
 * WriterState.stopCheckpoints.
 */
export interface OpenCheckpointer {
  type: 'checkpointer';
  file: string;
  state: Int32Array;
  /** For the reply: 'opened' or 'failed'. */
  port: MessagePort;
}

/** On a writer's port, to the thread. */
export type ToWriter =
  /** Chunks of at most CHUNK_SIZE samples, in order; `seq` counts these messages from 1. */
  | { type: 'chunks'; seq: number; chunks: Columns[] }
  /** The checkpoint thread could not start: the writer's connection checkpoints its own commits. */
  | { type: 'autocheckpoint' }
  | { type: 'close' };

/** A failure, in a form that crosses threads (a StoreError keeps its reason, as `code`, and its details). */
export interface WriterFailure {
  name: string;
  message: string;
  code?: string;
  details?: unknown;
}

/** On a writer's port, from the thread. */
export type FromWriter =
  | { type: 'opened'; committed: number }
  /** The buffers of committed chunks, handed back to be filled again. */
  | { type: 'free'; buffers: ArrayBuffer[] }
  | { type: 'failed'; error: WriterFailure };
