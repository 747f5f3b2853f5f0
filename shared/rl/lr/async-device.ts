import type { Device } from '../../device/device';
import type { DeviceLearningRule } from './device-rule';
import type { EpisodeOutcome } from './types';

/**
 * The same device-driven learning rate against the async Device interface, for a physical device
 * behind an instrument (or a simulated one behind the same interface). The training loop awaits
 * afterEpisode between episodes; the rule's decisions are identical to the synchronous strategy's.
 */
export class AsyncDeviceLearningRate {
  private g = Number.NaN;
  private a = Number.NaN;

  private constructor(
    readonly rule: DeviceLearningRule,
    readonly device: Device,
  ) {}

  /** Reads the device once so α is known before the first episode. */
  static async open(rule: DeviceLearningRule, device: Device): Promise<AsyncDeviceLearningRate> {
    const strategy = new AsyncDeviceLearningRate(rule, device);
    await strategy.read();
    return strategy;
  }

  alpha(): number {
    return this.a;
  }

  conductance(): number {
    return this.g;
  }

  async afterEpisode(outcome: EpisodeOutcome): Promise<void> {
    const plan = this.rule.plan(outcome);
    if (plan.spike) await this.device.pulse(plan.spike.amplitude, plan.spike.width);
    await this.device.wait(plan.relaxSeconds);
    await this.read();
  }

  private async read(): Promise<void> {
    this.g = (await this.device.read(this.rule.config.readVoltage)).conductance;
    this.a = this.rule.alphaOf(this.g);
  }
}
