/**
 * The samples of one run on their way out. Each pulse and read is pushed into a batch (a
 * SampleBuilder); a flush hands the batch's new samples to the run's writer and sends the batch to
 * the bus as one 'run.samples' event.
 *
 * A realtime run commits each batch (the store's SampleWriter, on this thread) before it goes out.
 * A fast run on the store's writer thread streams: the writer gets the samples a chunk at a time as
 * they are taken (`feedFullChunk`), and batches go out without waiting for their commit — only a
 * pause and the end wait until everything is committed. Batches stay at least 0.85 of the batch
 * interval apart, whoever flushes (under 30 Hz at 40 ms).
 */
import type { EventPayload } from '../../../shared/contract';
import { copyColumns, SampleBuilder, sliceColumns, type SampleColumns } from '../../../shared/samples/columns';
import { CHUNK_SIZE, type Store } from '../store';
import { ThreadSampleWriter } from '../store/writer-thread';
import { RunEngineError } from './errors';
import type { Job } from './job';

/** What the engine needs of a sample writer: the store's SampleWriter or a ThreadSampleWriter. */
export interface RunWriter {
  /** Takes samples; commits whole chunks as they fill (at once, or on the writer thread). */
  append(samples: SampleColumns): void;
  /** Returns once every sample appended is committed. */
  flush(): void;
  /** Lets go of the run. */
  detach(reason: string): void;
}

export interface SampleSinkOptions {
  store: Store;
  /** Sends a batch to the bus. */
  emit: (payload: EventPayload<'run.samples'>) => void;
  /** Monotonic wall clock (s). */
  wallClock: () => number;
  batchIntervalMs: number;
  /** Keep a copy of every sample the run takes (see SampleSink.kept), up to this many; 0: keep none. */
  keepUpTo?: number;
}

/** Samples a batch has room for from the start when the run is not kept (it grows as needed). */
const BATCH_ROOM = 4096;

export class SampleSink {
  readonly builder: SampleBuilder;
  /** True while a device writes a read series into the batch's columns: the batch waits for it. */
  seriesInFlight = false;
  private writer: RunWriter | null = null;
  /** The writer, when it streams (a fast run on the writer thread). */
  private streaming: ThreadSampleWriter | null = null;
  /** Samples at the front of the builder that the writer already has. */
  private written = 0;
  /** Samples at the front of the builder that went out in earlier batches (kept, see `keeping`); the batch is what follows. */
  private sent = 0;
  private lastFlush: number;
  /** Batches are at least this far apart (ms): at most ~29 a second, whoever flushes. */
  private readonly minSpacingMs: number;
  /**
   * While true the builder keeps every sample of the run (keepUpTo): a batch goes out as a view on
   * its tail and stays in it, instead of being taken out and kept in a second copy.
   */
  private keeping: boolean;

  constructor(
    private readonly job: Job,
    private readonly options: SampleSinkOptions,
  ) {
    // A fast run's batches hold up to hundreds of thousands of samples (40 ms of millions a
    // second): room for them from the start, rather than doubling and copying up to it every run.
    // (Room that is never written costs no memory: only the pages a batch fills are touched.)
    this.keeping = (options.keepUpTo ?? 0) > 0;
    const room = this.keeping ? Math.min(Math.max(job.total, 1024), options.keepUpTo ?? 0) : BATCH_ROOM;
    this.builder = new SampleBuilder(job.pace === 'fast' ? Math.min(Math.max(job.total, 4096), 1 << 20) : room);
    this.lastFlush = options.wallClock();
    this.minSpacingMs = options.batchIntervalMs * 0.85;
  }

  /** Every sample the run took, when they were kept and fit (call after the last flush); else null. */
  kept(): SampleColumns | null {
    return this.keeping ? this.builder.view() : null;
  }

  /** From now on the batch's samples go to `writer`. */
  attach(writer: RunWriter): void {
    this.writer = writer;
    this.streaming = writer instanceof ThreadSampleWriter ? writer : null;
  }

  /** Hands the writer the batch's samples it has not had yet (it commits as it goes: whole chunks, or all at once). */
  feed(): void {
    const { writer, builder } = this;
    if (writer === null || builder.length === this.written) return;
    // The thread's own connection would go on writing into a store this process has closed.
    const { store } = this.options;
    if (!store.isOpen) throw new RunEngineError('unavailable', `the store ${store.file} was closed under the run`);
    writer.append(sliceColumns(builder.view(), this.written, builder.length));
    this.written = builder.length;
  }

  /** A streaming run's writer gets each chunk as soon as it is full. */
  feedFullChunk(): void {
    if (this.streaming !== null && this.builder.length - this.written >= CHUNK_SIZE) this.feed();
  }

  /**
   * Sends the batch to the bus. `commit`: every sample of it is in the store when this returns
   * (realtime batches, pauses, the end) — committed before the batch goes out, or, streaming, on
   * the writer thread while it goes out; a fast run's other batches go out while the writer is
   * still at work.
   */
  flush(commit = true): void {
    this.lastFlush = this.options.wallClock();
    const { writer, streaming, builder, job } = this;
    if (writer === null) return;
    this.feed();
    if (commit) {
      if (streaming !== null) streaming.handOver();
      else writer.flush();
    }
    if (builder.length > this.sent) {
      // Listeners (the window, the web host) may hold a batch while the builder fills again, so what
      // goes out is never written over: a builder that keeps the run only appends, and its batches go
      // out as views on it (a copy of a fast run's batch is megabytes, in fresh memory); past the
      // limit it is given new memory instead of being cleared; one that keeps nothing is reused,
      // and its batches go out as copies.
      const batch = sliceColumns(builder.view(), this.sent, builder.length);
      const columns = this.keeping ? batch : copyColumns(batch);
      // Past the limit the run is no longer kept: whoever wanted its samples reads the store instead.
      if (this.keeping && builder.length > (this.options.keepUpTo ?? 0)) {
        this.keeping = false;
        builder.renew(BATCH_ROOM);
      } else if (!this.keeping) builder.clear();
      if (this.keeping) {
        this.sent = builder.length;
      } else {
        this.sent = 0;
        this.written = 0;
      }
      const from = job.samples;
      job.samples += columns.length;
      this.options.emit({ runId: job.id, from, columns });
    }
    if (commit && streaming !== null) streaming.flush();
  }

  /** Flushes when there is a batch and the last one is far enough back (the batch timer's flush). */
  flushIfSpaced(): void {
    if (this.builder.length > this.sent && this.msSinceFlush() >= this.minSpacingMs) this.flush(this.streaming === null);
  }

  /** True once a batch interval has passed since the last flush (a realtime run commits then, inline). */
  get due(): boolean {
    return this.msSinceFlush() >= this.options.batchIntervalMs;
  }

  /** Lets go of the writer, saying why. */
  detach(reason: string): void {
    this.writer?.detach(reason);
  }

  private msSinceFlush(): number {
    return (this.options.wallClock() - this.lastFlush) * 1000;
  }
}
