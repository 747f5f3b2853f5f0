import { instanceParamsOf, NormalisedDevice } from './normalised-device';
import { assertRelaxTime, unitFraction, type DeviceStreams } from './noise';
import type { IdealParams, Variation } from './params';

/**
 * The ideal first-order device: each spike removes the fixed fraction k_d·e of (g − g_min), and
 * nothing happens between spikes. No memory beyond g itself, no relaxation.
 */
export class IdealDevice extends NormalisedDevice<IdealParams> {
  readonly kind = 'ideal';

  /** Noise is on when there are streams to draw it from. */
  constructor(params: IdealParams, variation: Variation, streams: DeviceStreams | null) {
    super(params, variation, streams !== null, streams);
  }

  static instanceParams(nominal: IdealParams, d2d: number, streams: DeviceStreams | null): IdealParams {
    return instanceParamsOf(nominal, d2d, streams, ['g0', 'kD']);
  }

  pulse(amplitude: number, width: number): void {
    const e = this.efficacy(amplitude, width);
    if (e <= 0) return;
    const step = this.params.kD * e * this.cycleFactor();
    const gMin = this.params.gMin;
    this.g = gMin + (1 - unitFraction(step)) * (this.g - gMin);
  }

  relax(dt: number): void {
    assertRelaxTime(dt);
  }

  state(): Readonly<Record<string, number>> {
    return { g: this.g };
  }
}
