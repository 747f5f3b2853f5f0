import { builtInPresets, createDevice, parseDevicePreset, type DevicePreset } from '../../device';
import type { Seed } from '../../random';
import { DeviceLearningRule, type ConductanceMap, type SpikeRule } from './device-rule';
import { DeviceDrivenStrategy } from './device-strategy';
import { ScheduleStrategy, type ScheduleConfig } from './schedules';
import type { LearningRateStrategy } from './types';

/** A device-driven learning rate from a simulated device built from a preset (any model). */
export interface DeviceStrategyConfig {
  kind: 'device';
  /** A built-in preset's name (e.g. 'intrinsic-gradient') or a whole preset object. */
  device: string | Record<string, unknown>;
  /** false: no cycle-to-cycle, device-to-device or read noise (the model's own physics stays). */
  noise: boolean;
  /** floor: the normalised conductance G/G0 that maps to α_min; default the preset's gMin. */
  map: ConductanceMap & { floor?: number | undefined };
  spike: SpikeRule;
  pulse: { amplitude: number; width: number };
  secondsPerEpisode: number;
  /** Default: the preset's read voltage. */
  readVoltage?: number | undefined;
}

export type StrategyConfig = ScheduleConfig | DeviceStrategyConfig;

/** The preset a device strategy names. Throws for an unknown name or an invalid preset. */
export function resolveDevicePreset(ref: DeviceStrategyConfig['device']): DevicePreset {
  if (typeof ref === 'string') {
    const preset = builtInPresets.find((p) => p.name === ref);
    if (!preset) throw new RangeError(`unknown device preset '${ref}' (built in: ${builtInPresets.map((p) => p.name).join(', ')})`);
    return preset;
  }
  const parsed = parseDevicePreset(ref);
  if (!parsed.ok) throw new RangeError(`invalid device preset: ${parsed.problems.map((p) => p.message).join('; ')}`);
  return parsed.preset;
}

/** The rule of a device strategy, for a device whose pristine conductance is g0 (S). */
export function deviceRuleFor(config: DeviceStrategyConfig, preset: DevicePreset, g0: number): DeviceLearningRule {
  const floor = config.map.floor ?? preset.params.gMin;
  return new DeviceLearningRule(
    {
      map: { kind: config.map.kind, alphaMin: config.map.alphaMin, alphaMax: config.map.alphaMax },
      spike: config.spike,
      pulse: config.pulse,
      secondsPerEpisode: config.secondsPerEpisode,
      readVoltage: config.readVoltage ?? preset.readVoltage,
    },
    { g0, gFloor: floor * g0 },
  );
}

/** A strategy ready to run; `deviceSeed` seeds the simulated device (ignored by schedules). */
export function createStrategy(config: StrategyConfig, deviceSeed: Seed): LearningRateStrategy {
  if (config.kind !== 'device') return new ScheduleStrategy(config);
  const preset = resolveDevicePreset(config.device);
  const device = createDevice(preset, { seed: deviceSeed, noise: config.noise });
  return new DeviceDrivenStrategy(deviceRuleFor(config, preset, device.g0), device);
}
