import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { filamentaryPreset, idealPreset, intrinsicGradientPreset, type DevicePreset } from '../../../shared/device';
import { LATEST_SCHEMA_VERSION, openStore, StoreError, type Store } from '../../../electron/services/store';
import { tempDir } from './helpers';

const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) if (s.isOpen) s.close();
});

function fresh(dir = tempDir(), now?: () => Date): Store {
  const s = openStore(dir, { appVersion: 'test', ...(now ? { now } : {}) });
  stores.push(s);
  return s;
}

const mine = (name: string, over: Partial<DevicePreset> = {}): DevicePreset =>
  ({ ...intrinsicGradientPreset, name, title: `Cell ${name}`, source: 'measured', ...over }) as DevicePreset;

function storeError(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StoreError) return e;
    throw e;
  }
  throw new Error('expected a StoreError');
}

describe('store: device presets', () => {
  it('is migration 3 of the schema', () => {
    expect(LATEST_SCHEMA_VERSION).toBeGreaterThanOrEqual(3);
    const store = fresh();
    const db = new Database(store.file, { readonly: true });
    try {
      const sql = db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'device_presets'").pluck().get() as string;
      expect(sql).toContain('preset_json');
    } finally {
      db.close();
    }
  });

  it('saves, lists, reads back and deletes presets, keeping when they were made', () => {
    let t = Date.parse('2026-03-01T10:00:00Z');
    const store = fresh(tempDir(), () => new Date(t));
    expect(store.devicePresets.list()).toEqual([]);
    const a = store.devicePresets.save(mine('cell-b'));
    t += 60_000;
    store.devicePresets.save({ ...idealPreset, name: 'cell-a', title: 'An ideal cell' });
    expect(a).toMatchObject({ name: 'cell-b', model: 'intrinsic-gradient', source: 'measured', title: 'Cell cell-b', createdAt: '2026-03-01T10:00:00.000Z' });
    expect(a.preset).toEqual(mine('cell-b'));
    expect(store.devicePresets.list().map((p) => [p.name, p.model])).toEqual([
      ['cell-a', 'ideal'],
      ['cell-b', 'intrinsic-gradient'],
    ]);
    expect(store.devicePresets.list()[0]!.description).toBe(idealPreset.description);

    t += 60_000;
    const changed = store.devicePresets.save(mine('cell-b', { params: { ...intrinsicGradientPreset.params, kD: 0.1 } }), { overwrite: true });
    expect(changed.preset.params).toMatchObject({ kD: 0.1 });
    expect(changed.createdAt).toBe('2026-03-01T10:00:00.000Z');
    expect(changed.updatedAt).toBe('2026-03-01T10:02:00.000Z');

    store.devicePresets.delete('cell-a');
    expect(store.devicePresets.has('cell-a')).toBe(false);
    expect(storeError(() => store.devicePresets.delete('cell-a')).reason).toBe('not_found');
    expect(storeError(() => store.devicePresets.get('cell-a')).reason).toBe('not_found');
  });

  it('survives closing and reopening the file', () => {
    const dir = tempDir();
    const first = fresh(dir);
    first.devicePresets.save({ ...filamentaryPreset, name: 'fil-1', provenance: { ...filamentaryPreset.provenance, tau: 'measured' } });
    first.close();
    const again = fresh(dir);
    expect(again.devicePresets.get('fil-1').preset.provenance.tau).toBe('measured');
  });

  it('refuses a taken name, a shipped name and an invalid preset, saying why', () => {
    const store = fresh();
    store.devicePresets.save(mine('cell-1'));
    const taken = storeError(() => store.devicePresets.save(mine('cell-1')));
    expect(taken.reason).toBe('conflict');
    expect(taken.message).toContain('already exists');

    const shipped = storeError(() => store.devicePresets.save(mine('intrinsic-gradient')));
    expect(shipped.reason).toBe('invalid');
    expect(shipped.message).toContain('read-only');

    const bad = storeError(() => store.devicePresets.save({ ...mine('cell-2'), params: { ...intrinsicGradientPreset.params, tauG: -3, rho: 0.995 } }));
    expect(bad.reason).toBe('invalid');
    const problems = (bad.details as { problems: { path: string; message: string }[] }).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'params.tauG', message: 'tauG must be a positive number of seconds (got -3)' },
        expect.objectContaining({ path: 'params.rho' }),
      ]),
    );
    expect(store.devicePresets.has('cell-2')).toBe(false);
    expect(storeError(() => store.devicePresets.get('Not A Name')).reason).toBe('invalid');
  });

  it('reads a row damaged outside the workbench as corrupt, and still lists the others', () => {
    const dir = tempDir();
    const store = fresh(dir);
    store.devicePresets.save(mine('good'));
    store.devicePresets.save(mine('damaged'));
    store.close();
    const db = new Database(path.join(dir, 'workbench.sqlite'));
    db.prepare("UPDATE device_presets SET preset_json = json_set(preset_json, '$.params.kD', -1) WHERE name = 'damaged'").run();
    db.close();
    const reopened = fresh(dir);
    expect(reopened.devicePresets.list().map((p) => p.name)).toEqual(['damaged', 'good']);
    const e = storeError(() => reopened.devicePresets.get('damaged'));
    expect(e.reason).toBe('corrupt');
    expect(e.message).toContain('kD must be in (0, 1]');
    expect(reopened.devicePresets.get('good').preset.name).toBe('good');
  });
});
