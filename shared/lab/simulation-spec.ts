/**
 * Simulation sweeps (#16): a protocol × a device preset × seeds, optionally over a grid of the
 * preset's numeric fields. Pure functions, no I/O: the sweep file's checks (every problem with its
 * path), the spec stored in lab_sweeps (protocol text and preset inlined, so every worker runs
 * exactly what was submitted, whatever its own files hold), and the grid's points. The one way a
 * sweep is checked: `workbench submit --simulation`, lab.submitSimulation and the app's form (as
 * you type) all call these.
 */
import { parseDevicePreset, type DevicePreset } from '../device';
import { describeValue } from '../device/param-info';
import { compileProtocol, formatProblem, parseProtocolJson, type Program, type ProtocolDocument } from '../protocol';

/** Bounds we chose (ours): a sweep of more jobs than this is more likely a typo than a plan. */
export const MAX_SEEDS = 10_000;
export const MAX_GRID_VALUES = 1_000;
export const MAX_SIMULATION_JOBS = 100_000;

/** The sweep file as a user writes it. */
export interface SimulationSweepFile {
  title?: string;
  /** A shipped protocol name or a protocol file (relative to the sweep file). */
  protocol: string;
  /** A shipped or saved preset name or a preset file (relative to the sweep file). */
  device: string;
  /** The seeds, in order. */
  seeds: number[];
  noise: boolean;
  /** Dotted preset paths (e.g. "params.tauG") and the values each takes. */
  grid: GridAxis[];
}

export interface GridAxis {
  path: string;
  values: number[];
}

export interface SpecProblem {
  path: string;
  message: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: SpecProblem[] };

const KEYS = ['title', 'protocol', 'device', 'seeds', 'noise', 'grid'];
const GRID_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Checks a parsed sweep file; never throws. */
export function parseSimulationSweepFile(value: unknown): Checked<SimulationSweepFile> {
  const problems: SpecProblem[] = [];
  const bad = (path: string, message: string) => problems.push({ path, message });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, problems: [{ path: '', message: `a simulation sweep must be a JSON object {"protocol", "device", "seeds", "grid"?} (got ${describeValue(value)})` }] };
  }
  const o = value as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!KEYS.includes(k)) bad(k, `unknown field (a simulation sweep has ${KEYS.join(', ')})`);
  if (o.title !== undefined && (typeof o.title !== 'string' || o.title.trim() === '' || o.title.length > 200)) bad('title', `title must be text of 1 to 200 characters (got ${describeValue(o.title)})`);
  for (const k of ['protocol', 'device'] as const) {
    if (typeof o[k] !== 'string' || (o[k] as string).trim() === '') bad(k, `${k} must be a shipped name or a file path (got ${o[k] === undefined ? 'nothing' : describeValue(o[k])})`);
  }
  const seeds = checkSeeds(o.seeds, bad);
  if (o.noise !== undefined && typeof o.noise !== 'boolean') bad('noise', `noise must be true or false (got ${describeValue(o.noise)})`);
  const grid = checkGrid(o.grid, bad);
  const points = grid.reduce((n, a) => n * Math.max(1, a.values.length), 1);
  if (problems.length === 0 && points * seeds.length > MAX_SIMULATION_JOBS) {
    bad('', `the sweep has ${points} grid point(s) × ${seeds.length} seed(s) = ${points * seeds.length} jobs, more than ${MAX_SIMULATION_JOBS} (ours)`);
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: { ...(o.title === undefined ? {} : { title: o.title as string }), protocol: o.protocol as string, device: o.device as string, seeds, noise: o.noise !== false, grid },
  };
}

/** A list of distinct whole numbers ≥ 0, or a count N (the seeds 1 … N, `workbench simulate`'s default seed first). */
function checkSeeds(raw: unknown, bad: (path: string, message: string) => void): number[] {
  if (typeof raw === 'number') {
    if (Number.isInteger(raw) && raw >= 1 && raw <= MAX_SEEDS) return Array.from({ length: raw }, (_, k) => k + 1);
    bad('seeds', `seeds as a count must be a whole number from 1 to ${MAX_SEEDS} (got ${describeValue(raw)})`);
    return [];
  }
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_SEEDS) {
    bad('seeds', `seeds must be a count N (seeds 1…N) or a list of 1 to ${MAX_SEEDS} seeds (got ${raw === undefined ? 'nothing' : describeValue(raw)})`);
    return [];
  }
  const seen = new Set<number>();
  raw.forEach((s, k) => {
    if (typeof s !== 'number' || !Number.isSafeInteger(s) || s < 0) bad(`seeds[${k}]`, `a seed must be a whole number ≥ 0 (got ${describeValue(s)})`);
    else if (seen.has(s)) bad(`seeds[${k}]`, `seed ${s} is listed twice`);
    else seen.add(s);
  });
  return [...seen];
}

function checkGrid(raw: unknown, bad: (path: string, message: string) => void): GridAxis[] {
  if (raw === undefined) return [];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    bad('grid', `grid must be an object {"params.NAME": [values…]} (got ${describeValue(raw)})`);
    return [];
  }
  const axes: GridAxis[] = [];
  for (const [path, values] of Object.entries(raw as Record<string, unknown>)) {
    const at = `grid[${JSON.stringify(path)}]`;
    if (!GRID_PATH.test(path)) {
      bad(at, 'a grid key must be a dotted path into the device preset, e.g. "params.tauG"');
      continue;
    }
    if (!Array.isArray(values) || values.length === 0 || values.length > MAX_GRID_VALUES) {
      bad(at, `must be a list of 1 to ${MAX_GRID_VALUES} numbers (got ${describeValue(values)})`);
      continue;
    }
    const ok = values.every((v, k) => {
      if (typeof v === 'number' && Number.isFinite(v)) return true;
      bad(`${at}[${k}]`, `must be a finite number (got ${describeValue(v)})`);
      return false;
    });
    if (ok) axes.push({ path, values: values as number[] });
  }
  return axes;
}

/** What lab_sweeps.spec holds for a simulation sweep (its JSON text). */
export interface SimulationSpec {
  kind: 'simulation';
  version: 1;
  title: string;
  /** The protocol's JSON text (as the file held it, re-serialised) and the name it was given by. */
  protocol: { name: string; text: string };
  device: DevicePreset;
  seeds: number[];
  noise: boolean;
  grid: GridAxis[];
}

/** One grid point: the value of each axis, in the grid's order. */
export type GridPoint = Record<string, number>;

/** The grid's points, the first axis varying slowest; one empty point when there is no grid. */
export function gridPoints(grid: readonly GridAxis[]): GridPoint[] {
  let points: GridPoint[] = [{}];
  for (const axis of grid) points = points.flatMap((p) => axis.values.map((v) => ({ ...p, [axis.path]: v })));
  return points;
}

/** How many jobs a sweep makes: one per grid point × seed. */
export const jobCount = (grid: readonly GridAxis[], seeds: readonly number[]): number => grid.reduce((n, a) => n * a.values.length, 1) * seeds.length;

/**
 * The spec of a checked sweep file once its protocol and preset are found: `protocol.name` is how
 * the sweep named it (a shipped name, a file, a library protocol), `protocol.title` its own name.
 */
export function simulationSpecOf(f: SimulationSweepFile, protocol: { name: string; title: string; text: string }, device: DevicePreset): SimulationSpec {
  return {
    kind: 'simulation',
    version: 1,
    title: f.title ?? `${protocol.title} on ${device.name}`,
    protocol: { name: protocol.name, text: protocol.text },
    device,
    seeds: f.seeds,
    noise: f.noise,
    grid: f.grid,
  };
}

/** The preset with a grid point's values set, checked as any preset file is. */
export function presetAt(preset: DevicePreset, point: GridPoint): Checked<DevicePreset> {
  const copy = structuredClone(preset) as unknown as Record<string, unknown>;
  for (const [path, value] of Object.entries(point)) {
    const keys = path.split('.');
    let node: Record<string, unknown> = copy;
    for (const k of keys.slice(0, -1)) {
      const next = Object.hasOwn(node, k) ? node[k] : undefined;
      if (next === null || typeof next !== 'object' || Array.isArray(next)) return { ok: false, problems: [{ path: `grid[${JSON.stringify(path)}]`, message: `the preset '${preset.name}' has no field ${path}` }] };
      node = next as Record<string, unknown>;
    }
    const last = keys[keys.length - 1]!;
    if (!Object.hasOwn(node, last) || typeof node[last] !== 'number') {
      return { ok: false, problems: [{ path: `grid[${JSON.stringify(path)}]`, message: `the preset '${preset.name}' has no numeric field ${path} (a ${preset.model} preset's parameters are under "params.")` }] };
    }
    node[last] = value;
  }
  const parsed = parseDevicePreset(copy);
  if (!parsed.ok) {
    const where = Object.entries(point).map(([k, v]) => `${k} = ${v}`).join(', ');
    return { ok: false, problems: parsed.problems.map((p) => ({ path: p.path, message: `at ${where}: ${p.message}` })) };
  }
  return { ok: true, value: parsed.preset };
}

/** The protocol of a spec, parsed and compiled exactly as `workbench simulate` does with a file. */
export function programOf(protocolText: string): Checked<{ document: ProtocolDocument; program: Program }> {
  const parsed = parseProtocolJson(protocolText);
  if (!parsed.ok) return { ok: false, problems: parsed.problems.map((p) => ({ path: 'protocol', message: formatProblem(p) })) };
  const compiled = compileProtocol(parsed.document);
  if (!compiled.ok) return { ok: false, problems: compiled.problems.map((p) => ({ path: 'protocol', message: formatProblem(p) })) };
  return { ok: true, value: { document: parsed.document, program: compiled.program } };
}

/** Every problem of a resolved spec: a protocol that does not compile, a grid point that makes no valid preset. */
export function checkSimulationSpec(spec: SimulationSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const program = programOf(spec.protocol.text);
  if (!program.ok) problems.push(...program.problems);
  for (const point of gridPoints(spec.grid)) {
    const preset = presetAt(spec.device, point);
    if (!preset.ok) problems.push(...preset.problems);
    if (problems.length >= 20) break;
  }
  return problems;
}

/** Reads lab_sweeps.spec back; a spec this version cannot run is null. */
export function readSimulationSpec(text: string): SimulationSpec | null {
  try {
    const o = JSON.parse(text) as Partial<SimulationSpec>;
    if (o.kind !== 'simulation' || o.version !== 1 || !Array.isArray(o.seeds) || !Array.isArray(o.grid) || typeof o.protocol?.text !== 'string') return null;
    const device = parseDevicePreset(o.device);
    if (!device.ok) return null;
    return { ...(o as SimulationSpec), device: device.preset };
  } catch {
    return null;
  }
}

export const formatSpecProblems = (problems: readonly SpecProblem[]): string[] => problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
