import { AsyncDeviceLearningRate, deviceRuleFor, experimentSeeds, resolveDevicePreset, type Experiment, type Job, type RunResult } from '../../../shared/rl';
import type { Device } from '../../../shared/device/device';
import type { RlProgress } from '../../../shared/contract/areas/rl';
import type { EventBus } from '../../router';
import { ServiceError } from '../errors';
import type { Logger } from '../logs/logger';
import type { RlRunDetail, Store } from '../store';
import { monotonicSeconds, realTimers, type MonotonicClock, type Timers } from '../clock';
import { runJobAsync } from './async-job';
import { RunCancelledError, runJobsInParallel } from './pool';
import { comparisonOf } from './summary';

/**
 * Runs RL comparisons for one data folder: every run is stored as it goes (a row per finished job,
 * so a cancelled or crashed run keeps what it did), its progress is published as 'rl.progress'
 * (at most every `progressIntervalMs`, and at every change of status), and its comparison is stored
 * when it ends. One run at a time: the pool already uses every core.
 *
 * Jobs are handed to the pool seed by seed (every strategy on every environment for seed 0, then
 * seed 1, …), so the live curves show every strategy from the start and sharpen as seeds finish.
 *
 * A strategy can be put on hardware: its jobs then run one after another in this thread, with the
 * learning rate read from a Device (an instrument, or the emulator) through
 * AsyncDeviceLearningRate, while the pool runs the others.
 */
/** A request the manager refuses: a second run, a run it does not drive, a hardware strategy that cannot be one. */
export class RlManagerError extends ServiceError {
  override readonly name = 'RlManagerError';
  constructor(code: 'conflict' | 'not_found' | 'invalid_request', message: string) {
    super(code, message);
  }
}

export interface RlManagerOptions {
  store: Store;
  /** Where 'rl.progress' goes; none for a headless manager. */
  bus?: EventBus;
  /** Where failed runs and output-off failures are logged (source 'rl'). */
  logger: Logger;
  /** Worker threads (default: one per core). */
  workers?: number;
  /** Least time between two progress events (ms); default 100 (10 Hz). */
  progressIntervalMs?: number;
  /** Monotonic clock (s) of progress, ETA and wall time; default performance.now() / 1000. */
  clock?: MonotonicClock;
  /** The progress throttle's timers (tests pass a virtual clock's); default real ones. */
  timers?: Timers;
}

/** A strategy whose learning rate comes from a device. */
export interface HardwareStrategy {
  /** A device strategy of the experiment: its map, spike rule, pulse and timing drive the device. */
  strategyId: string;
  device: Device;
  /**
   * Device time (s) to wait with the output off before each job after the first, so the device
   * recovers between seeds (a physical device carries its state from one job to the next).
   * Default 0.
   */
  restSeconds?: number;
}

export interface StartRl {
  experiment: Experiment;
  /** Number of seeds (default: the experiment's). */
  seeds?: number;
  name?: string;
  experimentId?: string;
  hardware?: HardwareStrategy;
}

export interface StartedRl {
  id: string;
  /** Settles when the run has ended and its record is final (never rejects). */
  finished: Promise<RlRunDetail>;
}

interface Active {
  id: string;
  controller: AbortController;
  started: number;
  done: number;
  total: number;
  /** When the first job finished: the rate after it excludes the workers' start-up. */
  firstAt: number | null;
  finished: Promise<RlRunDetail>;
}

export class RlManager {
  private readonly store: Store;
  private readonly bus: EventBus | undefined;
  private readonly logger: Logger;
  private readonly workers: number | undefined;
  private readonly interval: number;
  private active: Active | null = null;
  private closing = false;
  private readonly clock: MonotonicClock;
  private readonly timers: Timers;
  private lastEmit = Number.NEGATIVE_INFINITY;
  private pending: unknown = null;

  constructor(options: RlManagerOptions) {
    this.store = options.store;
    this.bus = options.bus;
    this.logger = options.logger.child('rl');
    this.workers = options.workers;
    this.interval = options.progressIntervalMs ?? 100;
    this.clock = options.clock ?? monotonicSeconds;
    this.timers = options.timers ?? realTimers;
    // Runs a process left running when it died are over: say so (their finished jobs stay).
    this.store.rlRuns.markInterrupted();
  }

  /** The running run's progress, or null. */
  progress(): RlProgress | null {
    const a = this.active;
    return a ? this.progressOf(a, 'running', null) : null;
  }

  /** Stores the run and starts it. 'conflict' when one is running. */
  start(request: StartRl): StartedRl {
    if (this.active) throw new RlManagerError('conflict', 'An RL run is already running; cancel it or wait for it to finish.');
    const x = request.experiment;
    const seeds = experimentSeeds(x, request.seeds);
    const hardware = request.hardware;
    if (hardware) {
      const spec = x.strategies.find((s) => s.id === hardware.strategyId);
      if (!spec) throw new RlManagerError('invalid_request', `the hardware strategy '${hardware.strategyId}' is not one of the experiment's strategies`);
      if (spec.kind !== 'device') throw new RlManagerError('invalid_request', `the hardware strategy '${hardware.strategyId}' is a ${spec.kind} schedule; only a device strategy can read its learning rate from a device`);
    }
    // Seed-major order: every strategy shows up on the live curves from the first seed on.
    const jobs: Job[] = seeds.flatMap((seed) => x.environments.flatMap((env) => x.strategies.map((s) => ({ environmentId: env.id, strategyId: s.id, seed }))));
    const simulated = jobs.filter((j) => j.strategyId !== hardware?.strategyId);
    const onDevice = jobs.filter((j) => j.strategyId === hardware?.strategyId);
    const run = this.store.rlRuns.create({
      name: request.name ?? defaultName(x, seeds.length),
      experimentId: request.experimentId ?? null,
      config: x,
      seeds,
      jobsTotal: jobs.length,
      hardware: hardware ? { strategyId: hardware.strategyId, restSeconds: hardware.restSeconds ?? 0, device: hardware.device.snapshot() } : null,
    });
    const controller = new AbortController();
    const active: Active = { id: run.id, controller, started: this.nowMs(), done: 0, total: jobs.length, firstAt: null, finished: Promise.resolve(run) };
    this.active = active;
    this.lastEmit = 0;
    this.emit(this.progressOf(active, 'running', null), true);

    const store = (result: RunResult) => {
      this.store.rlRuns.addJob(run.id, result);
      active.done++;
      if (active.firstAt === null) active.firstAt = this.nowMs();
      this.emit(this.progressOf(active, 'running', null), false);
    };
    const work = async () => {
      const pool = runJobsInParallel(x, simulated, { workers: this.workers, signal: controller.signal, onResult: store });
      const device = hardware ? this.runOnDevice(x, onDevice, hardware, controller.signal, store) : Promise.resolve();
      // Both must stop before the run's status is decided: a failure on one side stops the other.
      const settled = await Promise.allSettled([pool.catch((e: unknown) => (controller.abort(), Promise.reject(e))), device.catch((e: unknown) => (controller.abort(), Promise.reject(e)))]);
      const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected' && !isCancel(s.reason));
      if (failure) throw failure.reason;
      if (settled.some((s) => s.status === 'rejected')) throw new RunCancelledError();
    };
    active.finished = work().then(
      () => this.end(active, x, 'completed', null),
      (error: unknown) =>
        isCancel(error)
          ? this.end(active, x, this.closing ? 'interrupted' : 'cancelled', this.closing ? 'the workbench was closed during the run; the jobs it finished are kept' : 'cancelled; the jobs it finished are kept')
          : this.end(active, x, 'failed', error instanceof Error ? error.message : String(error)),
    );
    return { id: run.id, finished: active.finished };
  }

  /** Cancels the running run (its finished jobs stay). 'not_found' when it is not running here. */
  cancel(id: string): Promise<RlRunDetail> {
    const a = this.active;
    if (!a || a.id !== id) {
      if (!this.store.rlRuns.has(id)) throw new RlManagerError('not_found', `There is no RL run with id ${id}.`);
      const run = this.store.rlRuns.get(id);
      throw new RlManagerError('conflict', run.status === 'running' ? `RL run "${run.name}" is run by another workbench process; cancel it there.` : `RL run "${run.name}" has already ended (${run.status}).`);
    }
    a.controller.abort();
    return a.finished;
  }

  get activeId(): string | null {
    return this.active?.id ?? null;
  }

  /** Stops the running run (status 'interrupted') and waits until its record is final. */
  async shutdown(): Promise<void> {
    this.closing = true;
    const a = this.active;
    if (!a) return;
    a.controller.abort();
    await a.finished;
  }

  private async runOnDevice(x: Experiment, jobs: readonly Job[], hardware: HardwareStrategy, signal: AbortSignal, store: (r: RunResult) => void): Promise<void> {
    const spec = x.strategies.find((s) => s.id === hardware.strategyId);
    if (!spec || spec.kind !== 'device') throw new Error(`no device strategy '${hardware.strategyId}'`);
    const preset = resolveDevicePreset(spec.device);
    const device = hardware.device;
    const rest = hardware.restSeconds ?? 0;
    if (!(rest >= 0 && Number.isFinite(rest))) throw new Error(`restSeconds must be a finite number of seconds ≥ 0 (got ${rest})`);
    try {
      // The map spans this device's own conductance: α_max at the G it reads as connected (its G0),
      // the floor at the preset's g_min of that. Every job then reads the device as it is.
      const readVoltage = spec.readVoltage ?? preset.readVoltage;
      const g0 = jobs.length > 0 ? (await device.read(readVoltage)).conductance : Number.NaN;
      if (jobs.length > 0 && !(g0 > 0)) throw new Error(`the device reads G = ${g0} S; the learning-rate map needs a positive conductance`);
      for (const [k, job] of jobs.entries()) {
        signal.throwIfAborted();
        if (k > 0 && rest > 0) await device.wait(rest);
        const rate = await AsyncDeviceLearningRate.open(deviceRuleFor(spec, preset, g0), device);
        store(await runJobAsync(x, job, rate, { signal }));
      }
    } finally {
      await device.outputOff().catch((e: unknown) => this.logger.error(`RL hardware: could not switch the output off: ${e instanceof Error ? e.message : String(e)}`, e));
    }
  }

  private end(a: Active, x: Experiment, status: 'completed' | 'cancelled' | 'failed' | 'interrupted', message: string | null): RlRunDetail {
    const wallSeconds = (this.nowMs() - a.started) / 1000;
    let detail: RlRunDetail;
    try {
      const comparison = comparisonOf(x, this.store.rlRuns.jobs(a.id));
      detail = this.store.rlRuns.finish(a.id, status, { comparison, message, wallSeconds });
    } catch (e) {
      this.logger.error(`RL run ${a.id}: could not record its end (${status}): ${e instanceof Error ? e.message : String(e)}`, e, { rlRunId: a.id });
      detail = this.safeGet(a.id, status, message);
    }
    if (status === 'failed') this.logger.error(`RL run ${a.id} failed: ${message ?? ''}`, undefined, { rlRunId: a.id });
    this.active = null;
    if (this.pending !== null) this.timers.clear(this.pending);
    this.pending = null;
    this.emit(this.progressOf(a, status, message), true);
    return detail;
  }

  private safeGet(id: string, status: RlRunDetail['status'], message: string | null): RlRunDetail {
    try {
      return this.store.rlRuns.get(id);
    } catch {
      // The store is gone (closed under us): report what is known.
      return { id, status, message } as RlRunDetail;
    }
  }

  private progressOf(a: Active, status: RlProgress['status'], message: string | null): RlProgress {
    const now = this.nowMs();
    const elapsedS = (now - a.started) / 1000;
    const left = a.total - a.done;
    // Jobs finish at a steady rate once the workers are up: estimate from the jobs after the first.
    const etaS =
      status !== 'running' ? 0 : a.done === 0 ? null : a.done >= 3 && a.firstAt !== null ? (((now - a.firstAt) / 1000) / (a.done - 1)) * left : (elapsedS / a.done) * left;
    return { id: a.id, status, done: a.done, total: a.total, etaS, elapsedS, message };
  }

  private nowMs(): number {
    return this.clock() * 1000;
  }

  /** Publishes progress at most every `interval` ms (the latest wins); `now` sends at once. */
  private emit(progress: RlProgress, now: boolean): void {
    if (!this.bus) return;
    const send = (p: RlProgress) => {
      this.lastEmit = this.nowMs();
      try {
        this.bus!.emit('rl.progress', p);
      } catch (e) {
        this.logger.error(`could not send rl.progress: ${e instanceof Error ? e.message : String(e)}`, e);
      }
    };
    const wait = this.interval - (this.nowMs() - this.lastEmit);
    if (now || wait <= 0) {
      if (this.pending !== null) this.timers.clear(this.pending);
      this.pending = null;
      send(progress);
      return;
    }
    if (this.pending !== null) return;
    this.pending = this.timers.set(() => {
      this.pending = null;
      const a = this.active;
      if (a) send(this.progressOf(a, 'running', null));
    }, wait);
  }
}

function isCancel(e: unknown): boolean {
  return e instanceof RunCancelledError || (e instanceof Error && e.name === 'AbortError') || (e instanceof DOMException && e.name === 'AbortError');
}

function defaultName(x: Experiment, seeds: number): string {
  return `${x.name}: ${x.strategies.length} strateg${x.strategies.length === 1 ? 'y' : 'ies'} × ${x.environments.length} environment${x.environments.length === 1 ? '' : 's'} × ${seeds} seed${seeds === 1 ? '' : 's'}`;
}
