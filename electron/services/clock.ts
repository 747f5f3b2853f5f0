/**
 * The timers services arm (reply timeouts, batch ticks, pacing sleeps, progress throttles). Real
 * ones by default; tests hand in their own — a virtual clock (test/helpers/virtual-clock.ts) or a
 * recorder — so that what they assert is what the code decided on its clock, never how fast this
 * machine happened to be.
 */
export interface Timers {
  /** keepAlive: the process waits for this timer (a run's pacing sleep); otherwise it never holds the process open. */
  set(fire: () => void, ms: number, options?: { keepAlive?: boolean }): unknown;
  clear(handle: unknown): void;
}

/** Real timers; only a keepAlive one holds the process open. */
export const realTimers: Timers = {
  set: (fire, ms, options) => {
    const handle = setTimeout(fire, ms);
    if (options?.keepAlive !== true) handle.unref?.();
    return handle;
  },
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Seconds on a monotonic clock (any origin). */
export type MonotonicClock = () => number;

export const monotonicSeconds: MonotonicClock = () => performance.now() / 1000;
