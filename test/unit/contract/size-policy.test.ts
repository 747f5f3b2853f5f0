import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { DOCUMENT_LIMITS, LIST_LIMITS, TEXT_LIMITS, documentSizeProblem, requestNames, requests } from '../../../shared/contract';
import { boundedDocuments } from '../../../shared/contract/bounded';
import { createRouter, type Handlers } from '../../../electron/router';
import { MAX_NAME_LENGTH, MAX_TAGS, MAX_TAG_LENGTH, MAX_TEXT_LENGTH } from '../../../electron/services/store/validate';

/**
 * One size policy for every request (shared/contract/limits.ts): each text has a longest length,
 * each list a most items, each free-form document a size and depth bound. This walks every request's
 * input schema and names any field that escapes it, so a new request cannot forget.
 */
interface Def {
  type: string;
  checks?: { _zod: { def: { check: string } } }[];
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
  items?: z.ZodType[];
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  getter?: () => z.ZodType;
}
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;
const hasCheck = (d: Def, check: string) => (d.checks ?? []).some((c) => c._zod.def.check === check);

/** Fields whose bound is not a zod max: each says why it is bounded. */
const boundedOtherwise: Record<string, string> = {
  'experiments.importBundle.bytes': 'refined to FILE_LIMITS.bundle bytes',
};

function unbounded(schema: z.ZodType, path: string, out: string[], seen: Set<z.ZodType>): void {
  if (seen.has(schema)) return;
  seen.add(schema);
  if (boundedDocuments.has(schema)) return;
  const d = defOf(schema);
  switch (d.type) {
    case 'string':
      if ((schema as z.ZodString).maxLength === null) out.push(`${path}: text without a longest length`);
      return;
    case 'array':
      if (!hasCheck(d, 'max_length')) out.push(`${path}: list without a most items`);
      return unbounded(d.element!, `${path}[]`, out, seen);
    case 'object':
      for (const [k, v] of Object.entries(d.shape!)) unbounded(v, `${path}.${k}`, out, seen);
      return;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'readonly':
      return unbounded(d.innerType!, path, out, seen);
    case 'pipe':
      return unbounded(d.in!, path, out, seen);
    case 'union':
      return d.options!.forEach((o) => unbounded(o, path, out, seen));
    case 'tuple':
      return d.items!.forEach((o, k) => unbounded(o, `${path}[${k}]`, out, seen));
    case 'lazy':
      return unbounded(d.getter!(), path, out, seen);
    case 'number':
    case 'boolean':
    case 'literal':
    case 'enum':
    case 'null':
      return;
    default:
      if (!(path in boundedOtherwise)) out.push(`${path}: ${d.type} without a size bound`);
  }
}

describe('the size policy', () => {
  it('bounds every text, list and document of every request', () => {
    const out: string[] = [];
    for (const name of requestNames) unbounded(requests[name].input as z.ZodType, name, out, new Set());
    expect(out).toEqual([]);
  });

  it('is the store’s policy: the same numbers', () => {
    expect(MAX_NAME_LENGTH).toBe(TEXT_LIMITS.name);
    expect(MAX_TEXT_LENGTH).toBe(TEXT_LIMITS.notes);
    expect(MAX_TAG_LENGTH).toBe(TEXT_LIMITS.tag);
    expect(MAX_TAGS).toBe(LIST_LIMITS.tags);
  });

  it('measures documents without building their JSON, and stops at the first excess', () => {
    expect(documentSizeProblem({ a: 'x'.repeat(100) })).toBeNull();
    expect(documentSizeProblem({ a: 'x'.repeat(DOCUMENT_LIMITS.characters) })).toContain('larger than 5,000,000 characters');
    expect(documentSizeProblem({ list: new Array<number>(DOCUMENT_LIMITS.characters).fill(1) })).toContain('larger than');
    let deep: unknown = 1;
    for (let k = 0; k < DOCUMENT_LIMITS.depth + 2; k++) deep = [deep];
    expect(documentSizeProblem({ deep })).toContain('nested more than 64 levels');
    // Close to JSON.stringify's length, never below it by much: the bound is honest.
    const doc = { name: 'n', blocks: [{ kind: 'pulse', amplitude: '1 V', width: 1e-3, read: true }], tags: ['a', 'b'], n: null };
    const limit = JSON.stringify(doc).length;
    expect(documentSizeProblem(doc, { characters: limit, depth: 64 })).toBeNull();
    expect(documentSizeProblem(doc, { characters: limit - 10, depth: 64 })).not.toBeNull();
  });

  it('refuses an oversized request with the field’s path before any handler runs', async () => {
    let called = 0;
    const notUsed = () => {
      called++;
      throw new Error('not reached');
    };
    const router = createRouter(Object.fromEntries(requestNames.map((n) => [n, notUsed])) as unknown as Handlers);
    const huge = 'x'.repeat(50 * 1024 * 1024);
    const cases: [string, unknown, string][] = [
      [
        'runs.start',
        { protocol: { format: 'memristor-workbench/protocol', version: 1, name: 'big', description: huge, blocks: [] }, device: { kind: 'simulated', preset: 'ideal' } },
        'protocol',
      ],
      ['runs.start', { protocol: 'paper-spike-train', device: { kind: 'simulated', preset: 'ideal' }, notes: 'x'.repeat(TEXT_LIMITS.notes + 1) }, 'notes'],
      ['runs.start', { protocol: 'paper-spike-train', device: { kind: 'instrument', port: '/dev/ttyUSB0', driver: 'keithley2400', settings: { x: huge } } }, 'device.settings'],
      ['protocols.save', { name: 'p', description: '', tags: [], document: { blocks: [huge] } }, 'document'],
      ['protocols.save', { name: 'p', description: 'x'.repeat(TEXT_LIMITS.description + 1), tags: [], document: {} }, 'description'],
      ['rl.start', { experiment: { strategies: [huge] } }, 'experiment'],
      ['devices.presets.save', { preset: { name: 'p', notes: huge } }, 'preset'],
      ['runs.update', { id: '3f2b8c1e-5d4a-4e6f-9a8b-1c2d3e4f5a6b', tags: new Array(LIST_LIMITS.tags + 1).fill('t') }, 'tags'],
      ['runs.list', { search: huge }, 'search'],
    ];
    for (const [method, params, path] of cases) {
      const r = await router.call(method, params);
      expect(r.ok, method).toBe(false);
      if (r.ok) continue;
      expect(r.error.code).toBe('invalid_request');
      const paths = (r.error.details as { problems: { path: string }[] }).problems.map((p) => p.path);
      expect(paths, `${method} ${r.error.message.slice(0, 200)}`).toContain(path);
      expect(r.error.message.length).toBeLessThan(2000);
    }
    expect(called).toBe(0);
  });
});
