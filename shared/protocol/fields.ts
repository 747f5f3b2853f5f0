import { describeExpected, formatCount, formatSI, parseQuantity, type UnitSymbol } from '../units';
import { childPath, type Problem, type ProblemCode } from './problems';

/** Collects problems; validation never stops at the first one. */
export class ProblemList {
  readonly items: Problem[] = [];
  add(path: string, code: ProblemCode, message: string): void {
    this.items.push({ path, code, message });
  }
}

export type JsonObject = Record<string, unknown>;

export function isRecord(x: unknown): x is JsonObject {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A field of the object itself, never one inherited ("constructor", "toString"). */
export function own(obj: JsonObject, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

export function has(obj: JsonObject, key: string): boolean {
  return own(obj, key) !== undefined;
}

/** How a JSON value reads in a message: 'abc', true, null, a list, an object. */
export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string': {
      const chars = Array.from(value);
      return `'${chars.length > 40 ? `${chars.slice(0, 37).join('')}…` : value}'`;
    }
    case 'number':
    case 'boolean':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

export function checkKnownFields(problems: ProblemList, obj: JsonObject, path: string, allowed: readonly string[], what: string): void {
  for (const key of Object.keys(obj)) {
    if (allowed.includes(key)) continue;
    const near = closest(key, allowed);
    const hint = near === undefined ? `; it takes ${allowed.join(', ')}` : ` (did you mean '${near}'?)`;
    problems.add(childPath(path, key), 'unknown-field', `${what} has no field '${key}'${hint}`);
  }
}

/** The candidate within two edits of the word, for "did you mean" hints. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2 || a.length > 64 || b.length > 64) return 99;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 99;
}

const BASE_UNIT_NAMES: Readonly<Record<UnitSymbol, string>> = {
  V: 'volts',
  A: 'amperes',
  s: 'seconds',
  S: 'siemens',
  Hz: 'hertz',
  'Ω': 'ohms',
  J: 'joules',
  W: 'watts',
  'V/s': 'volts per second',
  '': '',
};

export type Sign = 'any' | 'positive' | 'nonNegative' | 'nonZero';

/**
 * A physical value given as a number (SI) or a string with units, normalised to SI; undefined
 * (with a problem recorded) when it is not one. `name` is how messages call it.
 */
export function quantityValue(problems: ProblemList, value: unknown, path: string, name: string, unit: UnitSymbol, sign: Sign = 'any'): number | undefined {
  let x: number;
  if (typeof value === 'number') {
    x = value;
  } else if (typeof value === 'string') {
    const parsed = parseQuantity(value, unit);
    if (!parsed.ok) {
      problems.add(path, 'type', `${name}: ${parsed.message}`);
      return undefined;
    }
    x = parsed.value;
  } else {
    const base = unit === '' ? '' : ` or a number in ${BASE_UNIT_NAMES[unit]}`;
    problems.add(path, 'type', `${name} must be ${describeExpected(unit)}${base}; got ${describeJson(value)}`);
    return undefined;
  }
  if (!Number.isFinite(x)) {
    problems.add(path, 'type', `${name} must be a finite number; got ${x}`);
    return undefined;
  }
  const shown = unit === '' ? String(x) : formatSI(x, unit);
  if (sign === 'positive' && !(x > 0)) return reject(problems, path, `${name} must be positive; got ${shown}`);
  if (sign === 'nonNegative' && x < 0) return reject(problems, path, `${name} must not be negative; got ${shown}`);
  if (sign === 'nonZero' && x === 0) return reject(problems, path, `${name} must not be zero`);
  return x === 0 ? 0 : x; // no -0 in a normalised document
}

function reject(problems: ProblemList, path: string, message: string): undefined {
  problems.add(path, 'range', message);
  return undefined;
}

export interface QuantityField {
  unit: UnitSymbol;
  required: boolean;
  sign?: Sign;
}

export function readQuantity(problems: ProblemList, obj: JsonObject, key: string, path: string, field: QuantityField): number | undefined {
  const value = own(obj, key);
  const at = childPath(path, key);
  if (value === undefined) {
    if (field.required) problems.add(at, 'missing', `missing ${key}: give ${describeExpected(field.unit)}`);
    return undefined;
  }
  return quantityValue(problems, value, at, key, field.unit, field.sign);
}

/** A whole number of at least `min`, as a JSON number or a numeric string ("100"). */
export function readCount(problems: ProblemList, obj: JsonObject, key: string, path: string, field: { required: boolean; min?: number }): number | undefined {
  const min = field.min ?? 1;
  const value = own(obj, key);
  const at = childPath(path, key);
  const wanted = `a whole number of at least ${min}`;
  if (value === undefined) {
    if (field.required) problems.add(at, 'missing', `missing ${key}: give ${wanted}`);
    return undefined;
  }
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string') {
    const parsed = parseQuantity(value, '');
    if (parsed.ok) n = parsed.value;
  }
  if (n === undefined) {
    problems.add(at, 'type', `${key} must be ${wanted}; got ${describeJson(value)}`);
    return undefined;
  }
  if (!Number.isInteger(n) || n < min) {
    problems.add(at, 'range', `${key} must be ${wanted}; got ${n}`);
    return undefined;
  }
  return n;
}

/** A text field; `max` is its longest length in characters (TEXT_LIMITS in shared/contract/limits.ts). */
export function readText(problems: ProblemList, obj: JsonObject, key: string, path: string, field: { required: boolean; max?: number }): string | undefined {
  const value = own(obj, key);
  const at = childPath(path, key);
  if (value === undefined) {
    if (field.required) problems.add(at, 'missing', `missing ${key}: give a text`);
    return undefined;
  }
  if (typeof value !== 'string') {
    problems.add(at, 'type', `${key} must be a text; got ${describeJson(value)}`);
    return undefined;
  }
  if (field.required && value.trim() === '') {
    problems.add(at, 'range', `${key} must not be empty`);
    return undefined;
  }
  if (field.max !== undefined && value.length > field.max) {
    problems.add(at, 'range', `${key} must be at most ${formatCount(field.max)} characters; this one has ${formatCount(value.length)}`);
    return undefined;
  }
  return value;
}
