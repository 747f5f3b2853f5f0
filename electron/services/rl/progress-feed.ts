import type { RlProgress } from '../../../shared/contract/areas/rl';
import type { RlDeviceState } from '../../../shared/contract/areas/rl-device';
import type { EventBus } from '../../router';
import type { Logger } from '../logs/logger';
import type { MonotonicClock, Timers } from '../clock';

/** What the feed reads of a running run: its counts and times (ms on the feed's clock). */
export interface RunTally {
  id: string;
  started: number;
  done: number;
  total: number;
  /** When the first job finished: the rate after it excludes the workers' start-up. */
  firstAt: number | null;
  /** The device side, when a strategy runs on hardware. */
  device: RlDeviceState | null;
}

export interface ProgressFeedOptions {
  /** Where 'rl.progress' and 'rl.device' go; none for a headless manager. */
  bus: EventBus | undefined;
  logger: Logger;
  /** Least time between two progress events (ms). */
  intervalMs: number;
  clock: MonotonicClock;
  timers: Timers;
}

/**
 * The RL manager's events: a run's progress (with its ETA) at most every `intervalMs`, the latest
 * winning, and its device side's state at every change. A failing listener is logged, never
 * allowed to stop the run.
 */
export class RlProgressFeed {
  private lastEmit = Number.NEGATIVE_INFINITY;
  private pending: unknown = null;

  constructor(private readonly options: ProgressFeedOptions) {}

  nowMs(): number {
    return this.options.clock() * 1000;
  }

  progressOf(a: RunTally, status: RlProgress['status'], message: string | null): RlProgress {
    const now = this.nowMs();
    const elapsedS = (now - a.started) / 1000;
    const left = a.total - a.done;
    // Jobs finish at a steady rate once the workers are up: estimate from the jobs after the first.
    const etaS =
      status !== 'running' ? 0 : a.done === 0 ? null : a.done >= 3 && a.firstAt !== null ? (((now - a.firstAt) / 1000) / (a.done - 1)) * left : (elapsedS / a.done) * left;
    return { id: a.id, status, done: a.done, total: a.total, etaS, elapsedS, message };
  }

  /** A new run: its first event goes out at once. */
  restart(): void {
    this.lastEmit = 0;
  }

  /** Drops a throttled event not yet sent (the run has ended). */
  cancelPending(): void {
    if (this.pending !== null) this.options.timers.clear(this.pending);
    this.pending = null;
  }

  /**
   * Publishes progress at most every `intervalMs` (the latest wins); `now` sends at once. A
   * deferred event is computed when it goes out, from `current()` (null once the run has ended).
   */
  publish(progress: RlProgress, now: boolean, current: () => RunTally | null): void {
    const bus = this.options.bus;
    if (!bus) return;
    const send = (p: RlProgress) => {
      this.lastEmit = this.nowMs();
      this.guarded('rl.progress', () => bus.emit('rl.progress', p));
    };
    const wait = this.options.intervalMs - (this.nowMs() - this.lastEmit);
    if (now || wait <= 0) {
      this.cancelPending();
      send(progress);
      return;
    }
    if (this.pending !== null) return;
    this.pending = this.options.timers.set(() => {
      this.pending = null;
      const a = current();
      if (a) send(this.progressOf(a, 'running', null));
    }, wait);
  }

  /** Publishes the device side's state (nothing for a run without one). */
  publishDevice(a: RunTally): void {
    const { bus } = this.options;
    const state = a.device;
    if (!bus || !state) return;
    this.guarded('rl.device', () => bus.emit('rl.device', state));
  }

  private guarded(event: string, send: () => void): void {
    try {
      send();
    } catch (e) {
      this.options.logger.error(`could not send ${event}: ${e instanceof Error ? e.message : String(e)}`, e);
    }
  }
}
