import { applyVariant, compileLayout, shortestPathLength } from './layout';
import type { Cell, DynamicMazeDefinition, MazeVariant } from './maze-types';

/** A problem with a maze definition, at a path relative to the definition. */
export interface MazeProblem {
  path: (string | number)[];
  message: string;
}

const MARKS = new Set(['#', '.', 'S', 'G']);

/** Everything wrong with a layout: shape, characters, start and goal, reachability. */
export function layoutProblems(layout: readonly string[]): MazeProblem[] {
  const problems: MazeProblem[] = [];
  const cols = layout[0]?.length ?? 0;
  let starts = 0;
  let goals = 0;
  layout.forEach((line, r) => {
    if (line.length !== cols) problems.push({ path: ['layout', r], message: `layout row ${r} has ${line.length} cells but row 0 has ${cols}; every row must be as long` });
    for (let c = 0; c < line.length; c++) {
      const ch = line[c]!;
      if (!MARKS.has(ch)) problems.push({ path: ['layout', r], message: `layout row ${r} has '${ch}' at column ${c}; use '#' (wall), '.' (free), 'S' (start) or 'G' (goal)` });
      if (ch === 'S') starts++;
      if (ch === 'G') goals++;
    }
  });
  if (starts !== 1) problems.push({ path: ['layout'], message: `the layout must have exactly one start 'S' (found ${starts})` });
  if (goals !== 1) problems.push({ path: ['layout'], message: `the layout must have exactly one goal 'G' (found ${goals})` });
  if (problems.length === 0 && shortestPathLength(compileLayout(layout)) < 0) {
    problems.push({ path: ['layout'], message: 'the goal cannot be reached from the start: walls block every path' });
  }
  return problems;
}

function findMark(layout: readonly string[], mark: string): Cell {
  const r = layout.findIndex((line) => line.includes(mark));
  return [r, layout[r]!.indexOf(mark)];
}

/** Problems with one variant of a dynamic maze (cells inside, start and goal free and apart, goal reachable). */
export function variantProblems(baseLayout: readonly string[], variant: MazeVariant, path: (string | number)[]): MazeProblem[] {
  const rows = baseLayout.length;
  const cols = baseLayout[0]?.length ?? 0;
  // The schema checks cells are non-negative integers, but reports that without stopping here.
  const outside = ([r, c]: Cell) => !(Number.isInteger(r) && Number.isInteger(c) && r >= 0 && c >= 0 && r < rows && c < cols);
  const where = ([r, c]: Cell) => `[${r}, ${c}]`;
  const problems: MazeProblem[] = [];
  for (const key of ['addWalls', 'removeWalls'] as const) {
    (variant[key] ?? []).forEach((cell, k) => {
      if (outside(cell)) problems.push({ path: [...path, key, k], message: `${key}[${k}]: cell ${where(cell)} is outside the ${rows}×${cols} maze` });
    });
  }
  for (const key of ['start', 'goal'] as const) {
    const cell = variant[key];
    if (cell && outside(cell)) problems.push({ path: [...path, key], message: `${key}: cell ${where(cell)} is outside the ${rows}×${cols} maze` });
  }
  if (problems.length > 0) return problems;
  const walled = applyVariant(baseLayout, { addWalls: variant.addWalls ?? [], removeWalls: variant.removeWalls ?? [] });
  const start = variant.start ?? findMark(baseLayout, 'S');
  const goal = variant.goal ?? findMark(baseLayout, 'G');
  for (const [key, cell] of [['start', start], ['goal', goal]] as const) {
    if (walled[cell[0]]![cell[1]] === '#') {
      problems.push({ path: variant[key] ? [...path, key] : path, message: `in this variant the ${key} ${where(cell)} is on a wall` });
    }
  }
  if (problems.length > 0) return problems;
  if (start[0] === goal[0] && start[1] === goal[1]) return [{ path, message: `in this variant the start and the goal are the same cell ${where(start)}` }];
  if (shortestPathLength(compileLayout(applyVariant(baseLayout, variant))) < 0) {
    return [{ path, message: 'in this variant the goal cannot be reached from the start: walls block every path' }];
  }
  return [];
}

export function dynamicMazeProblems(def: DynamicMazeDefinition): MazeProblem[] {
  const base = layoutProblems(def.maze.layout).map((p) => ({ ...p, path: ['maze', ...p.path] }));
  if (base.length > 0) return base;
  return def.variants.flatMap((v, k) => variantProblems(def.maze.layout, v, ['variants', k]));
}
