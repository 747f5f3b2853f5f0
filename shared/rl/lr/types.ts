/** What a learning-rate strategy is told after each episode. */
export interface EpisodeOutcome {
  /** 0-based index of the episode that just ended. */
  episode: number;
  /** It reached the goal (terminated) rather than being truncated. */
  success: boolean;
  steps: number;
  return: number;
  /** Mean |TD error| over the episode's updates. */
  tdErrorMean: number;
}

/**
 * Where the learning rate comes from. The runner asks for α before each episode and reports the
 * outcome after it; schedules ignore the outcome, a device-driven strategy spikes and relaxes its
 * device in response.
 */
export interface LearningRateStrategy {
  /** α for episode `episode` (0-based), asked once before the episode. */
  alpha(episode: number): number;
  afterEpisode(outcome: EpisodeOutcome): void;
  /** The conductance (S) behind the current α; NaN when no device is involved. */
  conductance(): number;
}
