/**
 * The characteristic curves of a device preset, computed in the renderer from shared/device (no
 * host round trip, so they follow every keystroke):
 *
 *  - spike train: G right after each spike of a train (pulse 0 = before the first);
 *  - relaxation: G during the 600 s after the train's last spike;
 *  - paired pulses: the paired-pulse index (the fraction of G − G_min spike 2 removes ÷ the fraction
 *    spike 1 removed) against the interval between them, each pair on a fresh device (> 1: the
 *    first spike made the second stronger; 1: no memory);
 *  - rate: ΔG (%) after the whole train from a fresh device, against the train's spike rate.
 *
 * The paired pulses, the rates and the single figures come from shared/device/characterize.ts,
 * the code behind `workbench characterize`, so the page and the CLI give the same numbers.
 *
 * Each curve uses a device made from the same seed, so the same preset always gives the same
 * curves. With noise off the intrinsic-gradient and ideal models follow their equations exactly;
 * the filamentary model's abrupt switching is its physics and stays (seeded) random.
 */
import { characterize, createDevice, trainDeltaPercent, type DevicePreset, type SimulatedDevice } from '../../../shared/device';

export interface Stimulus {
  /** Spike amplitude (V). */
  amplitude: number;
  /** Spike width (s). */
  width: number;
  /** Time from one spike to the next in the train (s). */
  period: number;
  /** Spikes in the train. */
  count: number;
}

/** The paper's train as calibrated by the workbench (ours): 100 spikes of 2 V, 10 ms at 1 Hz. */
export const DEFAULT_STIMULUS: Stimulus = { amplitude: 2, width: 0.01, period: 1, count: 100 };

export const RELAXATION_SECONDS = 600;
const RELAXATION_STEP = 2;
/** Paired-pulse intervals: 100 ms to 3000 s (where the default barrier has gone), 8 per decade. */
const INTERVALS = logSpace(-1, Math.log10(3000), 37);
/** Train rates: 0.01 Hz to 50 Hz, 8 per decade. */
const RATES = logSpace(-2, Math.log10(50), 30);
export const MAX_COUNT = 10_000;

export interface CurveSet {
  /** Pulse number 0…count, and G (S) right after each spike (0: before the train). */
  train: { x: Float64Array; g: Float64Array };
  /** Seconds since the last spike, and G (S). */
  relaxation: { x: Float64Array; g: Float64Array };
  /** log₁₀ of the interval in seconds, and the paired-pulse index (NaN where the first spike changed nothing). */
  pairedPulse: { x: Float64Array; index: Float64Array };
  /** log₁₀ of the rate in hertz, and ΔG after the train in % of the starting G (NaN where the period is not longer than the width). */
  rate: { x: Float64Array; deltaPercent: Float64Array };
  /** Single figures for the table under the charts. */
  summary: CurveSummary;
}

export interface CurveSummary {
  /** G before the train (S). */
  g0: number;
  /** ΔG right after the train, % of g0. */
  trainDeltaPercent: number;
  /** G at the end of the relaxation, % of g0. */
  recoveredPercent: number;
  /** Paired-pulse index at the shortest interval, 100 ms. */
  indexShort: number;
  /** Where (index − 1) has halved (s); null when the index stays within 0.01 of 1. */
  halfDecayIntervalS: number | null;
  /** G/G₀ 100 s and 600 s after the paper train (100 × 2 V, 10 ms at 1 Hz), whatever the stimulus. */
  g100: number;
  g600: number;
  /** ΔG after the train at 10 Hz and at 0.1 Hz, % of the starting G. */
  deltaAt10Hz: number;
  deltaAt0_1Hz: number;
}

export interface CurveOptions {
  stimulus?: Stimulus;
  noise?: boolean;
  seed?: number;
}

function logSpace(fromExp: number, toExp: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = 10 ** (fromExp + ((toExp - fromExp) * k) / (n - 1));
  return out;
}

/** Checks a stimulus; null when it can drive the curves, else a sentence saying what is wrong. */
export function stimulusProblem(s: Stimulus): string | null {
  if (!(Number.isFinite(s.amplitude) && s.amplitude > 0)) return 'the spike amplitude must be a positive voltage';
  if (!(Number.isFinite(s.width) && s.width > 0)) return 'the spike width must be a positive time';
  if (!(Number.isFinite(s.period) && s.period > s.width)) return 'the period must be longer than the spike width';
  if (!(Number.isInteger(s.count) && s.count >= 1 && s.count <= MAX_COUNT)) return `the spike count must be a whole number from 1 to ${MAX_COUNT}`;
  return null;
}

/** G as the curves see it: the model's true conductance, or a read (with its noise) when noise is on. */
function measure(device: SimulatedDevice, preset: DevicePreset, noisy: boolean): number {
  return noisy ? device.read(preset.readVoltage).conductance : device.conductance();
}

export function characteristicCurves(preset: DevicePreset, options: CurveOptions = {}): CurveSet {
  const s = options.stimulus ?? DEFAULT_STIMULUS;
  const noise = options.noise ?? false;
  const seed = options.seed ?? 1;
  const fresh = () => createDevice(preset, { seed, noise });
  const { amplitude: v, width: w } = s;

  // Spike train, then relaxation on the same device.
  const device = fresh();
  const trainX = new Float64Array(s.count + 1);
  const trainG = new Float64Array(s.count + 1);
  trainG[0] = measure(device, preset, noise);
  for (let k = 1; k <= s.count; k++) {
    if (k > 1) device.relax(s.period - w);
    device.pulse(v, w);
    device.relax(w);
    trainX[k] = k;
    trainG[k] = measure(device, preset, noise);
  }
  const steps = Math.round(RELAXATION_SECONDS / RELAXATION_STEP);
  const relaxX = new Float64Array(steps + 1);
  const relaxG = new Float64Array(steps + 1);
  relaxG[0] = trainG[s.count]!;
  for (let k = 1; k <= steps; k++) {
    device.relax(RELAXATION_STEP);
    relaxX[k] = k * RELAXATION_STEP;
    relaxG[k] = measure(device, preset, noise);
  }

  // Paired pulses and rates: each point on a fresh device, by the code behind `workbench characterize`.
  const periods = Array.from(RATES, (rate) => 1 / rate);
  const c = characterize(preset, { spike: { amplitude: v, width: w }, noise, seed, intervalsS: Array.from(INTERVALS), periodsS: periods, trainCount: s.count });
  const pprX = INTERVALS.map(Math.log10);
  const pprY = Float64Array.from(c.pairedPulse, (p) => p.index);
  const rateX = RATES.map(Math.log10);
  const rateY = Float64Array.from(c.rate, (r) => r.deltaGPercent);
  const deltaAt = (rate: number) => trainDeltaPercent(fresh(), { amplitude: v, width: w }, s.count, 1 / rate);

  const g0 = trainG[0]!;
  return {
    train: { x: trainX, g: trainG },
    relaxation: { x: relaxX, g: relaxG },
    pairedPulse: { x: pprX, index: pprY },
    rate: { x: rateX, deltaPercent: rateY },
    summary: {
      g0,
      trainDeltaPercent: ((trainG[s.count]! - g0) / g0) * 100,
      recoveredPercent: (relaxG[steps]! / g0) * 100,
      indexShort: pprY[0]!,
      halfDecayIntervalS: c.halfDecayIntervalS,
      g100: c.paperTrain.g100,
      g600: c.paperTrain.g600,
      deltaAt10Hz: deltaAt(10),
      deltaAt0_1Hz: deltaAt(0.1),
    },
  };
}
