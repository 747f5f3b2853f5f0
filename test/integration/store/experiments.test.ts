import { describe, expect, it } from 'vitest';
import { StoreError } from '../../../electron/services/store/index';
import { freshStore, manualClock } from './helpers';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof StoreError) return e.reason;
    throw e;
  }
  return undefined;
}

describe('experiments', () => {
  it('creates with a UUID, trimmed name, description and UTC ISO timestamps', () => {
    const clock = manualClock('2025-03-04T05:06:07.089Z');
    const store = freshStore({ now: clock.now });
    const e = store.experiments.create({ name: '  Retention  ', description: '85 °C bake' });
    expect(e.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(e).toMatchObject({ name: 'Retention', description: '85 °C bake', runCount: 0 });
    expect(e.createdAt).toBe('2025-03-04T05:06:07.089Z');
    expect(e.updatedAt).toBe(e.createdAt);
    expect(store.experiments.get(e.id)).toEqual(e);
  });

  it('refuses a duplicate name (ignoring ASCII case) with conflict, and get-or-create returns the existing one', () => {
    const store = freshStore();
    const e = store.experiments.create({ name: 'Endurance' });
    expect(codeOf(() => store.experiments.create({ name: 'endurance' }))).toBe('conflict');
    expect(store.experiments.getOrCreate('ENDURANCE').id).toBe(e.id);
    const other = store.experiments.getOrCreate('Retention');
    expect(other.id).not.toBe(e.id);
    expect(store.experiments.list().map((x) => x.name)).toEqual(['Endurance', 'Retention']);
  });

  it('lists every experiment with its run count', () => {
    const store = freshStore();
    const a = store.experiments.create({ name: 'A' });
    const b = store.experiments.create({ name: 'B' });
    store.runs.create({ experimentId: a.id, name: 'r1' });
    store.runs.create({ experimentId: a.id, name: 'r2' });
    store.runs.create({ experimentName: 'C', name: 'r3' });
    const counts = Object.fromEntries(store.experiments.list().map((x) => [x.name, x.runCount]));
    expect(counts).toEqual({ A: 2, B: 0, C: 1 });
    expect(store.experiments.get(a.id).runCount).toBe(2);
    expect(store.experiments.get(b.id).runCount).toBe(0);
  });

  it('renames (bumping updatedAt), refusing a name another experiment has', () => {
    const clock = manualClock();
    const store = freshStore({ now: clock.now });
    const a = store.experiments.create({ name: 'A' });
    store.experiments.create({ name: 'B' });
    clock.advance(60_000);
    const renamed = store.experiments.rename(a.id, 'A prime');
    expect(renamed.name).toBe('A prime');
    expect(renamed.updatedAt).toBe('2025-01-01T00:01:00.000Z');
    expect(renamed.createdAt).toBe(a.createdAt);
    expect(codeOf(() => store.experiments.rename(a.id, 'b'))).toBe('conflict');
    expect(store.experiments.rename(a.id, 'a PRIME').name).toBe('a PRIME'); // its own name, other case: fine
    expect(store.experiments.setDescription(a.id, 'new words').description).toBe('new words');
  });

  it('deletes an empty experiment; one with runs only when asked, with its runs and samples', () => {
    const store = freshStore();
    const empty = store.experiments.create({ name: 'empty' });
    expect(store.experiments.delete(empty.id)).toEqual({ deletedRuns: 0 });
    expect(codeOf(() => store.experiments.get(empty.id))).toBe('not_found');

    const full = store.experiments.create({ name: 'full' });
    const run = store.runs.create({ experimentId: full.id, name: 'r', status: 'running' });
    const w = store.openWriter(run.id);
    w.append({ length: 1, t: new Float64Array(1), v: new Float64Array(1), i: new Float64Array(1), g: new Float64Array([1e-4]), kind: new Uint8Array(1), block: new Int32Array(1), compliance: new Uint8Array(1) });
    w.flush();
    expect(codeOf(() => store.experiments.delete(full.id))).toBe('conflict');
    expect(codeOf(() => store.experiments.delete(full.id, { withRuns: true }))).toBe('conflict'); // a run is still running
    store.runs.setStatus(run.id, 'completed');
    expect(store.experiments.delete(full.id, { withRuns: true })).toEqual({ deletedRuns: 1 });
    expect(codeOf(() => store.runs.get(run.id))).toBe('not_found');
    expect(codeOf(() => store.readSamples(run.id))).toBe('not_found');
  });

  it('validates input: names, ids, not-found', () => {
    const store = freshStore();
    expect(codeOf(() => store.experiments.create({ name: '   ' }))).toBe('invalid');
    expect(codeOf(() => store.experiments.create({ name: 'x'.repeat(201) }))).toBe('invalid');
    expect(codeOf(() => store.experiments.create({ name: 42 as unknown as string }))).toBe('invalid');
    expect(codeOf(() => store.experiments.get('not-a-uuid'))).toBe('invalid');
    expect(codeOf(() => store.experiments.get('6f1c1d8e-2f3a-4b5c-8d9e-0a1b2c3d4e5f'))).toBe('not_found');
    expect(codeOf(() => store.experiments.rename('6f1c1d8e-2f3a-4b5c-8d9e-0a1b2c3d4e5f', 'x'))).toBe('not_found');
    expect(codeOf(() => store.experiments.delete('6f1c1d8e-2f3a-4b5c-8d9e-0a1b2c3d4e5f'))).toBe('not_found');
    const err = (() => {
      try {
        store.experiments.create({ name: '' });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err?.message).toMatch(/experiment name must not be empty/);
    expect(store.experiments.list()).toEqual([]); // nothing half-written
  });
});
