/**
 * What the UI needs to render a parameter: a human label, a unit, a short description and the
 * allowed range, plus the sentence that states the range in error messages. The zod schemas are
 * generated from these tables, so a range is written down once.
 */
export interface ParamRange {
  readonly min: number;
  readonly max: number;
  readonly minInclusive: boolean;
  readonly maxInclusive: boolean;
}

export interface ParamInfo {
  readonly key: string;
  readonly label: string;
  /** Unit symbol for display ('' when dimensionless). */
  readonly unit: string;
  readonly description: string;
  readonly range: ParamRange;
  /** How the range reads in a sentence, e.g. "a positive number of seconds" or "in [0, 1)". */
  readonly requirement: string;
}

const UNIT_NAMES: Readonly<Record<string, string>> = { s: 'seconds', S: 'siemens', V: 'volts' };

export function requirementText(range: ParamRange, unit: string): string {
  const unitName = UNIT_NAMES[unit];
  const of = unitName ? ` of ${unitName}` : '';
  if (range.max === Infinity && range.min === 0) {
    return range.minInclusive ? `a non-negative number${of}` : `a positive number${of}`;
  }
  const open = range.minInclusive ? '[' : '(';
  const close = range.maxInclusive ? ']' : ')';
  const max = range.max === Infinity ? '∞' : String(range.max);
  return `in ${open}${range.min}, ${max}${close}${unit ? ` ${unit}` : ''}`;
}

export function inRange(value: number, range: ParamRange): boolean {
  if (!Number.isFinite(value)) return false;
  const aboveMin = range.minInclusive ? value >= range.min : value > range.min;
  const belowMax = range.maxInclusive ? value <= range.max : value < range.max;
  return aboveMin && belowMax;
}

interface ParamSpec {
  label: string;
  unit: string;
  description: string;
  range: ParamRange;
}

export function defineParams<K extends string>(specs: Record<K, ParamSpec>): Readonly<Record<K, ParamInfo>> {
  const out = {} as Record<K, ParamInfo>;
  for (const key of Object.keys(specs) as K[]) {
    const spec = specs[key];
    out[key] = { key, ...spec, requirement: requirementText(spec.range, spec.unit) };
  }
  return out;
}

export const positive: ParamRange = { min: 0, max: Infinity, minInclusive: false, maxInclusive: false };
export const nonNegative: ParamRange = { min: 0, max: Infinity, minInclusive: true, maxInclusive: false };
export const unitClosed: ParamRange = { min: 0, max: 1, minInclusive: true, maxInclusive: true };
export const unitHalfOpen: ParamRange = { min: 0, max: 1, minInclusive: true, maxInclusive: false };
export const unitPositive: ParamRange = { min: 0, max: 1, minInclusive: false, maxInclusive: true };

/** Human-readable rendering of whatever was found where a number was expected. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return typeof value;
}
