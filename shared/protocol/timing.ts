import { TOLERANCE } from './defaults';

/**
 * Reads taken during a wait of `duration` with a read every `every`: at 0, every, 2·every, …
 * strictly before the end (so 600 s every 10 s is 60 reads, the last at 590 s).
 */
export function readsDuring(duration: number, every: number): number {
  if (!(duration > 0) || !(every > 0)) return 0;
  return Math.max(1, Math.ceil(duration / every - TOLERANCE));
}

/** Pulses in a ramp: from, from ± step, … up to `to` and never beyond it. */
export function rampCount(from: number, to: number, step: number): number {
  if (!(step > 0)) return 0;
  return Math.floor(Math.abs(to - from) / step + TOLERANCE) + 1;
}

/** The k-th amplitude of a ramp, computed directly so that no rounding accumulates. */
export function rampAmplitude(from: number, to: number, step: number, k: number): number {
  const v = from + Math.sign(to - from) * step * k;
  // The last step may land a rounding error past `to`; never go beyond it.
  return to >= from ? Math.min(v, to) : Math.max(v, to);
}
