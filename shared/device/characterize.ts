/**
 * A device's signatures in one document (`workbench characterize`, the Devices page): what a
 * referee asks of a "second-order" memristor (SCIENCE.md), measured on the model rather than
 * asserted.
 *
 *  - paired-pulse index: the fractional change of (G − G_min) caused by spike 2 divided by that
 *    caused by spike 1, each pair on a fresh device. 1 means the first spike left no trace on how
 *    the second acts; the conductance's own recovery between the two does not move it, because each
 *    fraction is taken of the (G − G_min) in front of its spike;
 *  - its half-decay interval: where (index − 1) has fallen to half its value at the shortest
 *    interval;
 *  - rate dependence: ΔG (%) after a whole train from a fresh device, against the train's period;
 *  - the paper train (100 × 2 V, 10 ms at 1 Hz): ΔG right after it, and G/G₀ 100 s and 600 s later.
 *
 * Noise is off unless asked for, so the numbers are the model's equations; the filamentary model's
 * abrupt switching is physics and stays (seeded) random.
 */
import { createDevice, type Ablation } from './create';
import type { DevicePreset } from './preset';
import type { SimulatedDevice } from './simulated';

export interface Spike {
  amplitude: number;
  width: number;
}

/** The calibration spike, which is also the paper train's. */
export const PAPER_SPIKE: Spike = { amplitude: 2, width: 0.01 };
export const PAPER_TRAIN = { spike: PAPER_SPIKE, count: 100, periodS: 1 } as const;

/** 0.1 s to 3000 s: short enough to see the facilitation, long enough for the barrier to have gone. */
export const PAIRED_PULSE_INTERVALS_S: readonly number[] = [0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000, 3000];
export const RATE_PERIODS_S: readonly number[] = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100];

export interface CharacterizeOptions {
  ablate?: readonly Ablation[];
  noise?: boolean;
  seed?: number;
  spike?: Spike;
  intervalsS?: readonly number[];
  periodsS?: readonly number[];
  /** Spikes per train in the rate curve (default the paper train's 100). */
  trainCount?: number;
}

export interface Characterization {
  device: string;
  model: string;
  ablate: Ablation[];
  spike: Spike;
  pairedPulse: { intervalS: number; index: number }[];
  /** null when the index never moves 0.01 away from 1 (nothing decays). */
  halfDecayIntervalS: number | null;
  rate: { periodS: number; deltaGPercent: number }[];
  paperTrain: { deltaGPercent: number; g100: number; g600: number };
}

export function characterize(preset: DevicePreset, options: CharacterizeOptions = {}): Characterization {
  const spike = options.spike ?? PAPER_SPIKE;
  const fresh = (): SimulatedDevice => createDevice(preset, { seed: options.seed ?? 1, noise: options.noise ?? false, ablate: options.ablate ?? [] });
  const index = (interval: number) => pairedPulseIndex(fresh(), spike, interval);
  return {
    device: preset.name,
    model: preset.model,
    ablate: [...(options.ablate ?? [])],
    spike,
    pairedPulse: (options.intervalsS ?? PAIRED_PULSE_INTERVALS_S).map((intervalS) => ({ intervalS, index: index(intervalS) })),
    halfDecayIntervalS: halfDecayInterval(index),
    rate: (options.periodsS ?? RATE_PERIODS_S).map((periodS) => ({ periodS, deltaGPercent: trainDeltaPercent(fresh(), spike, options.trainCount ?? PAPER_TRAIN.count, periodS) })),
    paperTrain: paperTrain(fresh()),
  };
}

/** Reads the model's true conductance: the index is about the physics, not the read noise. */
export function pairedPulseIndex(device: SimulatedDevice, spike: Spike, interval: number): number {
  const gMin = (device.params.gMin ?? 0) * device.g0;
  const fraction = () => {
    const before = device.conductance();
    device.pulse(spike.amplitude, spike.width);
    return (before - device.conductance()) / (before - gMin);
  };
  const first = fraction();
  device.relax(interval);
  const second = fraction();
  return first > 0 ? second / first : Number.NaN;
}

/** ΔG (%) of a whole train of `count` spikes, `period` seconds apart (start to start), from G before it. */
export function trainDeltaPercent(device: SimulatedDevice, spike: Spike, count: number, period: number): number {
  if (!(period > spike.width)) return Number.NaN;
  const before = device.conductance();
  for (let k = 0; k < count; k++) {
    if (k > 0) device.relax(period - spike.width);
    device.pulse(spike.amplitude, spike.width);
    device.relax(spike.width);
  }
  return ((device.conductance() - before) / before) * 100;
}

function paperTrain(device: SimulatedDevice): Characterization['paperTrain'] {
  const { spike, count, periodS } = PAPER_TRAIN;
  const g0 = device.conductance();
  for (let k = 0; k < count; k++) {
    if (k > 0) device.relax(periodS);
    device.pulse(spike.amplitude, spike.width);
  }
  const deltaGPercent = (device.conductance() / g0 - 1) * 100;
  device.relax(100);
  const g100 = device.conductance() / g0;
  device.relax(500);
  return { deltaGPercent, g100, g600: device.conductance() / g0 };
}

/**
 * The interval where (index − 1) has halved from its value at 10 ms, found on a fine log grid
 * (10 ms to 10⁵ s, 20 points a decade) and interpolated in log time. Independent of the intervals
 * the report lists, so a coarse list cannot move it.
 */
function halfDecayInterval(index: (interval: number) => number): number | null {
  const grid = Array.from({ length: 141 }, (_, k) => 10 ** (-2 + k / 20));
  const start = index(grid[0]!) - 1;
  if (!(Math.abs(start) >= 0.01)) return null;
  const half = start / 2;
  let prev = start;
  for (let k = 1; k < grid.length; k++) {
    const d = index(grid[k]!) - 1;
    if (Math.abs(d) <= Math.abs(half)) {
      const t = (Math.abs(prev) - Math.abs(half)) / (Math.abs(prev) - Math.abs(d));
      return 10 ** (Math.log10(grid[k - 1]!) + t * (Math.log10(grid[k]!) - Math.log10(grid[k - 1]!)));
    }
    prev = d;
  }
  return null;
}
