import { ACTION_COUNT, ACTION_DCOL, ACTION_DROW, type Cell, type MazeVariant } from './maze-types';

/**
 * A maze layout compiled into flat tables, so a step is two array reads. Cells are numbered
 * row·cols + col; walls are cells too (never entered), which keeps the numbering trivial.
 */
export interface CompiledLayout {
  readonly rows: number;
  readonly cols: number;
  readonly cellCount: number;
  readonly start: number;
  readonly goal: number;
  readonly wall: Uint8Array;
  /** next[cell·4 + action]: the cell the action leads to (the same cell when blocked). */
  readonly next: Int32Array;
  /** bump[cell·4 + action] = 1 when the action runs into a wall or the border. */
  readonly bump: Uint8Array;
  readonly freeCellCount: number;
}

export const cellIndex = (cols: number, [row, col]: Cell): number => row * cols + col;

/**
 * Compiles a layout ('#' wall, '.' free, 'S' start, 'G' goal). Throws on a malformed layout; the
 * experiment schema reports the same problems with paths before this is ever reached.
 */
export function compileLayout(layout: readonly string[]): CompiledLayout {
  const rows = layout.length;
  const cols = layout[0]?.length ?? 0;
  if (rows === 0 || cols === 0) throw new RangeError('a maze layout needs at least one row and one column');
  const cellCount = rows * cols;
  const wall = new Uint8Array(cellCount);
  let start = -1;
  let goal = -1;
  for (let r = 0; r < rows; r++) {
    const line = layout[r]!;
    if (line.length !== cols) throw new RangeError(`maze row ${r} has ${line.length} cells, row 0 has ${cols}`);
    for (let c = 0; c < cols; c++) {
      const ch = line[c];
      const k = r * cols + c;
      if (ch === '#') wall[k] = 1;
      else if (ch === 'S') start = start < 0 ? k : -2;
      else if (ch === 'G') goal = goal < 0 ? k : -2;
      else if (ch !== '.') throw new RangeError(`maze cell [${r}, ${c}] is '${ch}'; use '#', '.', 'S' or 'G'`);
    }
  }
  if (start < 0) throw new RangeError('a maze needs exactly one start S');
  if (goal < 0) throw new RangeError('a maze needs exactly one goal G');
  const next = new Int32Array(cellCount * ACTION_COUNT);
  const bump = new Uint8Array(cellCount * ACTION_COUNT);
  let freeCellCount = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const k = r * cols + c;
      if (!wall[k]) freeCellCount++;
      for (let a = 0; a < ACTION_COUNT; a++) {
        const nr = r + ACTION_DROW[a]!;
        const nc = c + ACTION_DCOL[a]!;
        const blocked = nr < 0 || nr >= rows || nc < 0 || nc >= cols || wall[nr * cols + nc] === 1;
        next[k * ACTION_COUNT + a] = blocked ? k : nr * cols + nc;
        bump[k * ACTION_COUNT + a] = blocked ? 1 : 0;
      }
    }
  }
  return { rows, cols, cellCount, start, goal, wall, next, bump, freeCellCount };
}

/** The base layout with a variant applied: walls added and removed, start and goal moved. */
export function applyVariant(layout: readonly string[], variant: MazeVariant): string[] {
  const grid = layout.map((line) => line.split(''));
  const set = ([r, c]: Cell, ch: string) => {
    const row = grid[r];
    if (!row || c < 0 || c >= row.length) throw new RangeError(`cell [${r}, ${c}] is outside the maze`);
    row[c] = ch;
  };
  const move = (mark: 'S' | 'G', to: Cell) => {
    for (const row of grid) for (let c = 0; c < row.length; c++) if (row[c] === mark) row[c] = '.';
    set(to, mark);
  };
  for (const cell of variant.removeWalls ?? []) if (grid[cell[0]]?.[cell[1]] === '#') set(cell, '.');
  for (const cell of variant.addWalls ?? []) set(cell, '#');
  if (variant.start) move('S', variant.start);
  if (variant.goal) move('G', variant.goal);
  return grid.map((row) => row.join(''));
}

/** Length of the shortest start→goal path (breadth-first search), or -1 when the goal is unreachable. */
export function shortestPathLength(maze: CompiledLayout): number {
  const dist = new Int32Array(maze.cellCount).fill(-1);
  const queue = new Int32Array(maze.cellCount);
  let head = 0;
  let tail = 0;
  dist[maze.start] = 0;
  queue[tail++] = maze.start;
  while (head < tail) {
    const k = queue[head++]!;
    if (k === maze.goal) return dist[k]!;
    for (let a = 0; a < ACTION_COUNT; a++) {
      const n = maze.next[k * ACTION_COUNT + a]!;
      if (dist[n] === -1) {
        dist[n] = dist[k]! + 1;
        queue[tail++] = n;
      }
    }
  }
  return -1;
}

/**
 * Length of the path the greedy policy takes from the start with no slip (ties go to the first
 * action), or -1 when it does not reach the goal. A deterministic policy that has not arrived after
 * visiting every free cell is going round in circles, so that bounds the walk.
 */
export function greedyPathLength(maze: CompiledLayout, q: Float64Array): number {
  let k = maze.start;
  for (let steps = 0; steps < maze.freeCellCount; steps++) {
    if (k === maze.goal) return steps;
    const base = k * ACTION_COUNT;
    let best = 0;
    let bestValue = q[base]!;
    for (let a = 1; a < ACTION_COUNT; a++) {
      const v = q[base + a]!;
      if (v > bestValue) {
        bestValue = v;
        best = a;
      }
    }
    k = maze.next[base + best]!;
  }
  return k === maze.goal ? maze.freeCellCount : -1;
}
