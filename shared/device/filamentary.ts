import { efficacyFunction } from './efficacy';
import type { ReadResult } from './model';
import { assertRelaxTime, logNormalFactor, unitFraction, type DeviceStreams } from './noise';
import type { FilamentaryParams, Variation } from './params';
import type { SimulatedDevice } from './simulated';

/**
 * A conventional filamentary memristor, for comparison. The conductance g relaxes quickly (τ ≈ 1 s)
 * toward a non-volatile level gStable. A spike of efficacy e either
 *  - ruptures the filament, with probability min(1, pAbrupt·e): g and gStable both drop by a
 *    fraction drawn uniformly from [dropMin, dropMax] — an abrupt, stochastic jump; or
 *  - makes a gradual step Δ = k_d·e·(g − g_min) (with cycle-to-cycle noise), of which only the
 *    fraction `retention` persists in gStable.
 * The abrupt switching is this model's physics, so it stays random (from the seed) even with
 * noise turned off; noise off removes only c2c, d2d and read noise.
 */
export class FilamentaryDevice implements SimulatedDevice {
  readonly kind = 'filamentary';
  readonly g0: number;
  readonly params: Readonly<FilamentaryParams>;
  private g = 1;
  private gStable = 1;
  private readonly efficacy: (amplitude: number, width: number) => number;
  private readonly c2c: number;
  private readonly readSigma: number;
  /** The last relax interval and its decay factor: runs of reads relax by the same dt over and over. */
  private lastDt = Number.NaN;
  private lastDecay = 1;

  constructor(
    params: FilamentaryParams,
    variation: Variation,
    noisy: boolean,
    private readonly streams: DeviceStreams,
  ) {
    this.params = Object.freeze({ ...params });
    this.g0 = params.g0;
    this.efficacy = efficacyFunction(params);
    this.c2c = noisy ? variation.c2c : 0;
    this.readSigma = noisy ? variation.read : 0;
  }

  static instanceParams(nominal: FilamentaryParams, d2d: number, streams: DeviceStreams | null): FilamentaryParams {
    if (!streams || d2d <= 0) return { ...nominal };
    return {
      ...nominal,
      g0: nominal.g0 * logNormalFactor(streams.d2d, d2d),
      tau: nominal.tau * logNormalFactor(streams.d2d, d2d),
      kD: Math.min(1, nominal.kD * logNormalFactor(streams.d2d, d2d)),
    };
  }

  pulse(amplitude: number, width: number): void {
    const e = this.efficacy(amplitude, width);
    if (e <= 0) return;
    const p = this.params;
    const rng = this.streams.switching;
    if (rng.next() < unitFraction(p.pAbrupt * e)) {
      const keep = 1 - (p.dropMin + (p.dropMax - p.dropMin) * rng.next());
      this.g = Math.max(p.gMin, this.g * keep);
      this.gStable = Math.max(p.gMin, this.gStable * keep);
      return;
    }
    let step = p.kD * e;
    if (this.c2c > 0) step *= logNormalFactor(this.streams.c2c, this.c2c);
    const f = unitFraction(step);
    const excess = this.g - p.gMin;
    this.g = p.gMin + (1 - f) * excess;
    const dg = f * excess;
    this.gStable = Math.max(p.gMin, this.gStable - p.retention * dg);
  }

  relax(dt: number): void {
    assertRelaxTime(dt);
    if (dt === 0) return;
    if (dt !== this.lastDt) {
      this.lastDt = dt;
      this.lastDecay = Math.exp(-dt / this.params.tau);
    }
    this.g = this.gStable + (this.g - this.gStable) * this.lastDecay;
  }

  read(voltage: number): ReadResult {
    const g = this.g0 * this.g;
    const measured = this.readSigma > 0 ? g * (1 + this.readSigma * this.streams.read.normal()) : g;
    return { current: measured * voltage, conductance: measured };
  }

  conductance(): number {
    return this.g0 * this.g;
  }

  efficacyOf(amplitude: number, width: number): number {
    return this.efficacy(amplitude, width);
  }

  state(): Readonly<Record<string, number>> {
    return { g: this.g, gStable: this.gStable };
  }
}
