import type { EpisodeOutcome } from './types';

/**
 * The device-driven learning rate without the device: how conductance maps to α, when to spike
 * and how the device's time passes. The synchronous strategy (device-strategy.ts) drives a
 * simulated DeviceModel with it; a physical device can be driven by the same rule through the
 * async Device interface (async-device.ts).
 */
export type SpikeRule =
  /** Spike after every episode, whatever happened. */
  | { kind: 'every-episode' }
  /** Spike only after an episode that reached the goal: a change of task stops the spikes. */
  | { kind: 'after-success' }
  /** Spike when the episode's mean |TD error| was below the threshold (learning has settled). */
  | { kind: 'td-below'; threshold: number };

export interface ConductanceMap {
  /** linear: α ∝ G; log: α ∝ ln G (both between the floor and G₀, clipped). */
  kind: 'linear' | 'log';
  alphaMin: number;
  alphaMax: number;
}

export interface DeviceRuleConfig {
  map: ConductanceMap;
  spike: SpikeRule;
  pulse: { amplitude: number; width: number };
  /** Device time per episode (s): the device relaxes this long between two episodes. */
  secondsPerEpisode: number;
  /** Voltage of the read after each episode (V); below threshold, so the read disturbs nothing. */
  readVoltage: number;
}

/** The conductance range the map spans: α_max at g0, α_min at gFloor (both in S). */
export interface ConductanceRange {
  g0: number;
  gFloor: number;
}

/** What to do to the device between two episodes. */
export interface DevicePlan {
  /** The spike to apply right after the episode, or null for none. */
  spike: { amplitude: number; width: number } | null;
  /** Then let the device relax this long (s) before reading it for the next episode. */
  relaxSeconds: number;
}

export class DeviceLearningRule {
  private readonly logG0: number;
  private readonly logFloor: number;

  constructor(
    readonly config: DeviceRuleConfig,
    readonly range: ConductanceRange,
  ) {
    if (!(range.g0 > range.gFloor && range.gFloor > 0)) {
      throw new RangeError(`the conductance map needs G0 > G_floor > 0 (got G0 = ${range.g0}, G_floor = ${range.gFloor})`);
    }
    this.logG0 = Math.log(range.g0);
    this.logFloor = Math.log(range.gFloor);
  }

  /** α for a measured conductance G (S): α_min + (α_max − α_min)·x, x the clipped position of G. */
  alphaOf(conductance: number): number {
    const { map } = this.config;
    const { g0, gFloor } = this.range;
    let x =
      map.kind === 'linear'
        ? (conductance - gFloor) / (g0 - gFloor)
        : (Math.log(conductance) - this.logFloor) / (this.logG0 - this.logFloor);
    // A noisy read can land outside [floor, G0], and log of a non-positive read is NaN: clip both.
    if (!(x > 0)) x = 0;
    else if (x > 1) x = 1;
    return map.alphaMin + (map.alphaMax - map.alphaMin) * x;
  }

  shouldSpike(outcome: EpisodeOutcome): boolean {
    const rule = this.config.spike;
    switch (rule.kind) {
      case 'every-episode':
        return true;
      case 'after-success':
        return outcome.success;
      case 'td-below':
        return outcome.tdErrorMean < rule.threshold;
    }
  }

  plan(outcome: EpisodeOutcome): DevicePlan {
    return { spike: this.shouldSpike(outcome) ? this.config.pulse : null, relaxSeconds: this.config.secondsPerEpisode };
  }
}
