import { describe, expect, it } from 'vitest';
import {
  applyVariant,
  compileLayout,
  greedyPathLength,
  layoutProblems,
  MazeEnv,
  phaseAt,
  phaseStarts,
  shortestPathLength,
  variantProblems,
} from '../../../shared/rl';
import { smallLayout, smallMaze } from './helpers';

const UP = 0;
const RIGHT = 1;
const DOWN = 2;
const LEFT = 3;

describe('maze layout', () => {
  it('finds the shortest path by breadth-first search, around walls', () => {
    expect(shortestPathLength(compileLayout(smallLayout))).toBe(5);
    expect(shortestPathLength(compileLayout(['S#G']))).toBe(-1);
    expect(shortestPathLength(compileLayout(['S.G']))).toBe(2);
    // A wall that forces a detour lengthens the path.
    expect(shortestPathLength(compileLayout(['S.G', '.#.', '...']))).toBe(2);
    expect(shortestPathLength(compileLayout(['S#G', '.#.', '...']))).toBe(6);
  });

  it('applies a variant relative to the base layout', () => {
    expect(applyVariant(smallLayout, { goal: [0, 2], addWalls: [[2, 1]], removeWalls: [[0, 3]] })).toEqual(['S.G.', '.#..', '.#..']);
    expect(applyVariant(smallLayout, {})).toEqual(smallLayout);
  });

  it('reports layout problems in words, with where they are', () => {
    expect(layoutProblems(smallLayout)).toEqual([]);
    expect(layoutProblems(['S..', '..'])[0]).toMatchObject({ path: ['layout', 1], message: expect.stringContaining('row 1 has 2 cells') });
    expect(layoutProblems(['S.x', '..G'])[0]?.message).toContain("'x' at column 2");
    expect(layoutProblems(['S..', '...']).map((p) => p.message)).toContain("the layout must have exactly one goal 'G' (found 0)");
    expect(layoutProblems(['S#G'])[0]?.message).toContain('cannot be reached');
    expect(variantProblems(smallLayout, { goal: [5, 0] }, ['variants', 0])[0]).toMatchObject({ path: ['variants', 0, 'goal'] });
    expect(variantProblems(smallLayout, { goal: [1, 1] }, ['variants', 0])[0]?.message).toContain('goal [1, 1] is on a wall');
    expect(variantProblems(smallLayout, { addWalls: [[2, 2], [1, 3]] }, ['v'])[0]?.message).toContain('cannot be reached');
  });

  it('walks the greedy policy without slip, and detects loops', () => {
    const layout = compileLayout(['S.G']);
    const q = new Float64Array(layout.cellCount * 4);
    expect(greedyPathLength(layout, q)).toBe(-1); // all ties → "up" into the border forever
    q[0 * 4 + RIGHT] = 1;
    q[1 * 4 + RIGHT] = 1;
    expect(greedyPathLength(layout, q)).toBe(2);
    q[1 * 4 + RIGHT] = 0;
    q[1 * 4 + LEFT] = 1; // S → middle → S → … never arrives
    expect(greedyPathLength(layout, q)).toBe(-1);
  });
});

describe('MazeEnv', () => {
  it('moves, bumps, rewards and terminates at the goal', () => {
    const env = MazeEnv.static(smallMaze());
    expect(env.reset(1)).toBe(0);
    let r = env.step(UP); // the border: stay, wall reward
    expect({ ...r }).toEqual({ observation: 0, reward: -1, terminated: false, truncated: false });
    r = env.step(RIGHT);
    expect(r.observation).toBe(1);
    for (const a of [DOWN]) r = env.step(a); // into the wall at [1, 1]
    expect(r.observation).toBe(1);
    for (const a of [RIGHT, DOWN, RIGHT, DOWN]) r = env.step(a);
    expect(r.observation).toBe(2 * 4 + 3);
    expect(r.terminated).toBe(true);
    expect(r.reward).toBe(10);
    expect(() => env.step(RIGHT)).toThrow(/reset/);
  });

  it('truncates at the step cap (not terminated), and reuses its result object', () => {
    const env = MazeEnv.static(smallMaze({ stepCap: 3 }));
    env.reset(1);
    const first = env.step(UP);
    env.step(UP);
    const third = env.step(UP);
    expect(third).toBe(first);
    expect(third.truncated).toBe(true);
    expect(third.terminated).toBe(false);
  });

  it('rejects actions outside 0..3', () => {
    const env = MazeEnv.static(smallMaze());
    env.reset(1);
    expect(() => env.step(4)).toThrow(RangeError);
    expect(() => env.step(1.5)).toThrow(RangeError);
  });

  it('slips with the configured probability, reproducibly from its seed', () => {
    const open = ['.....', '.....', '..S..', '.....', '....G'];
    const above = 1 * 5 + 2;
    const slipped = (slip: number, seed: number) => {
      const env = MazeEnv.static(smallMaze({ slip, layout: open }));
      const n = 20_000;
      let off = 0;
      for (let k = 0; k < n; k++) {
        env.reset(k === 0 ? seed : undefined);
        if (env.step(UP).observation !== above) off++;
      }
      return off / n;
    };
    // A slip draws one of the four actions, so 3/4 of slips change the move.
    expect(slipped(0.5, 3)).toBeGreaterThan(0.375 - 0.02);
    expect(slipped(0.5, 3)).toBeLessThan(0.375 + 0.02);
    expect(slipped(0.5, 3)).toBe(slipped(0.5, 3));
    expect(slipped(0.5, 4)).not.toBe(slipped(0.5, 3));
    expect(slipped(0, 3)).toBe(0);
  });

  it('a dynamic maze switches layout on its schedule, counting resets as episodes', () => {
    const env = MazeEnv.dynamic({ maze: smallMaze(), variants: [{ goal: [0, 2] }, {}], schedule: { every: 2 } });
    const goals: number[] = [];
    for (let e = 0; e < 7; e++) {
      env.reset(e === 0 ? 5 : undefined);
      goals.push(env.currentLayout.goal);
    }
    const base = 2 * 4 + 3;
    const moved = 2;
    expect(goals).toEqual([base, base, moved, moved, base, base, moved]);
    expect(env.layoutAt(2).goal).toBe(moved);
  });

  it('schedules phases every N episodes or at listed episodes', () => {
    expect(phaseStarts({ every: 300 }, 1200)).toEqual([0, 300, 600, 900]);
    expect(phaseStarts({ at: [10, 50, 500] }, 100)).toEqual([0, 10, 50]);
    expect([0, 9, 10, 49, 50, 99].map((e) => phaseAt({ at: [10, 50] }, e))).toEqual([0, 0, 1, 1, 2, 2]);
    expect([0, 299, 300, 1199].map((e) => phaseAt({ every: 300 }, e))).toEqual([0, 0, 1, 3]);
  });
});
