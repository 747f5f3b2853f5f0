import { z } from 'zod';
import { formatCount } from '../units/format';
import { DOCUMENT_LIMITS, LIST_LIMITS, TEXT_LIMITS } from './limits';

/**
 * The schema pieces of the size policy (limits.ts): every text, list and document field of a
 * request is one of these, so a request that is too big is refused by the router with the field's
 * path, before any handler or the store sees it. test/unit/contract/size-policy.test.ts walks every
 * request and fails on a field without a bound.
 */

/** Any text up to `max` characters. */
export function text(max: number): z.ZodString {
  return z.string().max(max, `must be at most ${formatCount(max)} characters`);
}

/** A name: trimmed, not empty, at most TEXT_LIMITS.name characters. */
export const boundedName = z.string().trim().min(1, 'must not be empty').max(TEXT_LIMITS.name, `must be at most ${TEXT_LIMITS.name} characters`);
export const description = text(TEXT_LIMITS.description);
export const notes = text(TEXT_LIMITS.notes);
export const searchText = text(TEXT_LIMITS.search);
export const tag = z
  .string()
  .trim()
  .min(1, 'a tag must not be empty')
  .max(TEXT_LIMITS.tag, `a tag must be at most ${TEXT_LIMITS.tag} characters`);
export const tags = z.array(tag).max(LIST_LIMITS.tags, `at most ${LIST_LIMITS.tags} tags`);

/** Schemas made by `jsonDocument`, so the size-policy test knows their contents are bounded. */
export const boundedDocuments = new WeakSet<z.ZodType>();

/**
 * A JSON object of any shape (a protocol, a preset, an experiment definition), at most
 * DOCUMENT_LIMITS.characters of JSON and DOCUMENT_LIMITS.depth levels deep. Its contents are
 * checked by whoever reads it (validateProtocol, parseDevicePreset, …); this bounds what they read.
 */
export function jsonDocument(what = 'the document') {
  const schema = z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
    const problem = documentSizeProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `${what} ${problem}` });
  });
  boundedDocuments.add(schema);
  return schema;
}

/** The same bound for a field that may hold any JSON value (protocols.save's document). */
export function jsonValue(what = 'the document') {
  const schema = z.unknown().superRefine((value, ctx) => {
    const problem = documentSizeProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `${what} ${problem}` });
  });
  boundedDocuments.add(schema);
  return schema;
}

/**
 * Why a JSON value is over the document limits, or null. Counts characters as JSON.stringify would
 * write them (near enough: strings without their escapes) and stops as soon as the limit is passed,
 * so a 50 MB document costs no more to refuse than a 5 MB one to accept.
 */
export function documentSizeProblem(value: unknown, limits: { characters: number; depth: number } = DOCUMENT_LIMITS): string | null {
  let size = 0;
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: v, depth } = stack.pop()!;
    if (depth > limits.depth) return `is nested more than ${limits.depth} levels deep`;
    if (typeof v === 'string') size += v.length + 2;
    else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') size += String(v).length;
    else if (v === null || v === undefined) size += 4;
    else if (Array.isArray(v)) {
      size += 2 + Math.max(0, v.length - 1);
      if (size <= limits.characters) for (const item of v) stack.push({ value: item, depth: depth + 1 });
    } else if (typeof v === 'object') {
      const keys = Object.keys(v);
      size += 2 + Math.max(0, keys.length - 1);
      for (const k of keys) {
        size += k.length + 3;
        if (size > limits.characters) break;
        stack.push({ value: (v as Record<string, unknown>)[k], depth: depth + 1 });
      }
    }
    if (size > limits.characters) return `is larger than ${formatCount(limits.characters)} characters of JSON`;
  }
  return null;
}
