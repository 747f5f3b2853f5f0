/**
 * One run, from its device opening to its recorded end (the engine's queue starts one session at
 * a time). The protocol interpreter (shared/protocol `execute`) yields operations stamped with
 * their protocol time t; before each one the session brings the device to t (`device.wait` for
 * the difference, when positive — an instrument that fell behind simply does not wait), then
 * pulses, reads or waits. Waits end at an absolute protocol time too (t + duration), so delays
 * never accumulate. Sample time is the device's clock, measured from the run's start.
 *
 * Between operations — and inside waits, sliced to `waitSliceS` for a realtime run — the session
 * acts on what the user asked (a safe point): a pause switches the output off and waits, and the
 * time spent paused is left out of the schedule (a paced train resumes one period after its last
 * pulse; sample times keep counting, so the pause shows); stop and abort end the loop. A
 * compliance trip pauses the run and logs the trip: resuming or aborting is the user's choice.
 *
 * Fast runs yield to the event loop every `yieldEveryMs`, so control requests, batches and the
 * host's other work go on while a million-sample protocol runs; a fast device that reads in
 * series takes each paced loop of reads a slice at a time (read-series.ts).
 */
import type { Device } from '../../../shared/device/device';
import { isComplianceTrip } from '../../../shared/device';
import { describeExit, execute, type ExitNote, type OpResult, type ReadRunOutcome, type StepRunOutcome } from '../../../shared/protocol';
import { SampleKind } from '../../../shared/samples/columns';
import type { Logger } from '../logs/logger';
import type { RunDetail } from '../store';
import { specSnapshot, type DeviceOpenContext } from './devices';
import { EndRun, endingOf, withExits, type Ending } from './ending';
import { errorText } from './errors';
import type { Job } from './job';
import { EPSILON_S, ReadSeries, type SeriesDevice } from './read-series';
import { SampleSink } from './sample-sink';
import { takeSteps, type StepSeriesDevice } from './step-series';
import type { SessionHost } from './session-host';

export type { SessionHost, SessionTuning } from './session-host';

export class RunSession {
  private readonly sink: SampleSink;
  private readonly log: Logger;
  private device: Device | null = null;
  /** Device time of t = 0. */
  private t0 = 0;
  /** Device time spent paused, left out of the protocol's schedule. */
  private pausedFor = 0;
  /** The last conductance read (a pulse whose current is not measured gets this G). */
  private lastG = Number.NaN;
  private lastProgress = 0;
  private timer: unknown;
  private ticking = true;
  /** How the forming and converge blocks ended, as logged: the last few go into a completed run's exit reason. */
  private readonly exits: string[] = [];

  constructor(
    private readonly job: Job,
    private readonly host: SessionHost,
  ) {
    this.log = host.logger;
    this.sink = new SampleSink(job, {
      store: host.store,
      emit: (payload) => host.emit('run.samples', payload),
      wallClock: host.wallClock,
      batchIntervalMs: host.tuning.batchIntervalMs,
      keepUpTo: host.keepUpTo(job),
    });
  }

  /** Runs the job to its end, which it records; throws only when even that could not be done. */
  async run(): Promise<void> {
    let end: { ending: Ending; reason: string } = { ending: 'completed', reason: 'the protocol finished' };
    try {
      const device = await this.start();
      await this.execute(device);
      this.afterLoop();
    } catch (e) {
      const found = endingOf(e, this.job);
      end = found;
      if (found.log === 'warn') this.log.warn(`run ${this.job.id} interrupted: ${found.reason}`, { runId: this.job.id });
      else if (found.log === 'error') this.log.error(`run ${this.job.id} failed: ${found.reason}`, e, { runId: this.job.id });
    } finally {
      await this.finish(end.ending, end.ending === 'completed' ? withExits(end.reason, this.exits) : end.reason);
    }
  }

  // --- start --------------------------------------------------------------------------------

  private async start(): Promise<Device> {
    const { job, host } = this;
    const ctx: DeviceOpenContext = {
      pace: job.pace,
      wallClock: host.wallClock,
      sleep: (s) => job.sleep(s),
      signal: job.abortOpen.signal,
      log: (line) => this.log.info(`run ${job.id}: ${line}`, { runId: job.id }),
      program: job.protocol.program,
    };
    const opened = await host.devices.open(job.spec, job.pace, ctx);
    const device = opened.device;
    this.device = device;
    job.device = device;
    if (job.request === 'stop' || job.request === 'abort') {
      throw new EndRun(job.request === 'stop' ? 'stopped' : 'aborted', job.request === 'stop' ? 'stopped before it started' : 'aborted before it started');
    }
    this.t0 = device.now();
    const startedAt = new Date();
    job.wallStart = host.wallClock();
    // startedAt is the wall time of t = 0: a sample's wall time is startedAt + t.
    host.store.runs.setStatus(job.id, 'running', { at: startedAt, owner: host.owner });
    host.store.runs.setDevice(job.id, { ...specSnapshot(job.spec, job.pace), ...device.snapshot() }, opened.instrumentIdn ?? null);
    this.sink.attach(await host.openWriter(job));
    host.store.runs.log(job.id, 'started', `started on ${job.deviceKind === 'simulated' ? 'a simulated device' : 'an instrument'}, pace ${job.pace}`);
    host.setStatus(job, 'running');
    this.armTick();
    this.lastProgress = host.wallClock();
    return device;
  }

  /** Re-arms after each tick (a timer, not an interval: the host's timers need only set and clear). */
  private armTick(): void {
    if (!this.ticking) return;
    this.timer = this.host.timers.set(() => {
      this.tick();
      this.armTick();
    }, this.host.tuning.batchIntervalMs);
  }

  /** The batch timer: a batch when one is due, and progress at most every progressIntervalMs. */
  private tick(): void {
    const { job, host } = this;
    try {
      // A realtime run may have flushed inline just now: keep batches apart.
      if (!this.sink.seriesInFlight) this.sink.flushIfSpaced();
    } catch (e) {
      job.fatal ??= e;
      job.wake();
    }
    const now = host.wallClock();
    if (job.status === 'running' && (now - this.lastProgress) * 1000 >= host.tuning.progressIntervalMs) {
      this.lastProgress = now;
      host.emitState(job);
    }
  }

  // --- the loop -----------------------------------------------------------------------------

  private async execute(device: Device): Promise<void> {
    const { job, sink } = this;
    const { builder } = sink;
    const tuning = this.host.tuning;
    const seriesDevice = tuning.readSeries && job.pace === 'fast' && typeof device.readSeries === 'function' ? (device as SeriesDevice) : null;
    const series = seriesDevice === null ? null : new ReadSeries(tuning.seriesSlice);
    const stepDevice = tuning.stepSeries && job.pace === 'fast' && typeof device.stepSeries === 'function' ? (device as StepSeriesDevice) : null;
    const program = job.protocol.program;
    // A forming or converge block's end goes into the run's log, in the words `simulate` uses.
    const onExit = (note: ExitNote) => {
      const text = describeExit(note, program);
      this.host.store.runs.log(job.id, note.kind, text);
      this.exits.push(text);
    };
    const run = execute(program, { readRuns: seriesDevice !== null, stepRuns: stepDevice !== null, onExit });
    let result: OpResult | ReadRunOutcome | StepRunOutcome;
    let lastYield = performance.now();
    let counter = 0;
    let step = run.next();
    while (!step.done) {
      if (job.request !== 'none' || job.fatal !== undefined) {
        if (!(await this.safePoint())) break;
      }
      const op = step.value;
      result = undefined;
      // Fast path (nothing pending, a fast device): one wait, no extra promise per operation.
      const lag = op.t - this.elapsed();
      if (lag > EPSILON_S) {
        if (job.pace === 'fast' && job.request === 'none') await device.wait(lag);
        else if (!(await this.advanceTo(op.t))) break;
      }
      job.protocolTime = op.t;
      try {
        switch (op.op) {
          case 'pulse': {
            const t = this.sampleTime();
            const r = await device.pulse(op.amplitude, op.width);
            const measured = Number.isFinite(r.current);
            const g = measured && op.amplitude !== 0 ? r.current / op.amplitude : this.lastG;
            builder.push(t, op.amplitude, measured ? r.current : g * op.amplitude, g, SampleKind.pulse, op.block, r.inCompliance === true);
            job.done += 1;
            break;
          }
          case 'step': {
            // An I–V sweep step: the device holds the voltage under the compliance and measures at the end.
            const t = this.sampleTime();
            const r = await device.pulse(op.voltage, op.dwell, { compliance: op.compliance });
            const measured = Number.isFinite(r.current);
            const g = measured && op.voltage !== 0 ? r.current / op.voltage : this.lastG;
            builder.push(t, op.voltage, measured ? r.current : Number.NaN, g, SampleKind.pulse, op.block, r.inCompliance === true);
            // The current feeds a forming block's target (NaN when not measured: not reached).
            result = { current: r.current };
            job.done += 1;
            break;
          }
          case 'read': {
            const t = this.sampleTime();
            const r = await device.read(op.voltage);
            builder.push(t, op.voltage, r.current, r.conductance, SampleKind.read, op.block);
            this.lastG = r.conductance;
            result = { conductance: r.conductance };
            job.done += 1;
            break;
          }
          case 'wait':
            if (!(await this.advanceTo(op.t + op.duration))) throw new EndRun(null, '');
            break;
          case 'reads': {
            // Only yielded when the device reads in series (readRuns above).
            const got = await (series as ReadSeries).take(op, seriesDevice as SeriesDevice, sink, this.t0, this.pausedFor);
            this.lastG = got.lastG;
            job.done += got.taken;
            job.protocolTime = got.protocolTime;
            result = { reads: got.taken };
            break;
          }
          case 'steps': {
            // Only yielded when the device steps in series (stepRuns above).
            const got = await takeSteps(op, tuning.seriesSlice, stepDevice as StepSeriesDevice, sink, this.t0, this.pausedFor, this.lastG);
            job.done += got.taken;
            job.protocolTime = got.protocolTime;
            result = { steps: got.taken };
            break;
          }
        }
      } catch (e) {
        if (e instanceof EndRun) break;
        if (!isComplianceTrip(e)) throw e;
        this.complianceTrip(op, e);
      }
      step = run.next(result);
      // Realtime: commit as soon as a batch interval has passed, not when the timer next fires,
      // so a killed process loses at most about one interval of samples.
      if (job.pace !== 'fast' && sink.due) this.flushBatch();
      // A fast run's samples go to the writer a chunk at a time, while the next ones are taken.
      this.feedChunk();
      if ((op.op === 'reads' || op.op === 'steps' || (++counter & 255) === 0) && performance.now() - lastYield >= tuning.yieldEveryMs) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
    }
  }

  /** After the loop: a batch failure or the user's stop or abort decides the ending. */
  private afterLoop(): void {
    const { job } = this;
    if (job.fatal !== undefined) throw job.fatal;
    const request = job.request; // changed by control() across the loop's awaits
    if (request === 'abort') throw new EndRun('aborted', job.message ?? 'aborted by the user');
    if (request === 'stop') throw new EndRun('stopped', job.message ?? 'stopped by the user');
    if (!job.exact) job.total = job.done;
  }

  // A batch write that fails ends the run at its next step, not in the middle of this one.

  private flushBatch(): void {
    try {
      this.sink.flush();
    } catch (e) {
      this.job.fatal ??= e;
    }
  }

  private feedChunk(): void {
    try {
      this.sink.feedFullChunk();
    } catch (e) {
      this.job.fatal ??= e;
    }
  }

  private complianceTrip(op: { op: string; t: number }, e: unknown): void {
    const { job } = this;
    const what = `compliance trip during the ${op.op} at t = ${op.t.toPrecision(6)} s: ${errorText(e)}`;
    this.log.warn(`run ${job.id}: ${what}`, { runId: job.id });
    this.host.store.runs.log(job.id, 'compliance', what);
    job.message = what;
    if (job.request === 'none' || job.request === 'resume') {
      job.request = 'pause';
      job.pauseReason = `paused: ${what}`;
    }
  }

  // --- time -----------------------------------------------------------------------------------

  /** Sample time: device time since the run started, pauses included. */
  private sampleTime(): number {
    return (this.device as Device).now() - this.t0;
  }

  /** Protocol time reached: device time since the start, pauses excluded. */
  private elapsed(): number {
    return this.sampleTime() - this.pausedFor;
  }

  /** Brings the device to protocol time `target`; false when the run is to end. */
  private async advanceTo(target: number): Promise<boolean> {
    const { job } = this;
    const device = this.device as Device;
    const { batchIntervalMs, waitSliceS } = this.host.tuning;
    for (;;) {
      if (job.request !== 'none' || job.fatal !== undefined) {
        if (!(await this.safePoint())) return false;
      }
      const remaining = target - this.elapsed();
      if (!(remaining > EPSILON_S)) return true;
      // Realtime: what was taken before a long wait is committed before it, not after.
      if (job.pace !== 'fast' && remaining * 1000 >= batchIntervalMs) this.sink.flushIfSpaced();
      await device.wait(job.pace === 'fast' ? remaining : Math.min(remaining, waitSliceS));
      if (job.pace === 'fast') return true;
    }
  }

  // --- safe points ------------------------------------------------------------------------------

  /** A safe point (see checkpoint); false when the run is to end. */
  private async safePoint(): Promise<boolean> {
    const device = this.device as Device;
    const before = device.now();
    const { go, paused } = await this.checkpoint();
    if (paused) this.pausedFor += Math.max(0, device.now() - before);
    return go;
  }

  /**
   * Acts on a pending request. `go` is false when the run is to end (stop, abort; a fatal batch
   * error is thrown); `paused` says the run was paused here.
   */
  private async checkpoint(): Promise<{ go: boolean; paused: boolean }> {
    const { job, host } = this;
    if (job.fatal !== undefined) throw job.fatal;
    if (job.request === 'stop' || job.request === 'abort') return { go: false, paused: false };
    if (job.request === 'resume') {
      job.request = 'none';
      job.notify();
      return { go: true, paused: false };
    }
    if (job.request !== 'pause') return { go: true, paused: false };
    this.sink.flush();
    const reason = job.pauseReason || 'paused by the user';
    host.store.runs.setStatus(job.id, 'paused');
    host.store.runs.log(job.id, 'paused', reason);
    job.message = reason;
    host.setStatus(job, 'paused');
    try {
      await job.device?.outputOff();
    } catch (e) {
      this.log.error(`run ${job.id}: switching the output off for the pause failed: ${errorText(e)}`, e, { runId: job.id });
    }
    while (job.request === 'pause') await job.nextWake();
    if (job.request !== 'resume') return { go: false, paused: true };
    job.request = 'none';
    job.message = null;
    host.store.runs.setStatus(job.id, 'running');
    host.store.runs.log(job.id, 'resumed', 'resumed by the user');
    host.setStatus(job, 'running');
    return { go: true, paused: true };
  }

  // --- the end ----------------------------------------------------------------------------------

  /**
   * Commits the last samples, lets go of the writer, switches the output off and closes the
   * device (each attempted whatever happened before), then records the end.
   */
  private async finish(ending: Ending, reason: string): Promise<void> {
    const { job, host } = this;
    this.ticking = false;
    if (this.timer !== undefined) host.timers.clear(this.timer);
    try {
      this.sink.flush();
    } catch (e) {
      if (ending !== 'failed') {
        ending = 'failed';
        reason = `the last samples could not be stored: ${errorText(e)}`;
      }
    }
    this.sink.detach(`the run is ${ending}`);
    const device = this.device;
    if (device !== null) {
      try {
        await device.outputOff();
      } catch (e) {
        const line = `switching the output off failed: ${errorText(e)}`;
        this.log.error(`run ${job.id}: ${line}`, e, { runId: job.id });
        reason = `${reason}; ${line}`;
      }
      try {
        await device.close();
      } catch (e) {
        this.log.warn(`run ${job.id}: closing the device failed: ${errorText(e)}`, { runId: job.id });
      }
    }
    job.message = reason;
    let detail: RunDetail | null = null;
    try {
      host.store.runs.log(job.id, ending, reason);
      detail = host.store.runs.setStatus(job.id, ending, { exitReason: reason });
    } catch (e) {
      this.log.error(`run ${job.id}: could not record its end: ${errorText(e)}`, e, { runId: job.id });
      try {
        detail = host.store.runs.get(job.id);
      } catch (again) {
        job.fail(again);
      }
    }
    if (ending === 'completed') job.done = Math.max(job.done, job.total);
    const kept = this.sink.kept();
    if (kept !== null && detail !== null && kept.length === detail.sampleCount) host.keep(job, kept);
    host.setStatus(job, detail?.status ?? ending);
    host.ended(job);
    if (detail) job.settle(detail);
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}
