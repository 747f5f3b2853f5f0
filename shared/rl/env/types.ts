import type { Seed } from '../../random';

/**
 * A Gymnasium-like episodic environment with discrete observations and actions.
 *
 * `terminated` means the episode reached a terminal state of the task (the goal): the value of
 * what follows is 0. `truncated` means it was cut off from outside the task (a step cap): the
 * state still has a future, so an update must bootstrap from it.
 */
export interface StepResult {
  observation: number;
  reward: number;
  terminated: boolean;
  truncated: boolean;
}

export interface Env {
  /** Number of distinct observations (tabular agents size their tables from it). */
  readonly observationCount: number;
  readonly actionCount: number;
  /**
   * Starts an episode and returns the first observation. A seed re-seeds the environment's own
   * random stream (as in Gymnasium: pass it on the first reset, then omit it).
   */
  reset(seed?: Seed): number;
  /**
   * Takes one action. The returned object is reused by the next call (no per-step allocation):
   * read its fields before stepping again.
   */
  step(action: number): Readonly<StepResult>;
}
