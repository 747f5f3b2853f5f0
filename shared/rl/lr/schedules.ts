import type { LearningRateStrategy } from './types';

/** Learning rates that are fixed functions of the episode index n (0-based). */
export type ScheduleConfig =
  | { kind: 'constant'; alpha: number }
  /** α = max(α_min, α₀·rateⁿ) */
  | { kind: 'exponential'; alpha0: number; rate: number; alphaMin: number }
  /** α = α₀ / (1 + k·n) */
  | { kind: 'inverse-time'; alpha0: number; k: number }
  /** α = α₀ / (n + 1)^ω — the classic 1/n^ω with n counted from 1 */
  | { kind: 'polynomial'; alpha0: number; omega: number }
  /** α goes linearly from α₀ to α_end over `episodes` episodes, then stays at α_end */
  | { kind: 'linear'; alpha0: number; alphaEnd: number; episodes: number };

export function scheduleAlpha(config: ScheduleConfig, n: number): number {
  switch (config.kind) {
    case 'constant':
      return config.alpha;
    case 'exponential':
      return Math.max(config.alphaMin, config.alpha0 * Math.pow(config.rate, n));
    case 'inverse-time':
      return config.alpha0 / (1 + config.k * n);
    case 'polynomial':
      return config.alpha0 / Math.pow(n + 1, config.omega);
    case 'linear':
      return config.alpha0 + (config.alphaEnd - config.alpha0) * Math.min(1, n / config.episodes);
  }
}

/**
 * A schedule. With `restartAt` (the episodes where the task changes) it starts again from n = 0 at
 * each change: an oracle, since it is told of changes no agent could see, and labelled so.
 */
export class ScheduleStrategy implements LearningRateStrategy {
  constructor(
    readonly config: ScheduleConfig,
    private readonly restartAt: readonly number[] = [],
  ) {}

  alpha(episode: number): number {
    let since = 0;
    for (const start of this.restartAt) if (start <= episode) since = start;
    return scheduleAlpha(this.config, episode - since);
  }

  afterEpisode(): void {
    // A schedule does not listen to the task; that is the difference from the device.
  }

  conductance(): number {
    return Number.NaN;
  }
}
