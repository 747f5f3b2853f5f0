import type { EpisodeOutcome, LearningRateStrategy } from './types';

/**
 * The device's rule in a few lines of software, with no physics: what the device-driven strategy
 * must beat to show that its dynamics add something. A level x in [0, 1] sets
 * α = α_min + (α_max − α_min)·x; an episode that reaches the goal multiplies x by (1 − drop), and
 * every episode x relaxes back toward 1 with a time constant of `tau` episodes. After a change of
 * task the successes stop, x relaxes and α rises again — the co-evolution, minus the device.
 */
export interface SuccessGatedConfig {
  kind: 'success-gated';
  alphaMax: number;
  alphaMin: number;
  /** Fraction of x removed by a successful episode. */
  drop: number;
  /** Relaxation time constant of x, in episodes. */
  tau: number;
}

export class SuccessGatedStrategy implements LearningRateStrategy {
  private x = 1;
  private readonly relax: number;

  constructor(readonly config: SuccessGatedConfig) {
    this.relax = Math.exp(-1 / config.tau);
  }

  alpha(): number {
    const { alphaMin, alphaMax } = this.config;
    return alphaMin + (alphaMax - alphaMin) * this.x;
  }

  afterEpisode(outcome: EpisodeOutcome): void {
    if (outcome.success) this.x *= 1 - this.config.drop;
    this.x = 1 - (1 - this.x) * this.relax;
  }

  conductance(): number {
    return Number.NaN;
  }
}
