/**
 * Each sample records whether the source was in compliance (migration 9): stored as a chunk's
 * `compliance` column (NULL when no sample of the chunk was), read back as a column of 0/1,
 * carried by bundles (version 3) and read as all 0 for chunks stored before the column existed.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHUNK_SIZE, DATABASE_FILE_NAME, Store } from '../../../electron/services/store/index';
import { migrations } from '../../../electron/services/store/migrations/index';
import { open, peek, plain, samples, storeWithRun, tempDir } from './helpers';

/** Samples whose compliance flags follow `flag(k)`. */
function flagged(n: number, flag: (k: number) => boolean) {
  const c = samples(n);
  for (let k = 0; k < n; k++) c.compliance[k] = flag(k) ? 1 : 0;
  return c;
}

describe('compliance flags in the store', () => {
  it('reads back each sample’s flag, and stores a chunk with none as NULL', () => {
    const { store, runId } = storeWithRun();
    const w = store.openWriter(runId, { maxPendingMs: 0 });
    // The first chunk has flags, the second none.
    const data = flagged(CHUNK_SIZE + 100, (k) => k < CHUNK_SIZE && k % 3 === 0);
    w.append(data);
    w.close();
    expect(plain(store.readSamples(runId))).toEqual(plain(data));
    expect(store.readSamples(runId, { from: 3, to: 7 }).compliance).toEqual(new Uint8Array([1, 0, 0, 1]));
    const stored = peek(store.file, (db) => db.prepare('SELECT compliance FROM sample_chunks WHERE run_id = ? ORDER BY seq').pluck().all(runId)) as (Buffer | null)[];
    expect(stored[0]).toEqual(Buffer.from(data.compliance.subarray(0, CHUNK_SIZE)));
    expect(stored[1]).toBeNull();
  });

  it('migrates an archive from before the flag: its samples read back, none in compliance', () => {
    const dir = tempDir();
    const before = Store.open(dir, { appVersion: 'old' }, migrations.slice(0, 8));
    before.close();
    const n = 5;
    const old = samples(n);
    const b = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    const db = new Database(path.join(dir, DATABASE_FILE_NAME));
    // The run as schema 8's code wrote it (this build's store code writes the newest schema).
    const runId = '00000000-0000-4000-8000-0000000000a1';
    const at = '2025-01-01T00:00:00.000Z';
    db.prepare('INSERT INTO experiments (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)').run('00000000-0000-4000-8000-0000000000e1', 'old', at, at);
    db.prepare(
      `INSERT INTO runs (id, experiment_id, name, status, device_json, app_version, host, created_at, updated_at)
       VALUES (?, '00000000-0000-4000-8000-0000000000e1', 'old run', 'running', '{"kind":"simulated"}', 'old', 'lab', ?, ?)`,
    ).run(runId, at, at);
    db.prepare('INSERT INTO sample_chunks (run_id, seq, start, n, t, v, i, g, kind, block) VALUES (?, 0, 0, ?, ?, ?, ?, ?, ?, ?)').run(runId, n, b(old.t), b(old.v), b(old.i), b(old.g), b(old.kind), b(old.block));
    db.prepare('UPDATE runs SET sample_count = ? WHERE id = ?').run(n, runId);
    db.close();

    const after = open(dir);
    expect(peek(path.join(dir, DATABASE_FILE_NAME), (ro) => ro.pragma('user_version', { simple: true }))).toBe(migrations.length);
    const back = after.readSamples(runId);
    expect([...back.t]).toEqual([...old.t]);
    expect([...back.compliance]).toEqual([0, 0, 0, 0, 0]);
  });

  it('carries the flags through an experiment bundle', () => {
    const { store, runId } = storeWithRun();
    const w = store.openWriter(runId);
    const data = flagged(300, (k) => k % 7 === 2);
    w.append(data);
    w.close();
    store.runs.setStatus(runId, 'completed');
    const experimentId = store.runs.get(runId).experimentId;
    const bytes = store.bundles.export(experimentId).bytes;
    const file = path.join(tempDir(), 'b.wbexp.sqlite');
    fs.writeFileSync(file, bytes);

    const other = open(tempDir());
    expect(other.bundles.import(fs.readFileSync(file)).imported).toBe(1);
    expect([...other.readSamples(runId).compliance]).toEqual([...data.compliance]);
  });

  it('still imports a version-2 bundle (no compliance column): its samples, none in compliance', () => {
    const { store, runId } = storeWithRun();
    const w = store.openWriter(runId);
    const data = samples(300);
    data.compliance.fill(0);
    w.append(data);
    w.close();
    store.runs.setStatus(runId, 'completed');
    const db = new Database(Buffer.from(store.bundles.export(store.runs.get(runId).experimentId).bytes));
    db.exec("ALTER TABLE sample_chunks DROP COLUMN compliance; UPDATE bundle_info SET value = '2' WHERE key = 'version'");
    db.pragma('user_version = 2');
    const v2 = db.serialize();
    db.close();
    const other = open(tempDir());
    expect(other.bundles.import(v2)).toMatchObject({ imported: 1, version: 2, checksums: true });
    expect(plain(other.readSamples(runId))).toEqual(plain(data));
  });
});
