/**
 * The run engine: runs compiled protocols on Devices, one run at a time from a queue, records
 * every sample to the store and streams them to the event bus. This module is the queue; what a
 * control request does to a running run is run-control.ts, what the engine is built with
 * engine-options.ts, one run's execution a RunSession (session.ts), its samples' way out a
 * SampleSink (sample-sink.ts), its ending decided by ending.ts.
 *
 * Samples. Every `batchIntervalMs` (default 40 ms: 25 Hz) the batch goes, as one 'run.samples'
 * event, to the bus. A realtime run commits each batch to the store's SampleWriter before it
 * announces it, and also flushes inline, after the operation that completes an interval and before
 * a long wait, so a killed process loses at most about one interval of samples; batches stay
 * ≥ 0.85 interval apart (under 30 Hz). A fast run, which can take millions of samples a second,
 * hands them to a writer on the store's writer thread (store/writer-thread.ts) a chunk at a time
 * as they are taken, so they are written on the other core while the next ones are taken; that
 * writer holds at most 64 chunks uncommitted (waiting for the thread when it falls behind), so a
 * kill loses some 25 ms of writing, and everything is committed before a pause or the end is
 * recorded — and, by the end, checkpointed into the database file by the checkpoint thread, which
 * does that while the writer writes. Progress ('run.state') goes out at most every
 * `progressIntervalMs` (default 250 ms) and on every status change. Never one event per sample.
 *
 * Control, in the style of Bluesky's RunEngine. pause: at the next safe point (between
 * operations, or inside a wait — the output is at 0 V then), the status becomes 'paused' and the
 * output is switched off; resume continues with the next operation. stop: a clean finish at the
 * next safe point — output off, status 'stopped'. abort: the output is switched off at once
 * (without waiting for the current operation), and the run ends 'aborted'. Sleeps of realtime
 * runs are cut short by any of these; waits are sliced so an instrument answers within ~0.5 s.
 *
 * Failures (ending.ts). A device error or a safety error from the interpreter ends the run
 * 'failed' with the reason; a lost instrument connection — a port that closed or an instrument
 * that stopped answering — ends it 'interrupted', as a crash would. Either way the output off is
 * attempted and the samples taken so far are kept. A compliance trip pauses the run.
 */
import { isTerminalRunStatus, type ActiveRun, type EventName, type EventPayload, type RunStatus } from '../../../shared/contract';
import { DEFAULT_EXPERIMENT } from '../../../shared/contract/areas/runs';
import { QUEUE_LIMITS } from '../../../shared/contract/limits';
import { formatCount } from '../../../shared/units';
import type { Pace } from '../../../shared/device';
import type { SampleColumns } from '../../../shared/samples/columns';
import type { EventBus } from '../../router';
import type { Logger } from '../logs/logger';
import { currentOwner, type RunDetail, type RunOwner, type Store } from '../store';
import { openThreadWriter, WriterThreads } from '../store/writer-thread';
import { DeviceOpener, specSnapshot } from './devices';
import { RunEngineError, errorText } from './errors';
import { Job } from './job';
import type { PreparedProtocol } from './protocol';
import type { RunWriter } from './sample-sink';
import { monotonicSeconds, realTimers, type MonotonicClock, type Timers } from '../clock';
import { RunSession, type SessionHost } from './session';
import { sessionTuning, THREAD_WORTH_SAMPLES, type RunEngineOptions, type SubmitRun } from './engine-options';
import { requestControl, type RunAction } from './run-control';
import { hasIvSweep, KEEP_SAMPLES_UP_TO } from './analysis-on-end';

export { KEEP_SAMPLES_UP_TO };

export { RunEngineError } from './errors';
export { THREAD_WORTH_SAMPLES, type RunEngineOptions, type SubmitRun } from './engine-options';
export type { RunAction } from './run-control';

export { DEFAULT_EXPERIMENT };

export class RunEngine {
  private readonly store: Store;
  private readonly bus: EventBus | undefined;
  private readonly owner: RunOwner;
  private readonly writerThread: boolean;
  private readonly threads: WriterThreads;
  private readonly ownThreads: boolean;
  private readonly wallClock: MonotonicClock;
  private readonly timers: Timers;
  private readonly logger: Logger;
  private readonly devices: DeviceOpener;
  /** What each session uses of this engine. */
  private readonly host: SessionHost;
  private readonly queue: Job[] = [];
  private current: Job | null = null;
  private readonly jobs = new Map<string, Job>();
  private closed = false;
  /** The samples of the last run that ended, kept for takeSamples (one run's at most). */
  private keptRun: { runId: string; samples: SampleColumns } | null = null;

  constructor(options: RunEngineOptions) {
    this.store = options.store;
    this.bus = options.bus;
    this.owner = options.owner ?? currentOwner();
    this.writerThread = options.writerThread ?? true;
    this.threads = options.writerThreads ?? new WriterThreads();
    this.ownThreads = options.writerThreads === undefined;
    this.wallClock = options.wallClock ?? monotonicSeconds;
    this.timers = options.timers ?? realTimers;
    this.logger = options.logger.child('runs');
    this.devices = new DeviceOpener(options.instruments);
    const keepUpTo = Math.max(0, Math.floor(options.keepSamplesUpTo ?? KEEP_SAMPLES_UP_TO));
    const tuning = sessionTuning(options);
    this.host = {
      store: this.store,
      owner: this.owner,
      logger: this.logger,
      devices: this.devices,
      tuning,
      wallClock: this.wallClock,
      timers: this.timers,
      emit: (name, payload) => this.emit(name, payload),
      emitState: (job) => this.emitState(job),
      setStatus: (job, status) => this.setStatus(job, status),
      openWriter: (job) => this.openWriter(job),
      keepUpTo: (job) => (hasIvSweep(job.protocol.source) ? keepUpTo : 0),
      keep: (job, samples) => {
        this.keptRun = { runId: job.id, samples };
      },
      ended: (job) => this.ended(job),
    };
  }

  /** Queues a run (recorded at once, status 'queued'); it starts when the runs before it have ended. */
  submit(request: SubmitRun): { runId: string; status: RunStatus; queuePosition: number } {
    if (this.closed) throw new RunEngineError('unavailable', 'The run engine has been shut down.');
    this.devices.check(request.device);
    this.checkQueueRoom(request.protocol);
    const pace: Pace = request.device.kind === 'instrument' ? 'realtime' : (request.pace ?? 'fast');
    const experiment =
      request.experimentId !== undefined ? { experimentId: request.experimentId } : { experimentName: request.experimentName ?? DEFAULT_EXPERIMENT };
    const run = this.store.runs.create({
      ...(request.id === undefined ? {} : { id: request.id }),
      ...experiment,
      name: request.name ?? request.protocol.document.name,
      status: 'queued',
      protocol: request.protocol.source,
      protocolHash: request.protocol.hash,
      device: specSnapshot(request.device, pace),
      notes: request.notes ?? '',
      tags: request.tags ?? [],
      owner: this.owner,
      ...(request.deviceId === undefined ? {} : { deviceId: request.deviceId }),
    });
    const job = new Job({ id: run.id, name: run.name, experimentId: run.experimentId, experimentName: run.experimentName, pace, protocol: request.protocol, spec: request.device, timers: this.timers });
    this.jobs.set(job.id, job);
    this.queue.push(job);
    this.emitState(job);
    const queuePosition = this.current === null ? 0 : this.queue.length;
    this.pump();
    return { runId: job.id, status: job.status, queuePosition };
  }

  /**
   * Refuses a run the queue has no room for (QUEUE_LIMITS): without this, a client sending
   * runs.start in a loop with a large protocol exhausted the host's memory, since every waiting run
   * keeps its compiled program.
   */
  private checkQueueRoom(protocol: PreparedProtocol): void {
    const waiting = this.queue.length;
    if (waiting >= QUEUE_LIMITS.runs) {
      throw new RunEngineError('unavailable', `the run queue is full: ${formatCount(waiting)} runs are waiting (at most ${formatCount(QUEUE_LIMITS.runs)}); stop some or wait for them to start`);
    }
    const steps = this.queue.reduce((sum, job) => sum + job.protocol.program.instructions.length, 0);
    const more = protocol.program.instructions.length;
    if (steps + more > QUEUE_LIMITS.steps) {
      throw new RunEngineError(
        'unavailable',
        `the run queue is full: the ${formatCount(waiting)} waiting runs' protocols hold ${formatCount(steps)} compiled steps and this one ${formatCount(more)}, more than ${formatCount(QUEUE_LIMITS.steps)} in all; stop some or wait for them to start`,
      );
    }
  }

  /** Acts on a run of this engine; resolves once the run has reacted (or after `waitMs`). */
  async control(id: string, action: RunAction, waitMs = 3000): Promise<{ runId: string; status: RunStatus }> {
    const job = this.jobs.get(id);
    if (!job) return { runId: id, status: this.notMine(id, action) };
    if (job.status === 'queued' && (action === 'stop' || action === 'abort') && this.queue.includes(job)) {
      this.queue.splice(this.queue.indexOf(job), 1);
      this.finishQueued(job, action === 'stop' ? 'stopped' : 'aborted', action === 'stop' ? 'stopped before it started' : 'aborted before it started');
      return { runId: id, status: job.status };
    }
    await requestControl(job, action, waitMs, () => void this.outputOffNow(job));
    return { runId: id, status: job.status };
  }

  /** The running run (or the one starting) and the queue, in order. */
  active(): { running: ActiveRun | null; queue: ActiveRun[] } {
    const now = this.wallClock();
    return {
      running: this.current ? this.current.describe(0, now) : null,
      queue: this.queue.map((job, k) => job.describe(k + 1, now)),
    };
  }

  /** True while the run is queued in, or being run by, this engine. */
  isDriving(id: string): boolean {
    const job = this.jobs.get(id);
    return job !== undefined && !isTerminalRunStatus(job.status);
  }

  /**
   * Every sample of a run with I–V sweeps that just ended (up to KEEP_SAMPLES_UP_TO of them), once:
   * its switching analysis is computed as it ends (analysis-on-end.ts) without reading them back.
   * Null for any other run, and after the next run has ended.
   */
  takeSamples(id: string): SampleColumns | null {
    const kept = this.keptRun;
    if (kept === null || kept.runId !== id) return null;
    this.keptRun = null;
    return kept.samples;
  }

  /** Resolves with the run's final record once it has ended (immediately for an ended run). */
  async whenDone(id: string): Promise<RunDetail> {
    const job = this.jobs.get(id);
    if (job) return job.settled;
    const run = this.store.runs.get(id);
    if (isTerminalRunStatus(run.status)) return run;
    throw new RunEngineError('conflict', `Run "${run.name}" is ${run.status} but not driven by this workbench.`);
  }

  /**
   * Ends everything (the app is quitting): queued runs are stopped, the running one is stopped
   * cleanly — or aborted if it has not stopped within `graceMs`.
   */
  async shutdown(reason = 'the workbench was closed', graceMs = 5000): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) this.finishQueued(job, 'stopped', `${reason} before it started`);
    const job = this.current;
    if (job) {
      job.message = reason;
      if (job.request !== 'abort') job.request = 'stop';
      job.abortOpen.abort();
      job.wake();
      const ended = await Promise.race([job.settled.then(() => true), delay(this.timers, graceMs).then(() => false)]);
      if (!ended) {
        job.request = 'abort';
        job.wake();
        void this.outputOffNow(job);
        await Promise.race([job.settled, delay(this.timers, graceMs)]);
      }
    }
    if (this.ownThreads) await this.threads.close();
  }

  // --- the queue -------------------------------------------------------------------------------

  private pump(): void {
    if (this.current !== null) return;
    const job = this.queue.shift();
    if (!job) return;
    this.current = job;
    void new RunSession(job, this.host)
      .run()
      .catch((e: unknown) => {
        this.logger.error(`run ${job.id}: the run engine failed: ${errorText(e)}`, e, { runId: job.id });
        job.fail(e);
      })
      .finally(() => {
        this.ended(job);
        this.pump();
      });
  }

  /** Whoever asks once a run has ended finds it neither running nor queued here. */
  private ended(job: Job): void {
    if (this.current === job) this.current = null;
    this.jobs.delete(job.id);
  }

  private finishQueued(job: Job, status: 'stopped' | 'aborted', reason: string): void {
    try {
      this.store.runs.log(job.id, status, reason);
      job.settle(this.store.runs.setStatus(job.id, status, { exitReason: reason }));
    } catch (e) {
      this.logger.error(`run ${job.id}: could not record its end: ${errorText(e)}`, e, { runId: job.id });
      job.fail(e);
    }
    job.status = status;
    job.message = reason;
    this.jobs.delete(job.id);
    this.emitState(job);
    job.notify();
  }

  // --- helpers ---------------------------------------------------------------------------------

  /**
   * The run's sample writer. A fast run writes on the store's writer thread, so its samples are
   * taken while the ones before them are written; a realtime run commits each small batch right
   * here, with no thread to wait for between its operations. On this thread too when the writer
   * thread cannot start, and for a fast run too small to pay for starting the threads
   * (THREAD_WORTH_SAMPLES) when they are not running already. Such a run ends without waiting for
   * a WAL checkpoint (SQLite's own, at 1,000 pages, is the only one; a 1,000-cycle endurance run
   * fills some 770): its commits, in the log, already survive the process being killed, which is
   * what a completed run must survive; deferring the checkpoint further would only grow the log.
   */
  private async openWriter(job: Job): Promise<RunWriter> {
    if (this.writerThread && job.pace === 'fast' && (this.threads.running || !(job.total < THREAD_WORTH_SAMPLES))) {
      try {
        return await openThreadWriter(this.threads, this.store.file, job.id);
      } catch (e) {
        this.logger.warn(`run ${job.id}: samples are written on the main thread: the writer thread is not available (${errorText(e)})`, { runId: job.id });
      }
    }
    return this.store.openWriter(job.id, { maxPendingMs: 0 });
  }

  private async outputOffNow(job: Job): Promise<void> {
    try {
      await job.device?.outputOff();
    } catch (e) {
      this.logger.error(`run ${job.id}: switching the output off on abort failed: ${errorText(e)}`, e, { runId: job.id });
    }
  }

  private setStatus(job: Job, status: RunStatus): void {
    job.status = status;
    this.emitState(job);
    job.notify();
  }

  private emitState(job: Job): void {
    this.emit('run.state', { runId: job.id, status: job.status, progress: job.progress(this.wallClock()), message: job.message });
  }

  private emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    if (!this.bus) return;
    try {
      this.bus.emit(name, payload);
    } catch (e) {
      this.logger.error(`could not send ${name}: ${errorText(e)}`, e);
    }
  }

  /** What a control request on a run this engine does not drive means. */
  private notMine(id: string, action: RunAction): never {
    let run: RunDetail;
    try {
      run = this.store.runs.get(id);
    } catch {
      throw new RunEngineError('not_found', `No run with id ${id}.`);
    }
    if (isTerminalRunStatus(run.status)) throw new RunEngineError('conflict', `Run "${run.name}" has ended (${run.status}); it cannot ${action}.`);
    const o = run.owner;
    const who = o ? `process ${o.pid} on ${o.host}` : 'another process';
    throw new RunEngineError('conflict', `Run "${run.name}" is ${run.status} in ${who}, not in this workbench; control it there.`);
  }
}

function delay(timers: Timers, ms: number): Promise<void> {
  return new Promise<void>((resolve) => void timers.set(resolve, ms));
}

/** Samples a run produced, for callers that compare runs (exported for tests and the CLI). */
export type { SampleColumns };
