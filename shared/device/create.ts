import type { Rng, Seed } from '../random';
import { BipolarDevice } from './bipolar';
import { FilamentaryDevice } from './filamentary';
import { IdealDevice } from './ideal';
import { IntrinsicGradientDevice } from './intrinsic-gradient';
import { deviceStreams } from './noise';
import type { DeviceKind, ParamsByKind, Variation } from './params';
import type { DevicePreset } from './preset';
import type { SimulatedDevice } from './simulated';

export interface DeviceOptions {
  /** Every random number of the device derives from this seed (or from a fork of this stream). */
  seed: Seed | Rng;
  /**
   * false turns off cycle-to-cycle, device-to-device and read noise, so the device follows the
   * model equations exactly. Default true. The filamentary model's abrupt switching is part of its
   * physics and stays (seeded) random.
   */
  noise?: boolean;
  /**
   * Parts of the model's physics switched off, to see what they contribute. 'second-state' freezes
   * the intrinsic-gradient model's barrier s at 0, leaving a first-order device with the same
   * depression and recovery; models without a second state refuse it (there is nothing to freeze).
   */
  ablate?: readonly Ablation[];
}

export const ablations = ['second-state'] as const;
export type Ablation = (typeof ablations)[number];

/** The models that have a second state variable to freeze. */
export function canAblate(kind: DeviceKind, ablation: Ablation): boolean {
  return ablation === 'second-state' && kind === 'intrinsic-gradient';
}

/** A simulated device from a (validated) preset. */
export function createDevice(preset: DevicePreset, options: DeviceOptions): SimulatedDevice {
  return createModel(preset.model, preset.params, preset.variation, options);
}

export function createModel<K extends DeviceKind>(
  kind: K,
  params: ParamsByKind[K],
  variation: Variation,
  options: DeviceOptions,
): SimulatedDevice {
  const noisy = options.noise ?? true;
  for (const a of options.ablate ?? []) {
    if (!canAblate(kind, a)) throw new RangeError(`the ${kind} model has no ${a.replace('-', ' ')} to freeze`);
  }
  const streams = deviceStreams(options.seed);
  const noiseStreams = noisy ? streams : null;
  switch (kind) {
    case 'intrinsic-gradient': {
      const p = IntrinsicGradientDevice.instanceParams(params as ParamsByKind['intrinsic-gradient'], variation.d2d, noiseStreams);
      return new IntrinsicGradientDevice(p, variation, noiseStreams, { frozenSecondState: options.ablate?.includes('second-state') ?? false });
    }
    case 'filamentary': {
      const p = FilamentaryDevice.instanceParams(params as ParamsByKind['filamentary'], variation.d2d, noiseStreams);
      return new FilamentaryDevice(p, variation, noisy, streams);
    }
    case 'ideal': {
      const p = IdealDevice.instanceParams(params as ParamsByKind['ideal'], variation.d2d, noiseStreams);
      return new IdealDevice(p, variation, noiseStreams);
    }
    case 'bipolar': {
      const p = BipolarDevice.instanceParams(params as ParamsByKind['bipolar'], variation.d2d, noiseStreams);
      return new BipolarDevice(p, variation, noiseStreams);
    }
    default:
      throw new RangeError(`Unknown device model ${String(kind)}`);
  }
}
