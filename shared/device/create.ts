import type { Rng, Seed } from '../random';
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
  const streams = deviceStreams(options.seed);
  const noiseStreams = noisy ? streams : null;
  switch (kind) {
    case 'intrinsic-gradient': {
      const p = IntrinsicGradientDevice.instanceParams(params as ParamsByKind['intrinsic-gradient'], variation.d2d, noiseStreams);
      return new IntrinsicGradientDevice(p, variation, noiseStreams);
    }
    case 'filamentary': {
      const p = FilamentaryDevice.instanceParams(params as ParamsByKind['filamentary'], variation.d2d, noiseStreams);
      return new FilamentaryDevice(p, variation, noisy, streams);
    }
    case 'ideal': {
      const p = IdealDevice.instanceParams(params as ParamsByKind['ideal'], variation.d2d, noiseStreams);
      return new IdealDevice(p, variation, noiseStreams);
    }
    default:
      throw new RangeError(`Unknown device model ${String(kind)}`);
  }
}
