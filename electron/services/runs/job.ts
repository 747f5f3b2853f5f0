/**
 * One run as the engine holds it while it is queued or running: what it runs and on what, how far
 * it has come, what the user asked for that it has not acted on yet, and the signals between the
 * engine's control requests (pause, stop, …) and the run's own loop, which waits for them.
 */
import { isTerminalRunStatus, type ActiveRun, type RunProgress, type RunStatus } from '../../../shared/contract';
import type { Device } from '../../../shared/device/device';
import type { Pace } from '../../../shared/device';
import type { RunDetail } from '../store';
import type { RunDeviceSpec } from './devices';
import type { PreparedProtocol } from './protocol';
import type { Timers } from '../clock';

/** What the user asked for that the run has not yet acted on. */
export type RunRequest = 'none' | 'pause' | 'resume' | 'stop' | 'abort';

export interface JobInit {
  id: string;
  name: string;
  experimentId: string;
  experimentName: string;
  pace: Pace;
  protocol: PreparedProtocol;
  spec: RunDeviceSpec;
  /** What its sleeps and waits are timed by (the engine's). */
  timers: Timers;
}

export class Job {
  readonly id: string;
  readonly name: string;
  readonly experimentId: string;
  readonly experimentName: string;
  readonly protocolName: string;
  readonly deviceKind: string;
  readonly pace: Pace;
  readonly protocol: PreparedProtocol;
  readonly spec: RunDeviceSpec;
  status: RunStatus = 'queued';
  request: RunRequest = 'none';
  /** Why it pauses, once a pause is requested ('by the user' or a compliance trip). */
  pauseReason = '';
  message: string | null = null;
  /** Operations done, of `total` (exact when the protocol's counts are). */
  done = 0;
  total: number;
  readonly exact: boolean;
  protocolTime = 0;
  /** Samples sent to the bus so far (the index of the next batch's first). */
  samples = 0;
  /** Wall clock (s) when the run started. */
  wallStart = 0;
  device: Device | null = null;
  /** Set by a failed batch write; the run fails at its next step. */
  fatal: unknown = undefined;
  /** Resolves with the run's final record once it has ended. */
  readonly settled: Promise<RunDetail>;
  readonly settle: (detail: RunDetail) => void;
  /** The run's end could not even be read back (the store went away): whenDone rejects. */
  readonly fail: (error: unknown) => void;
  /** Aborted when the run is stopped or aborted before its device is open. */
  readonly abortOpen = new AbortController();
  private readonly timers: Timers;
  /** Resolve sleeps and the pause wait early. */
  private readonly wakers = new Set<() => void>();
  /** Callbacks waiting for a status change. */
  private readonly watchers = new Set<() => void>();

  constructor(init: JobInit) {
    this.id = init.id;
    this.name = init.name;
    this.experimentId = init.experimentId;
    this.experimentName = init.experimentName;
    this.protocolName = init.protocol.document.name;
    this.deviceKind = init.spec.kind;
    this.pace = init.pace;
    this.protocol = init.protocol;
    this.spec = init.spec;
    this.timers = init.timers;
    const estimate = init.protocol.estimate;
    this.total = finiteCount(estimate.pulses.value + estimate.reads.value);
    this.exact = estimate.pulses.exact && estimate.reads.exact;
    let settle!: (d: RunDetail) => void;
    let fail!: (e: unknown) => void;
    this.settled = new Promise<RunDetail>((resolve, reject) => {
      settle = resolve;
      fail = reject;
    });
    this.settled.catch(() => undefined); // a rejection nobody awaits must not take the process down
    this.settle = settle;
    this.fail = fail;
  }

  /** A sleep that a pause, stop or abort cuts short (none at all while one is pending). */
  sleep(seconds: number): Promise<void> {
    if (this.request !== 'none' && this.request !== 'resume') return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.timers.clear(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = this.timers.set(done, Math.max(0, seconds * 1000), { keepAlive: true });
      this.wakers.add(done);
    });
  }

  /** Resolves at the next wake(). */
  nextWake(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.wakers.delete(done);
        resolve();
      };
      this.wakers.add(done);
    });
  }

  /** Cuts every sleep short: a request is waiting for the run. */
  wake(): void {
    for (const w of [...this.wakers]) w();
  }

  /** Tells whoever waits for a status (waitFor) to look again. */
  notify(): void {
    for (const w of [...this.watchers]) w();
  }

  /** Resolves when `until(status)` holds, or after `ms`. */
  waitFor(until: (s: RunStatus) => boolean, ms: number): Promise<void> {
    if (until(this.status)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const check = (): void => {
        if (!until(this.status)) return;
        finish();
      };
      const finish = (): void => {
        this.timers.clear(timer);
        this.watchers.delete(check);
        resolve();
      };
      const timer = this.timers.set(finish, ms, { keepAlive: true });
      this.watchers.add(check);
    });
  }

  /** Where the run is, for 'run.state': `now` is the engine's wall clock (s). */
  progress(now: number): RunProgress {
    const total = Math.max(this.total, this.done);
    const ended = isTerminalRunStatus(this.status);
    const duration = finiteDuration(this.protocol.estimate.duration.value);
    // A realtime run's progress is its time (#19: 100 fast spikes then minutes of reads is not
    // "50 %" after the spikes); a fast run's is its operations, which is what it spends time on.
    const byTime = this.pace === 'realtime' && duration > 0 && !ended;
    const fraction = byTime ? Math.min(1, Math.max(0, this.protocolTime) / duration) : total > 0 ? Math.min(1, this.done / total) : ended ? 1 : 0;
    let etaS: number | null = null;
    if (this.status === 'running' || this.status === 'paused') {
      if (this.pace === 'realtime') etaS = Math.max(0, duration - this.protocolTime);
      else if (this.done > 0) etaS = Math.max(0, ((now - this.wallStart) * (total - this.done)) / this.done);
    } else if (ended) etaS = 0;
    return { done: this.done, total, fraction, etaS, exact: this.exact, protocolTime: Math.max(0, this.protocolTime), duration };
  }

  /** The run as 'runs.active' lists it. */
  describe(queuePosition: number, now: number): ActiveRun {
    return {
      runId: this.id,
      name: this.name,
      experimentId: this.experimentId,
      experimentName: this.experimentName,
      status: this.status,
      pace: this.pace,
      protocolName: this.protocolName,
      deviceKind: this.deviceKind,
      progress: this.progress(now),
      samples: this.samples,
      message: this.message,
      queuePosition,
    };
  }
}

function finiteCount(x: number): number {
  return Number.isFinite(x) && x > 0 ? Math.round(x) : 0;
}

function finiteDuration(x: number): number {
  return Number.isFinite(x) && x > 0 ? x : 0;
}
