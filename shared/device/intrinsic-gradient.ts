import { instanceParamsOf, NormalisedDevice } from './normalised-device';
import { unitFraction, assertRelaxTime, type DeviceStreams } from './noise';
import type { IntrinsicGradientParams, Variation } from './params';
import { exponentialDifferenceRatio } from './relaxation';

/**
 * The second-order intrinsic-gradient memristor (SCIENCE.md). State: normalised conductance g in
 * [g_min, 1] and the slow barrier s in [0, 1]. A spike of efficacy e does
 *
 *   g ← g − k_d·e·(1 + β·s)·(g − g_min)     (the step fraction is capped at 1)
 *   s ← s + k_s·e·(1 − s)
 *
 * using the barrier from before the spike; between spikes see relaxation.ts.
 */
export class IntrinsicGradientDevice extends NormalisedDevice<IntrinsicGradientParams> {
  readonly kind = 'intrinsic-gradient';
  private s = 0;
  /**
   * The decay factors of the last relax interval (and, apart, of the barrier's): runs of reads
   * relax by the same dt over and over, and the factors are the same numbers every time.
   */
  private egDt = Number.NaN;
  private eg = 1;
  private barrierDt = Number.NaN;
  private es = 1;
  private ratio = 0;

  private readonly frozenSecondState: boolean;

  /**
   * Noise is on when there are streams to draw it from. `frozenSecondState` is the ablation switch:
   * the barrier stays at 0, so the device is first-order with the same k_d, τ_g and efficacy.
   */
  constructor(params: IntrinsicGradientParams, variation: Variation, streams: DeviceStreams | null, options: { frozenSecondState?: boolean } = {}) {
    super(params, variation, streams !== null, streams);
    this.frozenSecondState = options.frozenSecondState ?? false;
  }

  /** Draws this instance's parameters from nominal ones: G₀, τ_g and k_d vary from device to device. */
  static instanceParams(nominal: IntrinsicGradientParams, d2d: number, streams: DeviceStreams | null): IntrinsicGradientParams {
    return instanceParamsOf(nominal, d2d, streams, ['g0', 'tauG', 'kD']);
  }

  pulse(amplitude: number, width: number): void {
    const e = this.efficacy(amplitude, width);
    if (e <= 0) return;
    const p = this.params;
    const step = p.kD * e * (1 + p.beta * this.s) * this.cycleFactor();
    // Written as g_min + (1 − f)·(g − g_min) so rounding can never take g below g_min.
    this.g = p.gMin + (1 - unitFraction(step)) * (this.g - p.gMin);
    if (!this.frozenSecondState) this.s += unitFraction(p.kS * e) * (1 - this.s);
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

  state(): Readonly<Record<string, number>> {
    return { g: this.g, s: this.s };
  }
}
