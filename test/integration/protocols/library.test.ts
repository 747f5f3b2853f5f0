import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StoreError, type InvalidProtocolDetails } from '../../../electron/services/store/index';
import { freshStore, manualClock, open, tempDir } from '../store/helpers';

const train = (amplitude: string | number = '2 V') => ({
  format: 'memristor-workbench/protocol',
  version: 1,
  name: 'ignored: the library name wins',
  blocks: [{ id: 'spikes', kind: 'train', count: 100, amplitude, width: '10 ms', period: '1 s', read: true }],
});

function storeError(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StoreError) return e;
    throw e;
  }
  throw new Error('expected a StoreError');
}

describe('protocol library in the store', () => {
  it('saves a protocol as version 1, keeping the document as written with the library name and description', () => {
    const clock = manualClock('2026-01-02T03:04:05.000Z');
    const store = freshStore({ now: clock.now });
    const saved = store.protocols.save({ name: ' Paper spike train ', description: '100 spikes', tags: ['paper', ' depression ', 'paper'], document: train() });
    expect(saved).toMatchObject({ name: 'Paper spike train', description: '100 spikes', tags: ['paper', 'depression'], version: 1, latestVersion: 1, restoredFrom: null });
    expect(saved.createdAt).toBe('2026-01-02T03:04:05.000Z');
    expect(saved.document).toMatchObject({ name: 'Paper spike train', description: '100 spikes' });
    expect((saved.document.blocks as { amplitude: string }[])[0]!.amplitude).toBe('2 V'); // as typed, not normalised
    expect(store.protocols.get(saved.id)).toEqual(saved);
  });

  it('adds a version on every save, keeps the old ones readable, and lists versions newest first', () => {
    const clock = manualClock('2026-01-01T00:00:00.000Z');
    const store = freshStore({ now: clock.now });
    const v1 = store.protocols.save({ name: 'Train', document: train('2 V') });
    clock.advance(1000);
    const v2 = store.protocols.save({ id: v1.id, name: 'Train, stronger', tags: ['x'], document: train('3 V') });
    expect(v2).toMatchObject({ id: v1.id, version: 2, latestVersion: 2, name: 'Train, stronger', tags: ['x'] });
    expect(v2.createdAt).toBe(v1.createdAt);
    expect(v2.updatedAt).toBe('2026-01-01T00:00:01.000Z');

    const old = store.protocols.get(v1.id, 1);
    expect(old).toMatchObject({ version: 1, latestVersion: 2, name: 'Train', tags: [] });
    expect((old.document.blocks as { amplitude: string }[])[0]!.amplitude).toBe('2 V');

    const versions = store.protocols.versions(v1.id);
    expect(versions.map((v) => [v.version, v.name])).toEqual([
      [2, 'Train, stronger'],
      [1, 'Train'],
    ]);
    expect(versions[0]!.hash).not.toBe(versions[1]!.hash);
    expect(storeError(() => store.protocols.get(v1.id, 3)).reason).toBe('not_found');
  });

  it('restores an old version as a new version equal to it, losing nothing', () => {
    const store = freshStore();
    const v1 = store.protocols.save({ name: 'Train', description: 'first', document: train('2 V') });
    store.protocols.save({ id: v1.id, name: 'Train (edited)', description: 'second', document: train('4 V') });
    const v3 = store.protocols.restore(v1.id, 1);
    expect(v3).toMatchObject({ version: 3, latestVersion: 3, restoredFrom: 1, name: 'Train', description: 'first' });
    expect(v3.document).toEqual(store.protocols.get(v1.id, 1).document);
    const versions = store.protocols.versions(v1.id);
    expect(versions.map((v) => v.version)).toEqual([3, 2, 1]);
    expect(versions[0]!.hash).toBe(versions[2]!.hash);
    expect(versions[0]!.restoredFrom).toBe(1);
    expect(store.protocols.get(v1.id, 2).name).toBe('Train (edited)');
    expect(storeError(() => store.protocols.restore(v1.id, 9)).reason).toBe('not_found');
  });

  it('refuses an invalid document with every problem and its path, and writes nothing', () => {
    const store = freshStore();
    const doc = train('7 V');
    (doc.blocks[0] as Record<string, unknown>).width = 'ten';
    const err = storeError(() => store.protocols.save({ name: 'Too strong', document: doc }));
    expect(err.reason).toBe('invalid');
    expect(err.message).toContain('Nothing was saved');
    const problems = (err.details as InvalidProtocolDetails).problems;
    expect(problems.map((p) => p.path).sort()).toEqual(['blocks[0].amplitude', 'blocks[0].width']);
    expect(problems.find((p) => p.path === 'blocks[0].amplitude')!.message).toMatch(/exceeds the limit of 5 V/);
    expect(store.protocols.list()).toEqual([]);

    // A refused new version leaves the protocol as it was.
    const ok = store.protocols.save({ name: 'Fine', document: train() });
    expect(storeError(() => store.protocols.save({ id: ok.id, name: 'Fine', document: doc })).reason).toBe('invalid');
    expect(store.protocols.get(ok.id).latestVersion).toBe(1);
    expect(storeError(() => store.protocols.save({ name: 'x', document: [] })).reason).toBe('invalid');
    expect(storeError(() => store.protocols.save({ name: '  ', document: train() })).reason).toBe('invalid');
  });

  it('searches names, descriptions and tags, filters by tag, and lists the tags in use', () => {
    const clock = manualClock();
    const store = freshStore({ now: clock.now });
    store.protocols.save({ name: 'Paper spike train', tags: ['paper'], document: train() });
    clock.advance(10);
    store.protocols.save({ name: 'Relaxation', description: 'watch the 100% recovery', tags: ['paper', 'relaxation'], document: train() });
    clock.advance(10);
    store.protocols.save({ name: 'Forming', tags: ['setup'], document: train() });
    const names = (f: Parameters<typeof store.protocols.list>[0]) => store.protocols.list(f).map((p) => p.name);
    expect(names({})).toEqual(['Forming', 'Relaxation', 'Paper spike train']); // most recently changed first
    expect(names({ search: 'SPIKE' })).toEqual(['Paper spike train']);
    expect(names({ search: 'recovery' })).toEqual(['Relaxation']);
    expect(names({ search: 'setup' })).toEqual(['Forming']);
    expect(names({ search: '100%' })).toEqual(['Relaxation']); // % is literal, not a wildcard
    expect(names({ tag: 'paper' })).toEqual(['Relaxation', 'Paper spike train']);
    expect(names({ tag: 'paper', search: 'spike' })).toEqual(['Paper spike train']);
    expect(names({ tag: 'pap' })).toEqual([]);
    expect(store.protocols.tags()).toEqual(['paper', 'relaxation', 'setup']);
  });

  it('duplicates a version into a new protocol with a free name', () => {
    const store = freshStore();
    const a = store.protocols.save({ name: 'Train', tags: ['t'], document: train('2 V') });
    store.protocols.save({ id: a.id, name: 'Train', document: train('3 V') });
    const copy = store.protocols.duplicate(a.id, { version: 1 });
    expect(copy).toMatchObject({ name: 'Train (copy)', version: 1, latestVersion: 1, tags: ['t'] });
    expect(copy.id).not.toBe(a.id);
    expect(copy.document.name).toBe('Train (copy)');
    expect((copy.document.blocks as { amplitude: string }[])[0]!.amplitude).toBe('2 V');
    expect(store.protocols.duplicate(a.id).name).toBe('Train (copy 2)');
    expect(store.protocols.duplicate(copy.id).name).toBe('Train (copy 3)');
    expect(store.protocols.duplicate(a.id, { name: 'Mine' }).name).toBe('Mine');
  });

  it('deletes a protocol with all its versions, and says what went', () => {
    const store = freshStore();
    const a = store.protocols.save({ name: 'Doomed', document: train() });
    store.protocols.save({ id: a.id, name: 'Doomed', document: train('1 V') });
    const keep = store.protocols.save({ name: 'Kept', document: train() });
    expect(store.protocols.delete(a.id)).toEqual({ id: a.id, name: 'Doomed', deletedVersions: 2 });
    expect(storeError(() => store.protocols.get(a.id)).reason).toBe('not_found');
    expect(storeError(() => store.protocols.versions(a.id)).reason).toBe('not_found');
    expect(storeError(() => store.protocols.delete(a.id)).reason).toBe('not_found');
    expect(store.protocols.list().map((p) => p.id)).toEqual([keep.id]);
    const db = new Database(store.file, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) FROM protocol_versions WHERE protocol_id = ?').pluck().get(a.id)).toBe(0);
    } finally {
      db.close();
    }
  });

  it('keeps the library across a reopen', () => {
    const dir = tempDir();
    const first = open(dir);
    const a = first.protocols.save({ name: 'Persistent', document: train() });
    first.protocols.save({ id: a.id, name: 'Persistent', document: train('1 V') });
    first.close();
    const again = open(dir);
    expect(again.protocols.get(a.id)).toMatchObject({ name: 'Persistent', latestVersion: 2 });
    expect(again.protocols.versions(a.id)).toHaveLength(2);
  });

  it('refuses malformed ids and versions as invalid, not as a crash', () => {
    const store = freshStore();
    expect(storeError(() => store.protocols.get('nope')).reason).toBe('invalid');
    expect(storeError(() => store.protocols.get('3f2b8c1e-5d4a-4e6f-9a8b-1c2d3e4f5a6b')).reason).toBe('not_found');
    const a = store.protocols.save({ name: 'A', document: train() });
    expect(storeError(() => store.protocols.get(a.id, 0)).reason).toBe('invalid');
    expect(storeError(() => store.protocols.restore(a.id, 1.5)).reason).toBe('invalid');
  });
});
