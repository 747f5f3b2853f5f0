import type { Device, DeviceReading, DeviceSnapshot, PulseResult } from './device';

/**
 * A device that replays a measured run (#12, measured-trace mode): a depression measured once on
 * hardware — a train of identical pulses with a read after each — and the relaxation read after it
 * stand in for the device, so an RL run explores fifty seeds in seconds with the device's measured
 * dynamics instead of a model's.
 *
 * From the trace: D(n), the conductance after n pulses (D(0) the read before the first), and f(τ),
 * the fraction of the train's lost conductance regained τ seconds after its last pulse. Both are
 * made monotone (pool-adjacent-violators, so read noise cannot make the map ambiguous) and
 * interpolated linearly between reads. The replayed device's state is its conductance G and the
 * time τ since its last pulse: a pulse moves G one pulse further along D from where it stands
 * (n = D⁻¹(G), then D(n + 1)). D already holds what the device recovered between the train's pulses
 * (its period P), so within P of a pulse G stays where the pulse left it; past P it regains the
 * measured recovery beyond P, (f(τ) − f(P)) / (1 − f(P)) of what separates it from D(0). Replayed at
 * the train's own pace it follows D exactly; after the pulses stop it relaxes as measured. So it
 * reproduces what the trace measured — the step per pulse at each level, the shape of the recovery —
 * and by construction keeps no memory beyond G: the second state's own contribution is what a
 * comparison with the device (or the model) shows.
 */
export interface TracePoint {
  t: number;
  g: number;
}

export interface TraceDeviceSource {
  /** Pulse times (s) and their amplitude (V) and width (s): every pulse the same. */
  pulses: readonly { t: number; v: number; width: number }[];
  reads: readonly TracePoint[];
  /** Where the trace comes from (a run id and name), for the snapshot. */
  provenance: Record<string, unknown>;
}

export class TraceDeviceError extends Error {
  override readonly name = 'TraceDeviceError';
}

/** The fewest reads the replay needs: a baseline, a few after pulses, a few of relaxation. */
export const MIN_DEPRESSION_READS = 3;
export const MIN_RELAXATION_READS = 3;

export class TraceDevice implements Device {
  readonly kind = 'simulated' as const;
  readonly amplitude: number;
  readonly width: number;
  private readonly depression: number[];
  private readonly relaxT: number[];
  private readonly relaxF: number[];
  private g: number;
  private gAfterPulse: number;
  private since = Number.POSITIVE_INFINITY;
  private clock = 0;
  /** The train's pulse period (s): the median spacing of its pulses. */
  readonly period: number;
  private readonly fAtPeriod: number;

  constructor(private readonly source: TraceDeviceSource) {
    const pulses = [...source.pulses].sort((a, b) => a.t - b.t);
    const reads = [...source.reads].filter((r) => Number.isFinite(r.g) && r.g > 0).sort((a, b) => a.t - b.t);
    if (pulses.length < 2) throw new TraceDeviceError(`the trace has ${pulses.length} pulse${pulses.length === 1 ? '' : 's'}; its depression needs a train of at least 2`);
    const { v, width } = pulses[0]!;
    if (pulses.some((p) => Math.abs(p.v - v) > 1e-9 * Math.max(1, Math.abs(v)) || Math.abs(p.width - width) > 1e-12)) {
      throw new TraceDeviceError('the trace mixes pulses of different amplitudes or widths; it must be one train of identical pulses');
    }
    this.amplitude = v;
    this.width = width;
    // D(0): the last read before the first pulse; D(k): the first read after pulse k, before pulse k + 1.
    const before = reads.filter((r) => r.t < pulses[0]!.t).at(-1);
    if (!before) throw new TraceDeviceError('the trace has no read before its first pulse: G before the train is not known');
    const depression = [before.g];
    for (let k = 0; k < pulses.length; k++) {
      const next = pulses[k + 1]?.t ?? Number.POSITIVE_INFINITY;
      const after = reads.find((r) => r.t > pulses[k]!.t && r.t < next);
      if (!after) break;
      depression.push(after.g);
    }
    if (depression.length < MIN_DEPRESSION_READS) {
      throw new TraceDeviceError(`the trace has reads after ${depression.length - 1} of its pulses; the replay needs at least ${MIN_DEPRESSION_READS - 1} (a read after each pulse of the train)`);
    }
    const last = pulses[depression.length - 2]!.t;
    const relax = reads.filter((r) => r.t > last && (depression.length - 1 < pulses.length ? r.t < pulses[depression.length - 1]!.t : true));
    // The read right after the last pulse is D's last point; the relaxation is what follows it.
    const recovery = relax.slice(1);
    if (recovery.length < MIN_RELAXATION_READS) {
      throw new TraceDeviceError(`the trace has ${recovery.length} read${recovery.length === 1 ? '' : 's'} after its train; the replay needs at least ${MIN_RELAXATION_READS} to follow the relaxation`);
    }
    this.depression = monotone(depression, -1);
    const d0 = this.depression[0]!;
    const dn = this.depression.at(-1)!;
    if (!(d0 > dn)) throw new TraceDeviceError('the trace does not depress: G after the train is not below G before it');
    this.relaxT = [0, ...recovery.map((r) => r.t - last)];
    this.relaxF = monotone([0, ...recovery.map((r) => Math.min(1, Math.max(0, (r.g - dn) / (d0 - dn))))], 1);
    const spacings = pulses.slice(1).map((p, k) => p.t - pulses[k]!.t).sort((a, b) => a - b);
    this.period = spacings[Math.floor(spacings.length / 2)]!;
    this.fAtPeriod = interpolate(this.relaxT, this.relaxF, this.period);
    this.g = d0;
    this.gAfterPulse = d0;
  }

  snapshot(): DeviceSnapshot {
    return { kind: 'simulated', model: 'measured-trace', ...this.source.provenance, pulse: { amplitude: this.amplitude, width: this.width }, periodS: this.period, depressionPoints: this.depression.length, relaxationPoints: this.relaxT.length };
  }

  now(): number {
    return this.clock;
  }

  async pulse(amplitude: number, width: number): Promise<PulseResult> {
    if (Math.abs(amplitude - this.amplitude) > 1e-9 * Math.max(1, Math.abs(amplitude)) || Math.abs(width - this.width) > 1e-12) {
      throw new TraceDeviceError(`the trace was measured with ${this.amplitude} V, ${this.width} s pulses; it cannot replay a ${amplitude} V, ${width} s pulse`);
    }
    const n = inverse(this.depression, this.g);
    this.g = at(this.depression, Math.min(this.depression.length - 1, n + 1));
    this.gAfterPulse = this.g;
    this.since = 0;
    this.clock += width;
    return { current: Number.NaN };
  }

  async read(voltage: number): Promise<DeviceReading> {
    return { conductance: this.g, current: this.g * voltage };
  }

  async wait(seconds: number): Promise<void> {
    if (!(seconds >= 0)) throw new TraceDeviceError(`a wait must be ≥ 0 s (got ${seconds})`);
    this.clock += seconds;
    if (!Number.isFinite(this.since)) return;
    this.since += seconds;
    if (this.since <= this.period) return;
    const f = this.fAtPeriod >= 1 ? 1 : Math.max(0, (interpolate(this.relaxT, this.relaxF, this.since) - this.fAtPeriod) / (1 - this.fAtPeriod));
    this.g = this.gAfterPulse + f * (this.depression[0]! - this.gAfterPulse);
  }

  async outputOff(): Promise<void> {}

  async close(): Promise<void> {}
}

/** Pool-adjacent-violators: the closest monotone sequence (direction 1 up, −1 down) in least squares. */
export function monotone(values: readonly number[], direction: 1 | -1): number[] {
  const blocks: { sum: number; n: number }[] = [];
  for (const v of values) {
    blocks.push({ sum: direction * v, n: 1 });
    while (blocks.length > 1 && blocks.at(-2)!.sum / blocks.at(-2)!.n > blocks.at(-1)!.sum / blocks.at(-1)!.n) {
      const b = blocks.pop()!;
      blocks.at(-1)!.sum += b.sum;
      blocks.at(-1)!.n += b.n;
    }
  }
  return blocks.flatMap((b) => Array<number>(b.n).fill((direction * b.sum) / b.n));
}

/** D at a fractional pulse count, linear between pulses. */
function at(d: readonly number[], n: number): number {
  const k = Math.min(d.length - 2, Math.max(0, Math.floor(n)));
  return d[k]! + (n - k) * (d[k + 1]! - d[k]!);
}

/**
 * The fractional pulse count where the (non-increasing) D comes down to g: the furthest one, so a
 * flat stretch (reads that noise pooled into one level) is passed, not stood on for ever.
 */
function inverse(d: readonly number[], g: number): number {
  if (g > d[0]!) return 0;
  for (let k = 0; k < d.length - 1; k++) {
    // Here d[k] ≥ g; the first level below g brackets it.
    if (g > d[k + 1]!) return k + (d[k]! - g) / (d[k]! - d[k + 1]!);
  }
  return d.length - 1;
}

function interpolate(xs: readonly number[], ys: readonly number[], x: number): number {
  if (x <= xs[0]!) return ys[0]!;
  for (let k = 1; k < xs.length; k++) {
    if (x <= xs[k]!) return ys[k - 1]! + ((x - xs[k - 1]!) / (xs[k]! - xs[k - 1]!)) * (ys[k]! - ys[k - 1]!);
  }
  return ys.at(-1)!;
}
