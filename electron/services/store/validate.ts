/**
 * Input checks shared by the store's modules. Each throws StoreError('invalid') with a clear
 * message. The run statuses and the size policy are the contract's (shared/contract), so the
 * store accepts exactly what a request may carry.
 */
import { LIST_LIMITS, TEXT_LIMITS, runStatuses, type RunStatus } from '../../../shared/contract';
import { StoreError } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** The contract's size policy (shared/contract/limits.ts): the store refuses what a request could not carry. */
export const MAX_NAME_LENGTH = TEXT_LIMITS.name;
export const MAX_TEXT_LENGTH = TEXT_LIMITS.notes;
export const MAX_TAG_LENGTH = TEXT_LIMITS.tag;
export const MAX_TAGS = LIST_LIMITS.tags;

export function invalid(message: string, details?: unknown): StoreError {
  return new StoreError('invalid', message, details);
}

export function checkUuid(value: unknown, what: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) {
    throw invalid(`${what} must be a UUID (like 3f2b8c1e-5d4a-4e6f-9a8b-1c2d3e4f5a6b), got ${describe(value)}`);
  }
  return value.toLowerCase();
}

export function checkName(value: unknown, what: string): string {
  if (typeof value !== 'string') throw invalid(`${what} must be text, got ${describe(value)}`);
  const s = value.trim();
  if (s.length === 0) throw invalid(`${what} must not be empty`);
  if (s.length > MAX_NAME_LENGTH) throw invalid(`${what} must be at most ${MAX_NAME_LENGTH} characters (got ${s.length})`);
  return s;
}

export function checkText(value: unknown, what: string, max = MAX_TEXT_LENGTH): string {
  if (typeof value !== 'string') throw invalid(`${what} must be text, got ${describe(value)}`);
  if (value.length > max) throw invalid(`${what} must be at most ${max} characters (got ${value.length})`);
  return value;
}

export function checkOptionalText(value: unknown, what: string, max = MAX_TEXT_LENGTH): string | null {
  return value === undefined || value === null ? null : checkText(value, what, max);
}

export function checkStatus(value: unknown, what = 'status'): RunStatus {
  if (typeof value !== 'string' || !(runStatuses as readonly string[]).includes(value)) {
    throw invalid(`${what} must be one of ${runStatuses.join(', ')}; got ${describe(value)}`);
  }
  return value as RunStatus;
}

/** Trims, drops duplicates, keeps order. */
export function checkTags(value: unknown): string[] {
  if (!Array.isArray(value)) throw invalid(`tags must be a list of text, got ${describe(value)}`);
  const out: string[] = [];
  for (const t of value) {
    if (typeof t !== 'string') throw invalid(`each tag must be text, got ${describe(t)}`);
    const s = t.trim();
    if (s.length === 0) throw invalid('a tag must not be empty');
    if (s.length > MAX_TAG_LENGTH) throw invalid(`a tag must be at most ${MAX_TAG_LENGTH} characters ("${s.slice(0, 20)}…")`);
    if (!out.includes(s)) out.push(s);
  }
  if (out.length > MAX_TAGS) throw invalid(`a run may have at most ${MAX_TAGS} tags (got ${out.length})`);
  return out;
}

/** A Date, or an ISO-8601 string / epoch milliseconds, normalised to a UTC ISO string. */
export function checkTime(value: unknown, what: string): string {
  let d: Date | undefined;
  if (value instanceof Date) d = value;
  else if (typeof value === 'string' && value.trim() !== '') d = new Date(value);
  else if (typeof value === 'number' && Number.isFinite(value)) d = new Date(value);
  if (d === undefined || Number.isNaN(d.getTime())) {
    throw invalid(`${what} must be a date (a Date, an ISO-8601 string or epoch milliseconds), got ${describe(value)}`);
  }
  return d.toISOString();
}

export function checkInteger(value: unknown, what: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${what} must be a whole number from ${min} to ${max}, got ${describe(value)}`);
  }
  return value;
}

/** Serialises a JSON-able value (an object), refusing what JSON cannot carry. */
export function checkJsonObject(value: unknown, what: string): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(`${what} must be an object, got ${describe(value)}`);
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    throw invalid(`${what} cannot be stored as JSON: ${(e as Error).message}`);
  }
  if (text === undefined) throw invalid(`${what} cannot be stored as JSON`);
  return text;
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return value.length > 60 ? `"${value.slice(0, 60)}…"` : `"${value}"`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}
