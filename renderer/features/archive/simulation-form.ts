/**
 * The simulation-sweep form's text made into lab.submitSimulation's input, and every problem with
 * it. Only the typing is read here (a seed list, values with units); what the values mean is
 * checked by shared/lab/simulation-spec — the checks `workbench submit --simulation` and the router
 * run — so the form refuses, as you type, exactly what the lab would.
 */
import type { FieldProblem } from '../../../shared/contract';
import type { SimulationProtocolRef, SimulationSweepInput } from '../../../shared/contract/areas/lab';
import type { DevicePreset } from '../../../shared/device';
import { checkSimulationSpec, jobCount, parseSimulationSweepFile, simulationSpecOf } from '../../../shared/lab/simulation-spec';
import { parseQuantity } from '../../../shared/units';
import type { FieldSpec } from '../devices/draft';

export interface AxisDraft {
  /** A dotted preset path, e.g. "params.tauG". */
  path: string;
  /** The values as typed, comma-separated, units and SI prefixes allowed ("60, 400 s", "10u"). */
  text: string;
}

export interface SweepDraft {
  /** 'library:ID' or 'template:ID'; '' when none is chosen. */
  protocol: string;
  /** 'shipped:NAME' or 'saved:NAME'; '' when none is chosen. */
  device: string;
  /** A count N (seeds 1…N) or a list "1, 2, 7". */
  seeds: string;
  noise: boolean;
  title: string;
  axes: AxisDraft[];
}

/** The sentences the contract says for a missing protocol or preset (SimulationSweepInput). */
export const NO_PROTOCOL = 'choose a protocol: one from the library or a shipped template';
export const NO_PRESET = 'choose a device preset';

export function protocolRefOf(choice: string): SimulationProtocolRef | null {
  const [source, ...rest] = choice.split(':');
  const id = rest.join(':');
  if (id === '') return null;
  if (source === 'library') return { source: 'library', id };
  if (source === 'template') return { source: 'template', id };
  return null;
}

export function deviceRefOf(choice: string): SimulationSweepInput['device'] | null {
  const [origin, ...rest] = choice.split(':');
  const name = rest.join(':');
  if (name === '' || (origin !== 'shipped' && origin !== 'saved')) return null;
  return { name, origin };
}

/** "5" → 5 (the seeds 1…5); "1, 2, 7" → [1, 2, 7]; a token that is not a number → a problem. */
export function readSeeds(text: string): { ok: true; value: number | number[] } | { ok: false; message: string } {
  const tokens = text.split(/[,;\s]+/).filter((t) => t !== '');
  if (tokens.length === 0) return { ok: false, message: 'say how many seeds (a count N means the seeds 1…N) or list them: 1, 2, 7' };
  const numbers = tokens.map(Number);
  const bad = tokens.find((t, k) => !Number.isFinite(numbers[k]));
  if (bad !== undefined) return { ok: false, message: `${JSON.stringify(bad)} is not a number: give a count N or a list of seeds, e.g. 1, 2, 7` };
  // One number is a count, as in a sweep file; a list of one seed is written "[5]" there, "5," here.
  return { ok: true, value: tokens.length === 1 && !/[,;]/.test(text) ? numbers[0]! : numbers };
}

/** Comma-separated values in the field's unit ("60, 400", "10u, 20 µS", "3 %"). */
export function readValues(text: string, field: Pick<FieldSpec, 'unit'>): { ok: true; values: number[] } | { ok: false; message: string } {
  const tokens = text.split(/[,;]/).map((t) => t.trim()).filter((t) => t !== '');
  if (tokens.length === 0) return { ok: false, message: 'give the values this parameter takes, separated by commas' };
  const values: number[] = [];
  for (const t of tokens) {
    const r = parseQuantity(t, field.unit);
    if (!r.ok) return { ok: false, message: `${JSON.stringify(t)}: ${r.message}` };
    values.push(r.value);
  }
  return { ok: true, values };
}

export interface FormCheck {
  /** The request to send, or null while any problem stands. */
  input: SimulationSweepInput | null;
  /** Every problem, at its field: 'protocol', 'device', 'seeds…', 'grid["path"]…', 'title', '' (the sweep). */
  problems: FieldProblem[];
  /** Grid points × seeds, once the seeds and the grid read; null before. */
  jobs: number | null;
  points: number | null;
  seeds: number | null;
}

const axisPath = (path: string) => `grid[${JSON.stringify(path)}]`;

/**
 * Checks the form as the lab will: the sweep file's checks on seeds, grid and title, then — once
 * the protocol's text and the preset are at hand — the protocol compiled and every grid point made
 * into a preset (a value out of range, a parameter the preset has not).
 */
export function checkDraft(draft: SweepDraft, fields: (path: string) => Pick<FieldSpec, 'unit'>, protocol: { title: string; text: string } | null, preset: DevicePreset | null): FormCheck {
  const problems: FieldProblem[] = [];
  const ref = protocolRefOf(draft.protocol);
  const device = deviceRefOf(draft.device);
  if (!ref) problems.push({ path: 'protocol', message: NO_PROTOCOL });
  if (!device) problems.push({ path: 'device', message: NO_PRESET });
  const seeds = readSeeds(draft.seeds);
  if (!seeds.ok) problems.push({ path: 'seeds', message: seeds.message });
  const grid: Record<string, number[]> = {};
  for (const axis of draft.axes) {
    if (axis.path in grid) {
      problems.push({ path: axisPath(axis.path), message: `${axis.path} is in the grid twice: give all its values on one row` });
      continue;
    }
    const read = readValues(axis.text, fields(axis.path));
    if (read.ok) grid[axis.path] = read.values;
    else problems.push({ path: axisPath(axis.path), message: read.message });
  }
  const title = draft.title.trim();
  const fileWith = (seedsValue: number | number[]) =>
    parseSimulationSweepFile({
      ...(title === '' ? {} : { title }),
      // Stand-ins: the file's check wants names; the pickers' choices were checked above.
      protocol: ref?.id ?? '-',
      device: device?.name ?? '-',
      seeds: seedsValue,
      noise: draft.noise,
      grid,
    });
  const file = fileWith(seeds.ok ? seeds.value : 1);
  if (!file.ok) problems.push(...file.problems);
  const counted = file.ok && seeds.ok ? { jobs: jobCount(file.value.grid, file.value.seeds), points: jobCount(file.value.grid, [0]), seeds: file.value.seeds.length } : { jobs: null, points: null, seeds: null };
  // The grid against the preset, whatever the seeds say: a value out of range shows beside a seed problem.
  const forGrid = file.ok ? file : fileWith(1);
  if (forGrid.ok && ref && protocol && preset && problems.every((p) => p.path.startsWith('seeds'))) {
    problems.push(...checkSimulationSpec(simulationSpecOf(forGrid.value, { name: ref.id, ...protocol }, preset)));
  }
  const ready = problems.length === 0 && protocol !== null && preset !== null;
  const input: SimulationSweepInput | null = ready
    ? { protocol: ref!, device: device!, seeds: seeds.ok ? seeds.value : 1, noise: draft.noise, ...(title === '' ? {} : { title }), ...(draft.axes.length > 0 ? { grid } : {}) }
    : null;
  return { input, problems, ...counted };
}
