/**
 * The plain-data definition of a grid maze, as stored in experiment files and edited in the UI.
 *
 * `layout` is one string per row: '#' wall, '.' free, 'S' start, 'G' goal. Positions are
 * [row, column], counted from 0 at the top left.
 */
export type Cell = readonly [row: number, col: number];

export interface MazeRewards {
  /** Reward for an ordinary step. */
  step: number;
  /** Reward for the step that reaches the goal (instead of `step`). */
  goal: number;
  /** Reward for bumping into a wall or the border (the agent stays where it is). */
  wall: number;
}

export interface MazeDefinition {
  layout: readonly string[];
  rewards: MazeRewards;
  /** The episode is truncated after this many steps. */
  stepCap: number;
  /** Probability that the action taken is replaced by a uniformly random one (0 = deterministic). */
  slip: number;
}

/** A change relative to the base maze (not to the previous phase). `{}` is the base maze again. */
export interface MazeVariant {
  goal?: Cell;
  start?: Cell;
  addWalls?: readonly Cell[];
  removeWalls?: readonly Cell[];
}

/** When the dynamic maze changes: every N episodes, or at the listed episodes (0-based). */
export type ChangeSchedule = { every: number } | { at: readonly number[] };

export interface DynamicMazeDefinition {
  maze: MazeDefinition;
  /** Phase k ≥ 1 uses variants[(k − 1) mod variants.length]; phase 0 is the base maze. */
  variants: readonly MazeVariant[];
  schedule: ChangeSchedule;
}

export const ACTIONS = ['up', 'right', 'down', 'left'] as const;
export const ACTION_COUNT = ACTIONS.length;
/** Row and column offsets of each action, in ACTIONS order. */
export const ACTION_DROW: readonly number[] = [-1, 0, 1, 0];
export const ACTION_DCOL: readonly number[] = [0, 1, 0, -1];
