import { createRng, type Rng, type RngSnapshot, type Seed } from '../../random';
import { applyVariant, compileLayout, type CompiledLayout } from './layout';
import { ACTION_COUNT, type ChangeSchedule, type DynamicMazeDefinition, type MazeDefinition, type MazeRewards } from './maze-types';
import { layoutIndexOfPhase, phaseAt } from './schedule';
import type { Env, StepResult } from './types';

/**
 * A grid maze, static or dynamic. One class serves both so the training loop's calls stay
 * monomorphic (and fast); a static maze is a dynamic one that never changes.
 *
 * A dynamic maze counts its resets: reset number n (0-based) starts episode n, and the schedule
 * decides which layout that episode uses. Slip: with probability `slip` the action is replaced by
 * one drawn uniformly from all four (it may be the same one).
 */
export class MazeEnv implements Env {
  readonly observationCount: number;
  readonly actionCount = ACTION_COUNT;
  /** Compiled layouts: index 0 is the base maze, then one per variant. */
  readonly layouts: readonly CompiledLayout[];
  private readonly schedule: ChangeSchedule | null;
  private readonly rewards: MazeRewards;
  private readonly stepCap: number;
  private readonly slip: number;
  private rng: Rng;
  private layout: CompiledLayout;
  private episodeIndex = -1;
  private cell = 0;
  private t = 0;
  private done = true;
  private readonly result: StepResult = { observation: 0, reward: 0, terminated: false, truncated: false };

  private constructor(maze: MazeDefinition, layouts: CompiledLayout[], schedule: ChangeSchedule | null) {
    const first = layouts[0]!;
    for (const l of layouts) {
      if (l.rows !== first.rows || l.cols !== first.cols) throw new RangeError('every variant of a dynamic maze must keep its size');
    }
    if (!(maze.slip >= 0 && maze.slip <= 1)) throw new RangeError(`slip must be in [0, 1] (got ${maze.slip})`);
    if (!(Number.isInteger(maze.stepCap) && maze.stepCap >= 1)) throw new RangeError(`stepCap must be a positive integer (got ${maze.stepCap})`);
    this.layouts = layouts;
    this.layout = first;
    this.schedule = schedule;
    this.rewards = { ...maze.rewards };
    this.stepCap = maze.stepCap;
    this.slip = maze.slip;
    this.observationCount = first.cellCount;
    this.rng = createRng(0);
  }

  static static(maze: MazeDefinition): MazeEnv {
    return new MazeEnv(maze, [compileLayout(maze.layout)], null);
  }

  static dynamic(def: DynamicMazeDefinition): MazeEnv {
    const layouts = [compileLayout(def.maze.layout), ...def.variants.map((v) => compileLayout(applyVariant(def.maze.layout, v)))];
    return new MazeEnv(def.maze, layouts, def.schedule);
  }

  /** The layout episode `episode` uses. */
  layoutAt(episode: number): CompiledLayout {
    if (!this.schedule) return this.layouts[0]!;
    return this.layouts[layoutIndexOfPhase(phaseAt(this.schedule, episode), this.layouts.length - 1)]!;
  }

  /** The layout of the current (or, before the first reset, the first) episode. */
  get currentLayout(): CompiledLayout {
    return this.layout;
  }

  /** 0-based index of the current episode (-1 before the first reset). */
  get episode(): number {
    return this.episodeIndex;
  }

  /** Between episodes: where the environment is (a checkpoint). */
  snapshot(): { episode: number; rng: RngSnapshot } {
    if (!this.done) throw new Error('a maze is checkpointed between episodes, not during one');
    return { episode: this.episodeIndex, rng: this.rng.snapshot() };
  }

  restore(snapshot: { episode: number; rng: RngSnapshot }): void {
    if (!(Number.isInteger(snapshot.episode) && snapshot.episode >= -1)) throw new RangeError(`a maze checkpoint's episode must be an integer ≥ −1 (got ${snapshot.episode})`);
    this.rng.restore(snapshot.rng);
    this.episodeIndex = snapshot.episode;
    this.layout = this.layoutAt(Math.max(0, snapshot.episode));
    this.done = true;
  }

  reset(seed?: Seed): number {
    if (seed !== undefined) this.rng = createRng(seed);
    this.episodeIndex++;
    this.layout = this.layoutAt(this.episodeIndex);
    this.cell = this.layout.start;
    this.t = 0;
    this.done = false;
    return this.cell;
  }

  step(action: number): Readonly<StepResult> {
    if (this.done) throw new Error('step() called on a finished episode: call reset() first');
    if (!(action >= 0 && action < ACTION_COUNT && (action | 0) === action)) {
      throw new RangeError(`action must be an integer in [0, ${ACTION_COUNT}) (got ${action})`);
    }
    if (this.slip > 0 && this.rng.next() < this.slip) action = this.rng.int(ACTION_COUNT);
    const k = this.cell * ACTION_COUNT + action;
    const layout = this.layout;
    const next = layout.next[k]!;
    this.cell = next;
    this.t++;
    const r = this.result;
    r.observation = next;
    r.terminated = next === layout.goal;
    r.reward = r.terminated ? this.rewards.goal : layout.bump[k] === 1 ? this.rewards.wall : this.rewards.step;
    r.truncated = !r.terminated && this.t >= this.stepCap;
    this.done = r.terminated || r.truncated;
    return r;
  }
}
