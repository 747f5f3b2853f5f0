/**
 * One line per block for its header ("100 × 2 V, 10 ms every 1 s, read after each"), read from the
 * values as typed; a value that does not parse is shown as typed, so the line never lies.
 */
import { formatCount, formatPercent, formatSI, parseQuantity, type UnitSymbol } from '../../../shared/units';
import { pathSegments, type BlockKind, type Quantity } from '../../../shared/protocol';
import { blockAt, type EBlock, type EDoc } from './model';

export const KIND_TITLES: Readonly<Record<BlockKind, string>> = {
  pulse: 'Pulse',
  train: 'Train',
  read: 'Read',
  wait: 'Wait',
  ramp: 'Ramp',
  repeat: 'Repeat',
  sweep: 'Sweep',
  until: 'Until',
  'iv-sweep': 'I–V sweep',
  forming: 'Forming',
  converge: 'Converge',
};

export const KIND_HINTS: Readonly<Record<BlockKind, string>> = {
  pulse: 'One pulse, optionally followed by a read',
  train: 'Pulses at a fixed period, each optionally followed by a read',
  read: 'One or more reads of the conductance at a small voltage',
  wait: 'No stimulus for a while, optionally reading to watch relaxation',
  ramp: 'Pulses whose amplitude steps from one voltage to another',
  repeat: 'Runs its body a number of times',
  sweep: 'Runs its body once per value of a parameter',
  until: 'Repeats its body until a read finds G above or below a threshold',
  'iv-sweep': 'A staircase of voltages through a list of points, the current measured at each step under a compliance',
  forming: 'Raises the voltage under a compliance until a current or resistance target is reached, or the maximum voltage',
  converge: 'SET or RESET pulses, a read after each, until G is within a band',
};

export function show(value: Quantity | undefined, unit: UnitSymbol): string {
  if (value === undefined) return '?';
  if (typeof value === 'number') return unit === '' ? String(value) : formatSI(value, unit);
  const parsed = parseQuantity(value, unit);
  if (!parsed.ok) return value.trim() === '' ? '?' : value.trim();
  return unit === '' ? String(parsed.value) : formatSI(parsed.value, unit);
}

function count(value: Quantity | undefined): string {
  if (value === undefined) return '?';
  const parsed = typeof value === 'number' ? { ok: true as const, value } : parseQuantity(value, '');
  return parsed.ok ? formatCount(parsed.value) : String(value);
}

function readText(read: unknown, each: boolean): string {
  if (read === undefined || read === false) return '';
  return each ? ', read after each' : ', then read';
}

export function summarize(b: EBlock): string {
  switch (b.kind) {
    case 'pulse':
      return `${show(b.amplitude, 'V')}, ${show(b.width, 's')}${readText(b.read, false)}`;
    case 'train':
      return `${count(b.count)} × ${show(b.amplitude, 'V')}, ${show(b.width, 's')} every ${show(b.period, 's')}${readText(b.read, true)}`;
    case 'read': {
      const n = b.count === undefined ? '1 read' : `${count(b.count)} reads`;
      const at = b.voltage === undefined ? '' : ` at ${show(b.voltage, 'V')}`;
      const every = b.interval === undefined ? '' : ` every ${show(b.interval, 's')}`;
      return `${n}${at}${every}`;
    }
    case 'wait':
      return `${show(b.duration, 's')}${b.readEvery === undefined ? '' : `, a read every ${show(b.readEvery, 's')}`}`;
    case 'ramp':
      return `${show(b.from, 'V')} → ${show(b.to, 'V')} in steps of ${show(b.step, 'V')}, ${show(b.width, 's')} every ${show(b.period, 's')}${readText(b.read, true)}`;
    case 'repeat':
      return `${count(b.times)} times`;
    case 'sweep': {
      const values = Array.isArray(b.values) ? b.values : [];
      const unit: UnitSymbol = b.parameter === 'amplitude' ? 'V' : 's';
      const shown = values.slice(0, 4).map((v) => show(v, unit));
      return `${b.parameter ?? '?'} over ${shown.join(', ')}${values.length > 4 ? `, … (${values.length} values)` : ''}`;
    }
    case 'iv-sweep': {
      const points = Array.isArray(b.points) ? b.points.map((v) => show(v, 'V')).join(' → ') : '?';
      const spacing = b.spacing === 'log' ? `${count(b.pointsPerDecade)} per decade from ${show(b.floor, 'V')}` : `steps of ${show(b.step, 'V')}`;
      const timing = b.rate !== undefined ? `at ${show(b.rate, 'V/s')}` : `${show(b.dwell, 's')} each`;
      const cycles = b.cycles === undefined ? '' : `, ${count(b.cycles)} cycles`;
      return `${points} in ${spacing}, ${timing}${cycles}`;
    }
    case 'forming': {
      const target = b.targetResistance !== undefined ? `R ≤ ${show(b.targetResistance, 'Ω')}` : `|I| ≥ ${show(b.targetCurrent, 'A')}`;
      const how = b.mode === 'pulses' ? `pulses of ${show(b.width, 's')}, a read after each` : `${show(b.width, 's')} steps`;
      return `${show(b.from, 'V')} → at most ${show(b.to, 'V')} by ${show(b.step, 'V')}, ${how}, under ${show(b.compliance, 'A')}, until ${target}`;
    }
    case 'converge':
      return `G into ${show(b.low, 'S')}…${show(b.high, 'S')}: SET ${show(b.setAmplitude, 'V')}, RESET ${show(b.resetAmplitude, 'V')}, at most ${count(b.maxPulses)} pulses`;
    case 'until': {
      const target =
        b.threshold !== undefined ? show(b.threshold, 'S') : b.relative !== undefined ? `${relative(b.relative)} of the starting G` : '?';
      return `G ${b.when ?? '?'} ${target}, at most ${count(b.maxIterations)} times`;
    }
  }
}

function relative(value: Quantity): string {
  const parsed = typeof value === 'number' ? { ok: true as const, value } : parseQuantity(value, '');
  return parsed.ok ? formatPercent(parsed.value) : String(value);
}

/** Where a problem is, in words: "Train “spikes” › amplitude", "Document › limits.maxVoltage". */
export function describeWhere(doc: EDoc, path: string): string {
  const segments = pathSegments(path);
  if (segments[0] !== 'blocks' || typeof segments[1] !== 'number') return path === '' ? 'Document' : `Document › ${path}`;
  const loc: number[] = [segments[1]];
  let k = 2;
  while (segments[k] === 'body' && typeof segments[k + 1] === 'number') {
    loc.push(segments[k + 1] as number);
    k += 2;
  }
  const block = blockAt(doc, loc);
  const name = block && typeof block === 'object' && typeof block.kind === 'string' ? `${KIND_TITLES[block.kind] ?? block.kind} ${block.label ? `“${block.label}”` : loc.map((n) => n + 1).join('.')}` : `Block ${loc.map((n) => n + 1).join('.')}`;
  const rest = segments.slice(k);
  if (rest.length === 0) return name;
  return `${name} › ${rest.map((s) => (typeof s === 'number' ? `#${s + 1}` : s)).join(' ')}`;
}
