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

/** Timers a transport arms for its reply timeouts (tests fire them instead of waiting). */
export { realTimers, type Timers } from '../clock';
