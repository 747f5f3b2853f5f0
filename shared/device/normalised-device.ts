import { efficacyFunction, type EfficacyParams } from './efficacy';
import type { ReadResult } from './model';
import { logNormalFactor, type DeviceStreams } from './noise';
import type { DeviceKind, Variation } from './params';
import type { SimulatedDevice } from './simulated';

/** What every model shares: a conductance scale and a depression rate, with the efficacy's parameters. */
export type BaseParams = EfficacyParams & { g0: number; kD: number };

/**
 * The part the three models share: the state is a normalised conductance g (G = G₀·g), a read
 * measures it with multiplicative read noise, and pulses act through the efficacy e(V, w). Each
 * model adds its own dynamics (pulse, relax) and the state it reports.
 */
export abstract class NormalisedDevice<P extends BaseParams> implements SimulatedDevice {
  abstract readonly kind: DeviceKind;
  readonly g0: number;
  readonly params: Readonly<P>;
  protected g = 1;
  protected readonly efficacy: (amplitude: number, width: number) => number;
  private readonly c2c: number;
  private readonly readSigma: number;

  /** `params` are this instance's values (device-to-device spread already applied). */
  constructor(
    params: P,
    variation: Variation,
    noisy: boolean,
    protected readonly streams: DeviceStreams | null,
  ) {
    this.params = Object.freeze({ ...params });
    this.g0 = params.g0;
    this.efficacy = efficacyFunction(params);
    this.c2c = noisy && streams ? variation.c2c : 0;
    this.readSigma = noisy && streams ? variation.read : 0;
  }

  abstract pulse(amplitude: number, width: number): void;
  abstract relax(dt: number): void;
  abstract state(): Readonly<Record<string, number>>;

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

  /** A pulse's cycle-to-cycle spread: a log-normal factor on its step (1 without noise). */
  protected cycleFactor(): number {
    return this.c2c > 0 ? logNormalFactor(this.streams!.c2c, this.c2c) : 1;
  }
}

/**
 * This instance's parameters from nominal ones: each of `varied`, in that order (the order of the
 * draws), scaled by a log-normal factor of spread `d2d`; k_d stays at most 1.
 */
export function instanceParamsOf<P extends BaseParams>(nominal: P, d2d: number, streams: DeviceStreams | null, varied: readonly (keyof P & string)[]): P {
  if (!streams || d2d <= 0) return { ...nominal };
  const out = { ...nominal } as Record<string, number>;
  for (const key of varied) out[key] = (nominal as Record<string, number>)[key]! * logNormalFactor(streams.d2d, d2d);
  out.kD = Math.min(1, out.kD!);
  return out as P;
}
