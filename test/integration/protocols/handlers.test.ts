import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Envelope, RequestOutput } from '../../../shared/contract';
import { openAppServices, type AppServices } from '../../../electron/app/app-services';

/** The protocols area through the real router: every input parsed by the contract, every refusal an envelope. */
let dir: string;
let services: AppServices;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wb-protocols-'));
  services = openAppServices({ dataDir: dir, hostKind: 'web' });
});
afterEach(async () => {
  await services.close();
  rmSync(dir, { recursive: true, force: true });
});

const doc = (amplitude: string | number = '2 V') => ({
  format: 'memristor-workbench/protocol',
  version: 1,
  name: 'x',
  blocks: [{ kind: 'train', count: 100, amplitude, width: '10 ms', period: '1 s', read: true }],
});

async function call(method: string, input: unknown): Promise<Envelope<unknown>> {
  return services.router.call(method, input);
}

async function value<T>(method: string, input: unknown): Promise<T> {
  const res = await call(method, input);
  if (!res.ok) throw new Error(`${method} failed: ${res.error.code} ${res.error.message}`);
  return res.value as T;
}

type Saved = RequestOutput<'protocols.save'>;

describe('protocols handlers', () => {
  it('save, list, get, versions, restore, duplicate and delete round-trip through the router', async () => {
    const v1 = await value<Saved>('protocols.save', { name: 'Paper spike train', description: 'd', tags: ['paper'], document: doc() });
    expect(v1).toMatchObject({ name: 'Paper spike train', version: 1 });
    const v2 = await value<Saved>('protocols.save', { id: v1.id, name: 'Paper spike train', description: 'd', tags: ['paper'], document: doc('3 V') });
    expect(v2.version).toBe(2);
    const list = await value<RequestOutput<'protocols.list'>>('protocols.list', { search: 'spike' });
    expect(list.protocols.map((p) => [p.name, p.latestVersion])).toEqual([['Paper spike train', 2]]);
    expect(list.tags).toEqual(['paper']);
    expect((await value<Saved>('protocols.get', { id: v1.id, version: 1 })).document.blocks[0]).toMatchObject({ amplitude: '2 V' });
    expect((await value<RequestOutput<'protocols.versions'>>('protocols.versions', { id: v1.id })).map((v) => v.version)).toEqual([2, 1]);
    const v3 = await value<Saved>('protocols.restore', { id: v1.id, version: 1 });
    expect(v3).toMatchObject({ version: 3, restoredFrom: 1 });
    const copy = await value<Saved>('protocols.duplicate', { id: v1.id });
    expect(copy.name).toBe('Paper spike train (copy)');
    expect(await value('protocols.delete', { id: v1.id })).toEqual({ id: v1.id, name: 'Paper spike train', deletedVersions: 3 });
    expect((await value<RequestOutput<'protocols.list'>>('protocols.list', {})).protocols.map((p) => p.id)).toEqual([copy.id]);
  });

  it('refuses an invalid document as invalid_request with each problem and its path in details', async () => {
    const bad = doc('12 V');
    (bad.blocks[0] as Record<string, unknown>).period = '5 ms';
    const res = await call('protocols.save', { name: 'Unsafe', description: '', tags: [], document: bad });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.code).toBe('invalid_request');
    expect(res.error.message).toMatch(/has 3 problems/);
    const problems = (res.error.details as { problems: { path: string; code: string; message: string }[] }).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'blocks[0].amplitude', code: 'limit' }),
        expect.objectContaining({ path: 'blocks[0].period', code: 'limit' }), // duty cycle 200 %
        expect.objectContaining({ path: 'blocks[0].period', code: 'timing' }), // the pulse is longer than the period
      ]),
    );
    expect((await value<RequestOutput<'protocols.list'>>('protocols.list', {})).protocols).toEqual([]);
  });

  it("checks documents against the workbench's limits as Settings has them", async () => {
    expect((await call('protocols.save', { name: 'Before', description: '', tags: [], document: doc('2 V') })).ok).toBe(true);
    const changed = await call('settings.update', { limits: { maxVoltage: 1.5 } });
    expect(changed.ok).toBe(true);
    const res = await call('protocols.save', { name: 'After', description: '', tags: [], document: doc('2 V') });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    const problems = (res.error.details as { problems: { path: string; message: string }[] }).problems;
    expect(problems).toEqual([expect.objectContaining({ path: 'blocks[0].amplitude', message: expect.stringContaining('the limit of 1.5 V') as unknown })]);
  });

  it('refuses malformed requests before a handler runs: unknown keys, bad ids, empty names, bad tags', async () => {
    const cases: [string, unknown, string][] = [
      ['protocols.save', { name: 'x', description: '', tags: [], document: doc(), extra: 1 }, 'extra'],
      ['protocols.save', { name: '   ', description: '', tags: [], document: doc() }, 'name'],
      ['protocols.save', { name: 'x', description: '', tags: [''], document: doc() }, 'tags[0]'],
      ['protocols.save', { name: 'x', tags: [], document: doc() }, 'description'],
      ['protocols.get', { id: 'not-a-uuid' }, 'id'],
      ['protocols.get', { id: '3f2b8c1e-5d4a-4e6f-9a8b-1c2d3e4f5a6b', version: 0 }, 'version'],
      ['protocols.restore', { id: '3f2b8c1e-5d4a-4e6f-9a8b-1c2d3e4f5a6b' }, 'version'],
      ['protocols.templates', { all: true }, 'all'],
    ];
    for (const [method, input, field] of cases) {
      const res = await call(method, input);
      expect(res.ok, `${method} ${JSON.stringify(input)}`).toBe(false);
      if (res.ok) continue;
      expect(res.error.code).toBe('invalid_request');
      const paths = (res.error.details as { problems: { path: string }[] }).problems.map((p) => p.path);
      expect(paths).toContain(field);
    }
  });

  it('answers not_found for a protocol or a version that does not exist', async () => {
    const missing = '3f2b8c1e-5d4a-4e6f-9a8b-1c2d3e4f5a6b';
    for (const [method, input] of [
      ['protocols.get', { id: missing }],
      ['protocols.versions', { id: missing }],
      ['protocols.delete', { id: missing }],
      ['protocols.duplicate', { id: missing }],
      ['protocols.save', { id: missing, name: 'x', description: '', tags: [], document: doc() }],
    ] as const) {
      const res = await call(method, input);
      expect(res.ok ? 'ok' : res.error.code, method).toBe('not_found');
    }
    const a = await value<Saved>('protocols.save', { name: 'A', description: '', tags: [], document: doc() });
    const res = await call('protocols.get', { id: a.id, version: 2 });
    expect(res.ok ? 'ok' : res.error.message).toMatch(/has no version 2/);
  });

  it('offers the shipped protocols as templates, as written, each one valid', async () => {
    const templates = await value<RequestOutput<'protocols.templates'>>('protocols.templates', {});
    const ids = templates.map((t) => t.id);
    // The paper's spike train first (Help's first run starts there), then the rest by name.
    expect(ids[0]).toBe('paper-spike-train');
    const rest = templates.slice(1).map((t) => t.name);
    expect(rest).toEqual([...rest].sort((a, b) => a.localeCompare(b, 'en')));
    const paper = templates.find((t) => t.id === 'paper-spike-train')!;
    expect(paper.name).toBe('Paper spike train');
    expect(paper.document.blocks[0]).toMatchObject({ kind: 'train', count: 100, amplitude: '2 V' });
    // Each template can be saved into the library as it is.
    for (const t of templates) {
      const res = await call('protocols.save', { name: t.name, description: t.description, tags: [], document: t.document });
      expect(res.ok, t.id).toBe(true);
    }
  });
});
