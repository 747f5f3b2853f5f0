import { efficacyFunction } from './efficacy';
import type { ReadResult } from './model';
import { logNormalFactor, unitFraction, assertRelaxTime, type DeviceStreams } from './noise';
import type { IntrinsicGradientParams, Variation } from './params';
import { exponentialDifferenceRatio } from './relaxation';
import type { SimulatedDevice } from './simulated';

/**
 * The second-order intrinsic-gradient memristor (SCIENCE.md). State: normalised conductance g in
 * [g_min, 1] and the slow barrier s in [0, 1]. A spike of efficacy e does
 *
 *   g ← g − k_d·e·(1 + β·s)·(g − g_min)     (the step fraction is capped at 1)
 *   s ← s + k_s·e·(1 − s)
 *
 * using the barrier from before the spike; between spikes see relaxation.ts.
 */
export class IntrinsicGradientDevice implements SimulatedDevice {
  readonly kind = 'intrinsic-gradient';
  readonly g0: number;
  readonly params: Readonly<IntrinsicGradientParams>;
  private g = 1;
  private s = 0;
  private readonly efficacy: (amplitude: number, width: number) => number;
  private readonly c2c: number;
  private readonly readSigma: number;
  /**
   * The decay factors of the last relax interval (and, apart, of the barrier's): runs of reads
   * relax by the same dt over and over, and the factors are the same numbers every time.
   */
  private egDt = Number.NaN;
  private eg = 1;
  private barrierDt = Number.NaN;
  private es = 1;
  private ratio = 0;

  /** `params` are this instance's values (device-to-device spread already applied). */
  constructor(
    params: IntrinsicGradientParams,
    variation: Variation,
    private readonly streams: DeviceStreams | null,
  ) {
    this.params = Object.freeze({ ...params });
    this.g0 = params.g0;
    this.efficacy = efficacyFunction(params);
    this.c2c = streams ? variation.c2c : 0;
    this.readSigma = streams ? variation.read : 0;
  }

  /** Draws this instance's parameters from nominal ones: G₀, τ_g and k_d vary from device to device. */
  static instanceParams(nominal: IntrinsicGradientParams, d2d: number, streams: DeviceStreams | null): IntrinsicGradientParams {
    if (!streams || d2d <= 0) return { ...nominal };
    return {
      ...nominal,
      g0: nominal.g0 * logNormalFactor(streams.d2d, d2d),
      tauG: nominal.tauG * logNormalFactor(streams.d2d, d2d),
      kD: Math.min(1, nominal.kD * logNormalFactor(streams.d2d, d2d)),
    };
  }

  pulse(amplitude: number, width: number): void {
    const e = this.efficacy(amplitude, width);
    if (e <= 0) return;
    const p = this.params;
    let step = p.kD * e * (1 + p.beta * this.s);
    if (this.c2c > 0) step *= logNormalFactor(this.streams!.c2c, this.c2c);
    // Written as g_min + (1 − f)·(g − g_min) so rounding can never take g below g_min.
    this.g = p.gMin + (1 - unitFraction(step)) * (this.g - p.gMin);
    this.s += unitFraction(p.kS * e) * (1 - this.s);
  }

  relax(dt: number): void {
    assertRelaxTime(dt);
    if (dt === 0) return;
    const p = this.params;
    if (dt !== this.egDt) {
      this.egDt = dt;
      this.eg = Math.exp(-dt / p.tauG);
    }
    const eg = this.eg;
    const s = this.s;
    let g = 1 + (this.g - 1) * eg;
    if (s > 0) {
      if (dt !== this.barrierDt) {
        this.barrierDt = dt;
        this.es = Math.exp(-dt / p.tauS);
        this.ratio = exponentialDifferenceRatio(dt, p.tauG, p.tauS, eg);
      }
      g -= ((p.rho * s) / p.tauG) * this.ratio;
      this.s = s * this.es;
    }
    // Only rounding can leave the interval: the exact solution stays inside when rho ≤ 1 − gMin.
    this.g = g < p.gMin ? p.gMin : g > 1 ? 1 : g;
  }

  read(voltage: number): ReadResult {
    const g = this.g0 * this.g;
    const measured = this.readSigma > 0 ? g * (1 + this.readSigma * this.streams!.read.normal()) : g;
    return { current: measured * voltage, conductance: measured };
  }

  conductance(): number {
    return this.g0 * this.g;
  }

  efficacyOf(amplitude: number, width: number): number {
    return this.efficacy(amplitude, width);
  }

  state(): Readonly<Record<string, number>> {
    return { g: this.g, s: this.s };
  }
}
