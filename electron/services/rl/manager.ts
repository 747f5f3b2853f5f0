import { experimentSeeds, experimentWorkProblem, type DeviceStrategySpec, type Experiment, type Job, type RunResult } from '../../../shared/rl';
import { formatPath } from '../../../shared/contract/issues';
import type { Device } from '../../../shared/device/device';
import type { RlProgress } from '../../../shared/contract/areas/rl';
import type { RlDeviceState } from '../../../shared/contract/areas/rl-device';
import type { EventBus } from '../../router';
import { ServiceError } from '../errors';
import type { Logger } from '../logs/logger';
import type { RlRunDetail, Store } from '../store';
import { monotonicSeconds, realTimers, type MonotonicClock, type Timers } from '../clock';
import { deviceEnding, deviceExperiment, driveDeviceJobs, referenceFor, reopenDeviceRun, type EpisodeReport, type HardwareRecord } from './device-run';
import { EpisodeGate, GatedDevice } from './episode-gate';
import { isCancellation, RunCancelledError, runJobsInParallel } from './pool';
import { RlProgressFeed, type RunTally } from './progress-feed';
import { defaultName, seedMajorJobs } from './run-plan';
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
 * learning rate read from a Device (an instrument, or the emulator), checkpointed after every
 * episode (device-run.ts), while the pool runs the others. Between episodes the device side can be
 * paused (output off), stopped or aborted; a stopped, aborted or cut-off run resumes later
 * (`resume`) on the same instrument.
 *
 * Its parts: progress-feed.ts (the throttled 'rl.progress' and 'rl.device' events, the ETA),
 * run-plan.ts (the jobs' order, a run's default name), device-run.ts (the device loop).
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
  /** The instrument's *IDN? (null for a simulated device), checked again on resume. */
  identity?: string | null;
  /** How to find the device again on resume (recorded with the run). */
  reopen?: Record<string, unknown>;
  /** The reference conductance the α map spans and where it comes from; default a burst of reads. */
  g0?: { value: number; source: string };
  /**
   * Device time (s) to wait with the output off before each job after the first, so the device
   * recovers between seeds (a physical device carries its state from one job to the next).
   * Default 0.
   */
  restSeconds?: number;
  /** Close the device when the run ends (the manager opened it for the run). */
  closeAtEnd?: boolean;
}

export interface StartRl {
  experiment: Experiment;
  /** Number of seeds (default: the experiment's). */
  seeds?: number;
  name?: string;
  experimentId?: string;
  hardware?: HardwareStrategy;
  /** The device the run is filed under (#14); default its virtual device. */
  deviceId?: string;
}

export interface StartedRl {
  id: string;
  /** Settles when the run has ended and its record is final (never rejects). */
  finished: Promise<RlRunDetail>;
}

interface Active extends RunTally {
  controller: AbortController;
  finished: Promise<RlRunDetail>;
  /** The device side's control between episodes, when a strategy runs on hardware. */
  gate: EpisodeGate | null;
}

export class RlManager {
  private readonly store: Store;
  private readonly logger: Logger;
  private readonly workers: number | undefined;
  private readonly feed: RlProgressFeed;
  private active: Active | null = null;
  private closing = false;

  constructor(options: RlManagerOptions) {
    this.store = options.store;
    this.logger = options.logger.child('rl');
    this.workers = options.workers;
    this.feed = new RlProgressFeed({
      bus: options.bus,
      logger: this.logger,
      intervalMs: options.progressIntervalMs ?? 100,
      clock: options.clock ?? monotonicSeconds,
      timers: options.timers ?? realTimers,
    });
    // Runs a process left running when it died are over: say so (their finished jobs stay).
    this.store.rlRuns.markInterrupted();
  }

  /** The running run's progress, or null. */
  progress(): RlProgress | null {
    const a = this.active;
    return a ? this.feed.progressOf(a, 'running', null) : null;
  }

  /** Stores the run and starts it. 'conflict' when one is running. A hardware strategy needs startOnDevice (its G0 is read first). */
  start(request: StartRl): StartedRl {
    if (this.active) throw new RlManagerError('conflict', 'An RL run is already running; cancel it or wait for it to finish.');
    const x = request.experiment;
    checkWork(x, request.seeds);
    const seeds = experimentSeeds(x, request.seeds);
    const hardware = request.hardware;
    if (hardware && !hardware.g0) throw new RlManagerError('invalid_request', 'a hardware strategy starts through startOnDevice, which reads its reference conductance first');
    const spec = hardware ? this.deviceSpec(x, hardware.strategyId) : null;
    const jobs = seedMajorJobs(x, seeds);
    const record: HardwareRecord | null =
      hardware && spec
        ? { strategyId: spec.id, identity: hardware.identity ?? null, reopen: hardware.reopen ?? {}, g0: hardware.g0!.value, g0Source: hardware.g0!.source, device: hardware.device.snapshot(), restSeconds: hardware.restSeconds ?? 0 }
        : null;
    const run = this.store.rlRuns.create({
      name: request.name ?? defaultName(x, seeds.length),
      experimentId: request.experimentId ?? null,
      config: x,
      seeds,
      jobsTotal: jobs.length,
      hardware: record,
      ...(request.deviceId ? { deviceId: request.deviceId } : {}),
    });
    return this.launch(run.id, x, jobs, 0, hardware && spec && record ? { spec, hardware, g0: record.g0 } : null);
  }

  /** Reads the device's reference conductance (unless given), then stores the run and starts it. */
  async startOnDevice(request: StartRl & { hardware: HardwareStrategy }): Promise<StartedRl> {
    if (this.active) throw new RlManagerError('conflict', 'An RL run is already running; cancel it or wait for it to finish.');
    const spec = this.deviceSpec(request.experiment, request.hardware.strategyId);
    // Before the device is read: a request over the bound does nothing at all.
    checkWork(request.experiment, request.seeds);
    const g0 = await referenceFor(request.hardware.device, spec, request.hardware.g0);
    return this.start({ ...request, hardware: { ...request.hardware, g0 } });
  }

  /**
   * Continues a stopped, aborted or cut-off run: the jobs it finished stay, the device strategy's
   * job in flight continues from its last checkpoint on `device` (whose *IDN? must be the run's),
   * and the simulated jobs not yet stored run again in the pool. Nothing is written when a check fails.
   */
  resume(id: string, opened: { device: Device; identity: string | null; closeAtEnd?: boolean }): StartedRl {
    if (this.active) throw new RlManagerError('conflict', 'An RL run is already running; cancel it or wait for it to finish.');
    let reopened: ReturnType<typeof reopenDeviceRun>;
    try {
      reopened = reopenDeviceRun(this.store, id, opened.identity);
    } catch (e) {
      throw new RlManagerError('conflict', e instanceof Error ? e.message : String(e));
    }
    const { run, hardware } = reopened;
    const x = run.config;
    const spec = this.deviceSpec(x, hardware.strategyId);
    const stored = this.store.rlRuns.jobs(id).length;
    const strategy: HardwareStrategy = { strategyId: spec.id, device: opened.device, identity: opened.identity, restSeconds: hardware.restSeconds ?? 0, closeAtEnd: opened.closeAtEnd ?? false };
    return this.launch(id, x, seedMajorJobs(x, run.seeds), stored, { spec, hardware: strategy, g0: hardware.g0 });
  }

  /** Pauses the device side between episodes (output off); 'not_found' unless a hardware run is running. */
  pause(id: string): RlDeviceState {
    const a = this.hardwareRun(id);
    a.gate!.pause();
    return a.device!;
  }

  /** Resumes a paused device side. */
  continue(id: string): RlDeviceState {
    const a = this.hardwareRun(id);
    a.gate!.resume();
    return a.device!;
  }

  /** Stops after the episode in flight: status 'cancelled', resumable. */
  stop(id: string): RlDeviceState {
    const a = this.hardwareRun(id);
    a.gate!.stop();
    a.device = { ...a.device!, state: 'stopping' };
    this.feed.publishDevice(a);
    return a.device;
  }

  /** The device side of the running run, or null. */
  deviceState(): RlDeviceState | null {
    return this.active?.device ?? null;
  }

  private hardwareRun(id: string): Active {
    const a = this.active;
    if (!a || a.id !== id) throw new RlManagerError('not_found', `RL run ${id} is not running here.`);
    if (!a.gate || !a.device) throw new RlManagerError('invalid_request', 'This RL run has no strategy on a device; pause, resume and stop are for runs on a device (cancel stops it).');
    return a;
  }

  private deviceSpec(x: Experiment, strategyId: string): DeviceStrategySpec {
    try {
      return deviceExperiment(x, strategyId).spec;
    } catch (e) {
      throw new RlManagerError('invalid_request', `the hardware strategy: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private launch(id: string, x: Experiment, jobs: readonly Job[], storedJobs: number, onHardware: { spec: DeviceStrategySpec; hardware: HardwareStrategy; g0: number } | null): StartedRl {
    const have = new Set(this.store.rlRuns.jobs(id).map((j) => `${j.environmentId}|${j.strategyId}|${j.seed}`));
    const hardwareId = onHardware?.spec.id;
    const simulated = jobs.filter((j) => j.strategyId !== hardwareId && !have.has(`${j.environmentId}|${j.strategyId}|${j.seed}`));
    const onDevice = jobs.filter((j) => j.strategyId === hardwareId);
    const controller = new AbortController();
    const active: Active = { id, controller, started: this.feed.nowMs(), done: storedJobs, total: jobs.length, firstAt: null, finished: Promise.resolve(this.store.rlRuns.get(id)), gate: null, device: null };
    if (onHardware) {
      active.gate = new EpisodeGate((state) => {
        active.device = { ...active.device!, state };
        this.feed.publishDevice(active);
      });
      controller.signal.addEventListener('abort', () => active.gate!.abort(), { once: true });
      const mine = onDevice.filter((j) => !have.has(`${j.environmentId}|${j.strategyId}|${j.seed}`)).length;
      active.device = { id, strategyId: onHardware.spec.id, state: 'running', g0: onHardware.g0, jobsDone: onDevice.length - mine, jobsTotal: onDevice.length, last: null };
    }
    this.active = active;
    this.feed.restart();
    this.emit(this.feed.progressOf(active, 'running', null), true);

    const counted = () => {
      active.done++;
      if (active.firstAt === null) active.firstAt = this.feed.nowMs();
      this.emit(this.feed.progressOf(active, 'running', null), false);
    };
    const store = (result: RunResult) => {
      this.store.rlRuns.addJob(id, result);
      counted();
    };
    let deviceEnd: { status: 'cancelled' | 'interrupted'; message: string } | null = null;
    const work = async () => {
      const pool = runJobsInParallel(x, simulated, { workers: this.workers, signal: controller.signal, onResult: store });
      const device = onHardware ? this.runOnDevice(id, x, onDevice, onHardware, active, counted) : Promise.resolve();
      // Both must stop before the run's status is decided: a failure on one side stops the other.
      const settled = await Promise.allSettled([
        pool.catch((e: unknown) => (controller.abort(), Promise.reject(e))),
        device.catch((e: unknown) => {
          deviceEnd = deviceEnding(e, active.gate?.signal);
          controller.abort();
          return Promise.reject(e);
        }),
      ]);
      const poolFailure = settled[0].status === 'rejected' && !isCancellation(settled[0].reason) ? settled[0].reason : null;
      if (poolFailure) throw poolFailure;
      if (settled.some((s) => s.status === 'rejected')) throw new RunCancelledError();
    };
    active.finished = work().then(
      () => this.end(active, x, 'completed', null),
      (error: unknown) => {
        if (!isCancellation(error)) return this.end(active, x, 'failed', error instanceof Error ? error.message : String(error));
        if (this.closing) return this.end(active, x, 'interrupted', 'the workbench was closed during the run; the jobs it finished are kept');
        if (deviceEnd) return this.end(active, x, deviceEnd.status, deviceEnd.message);
        return this.end(active, x, 'cancelled', onHardware ? 'aborted by the user; the episode in flight is lost; resume it to continue from the last episode' : 'cancelled; the jobs it finished are kept');
      },
    );
    return { id, finished: active.finished };
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

  private async runOnDevice(id: string, x: Experiment, jobs: readonly Job[], on: { spec: DeviceStrategySpec; hardware: HardwareStrategy; g0: number }, active: Active, counted: () => void): Promise<void> {
    const rest = on.hardware.restSeconds ?? 0;
    if (!(rest >= 0 && Number.isFinite(rest))) throw new Error(`restSeconds must be a finite number of seconds ≥ 0 (got ${rest})`);
    const gate = active.gate!;
    try {
      await driveDeviceJobs({
        store: this.store,
        runId: id,
        experiment: x,
        spec: on.spec,
        jobs,
        device: new GatedDevice(on.hardware.device, gate.signal),
        g0: on.g0,
        restSeconds: rest,
        signal: gate.signal,
        gate,
        onEpisode: (e: EpisodeReport) => {
          active.device = { ...active.device!, last: e };
          this.feed.publishDevice(active);
        },
        onJob: () => {
          active.device = { ...active.device!, jobsDone: active.device!.jobsDone + 1 };
          counted();
        },
      });
    } finally {
      await on.hardware.device.outputOff().catch((e: unknown) => this.logger.error(`RL hardware: could not switch the output off: ${e instanceof Error ? e.message : String(e)}`, e));
      if (on.hardware.closeAtEnd) await on.hardware.device.close().catch(() => undefined);
    }
  }

  private end(a: Active, x: Experiment, status: 'completed' | 'cancelled' | 'failed' | 'interrupted', message: string | null): RlRunDetail {
    const wallSeconds = (this.feed.nowMs() - a.started) / 1000;
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
    if (a.device) {
      a.device = { ...a.device, state: 'ended' };
      this.feed.publishDevice(a);
    }
    this.feed.cancelPending();
    this.emit(this.feed.progressOf(a, status, message), true);
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

  private emit(progress: RlProgress, now: boolean): void {
    this.feed.publish(progress, now, () => this.active);
  }
}

/** Refuses a run whose worst-case work is over the bound (RL_BOUNDS), before anything is stored. */
function checkWork(x: Experiment, seeds: number | undefined): void {
  const problem = experimentWorkProblem(x, seeds);
  if (problem) throw new RlManagerError('invalid_request', `${formatPath(problem.path)}: ${problem.message}`);
}
