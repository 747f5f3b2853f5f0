/**
 * Where an instrument-backed device gets its time from. A real instrument lives on the wall clock;
 * the emulator in simulated-time mode provides its own clock, so a 100 s spike train runs in well
 * under a second while the device still relaxes by the full waits.
 */
export interface DeviceClock {
  /** Seconds on this clock (any origin). */
  now(): number;
  /** Let `seconds` pass on this clock. */
  sleep(seconds: number): Promise<void>;
}

export const wallClock: DeviceClock = {
  now: () => performance.now() / 1000,
  sleep: (seconds) => new Promise((resolve) => setTimeout(resolve, Math.max(0, seconds * 1000))),
};

/**
 * Timers a transport arms for its reply timeouts: the real ones by default; tests hand in their
 * own to see which timeout was armed and to fire it, instead of measuring how long a wait took.
 */
export interface Timers {
  set(fire: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: Timers = {
  set: (fire, ms) => {
    const handle = setTimeout(fire, ms);
    handle.unref?.();
    return handle;
  },
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
