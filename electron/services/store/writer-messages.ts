/**
 * What a ThreadSampleWriter (writer-thread.ts, main thread) and the writer thread
 * (writer-worker.ts) say to each other. Each writer has its own MessageChannel for chunks and
 * replies, and a small shared Int32Array (`WriterState`) the thread sets as it goes, so that the
 * main thread can wait for a commit synchronously (Atomics.wait) where its caller expects one.
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
} as const;
export const WRITER_STATE_LENGTH = 3;

/** To the thread (worker.postMessage): start a writer for a run on the database file. */
export interface OpenWriter {
  type: 'open';
  file: string;
  runId: string;
  /** Int32Array(WRITER_STATE_LENGTH) over a SharedArrayBuffer. */
  state: Int32Array;
  /** The writer's end of its channel: 'chunks' and 'close' come in, replies go out. */
  port: MessagePort;
}

/** On a writer's port, to the thread. */
export type ToWriter =
  /** Chunks of at most CHUNK_SIZE samples, in order; `seq` counts these messages from 1. */
  | { type: 'chunks'; seq: number; chunks: Columns[] }
  | { type: 'close' };

/** A failure, in a form that crosses threads (a StoreError keeps its code and details). */
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
