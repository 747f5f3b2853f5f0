/**
 * The run engine: executes compiled protocols on Devices, one run at a time from a queue, records
 * every sample to the store and streams them to the event bus.
 *
 * Execution. The protocol interpreter (shared/protocol `execute`) yields operations stamped with
 * their protocol time t. Before each one the engine brings the device to t (`device.wait` for the
 * difference, when positive — an instrument that fell behind simply does not wait), then pulses,
 * reads or waits. Wait operations end at an absolute protocol time too (t + duration), so delays
 * never accumulate. Sample time is the device's clock, measured from the run's start.
 *
 * Samples. Each pulse and read becomes a sample in a SampleBuilder. Every `batchIntervalMs`
 * (default 40 ms: 25 Hz) the batch goes, as one 'run.samples' event, to the bus. A realtime run
 * commits each batch to the store's SampleWriter before it announces it, and also flushes inline,
 * after the operation that completes an interval and before a long wait, so a killed process loses
 * at most about one interval of samples; batches stay ≥ 0.85 interval apart (under 30 Hz). A fast
 * run, which can take millions of samples a second, hands them to a writer on the store's writer
 * thread (store/writer-thread.ts) a chunk at a time as they are taken, so they are written on the
 * other core while the next ones are taken; that writer holds at most 64 chunks uncommitted
 * (waiting for the thread when it falls behind), so a kill loses some 25 ms of writing, and
 * everything is committed before a pause or the end is recorded — and, by the end, checkpointed
 * into the database file by the store's checkpoint thread, which does that while the writer
 * writes. Progress ('run.state') goes out at most every `progressIntervalMs` (default 250 ms)
 * and on every status change. Never one event per sample.
 *
 * Control, in the style of Bluesky's RunEngine. pause: at the next safe point (between
 * operations, or inside a wait — the output is at 0 V then), the status becomes 'paused' and the
 * output is switched off; resume continues with the next operation. stop: a clean finish at the
 * next safe point — output off, status 'stopped'. abort: the output is switched off at once
 * (without waiting for the current operation), and the run ends 'aborted'. Sleeps of realtime
 * runs are cut short by any of these; waits are sliced so an instrument's answers within ~0.5 s.
 * Time spent paused is left out of the protocol's schedule (a paced train resumes one period after
 * its last pulse, it does not catch up in a burst); sample times keep counting, so the pause shows.
 *
 * Failures. A device error or a safety error from the interpreter ends the run 'failed' with the
 * reason; a lost instrument connection — a port that closed (kind 'port-closed') or an instrument
 * that stopped answering (kind 'timeout') — ends it 'interrupted', as a crash would. Either way the output off is attempted and the samples taken so far are kept. A compliance trip
 * (an error whose kind is 'compliance', see shared/device/device-errors.ts) pauses the run and
 * logs the trip: resuming or aborting is the user's choice.
 *
 * Fast runs yield to the event loop every few milliseconds, so control requests, batches and the
 * host's other work go on while a million-sample protocol runs.
 *
 * Read series. On a device that offers `readSeries` (a simulated device in fast pace), the
 * interpreter hands over each paced loop of reads (a read block with an interval, a wait that
 * reads every Δt) as one operation, and the engine takes it in slices of at most `seriesSlice`
 * reads: one device call per slice, writing straight into the batch's columns, instead of an
 * interpreter step, a wait, a read and a push per sample. The device is given the very times the
 * one-at-a-time path would bring it to (stepReadRun walks them with the interpreter's arithmetic),
 * so the samples are bit for bit the same. Requests are acted on between slices, and the event
 * loop gets its turn after any slice that ends a `yieldEveryMs` stretch: pause, stop and abort act
 * within one slice of samples.
 */
import type { Device } from '../../../shared/device/device';
import { deviceErrorKind, isComplianceTrip, type Pace } from '../../../shared/device';
import { SafetyLimitError, ProgramError, execute, stepReadRun, type OpResult, type ReadRunOp, type ReadRunOutcome } from '../../../shared/protocol';
import { SampleBuilder, SampleKind, sliceColumns, type SampleColumns } from '../../../shared/samples/columns';
import { isTerminalRunStatus as isTerminal, type ActiveRun, type EventName, type EventPayload, type RunProgress, type RunStatus, type TerminalRunStatus } from '../../../shared/contract';
import type { EventBus } from '../../router';
import { ServiceError } from '../errors';
import type { Logger } from '../logs/logger';
import { CHUNK_SIZE, currentOwner, type RunDetail, type RunOwner, type Store } from '../store';
import { openThreadWriter, ThreadSampleWriter, WriterThreads } from '../store/writer-thread';
import { DeviceOpener, specSnapshot, type DeviceOpenContext, type InstrumentOpeners, type RunDeviceSpec } from './devices';
import type { PreparedProtocol } from './protocol';

export type RunAction = 'pause' | 'resume' | 'stop' | 'abort';
type Ending = TerminalRunStatus;

/** A request the engine refuses: a run it does not know, one in the wrong state, an engine shut down. */
export class RunEngineError extends ServiceError {
  override readonly name = 'RunEngineError';
  constructor(code: 'not_found' | 'conflict' | 'unavailable' | 'invalid_request', message: string) {
    super(code, message);
  }
}

export interface RunEngineOptions {
  store: Store;
  /** Where 'run.state' and 'run.samples' go; none for a headless engine. */
  bus?: EventBus;
  /** The process driving the runs (recorded with each run); this process by default. */
  owner?: RunOwner;
  /** Interval of sample batches (to the store and the bus), ms. Default 40 (25 Hz). */
  batchIntervalMs?: number;
  /** Shortest interval between progress events, ms. Default 250. */
  progressIntervalMs?: number;
  /** How long a fast run computes before it lets the event loop run, ms. Default 8. */
  yieldEveryMs?: number;
  /** Most reads taken in one device.readSeries call (control is checked between calls). Default 4096. */
  seriesSlice?: number;
  /** false: never use device.readSeries, one operation at a time throughout (tests compare the two). Default true. */
  readSeries?: boolean;
  /** false: a fast run writes its samples on this thread too, not on the store's writer thread. Default true. */
  writerThread?: boolean;
  /** The writer and checkpoint threads of fast runs; the engine's own (stopped by shutdown) by default. */
  writerThreads?: WriterThreads;
  /** Longest single device.wait of a realtime run, s (control is checked between slices). Default 0.5. */
  waitSliceS?: number;
  /** Monotonic wall clock in seconds. Default performance.now() / 1000. */
  wallClock?: () => number;
  /** Where run failures, interruptions and output-off failures are logged (source 'runs'). */
  logger: Logger;
  /** How runs on instruments are opened, by scheme; none: simulated devices only. */
  instruments?: InstrumentOpeners;
}

export interface SubmitRun {
  protocol: PreparedProtocol;
  device: RunDeviceSpec;
  pace?: Pace;
  experimentId?: string;
  /** Created when missing; 'Default' when neither this nor experimentId is given. */
  experimentName?: string;
  /** Default: the protocol's name. */
  name?: string;
  notes?: string;
  tags?: string[];
  /** A run id chosen by the caller (reproducible sample data); random when absent. */
  id?: string;
}

export const DEFAULT_EXPERIMENT = 'Default';

/** What the engine needs of a sample writer: the store's SampleWriter or a ThreadSampleWriter. */
interface RunWriter {
  /** Takes samples; commits whole chunks as they fill (at once, or on the writer thread). */
  append(samples: SampleColumns): void;
  /** Returns once every sample appended is committed. */
  flush(): void;
  /** Lets go of the run. */
  detach(reason: string): void;
}

/** Protocol-time differences below this (s) are rounding, not time to wait. */
const EPSILON_S = 1e-9;

interface Job {
  id: string;
  name: string;
  experimentId: string;
  experimentName: string;
  protocolName: string;
  deviceKind: string;
  pace: Pace;
  protocol: PreparedProtocol;
  spec: RunDeviceSpec;
  status: RunStatus;
  /** What the user asked for that the run has not yet acted on. */
  request: 'none' | 'pause' | 'resume' | 'stop' | 'abort';
  /** Why it pauses, once a pause is requested ('by the user' or a compliance trip). */
  pauseReason: string;
  message: string | null;
  done: number;
  total: number;
  exact: boolean;
  protocolTime: number;
  samples: number;
  wallStart: number;
  device: Device | null;
  /** Resolves sleeps and the pause wait early. */
  wakers: Set<() => void>;
  /** Set by a failed batch write; the run fails at its next step. */
  fatal: unknown;
  /** Callbacks waiting for a status change. */
  watchers: Set<() => void>;
  settled: Promise<RunDetail>;
  settle: (detail: RunDetail) => void;
  /** The run's end could not even be read back (the store went away): whenDone rejects. */
  fail: (error: unknown) => void;
  abortOpen: AbortController;
}

export class RunEngine {
  private readonly store: Store;
  private readonly bus: EventBus | undefined;
  private readonly owner: RunOwner;
  private readonly batchIntervalMs: number;
  private readonly progressIntervalMs: number;
  private readonly yieldEveryMs: number;
  private readonly seriesSlice: number;
  private readonly useReadSeries: boolean;
  private readonly writerThread: boolean;
  private readonly threads: WriterThreads;
  private readonly ownThreads: boolean;
  private readonly waitSliceS: number;
  private readonly wallClock: () => number;
  private readonly logger: Logger;
  private readonly devices: DeviceOpener;
  private readonly queue: Job[] = [];
  private current: Job | null = null;
  private readonly jobs = new Map<string, Job>();
  private closed = false;

  constructor(options: RunEngineOptions) {
    this.store = options.store;
    this.bus = options.bus;
    this.owner = options.owner ?? currentOwner();
    this.batchIntervalMs = options.batchIntervalMs ?? 40;
    this.progressIntervalMs = options.progressIntervalMs ?? 250;
    this.yieldEveryMs = options.yieldEveryMs ?? 8;
    this.seriesSlice = Math.max(1, Math.floor(options.seriesSlice ?? 4096));
    this.useReadSeries = options.readSeries ?? true;
    this.writerThread = options.writerThread ?? true;
    this.threads = options.writerThreads ?? new WriterThreads();
    this.ownThreads = options.writerThreads === undefined;
    this.waitSliceS = options.waitSliceS ?? 0.5;
    this.wallClock = options.wallClock ?? (() => performance.now() / 1000);
    this.logger = options.logger.child('runs');
    this.devices = new DeviceOpener(options.instruments);
  }

  /** Queues a run (recorded at once, status 'queued'); it starts when the runs before it have ended. */
  submit(request: SubmitRun): { runId: string; status: RunStatus; queuePosition: number } {
    if (this.closed) throw new RunEngineError('unavailable', 'The run engine has been shut down.');
    this.devices.check(request.device);
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
    });
    let settle!: (d: RunDetail) => void;
    let fail!: (e: unknown) => void;
    const settled = new Promise<RunDetail>((resolve, reject) => {
      settle = resolve;
      fail = reject;
    });
    settled.catch(() => undefined); // a rejection nobody awaits must not take the process down
    const estimate = request.protocol.estimate;
    const job: Job = {
      id: run.id,
      name: run.name,
      experimentId: run.experimentId,
      experimentName: run.experimentName,
      protocolName: request.protocol.document.name,
      deviceKind: request.device.kind,
      pace,
      protocol: request.protocol,
      spec: request.device,
      status: 'queued',
      request: 'none',
      pauseReason: '',
      message: null,
      done: 0,
      total: finiteCount(estimate.pulses.value + estimate.reads.value),
      exact: estimate.pulses.exact && estimate.reads.exact,
      protocolTime: 0,
      samples: 0,
      wallStart: 0,
      device: null,
      wakers: new Set(),
      fatal: undefined,
      watchers: new Set(),
      settled,
      settle,
      fail,
      abortOpen: new AbortController(),
    };
    this.jobs.set(job.id, job);
    this.queue.push(job);
    this.emitState(job);
    const queuePosition = this.current === null ? 0 : this.queue.length;
    this.pump();
    return { runId: job.id, status: job.status, queuePosition };
  }

  /** Acts on a run of this engine; resolves once the run has reacted (or after `waitMs`). */
  async control(id: string, action: RunAction, waitMs = 3000): Promise<{ runId: string; status: RunStatus }> {
    const job = this.jobs.get(id);
    if (!job) return { runId: id, status: this.notMine(id, action) };
    const status = job.status;
    switch (action) {
      case 'pause':
        if (status === 'paused') return { runId: id, status };
        if (status !== 'running') throw conflict(job, action);
        if (job.request === 'none') {
          job.request = 'pause';
          job.pauseReason = 'paused by the user';
          this.wake(job);
        }
        await this.waitFor(job, (s) => s !== 'running', waitMs);
        return { runId: id, status: job.status };
      case 'resume':
        if (status === 'running' && job.request !== 'pause') return { runId: id, status };
        if (status !== 'paused' && !(status === 'running' && job.request === 'pause')) throw conflict(job, action);
        job.request = 'resume';
        this.wake(job);
        await this.waitFor(job, (s) => s === 'running' && job.request !== 'resume', waitMs);
        return { runId: id, status: job.status };
      case 'stop':
      case 'abort': {
        if (status === 'queued' && this.queue.includes(job)) {
          this.queue.splice(this.queue.indexOf(job), 1);
          this.finishQueued(job, action === 'stop' ? 'stopped' : 'aborted', action === 'stop' ? 'stopped before it started' : 'aborted before it started');
          return { runId: id, status: job.status };
        }
        if (isTerminal(status)) throw conflict(job, action);
        if (job.request !== 'abort') job.request = action;
        job.abortOpen.abort();
        this.wake(job);
        if (action === 'abort') void this.outputOffNow(job);
        await this.waitFor(job, isTerminal, waitMs);
        return { runId: id, status: job.status };
      }
      default:
        throw new RunEngineError('invalid_request', `unknown action ${String(action)}`);
    }
  }

  /** The running run (or the one starting) and the queue, in order. */
  active(): { running: ActiveRun | null; queue: ActiveRun[] } {
    return {
      running: this.current ? this.describe(this.current, 0) : null,
      queue: this.queue.map((job, k) => this.describe(job, k + 1)),
    };
  }

  /** True while the run is queued in, or being run by, this engine. */
  isDriving(id: string): boolean {
    const job = this.jobs.get(id);
    return job !== undefined && !isTerminal(job.status);
  }

  /** Resolves with the run's final record once it has ended (immediately for an ended run). */
  async whenDone(id: string): Promise<RunDetail> {
    const job = this.jobs.get(id);
    if (job) return job.settled;
    const run = this.store.runs.get(id);
    if (isTerminal(run.status)) return run;
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
      this.wake(job);
      const ended = await Promise.race([job.settled.then(() => true), delay(graceMs).then(() => false)]);
      if (!ended) {
        job.request = 'abort';
        this.wake(job);
        void this.outputOffNow(job);
        await Promise.race([job.settled, delay(graceMs)]);
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
    void this.runJob(job)
      .catch((e: unknown) => {
        this.logger.error(`run ${job.id}: the run engine failed: ${errorText(e)}`, e, { runId: job.id });
        job.fail(e);
      })
      .finally(() => {
        this.current = null;
        this.jobs.delete(job.id);
        this.pump();
      });
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
    this.notify(job);
  }

  // --- one run ---------------------------------------------------------------------------------

  private async runJob(job: Job): Promise<void> {
    let device: Device | null = null;
    let writer: RunWriter | null = null;
    let ending: Ending = 'completed';
    let reason = 'the protocol finished';
    // A fast run's batches hold up to hundreds of thousands of samples (40 ms of millions a
    // second): room for them from the start, rather than doubling and copying up to it every run.
    // (Room that is never written costs no memory: only the pages a batch fills are touched.)
    const builder = new SampleBuilder(job.pace === 'fast' ? Math.min(Math.max(job.total, 4096), 1 << 20) : 4096);
    let timer: NodeJS.Timeout | undefined;
    let lastProgress = 0;
    let lastFlush = this.wallClock();
    // Batches are at least this far apart (ms): at most ~29 a second, whoever flushes.
    const minSpacingMs = this.batchIntervalMs * 0.85;
    const flushIfSpaced = (): void => {
      if (builder.length > 0 && (this.wallClock() - lastFlush) * 1000 >= minSpacingMs) flush(streaming === null);
    };

    /**
     * A fast run on the writer thread streams: the writer gets the samples a chunk at a time as
     * they are taken, and batches go out without waiting for their commit. Otherwise each batch
     * is committed before it goes out.
     */
    let streaming: ThreadSampleWriter | null = null;
    /** Samples at the front of the batch that the writer already has. */
    let written = 0;
    /** Hands the writer the batch's samples it has not had yet (it commits as it goes: whole chunks, or all at once). */
    const feed = (): void => {
      if (writer === null || builder.length === written) return;
      // The thread's own connection would go on writing into a store this process has closed.
      if (!this.store.isOpen) throw new RunEngineError('unavailable', `the store ${this.store.file} was closed under the run`);
      writer.append(sliceColumns(builder.view(), written, builder.length));
      written = builder.length;
    };
    /**
     * Sends the batch to the bus. `commit`: every sample of it is in the store when this returns
     * (realtime batches, pauses, the end) — committed before the batch goes out, or, streaming,
     * on the writer thread while it goes out; a fast run's other batches go out while the writer
     * is still at work.
     */
    const flush = (commit = true): void => {
      lastFlush = this.wallClock();
      if (writer === null) return;
      feed();
      if (commit) {
        if (streaming !== null) streaming.handOver();
        else writer.flush();
      }
      if (builder.length > 0) {
        const columns = builder.take();
        written = 0;
        const from = job.samples;
        job.samples += columns.length;
        this.emit('run.samples', { runId: job.id, from, columns });
      }
      if (commit && streaming !== null) streaming.flush();
    };
    /** True while a device writes a read series into the batch's columns: the batch waits for it. */
    let seriesInFlight = false;
    const tick = (): void => {
      try {
        // A realtime run may have flushed inline just now: keep batches apart.
        if (!seriesInFlight) flushIfSpaced();
      } catch (e) {
        job.fatal ??= e;
        this.wake(job);
      }
      const now = this.wallClock();
      if (job.status === 'running' && (now - lastProgress) * 1000 >= this.progressIntervalMs) {
        lastProgress = now;
        this.emitState(job);
      }
    };

    try {
      const ctx: DeviceOpenContext = {
        pace: job.pace,
        wallClock: this.wallClock,
        sleep: (s) => this.sleep(job, s),
        signal: job.abortOpen.signal,
        log: (line) => this.logger.info(`run ${job.id}: ${line}`, { runId: job.id }),
      };
      const opened = await this.devices.open(job.spec, job.pace, ctx);
      device = opened.device;
      job.device = device;
      if (job.request === 'stop' || job.request === 'abort') {
        throw new EndRun(job.request === 'stop' ? 'stopped' : 'aborted', job.request === 'stop' ? 'stopped before it started' : 'aborted before it started');
      }
      const t0 = device.now();
      const startedAt = new Date();
      job.wallStart = this.wallClock();
      // startedAt is the wall time of t = 0: a sample's wall time is startedAt + t.
      this.store.runs.setStatus(job.id, 'running', { at: startedAt, owner: this.owner });
      this.store.runs.setDevice(job.id, { ...specSnapshot(job.spec, job.pace), ...device.snapshot() }, opened.instrumentIdn ?? null);
      writer = await this.openWriter(job);
      streaming = writer instanceof ThreadSampleWriter ? writer : null;
      this.store.runs.log(job.id, 'started', `started on ${job.deviceKind === 'simulated' ? 'a simulated device' : 'an instrument'}, pace ${job.pace}`);
      this.setStatus(job, 'running');
      timer = setInterval(tick, this.batchIntervalMs);
      timer.unref?.();
      lastProgress = this.wallClock();

      /** Sample time: device time since the run started, pauses included. */
      const sampleTime = (): number => (device as Device).now() - t0;
      // Time spent paused is left out of the schedule: after a pause the protocol carries on where
      // it stopped (the next pulse a period after the last), instead of catching up in a burst.
      let pausedFor = 0;
      /** Protocol time reached: device time since the start, pauses excluded. */
      const elapsed = (): number => sampleTime() - pausedFor;
      /** A safe point (see checkpoint); false when the run is to end. */
      const safePoint = async (): Promise<boolean> => {
        const before = (device as Device).now();
        const { go, paused } = await this.checkpoint(job, flush);
        if (paused) pausedFor += Math.max(0, (device as Device).now() - before);
        return go;
      };
      /** Brings the device to protocol time `target`; false when the run is to end. */
      const advanceTo = async (target: number): Promise<boolean> => {
        for (;;) {
          if (job.request !== 'none' || job.fatal !== undefined) {
            if (!(await safePoint())) return false;
          }
          const remaining = target - elapsed();
          if (!(remaining > EPSILON_S)) return true;
          // Realtime: what was taken before a long wait is committed before it, not after.
          if (job.pace !== 'fast' && remaining * 1000 >= this.batchIntervalMs) flushIfSpaced();
          await (device as Device).wait(job.pace === 'fast' ? remaining : Math.min(remaining, this.waitSliceS));
          if (job.pace === 'fast') return true;
        }
      };

      let lastG = Number.NaN;
      // One point per read, two more for a wait after it (where it starts and where it ends).
      const seriesAt = new Float64Array(3 * this.seriesSlice);
      const seriesRead = new Uint8Array(3 * this.seriesSlice);
      /** Takes the first reads of a run (one slice) with one device call; how many it took. */
      const readSeries = async (op: ReadRunOp, dev: Device & Required<Pick<Device, 'readSeries'>>): Promise<number> => {
        const n = Math.min(op.count, this.seriesSlice);
        let points = 0;
        stepReadRun(op, n, (t, wait) => {
          seriesAt[points] = t;
          seriesRead[points++] = 1;
          if (wait > 0) {
            // The one-at-a-time path brings the device to the wait's start, then to its end.
            const start = t + op.integration;
            seriesAt[points] = start;
            seriesRead[points++] = 0;
            seriesAt[points] = start + wait;
            seriesRead[points++] = 0;
          }
        });
        const from = builder.length;
        const columns = builder.reserve(n);
        seriesInFlight = true;
        let taken: number;
        try {
          taken = await dev.readSeries(
            { voltage: op.voltage, points, at: seriesAt, read: seriesRead, t0, pausedFor, epsilon: EPSILON_S },
            { t: columns.t, i: columns.i, g: columns.g, offset: from },
          );
        } finally {
          seriesInFlight = false;
        }
        if (!Number.isInteger(taken) || taken < 1 || taken > n) throw new Error(`the device answered a series of ${n} reads with ${taken} taken`);
        columns.v.fill(op.voltage, from, from + taken);
        columns.kind.fill(SampleKind.read, from, from + taken);
        columns.block.fill(op.block, from, from + taken);
        builder.added(taken);
        lastG = columns.g[from + taken - 1] as number;
        job.done += taken;
        job.protocolTime = seriesAt[points - 1] as number;
        return taken;
      };

      const seriesDevice = this.useReadSeries && job.pace === 'fast' && typeof device.readSeries === 'function' ? (device as Device & Required<Pick<Device, 'readSeries'>>) : null;
      const run = execute(job.protocol.program, { readRuns: seriesDevice !== null });
      let result: OpResult | ReadRunOutcome;
      let lastYield = performance.now();
      let counter = 0;
      let step = run.next();
      while (!step.done) {
        if (job.request !== 'none' || job.fatal !== undefined) {
          if (!(await safePoint())) break;
        }
        const op = step.value;
        result = undefined;
        // Fast path (nothing pending, a fast device): one wait, no extra promise per operation.
        const lag = op.t - elapsed();
        if (lag > EPSILON_S) {
          if (job.pace === 'fast' && job.request === 'none') await device.wait(lag);
          else if (!(await advanceTo(op.t))) break;
        }
        job.protocolTime = op.t;
        try {
          switch (op.op) {
            case 'pulse': {
              const t = sampleTime();
              const r = await device.pulse(op.amplitude, op.width);
              const measured = Number.isFinite(r.current);
              const g = measured && op.amplitude !== 0 ? r.current / op.amplitude : lastG;
              builder.push(t, op.amplitude, measured ? r.current : g * op.amplitude, g, SampleKind.pulse, op.block);
              job.done += 1;
              break;
            }
            case 'read': {
              const t = sampleTime();
              const r = await device.read(op.voltage);
              builder.push(t, op.voltage, r.current, r.conductance, SampleKind.read, op.block);
              lastG = r.conductance;
              result = { conductance: r.conductance };
              job.done += 1;
              break;
            }
            case 'wait':
              if (!(await advanceTo(op.t + op.duration))) throw new EndRun(null, '');
              break;
            case 'reads': {
              // Only yielded when seriesDevice is set (readRuns above).
              result = { reads: await readSeries(op, seriesDevice as NonNullable<typeof seriesDevice>) };
              break;
            }
          }
        } catch (e) {
          if (e instanceof EndRun) break;
          if (!isComplianceTrip(e)) throw e;
          const what = `compliance trip during the ${op.op} at t = ${op.t.toPrecision(6)} s: ${errorText(e)}`;
          this.logger.warn(`run ${job.id}: ${what}`, { runId: job.id });
          this.store.runs.log(job.id, 'compliance', what);
          job.message = what;
          if (job.request === 'none' || job.request === 'resume') {
            job.request = 'pause';
            job.pauseReason = `paused: ${what}`;
          }
        }
        step = run.next(result);
        // Realtime: commit as soon as a batch interval has passed, not when the timer next fires,
        // so a killed process loses at most about one interval of samples.
        if (job.pace !== 'fast' && (this.wallClock() - lastFlush) * 1000 >= this.batchIntervalMs) {
          try {
            flush();
          } catch (e) {
            job.fatal ??= e;
          }
        }
        // A fast run's samples go to the writer a chunk at a time, while the next ones are taken.
        if (streaming !== null && builder.length - written >= CHUNK_SIZE) {
          try {
            feed();
          } catch (e) {
            job.fatal ??= e;
          }
        }
        if ((op.op === 'reads' || (++counter & 255) === 0) && performance.now() - lastYield >= this.yieldEveryMs) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
      }
      if (job.fatal !== undefined) throw job.fatal;
      const request = job.request as Job['request']; // changed by control() across the awaits above
      if (request === 'abort') throw new EndRun('aborted', job.message ?? 'aborted by the user');
      if (request === 'stop') throw new EndRun('stopped', job.message ?? 'stopped by the user');
      if (!job.exact) job.total = job.done;
    } catch (e) {
      if (e instanceof EndRun && e.ending !== null) {
        ending = e.ending;
        reason = e.reason;
      } else if (job.request === 'abort') {
        // Switching the output off under a running operation may make it throw: that is the abort.
        ending = 'aborted';
        reason = `${job.message ?? 'aborted by the user'} (the operation in progress ended with: ${errorText(e)})`;
      } else if (isLostLine(e)) {
        // The line died or went quiet under the run: nothing is wrong with the protocol or the
        // data so far, the run was cut short from outside — the same status a crash of the app
        // leaves. (The output off below is still attempted.)
        ending = 'interrupted';
        reason = errorText(e); // the instrument's message already says what happened and what to do
        this.logger.warn(`run ${job.id} interrupted: ${reason}`, { runId: job.id });
      } else {
        ending = 'failed';
        reason = failureReason(e);
        this.logger.error(`run ${job.id} failed: ${reason}`, e, { runId: job.id });
      }
    } finally {
      if (timer !== undefined) clearInterval(timer);
      try {
        flush();
      } catch (e) {
        if (ending !== 'failed') {
          ending = 'failed';
          reason = `the last samples could not be stored: ${errorText(e)}`;
        }
      }
      (writer as RunWriter | null)?.detach(`the run is ${ending}`); // (set across the awaits above)
      if (device !== null) {
        try {
          await device.outputOff();
        } catch (e) {
          const line = `switching the output off failed: ${errorText(e)}`;
          this.logger.error(`run ${job.id}: ${line}`, e, { runId: job.id });
          reason = `${reason}; ${line}`;
        }
        try {
          await device.close();
        } catch (e) {
          this.logger.warn(`run ${job.id}: closing the device failed: ${errorText(e)}`, { runId: job.id });
        }
      }
      job.message = reason;
      let detail: RunDetail | null = null;
      try {
        this.store.runs.log(job.id, ending, reason);
        detail = this.store.runs.setStatus(job.id, ending, { exitReason: reason });
      } catch (e) {
        this.logger.error(`run ${job.id}: could not record its end: ${errorText(e)}`, e, { runId: job.id });
        try {
          detail = this.store.runs.get(job.id);
        } catch (again) {
          job.fail(again);
        }
      }
      if (ending === 'completed') job.done = Math.max(job.done, job.total);
      this.setStatus(job, detail?.status ?? ending);
      if (detail) job.settle(detail);
    }
  }

  /**
   * A safe point: acts on a pending request. `go` is false when the run is to end (stop, abort;
   * a fatal batch error is thrown); `paused` says the run was paused here.
   */
  private async checkpoint(job: Job, flush: () => void): Promise<{ go: boolean; paused: boolean }> {
    if (job.fatal !== undefined) throw job.fatal;
    if (job.request === 'stop' || job.request === 'abort') return { go: false, paused: false };
    if (job.request === 'resume') {
      job.request = 'none';
      this.notify(job);
      return { go: true, paused: false };
    }
    if (job.request !== 'pause') return { go: true, paused: false };
    flush();
    const reason = job.pauseReason || 'paused by the user';
    this.store.runs.setStatus(job.id, 'paused');
    this.store.runs.log(job.id, 'paused', reason);
    job.message = reason;
    this.setStatus(job, 'paused');
    try {
      await job.device?.outputOff();
    } catch (e) {
      this.logger.error(`run ${job.id}: switching the output off for the pause failed: ${errorText(e)}`, e, { runId: job.id });
    }
    while (job.request === 'pause') await this.nextWake(job);
    if (job.request !== 'resume') return { go: false, paused: true };
    job.request = 'none';
    job.message = null;
    this.store.runs.setStatus(job.id, 'running');
    this.store.runs.log(job.id, 'resumed', 'resumed by the user');
    this.setStatus(job, 'running');
    return { go: true, paused: true };
  }

  // --- helpers ---------------------------------------------------------------------------------

  /**
   * The run's sample writer. A fast run writes on the store's writer thread, so its samples are
   * taken while the ones before them are written; a realtime run commits each small batch right
   * here, with no thread to wait for between its operations. On this thread too when the writer
   * thread cannot start.
   */
  private async openWriter(job: Job): Promise<RunWriter> {
    if (this.writerThread && job.pace === 'fast') {
      try {
        return await openThreadWriter(this.threads, this.store.file, job.id);
      } catch (e) {
        this.logger.warn(`run ${job.id}: samples are written on the main thread: the writer thread is not available (${errorText(e)})`, { runId: job.id });
      }
    }
    return this.store.openWriter(job.id, { maxPendingMs: 0 });
  }

  private sleep(job: Job, seconds: number): Promise<void> {
    if (job.request !== 'none' && job.request !== 'resume') return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        job.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, seconds * 1000));
      job.wakers.add(done);
    });
  }

  private nextWake(job: Job): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        job.wakers.delete(done);
        resolve();
      };
      job.wakers.add(done);
    });
  }

  private wake(job: Job): void {
    for (const w of [...job.wakers]) w();
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
    this.notify(job);
  }

  private notify(job: Job): void {
    for (const w of [...job.watchers]) w();
  }

  private waitFor(job: Job, until: (s: RunStatus) => boolean, ms: number): Promise<void> {
    if (until(job.status)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const check = (): void => {
        if (!until(job.status)) return;
        finish();
      };
      const finish = (): void => {
        clearTimeout(timer);
        job.watchers.delete(check);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      job.watchers.add(check);
    });
  }

  private progress(job: Job): RunProgress {
    const total = Math.max(job.total, job.done);
    const fraction = total > 0 ? Math.min(1, job.done / total) : isTerminal(job.status) ? 1 : 0;
    const duration = finiteDuration(job.protocol.estimate.duration.value);
    let etaS: number | null = null;
    if (job.status === 'running' || job.status === 'paused') {
      if (job.pace === 'realtime') etaS = Math.max(0, duration - job.protocolTime);
      else if (job.done > 0) etaS = Math.max(0, ((this.wallClock() - job.wallStart) * (total - job.done)) / job.done);
    } else if (isTerminal(job.status)) etaS = 0;
    return { done: job.done, total, fraction, etaS, exact: job.exact, protocolTime: Math.max(0, job.protocolTime), duration };
  }

  private describe(job: Job, queuePosition: number): ActiveRun {
    return {
      runId: job.id,
      name: job.name,
      experimentId: job.experimentId,
      experimentName: job.experimentName,
      status: job.status,
      pace: job.pace,
      protocolName: job.protocolName,
      deviceKind: job.deviceKind,
      progress: this.progress(job),
      samples: job.samples,
      message: job.message,
      queuePosition,
    };
  }

  private emitState(job: Job): void {
    this.emit('run.state', { runId: job.id, status: job.status, progress: this.progress(job), message: job.message });
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
    if (isTerminal(run.status)) throw new RunEngineError('conflict', `Run "${run.name}" has ended (${run.status}); it cannot ${action}.`);
    const o = run.owner;
    const who = o ? `process ${o.pid} on ${o.host}` : 'another process';
    throw new RunEngineError('conflict', `Run "${run.name}" is ${run.status} in ${who}, not in this workbench; control it there.`);
  }
}

/** Ends the run loop with a status (null: just leave the loop; the caller decides). */
class EndRun extends Error {
  constructor(
    readonly ending: Ending | null,
    readonly reason: string,
  ) {
    super(reason);
  }
}

function conflict(job: Job, action: RunAction): RunEngineError {
  return new RunEngineError('conflict', `Run "${job.name}" is ${job.status}; it cannot ${action}.`);
}

/**
 * An error that means the line to the instrument is gone: the port closed, or the instrument
 * stopped answering within its timeout. For the person at the bench these are one event.
 */
function isLostLine(e: unknown): boolean {
  const kind = deviceErrorKind(e);
  return kind === 'port-closed' || kind === 'timeout';
}

function failureReason(e: unknown): string {
  if (e instanceof SafetyLimitError) return `safety limit: ${e.message}`;
  if (e instanceof ProgramError) return `the compiled program is not valid: ${e.message}`;
  const kind = deviceErrorKind(e);
  if (kind !== null) return `device error (${kind}): ${errorText(e)}`;
  return errorText(e);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function finiteCount(x: number): number {
  return Number.isFinite(x) && x > 0 ? Math.round(x) : 0;
}

function finiteDuration(x: number): number {
  return Number.isFinite(x) && x > 0 ? x : 0;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

function delay(ms: number): Promise<void> {
  return new Promise<void>((resolve) => setTimeout(resolve, ms).unref?.());
}

/** Samples a run produced, for callers that compare runs (exported for tests and the CLI). */
export type { SampleColumns };
