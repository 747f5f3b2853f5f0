import { efficacyFunction } from './efficacy';
import type { ReadResult } from './model';
import { assertRelaxTime, logNormalFactor, unitFraction, type DeviceStreams } from './noise';
import type { IdealParams, Variation } from './params';
import type { SimulatedDevice } from './simulated';

/**
 * The ideal first-order device: each spike removes the fixed fraction k_d·e of (g − g_min), and
 * nothing happens between spikes. No memory beyond g itself, no relaxation.
 */
export class IdealDevice implements SimulatedDevice {
  readonly kind = 'ideal';
  readonly g0: number;
  readonly params: Readonly<IdealParams>;
  private g = 1;
  private readonly efficacy: (amplitude: number, width: number) => number;
  private readonly c2c: number;
  private readonly readSigma: number;

  constructor(
    params: IdealParams,
    variation: Variation,
    private readonly streams: DeviceStreams | null,
  ) {
    this.params = Object.freeze({ ...params });
    this.g0 = params.g0;
    this.efficacy = efficacyFunction(params);
    this.c2c = streams ? variation.c2c : 0;
    this.readSigma = streams ? variation.read : 0;
  }

  static instanceParams(nominal: IdealParams, d2d: number, streams: DeviceStreams | null): IdealParams {
    if (!streams || d2d <= 0) return { ...nominal };
    return {
      ...nominal,
      g0: nominal.g0 * logNormalFactor(streams.d2d, d2d),
      kD: Math.min(1, nominal.kD * logNormalFactor(streams.d2d, d2d)),
    };
  }

  pulse(amplitude: number, width: number): void {
    const e = this.efficacy(amplitude, width);
    if (e <= 0) return;
    let step = this.params.kD * e;
    if (this.c2c > 0) step *= logNormalFactor(this.streams!.c2c, this.c2c);
    const gMin = this.params.gMin;
    this.g = gMin + (1 - unitFraction(step)) * (this.g - gMin);
  }

  relax(dt: number): void {
    assertRelaxTime(dt);
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
    return { g: this.g };
  }
}
