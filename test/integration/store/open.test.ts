import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APPLICATION_ID, DATABASE_FILE_NAME, LATEST_SCHEMA_VERSION, Store, StoreOpenError } from '../../../electron/services/store/index';
import { migrations } from '../../../electron/services/store/migrations/index';
import { open, peek, tempDir } from './helpers';

describe('openStore', () => {
  it('creates the data folder and workbench.sqlite in it', () => {
    const dir = path.join(tempDir(), 'nested', 'data');
    const store = open(dir);
    expect(store.file).toBe(path.join(dir, DATABASE_FILE_NAME));
    expect(fs.statSync(store.file).isFile()).toBe(true);
    expect(store.created).toBe(true);
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(store.sqliteVersion).toMatch(/^3\.\d+\.\d+$/);
  });

  it('sets up WAL, synchronous NORMAL, foreign keys, a busy timeout, its application_id and schema version', () => {
    const store = open(tempDir());
    // The connection's own settings, read through the store's connection.
    const db = (store as unknown as { ctx: { db: Database.Database } }).ctx.db;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(1000);
    store.close();
    peek(store.file, (ro) => {
      expect(ro.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
      expect(ro.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
      const tables = ro.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();
      // Every migration's tables are there; the first migration's three at least.
      expect(tables).toEqual(expect.arrayContaining(['experiments', 'runs', 'sample_chunks']));
    });
  });

  it('keeps what was stored across close and reopen, and does not re-run migrations', () => {
    const dir = tempDir();
    const first = open(dir);
    const exp = first.experiments.create({ name: 'Endurance', description: 'pulse trains' });
    first.close();
    const second = open(dir);
    expect(second.created).toBe(false);
    expect(second.experiments.list()).toEqual([{ ...exp }]);
  });

  it('turns an empty file into a new database', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, DATABASE_FILE_NAME), '');
    const store = open(dir);
    expect(store.created).toBe(true);
    expect(store.experiments.list()).toEqual([]);
    store.close();
    peek(store.file, (ro) => expect(ro.pragma('application_id', { simple: true })).toBe(APPLICATION_ID));
  });

  it('adopts an SQLite file with nothing in it (no tables, no application_id)', () => {
    const dir = tempDir();
    const file = path.join(dir, DATABASE_FILE_NAME);
    const db = new Database(file);
    db.pragma('journal_mode = WAL'); // gives the file a header but no tables
    db.close();
    expect(fs.statSync(file).size).toBeGreaterThan(0);
    const store = open(dir);
    expect(store.created).toBe(true);
    expect(store.experiments.create({ name: 'x' }).name).toBe('x');
  });

  it('does not re-apply migrations already recorded in user_version', () => {
    const dir = tempDir();
    const file = path.join(dir, DATABASE_FILE_NAME);
    // A database left at version 1 by an older build, holding data.
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    const first = migrations[0]!;
    db.exec(first.sql);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma('user_version = 1');
    db.prepare("INSERT INTO experiments (id, name, created_at, updated_at) VALUES ('6f1c1d8e-2f3a-4b5c-8d9e-0a1b2c3d4e5f', 'old', 'x', 'x')").run();
    db.close();
    const store = open(dir);
    expect(store.created).toBe(false);
    expect(store.experiments.list().map((e) => e.name)).toEqual(['old']);
    expect(peek(file, (ro) => ro.pragma('user_version', { simple: true }))).toBe(LATEST_SCHEMA_VERSION);
  });

  it('applies each migration in its own transaction: a failing one leaves no trace and user_version where it was', () => {
    const dir = tempDir();
    open(dir).close();
    const file = path.join(dir, DATABASE_FILE_NAME);
    const next = LATEST_SCHEMA_VERSION + 1;
    const good = { version: next, name: 'good', sql: 'CREATE TABLE probe_devices (id TEXT PRIMARY KEY) STRICT;' };
    const bad = { version: next + 1, name: 'bad', sql: 'CREATE TABLE half_done (x INTEGER); INSERT INTO no_such_table VALUES (1);' };
    let error: unknown;
    try {
      Store.open(dir, { appVersion: 't' }, [...migrations, good, bad]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as StoreOpenError).reason).toBe('unreadable');
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain(`schema version ${next + 1} (bad)`);
    peek(file, (ro) => {
      expect(ro.pragma('user_version', { simple: true })).toBe(next);
      const tables = ro.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all();
      expect(tables).toContain('probe_devices');
      expect(tables).not.toContain('half_done');
    });
    // The store it left behind opens with a list that knows the good version.
    const again = Store.open(dir, { appVersion: 't' }, [...migrations, good]);
    expect(again.schemaVersion).toBe(next);
    again.close();
  });

  it('lists migrations in increasing order (a number may wait for the branch that owns it)', () => {
    const versions = migrations.map((m) => m.version);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
    expect(versions[0]).toBe(1);
    expect(LATEST_SCHEMA_VERSION).toBe(versions[versions.length - 1]);
  });

  it('refuses to open a second time after close, with a store error rather than a crash', () => {
    const store = open(tempDir());
    store.close();
    store.close(); // idempotent
    expect(() => store.experiments.list()).toThrow(/closed/);
  });
});
