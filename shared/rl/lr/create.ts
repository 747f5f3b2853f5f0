import { builtInPresets, createDevice, parseDevicePreset, type Ablation, type DevicePreset } from '../../device';
import type { Seed } from '../../random';
import { DeviceLearningRule, type ConductanceMap, type SpikeRule } from './device-rule';
import { DeviceDrivenStrategy } from './device-strategy';
import { ScheduleStrategy, type ScheduleConfig } from './schedules';
import { SuccessGatedStrategy, type SuccessGatedConfig } from './success-gated';
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
  /** Physics switched off, e.g. ['second-state'] to see what the barrier adds. */
  ablate?: readonly Ablation[] | undefined;
}

/** `restart: 'at-change'`: the decay starts again at each change of the task (an oracle). */
export type StrategyConfig = (ScheduleConfig & { restart?: 'at-change' | undefined }) | SuccessGatedConfig | DeviceStrategyConfig;

/** What a strategy may be told about its task before it runs. */
export interface StrategyContext {
  /** Episodes (after 0) where the environment changes; only an oracle strategy uses them. */
  changes?: readonly number[];
}

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
  // The bipolar model has no depression floor (its conductance goes up and down): none, 0.
  const floor = config.map.floor ?? ('gMin' in preset.params ? preset.params.gMin : 0);
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
export function createStrategy(config: StrategyConfig, deviceSeed: Seed, context: StrategyContext = {}): LearningRateStrategy {
  if (config.kind === 'success-gated') return new SuccessGatedStrategy(config);
  if (config.kind !== 'device') return new ScheduleStrategy(config, config.restart === 'at-change' ? (context.changes ?? []) : []);
  const preset = resolveDevicePreset(config.device);
  const device = createDevice(preset, { seed: deviceSeed, noise: config.noise, ablate: config.ablate ?? [] });
  return new DeviceDrivenStrategy(deviceRuleFor(config, preset, device.g0), device);
}
