import { createRng, type Rng, type Seed } from '../random';
import type { Variation } from './params';

/**
 * The random streams of one simulated device. Each consumer has its own child stream, so e.g.
 * taking more reads never changes the cycle-to-cycle noise of later spikes.
 */
export interface DeviceStreams {
  /** Device-to-device spread, drawn once at creation. */
  readonly d2d: Rng;
  /** Cycle-to-cycle noise on each spike's step. */
  readonly c2c: Rng;
  /** Read noise. */
  readonly read: Rng;
  /** The model's own stochastic switching (filamentary abrupt drops): physics, not noise. */
  readonly switching: Rng;
}

export function deviceStreams(seed: Seed | Rng): DeviceStreams {
  const root = typeof seed === 'object' ? seed.fork('device') : createRng(seed).fork('device');
  return { d2d: root.fork('d2d'), c2c: root.fork('c2c'), read: root.fork('read'), switching: root.fork('switching') };
}

/** Multiplicative log-normal factor with mean 1 and relative spread ≈ sigma; always positive. */
export function logNormalFactor(rng: Rng, sigma: number): number {
  return sigma > 0 ? Math.exp(sigma * rng.normal() - 0.5 * sigma * sigma) : 1;
}

export const NO_VARIATION: Variation = { c2c: 0, d2d: 0, read: 0 };

/** Clamp to [0, 1]; NaN (e.g. 0·∞ from an absurd pulse) counts as 0, i.e. no change. */
export function unitFraction(x: number): number {
  return x > 0 ? (x < 1 ? x : 1) : 0;
}

export function assertRelaxTime(dt: number): void {
  if (!(dt >= 0)) throw new RangeError(`relax(dt) needs dt ≥ 0 seconds (got ${dt})`);
}
