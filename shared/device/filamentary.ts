import { instanceParamsOf, NormalisedDevice } from './normalised-device';
import { assertRelaxTime, unitFraction, type DeviceStreams } from './noise';
import type { FilamentaryParams, Variation } from './params';

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
export class FilamentaryDevice extends NormalisedDevice<FilamentaryParams> {
  readonly kind = 'filamentary';
  private gStable = 1;
  /** The last relax interval and its decay factor: runs of reads relax by the same dt over and over. */
  private lastDt = Number.NaN;
  private lastDecay = 1;
  /** The switching stream, drawn from whether or not noise is on. */
  private readonly switching: DeviceStreams['switching'];

  constructor(params: FilamentaryParams, variation: Variation, noisy: boolean, streams: DeviceStreams) {
    super(params, variation, noisy, streams);
    this.switching = streams.switching;
  }

  static instanceParams(nominal: FilamentaryParams, d2d: number, streams: DeviceStreams | null): FilamentaryParams {
    return instanceParamsOf(nominal, d2d, streams, ['g0', 'tau', 'kD']);
  }

  pulse(amplitude: number, width: number): void {
    const e = this.efficacy(amplitude, width);
    if (e <= 0) return;
    const p = this.params;
    const rng = this.switching;
    if (rng.next() < unitFraction(p.pAbrupt * e)) {
      const keep = 1 - (p.dropMin + (p.dropMax - p.dropMin) * rng.next());
      this.g = Math.max(p.gMin, this.g * keep);
      this.gStable = Math.max(p.gMin, this.gStable * keep);
      return;
    }
    const f = unitFraction(p.kD * e * this.cycleFactor());
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

  state(): Readonly<Record<string, number>> {
    return { g: this.g, gStable: this.gStable };
  }
}
