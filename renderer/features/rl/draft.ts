/**
 * The RL page's editable configuration: an experiment definition (shared/rl's schema) as the page
 * edits it, with which environments and strategies take part. Every edit is immutable and by path
 * ("strategies[2].pulse.amplitude"), so the problems parseExperiment reports land at their field.
 * Values the user typed that are not numbers stay as typed: the schema then says what is wrong.
 */
import { applyVariant, compileLayout, parseExperiment, shortestPathLength, type Cell, type Experiment, type ExperimentProblem } from '../../../shared/rl';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export type Path = readonly (string | number)[];

export interface Draft {
  /** The preset it started from, parsed (defaults filled in): what counts as "ours". */
  origin: JsonObject;
  originLabel: string;
  doc: JsonObject;
  /** Per environment / strategy of `doc`: does it take part in the run. */
  environmentsOn: boolean[];
  strategiesOn: boolean[];
}

/** Where a set-up came from, as the middle of a sentence (“Set-up from the preset “Our experiment””): a preset's title is a name, not the sentence's next word. */
export const presetOrigin = (title: string): string => `the preset “${title}”`;

export function draftFrom(experiment: Experiment | Record<string, unknown>, label: string): Draft {
  const parsed = parseExperiment(experiment);
  const doc = clone((parsed.ok ? parsed.experiment : experiment) as unknown as Json) as JsonObject;
  const envs = (doc.environments as Json[] | undefined) ?? [];
  const strategies = (doc.strategies as Json[] | undefined) ?? [];
  return { origin: clone(doc) as JsonObject, originLabel: label, doc, environmentsOn: envs.map(() => true), strategiesOn: strategies.map(() => true) };
}

export function clone<T extends Json>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

export function getAt(doc: Json, path: Path): Json | undefined {
  let at: Json | undefined = doc;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string | number, Json>)[key];
  }
  return at;
}

/** A copy of `doc` with `value` at `path` (undefined deletes the key). */
export function setAt(doc: JsonObject, path: Path, value: Json | undefined): JsonObject {
  const go = (node: Json | undefined, k: number): Json | undefined => {
    if (k === path.length) return value;
    const key = path[k]!;
    if (typeof key === 'number') {
      const list = Array.isArray(node) ? [...node] : [];
      const next = go(list[key], k + 1);
      if (next === undefined) list.splice(key, 1);
      else list[key] = next;
      return list;
    }
    const obj: JsonObject = node !== null && typeof node === 'object' && !Array.isArray(node) ? { ...node } : {};
    const next = go(obj[key], k + 1);
    if (next === undefined) delete obj[key];
    else obj[key] = next;
    return obj;
  };
  return go(doc, 0) as JsonObject;
}

export function pathText(path: Path): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? key : `.${key}`;
  return out;
}

/** The value at `path` is the one the preset shipped with (the workbench's choice, not the user's). */
export function isOurs(draft: Draft, path: Path): boolean {
  return JSON.stringify(getAt(draft.origin, path)) === JSON.stringify(getAt(draft.doc, path)) && getAt(draft.origin, path) !== undefined;
}

// ---- what is sent, and its problems ------------------------------------------------------------

export interface Assembled {
  experiment: JsonObject;
  /** Index in the draft of each sent environment / strategy. */
  environmentIndex: number[];
  strategyIndex: number[];
}

export function assemble(draft: Draft): Assembled {
  const envs = (draft.doc.environments as Json[]) ?? [];
  const strategies = (draft.doc.strategies as Json[]) ?? [];
  const environmentIndex = envs.map((_, k) => k).filter((k) => draft.environmentsOn[k]);
  const strategyIndex = strategies.map((_, k) => k).filter((k) => draft.strategiesOn[k]);
  return {
    experiment: { ...draft.doc, environments: environmentIndex.map((k) => envs[k]!), strategies: strategyIndex.map((k) => strategies[k]!) },
    environmentIndex,
    strategyIndex,
  };
}

export interface DraftCheck {
  ok: boolean;
  experiment: Experiment | null;
  /** Problems keyed by the draft's own paths ("strategies[4].alpha"), so each field finds its own. */
  byPath: Map<string, string[]>;
  all: ExperimentProblem[];
}

export function checkDraft(draft: Draft): DraftCheck {
  const a = assemble(draft);
  const parsed = parseExperiment(a.experiment);
  const byPath = new Map<string, string[]>();
  const problems: ExperimentProblem[] = [];
  if (a.environmentIndex.length === 0) problems.push({ path: 'environments', message: 'choose at least one environment' });
  if (a.strategyIndex.length < 2) problems.push({ path: 'strategies', message: 'choose at least two strategies to compare' });
  if (!parsed.ok) {
    for (const p of parsed.problems) {
      // Map "strategies[1]…" of the sent list back to the draft's index.
      const path = p.path
        .replace(/^environments\[(\d+)\]/, (_, k: string) => `environments[${a.environmentIndex[Number(k)] ?? k}]`)
        .replace(/^strategies\[(\d+)\]/, (_, k: string) => `strategies[${a.strategyIndex[Number(k)] ?? k}]`);
      problems.push({ path, message: p.message });
    }
  }
  for (const p of problems) {
    const list = byPath.get(p.path) ?? [];
    list.push(p.message);
    byPath.set(p.path, list);
  }
  return { ok: problems.length === 0, experiment: parsed.ok && problems.length === 0 ? parsed.experiment : null, byPath, all: problems };
}

/** Problems at `path` or inside it (for a section's summary). */
export function problemsUnder(check: DraftCheck, prefix: string): string[] {
  const out: string[] = [];
  for (const [p, messages] of check.byPath) if (p === prefix || p.startsWith(`${prefix}.`) || p.startsWith(`${prefix}[`)) out.push(...messages);
  return out;
}

// ---- mazes -----------------------------------------------------------------------------------

export type Mark = '#' | '.' | 'S' | 'G';

export function findMark(layout: readonly string[], mark: 'S' | 'G'): Cell | null {
  for (let r = 0; r < layout.length; r++) {
    const c = layout[r]!.indexOf(mark);
    if (c >= 0) return [r, c];
  }
  return null;
}

function setCell(layout: readonly string[], [r, c]: Cell, mark: Mark): string[] {
  return layout.map((line, k) => (k === r ? line.slice(0, c) + mark + line.slice(c + 1) : line));
}

/** Toggles a wall (never on the start or the goal). */
export function toggleWall(layout: readonly string[], cell: Cell): string[] {
  const ch = layout[cell[0]]?.[cell[1]];
  if (ch === 'S' || ch === 'G' || ch === undefined) return [...layout];
  return setCell(layout, cell, ch === '#' ? '.' : '#');
}

/** Moves the start or goal to a cell (a wall there is cleared; the other mark is never overwritten). */
export function moveMark(layout: readonly string[], mark: 'S' | 'G', to: Cell): string[] {
  const ch = layout[to[0]]?.[to[1]];
  if (ch === undefined || ch === (mark === 'S' ? 'G' : 'S')) return [...layout];
  const from = findMark(layout, mark);
  const cleared = from ? setCell(layout, from, '.') : [...layout];
  return setCell(cleared, to, mark);
}

/** A new size: rows and columns cut or added at the bottom right; S and G kept inside. */
export function resizeLayout(layout: readonly string[], rows: number, cols: number): string[] {
  const grid: string[] = [];
  for (let r = 0; r < rows; r++) {
    const line = layout[r] ?? '';
    grid.push((line.slice(0, cols) + '.'.repeat(cols)).slice(0, cols));
  }
  let out = grid;
  if (!findMark(out, 'S')) out = moveMark(out, 'S', findFree(out, [0, 0], 1));
  if (!findMark(out, 'G')) out = moveMark(out, 'G', findFree(out, [rows - 1, cols - 1], -1));
  return out;
}

function findFree(layout: readonly string[], from: Cell, dir: 1 | -1): Cell {
  const rows = layout.length;
  const cols = layout[0]!.length;
  for (let k = 0; k < rows * cols; k++) {
    const i = dir === 1 ? k : rows * cols - 1 - k;
    const cell: Cell = [Math.floor(i / cols), i % cols];
    const ch = layout[cell[0]]![cell[1]];
    if (ch !== 'S' && ch !== 'G') return cell;
  }
  return from;
}

export interface VariantJson {
  goal?: Cell;
  start?: Cell;
  addWalls?: Cell[];
  removeWalls?: Cell[];
}

const same = (a: Cell | undefined, b: Cell | undefined) => !!a && !!b && a[0] === b[0] && a[1] === b[1];
const without = (list: Cell[] | undefined, cell: Cell) => (list ?? []).filter((c) => !same(c, cell));

function tidy(v: VariantJson): VariantJson {
  const out: VariantJson = {};
  if (v.start) out.start = v.start;
  if (v.goal) out.goal = v.goal;
  if (v.addWalls && v.addWalls.length > 0) out.addWalls = v.addWalls;
  if (v.removeWalls && v.removeWalls.length > 0) out.removeWalls = v.removeWalls;
  return out;
}

/** A wall click on a variant: a wall added to, or removed from, the base maze (toggling back undoes it). */
export function toggleVariantWall(base: readonly string[], v: VariantJson, cell: Cell): VariantJson {
  const shown = safeApply(base, v);
  const ch = shown[cell[0]]?.[cell[1]];
  if (ch === undefined || ch === 'S' || ch === 'G') return v;
  const baseWall = base[cell[0]]![cell[1]] === '#';
  if (baseWall) {
    const removed = (v.removeWalls ?? []).some((c) => same(c, cell));
    return tidy({ ...v, removeWalls: removed ? without(v.removeWalls, cell) : [...(v.removeWalls ?? []), cell] });
  }
  const added = (v.addWalls ?? []).some((c) => same(c, cell));
  return tidy({ ...v, addWalls: added ? without(v.addWalls, cell) : [...(v.addWalls ?? []), cell] });
}

/** Moves a variant's start or goal; back to the base maze's position clears the change. */
export function moveVariantMark(base: readonly string[], v: VariantJson, mark: 'S' | 'G', to: Cell): VariantJson {
  const key = mark === 'S' ? 'start' : 'goal';
  const other = safeApply(base, v);
  const ch = other[to[0]]?.[to[1]];
  if (ch === undefined || ch === (mark === 'S' ? 'G' : 'S')) return v;
  const next: VariantJson = { ...v, addWalls: without(v.addWalls, to) };
  const baseWall = base[to[0]]![to[1]] === '#';
  if (baseWall && !(v.removeWalls ?? []).some((c) => same(c, to))) next.removeWalls = [...(v.removeWalls ?? []), to];
  const basePos = findMark(base, mark);
  if (same(basePos ?? undefined, to)) delete next[key];
  else next[key] = to;
  return tidy(next);
}

/** The variant applied to the base maze; the base maze when it cannot be applied. */
export function safeApply(base: readonly string[], v: VariantJson): string[] {
  try {
    return applyVariant(base, v);
  } catch {
    return [...base];
  }
}

/** Variants with cells outside a new size dropped. */
export function clipVariant(v: VariantJson, rows: number, cols: number): VariantJson {
  const inside = (c: Cell) => c[0] < rows && c[1] < cols;
  return tidy({
    start: v.start && inside(v.start) ? v.start : undefined,
    goal: v.goal && inside(v.goal) ? v.goal : undefined,
    addWalls: v.addWalls?.filter(inside),
    removeWalls: v.removeWalls?.filter(inside),
  });
}

/** Shortest path length of a layout, or null when it is not a valid maze. */
export function shortestOf(layout: readonly string[]): number | null {
  try {
    const n = shortestPathLength(compileLayout(layout));
    return n < 0 ? null : n;
  } catch {
    return null;
  }
}

// ---- values -------------------------------------------------------------------------------

/** Episode lists typed as "300, 600 900". */
export function parseEpisodeList(text: string): Json {
  const parts = text.split(/[\s,;]+/).filter((p) => p !== '');
  const nums = parts.map((p) => Number(p));
  return nums.every((n) => Number.isFinite(n)) ? nums : text;
}
