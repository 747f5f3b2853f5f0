import type { DeviceModel } from '../../device';
import type { DeviceLearningRule } from './device-rule';
import type { EpisodeOutcome, LearningRateStrategy } from './types';

/**
 * A learning rate read from a simulated device, synchronously: after each episode the rule's
 * spike (if any) is applied, the device relaxes for the episode period, and the read conductance
 * becomes the next α. With noise off, α is exactly rule.alphaOf(device.conductance()).
 */
export class DeviceDrivenStrategy implements LearningRateStrategy {
  private g: number;
  private a: number;

  constructor(
    readonly rule: DeviceLearningRule,
    readonly device: DeviceModel,
  ) {
    this.g = device.read(rule.config.readVoltage).conductance;
    this.a = rule.alphaOf(this.g);
  }

  alpha(): number {
    return this.a;
  }

  afterEpisode(outcome: EpisodeOutcome): void {
    const plan = this.rule.plan(outcome);
    if (plan.spike) this.device.pulse(plan.spike.amplitude, plan.spike.width);
    this.device.relax(plan.relaxSeconds);
    this.g = this.device.read(this.rule.config.readVoltage).conductance;
    this.a = this.rule.alphaOf(this.g);
  }

  conductance(): number {
    return this.g;
  }
}
