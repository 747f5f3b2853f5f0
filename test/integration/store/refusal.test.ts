/**
 * Refusal without harm: a file that is not a workbench database, is damaged, or has a newer
 * schema is refused with the right code and a message naming its full path — and its bytes (and
 * the folder around it) are exactly as they were.
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APPLICATION_ID,
  DATABASE_FILE_NAME,
  LATEST_SCHEMA_VERSION,
  openStore,
  StoreOpenError,
  type StoreOpenErrorCode,
} from '../../../electron/services/store/index';
import { listing, open, samples, sha256, tempDir } from './helpers';

function dbFile(dir: string): string {
  return path.join(dir, DATABASE_FILE_NAME);
}

/** Opens, expects a refusal with `code`, and checks the file and its folder are untouched. */
function expectRefusal(dir: string, code: StoreOpenErrorCode, extra?: RegExp): StoreOpenError {
  const file = dbFile(dir);
  const hashBefore = sha256(file);
  const folderBefore = listing(dir);
  let caught: unknown;
  try {
    openStore(dir, { appVersion: 'test' }).close();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'openStore should have refused the file').toBeInstanceOf(StoreOpenError);
  const err = caught as StoreOpenError;
  expect(err.reason).toBe(code);
  expect(err.file).toBe(file);
  expect(err.message).toContain(file);
  expect(err.message).toMatch(/untouched|Check that/);
  if (extra) expect(err.message).toMatch(extra);
  expect(sha256(file)).toBe(hashBefore);
  expect(listing(dir)).toEqual(folderBefore);
  return err;
}

/** A real workbench database with some samples, closed (fully checkpointed). */
function realDatabase(dir: string, nSamples = 40_000): void {
  const store = open(dir);
  const run = store.runs.create({ experimentName: 'e', name: 'r', status: 'running', protocol: { name: 'p', blocks: [] } });
  const w = store.openWriter(run.id);
  w.append(samples(nSamples));
  w.close();
  store.close();
}

describe('openStore refuses, without harm,', () => {
  it('a file of random bytes (corrupt)', () => {
    const dir = tempDir();
    fs.writeFileSync(dbFile(dir), randomBytes(64 * 1024));
    expectRefusal(dir, 'corrupt', /damaged/);
  });

  it('a text file (corrupt)', () => {
    const dir = tempDir();
    fs.writeFileSync(dbFile(dir), 'time,voltage,current\n0,0.1,1e-6\n'.repeat(500));
    expectRefusal(dir, 'corrupt', /SQLite header/);
  });

  it('a file shorter than an SQLite header (corrupt)', () => {
    const dir = tempDir();
    fs.writeFileSync(dbFile(dir), Buffer.from('SQLite format 3\0'));
    expectRefusal(dir, 'corrupt');
  });

  it('a valid SQLite header followed by garbage (corrupt)', () => {
    const dir = tempDir();
    realDatabase(dir, 100);
    const header = fs.readFileSync(dbFile(dir)).subarray(0, 100);
    const pageSize = header.readUInt16BE(16);
    fs.writeFileSync(dbFile(dir), Buffer.concat([header, randomBytes(pageSize * 4 - 100)]));
    expectRefusal(dir, 'corrupt');
  });

  it('a real database truncated mid-page (corrupt)', () => {
    const dir = tempDir();
    realDatabase(dir);
    const size = fs.statSync(dbFile(dir)).size;
    fs.truncateSync(dbFile(dir), Math.floor(size * 0.6) + 123);
    expectRefusal(dir, 'corrupt', /truncated/);
  });

  it('a real database truncated at a page boundary (corrupt)', () => {
    const dir = tempDir();
    realDatabase(dir);
    const file = dbFile(dir);
    const pageSize = fs.readFileSync(file).readUInt16BE(16);
    const pages = fs.statSync(file).size / pageSize;
    fs.truncateSync(file, Math.floor(pages / 2) * pageSize);
    expectRefusal(dir, 'corrupt', /truncated/);
  });

  it('a real database with a damaged interior page, found by the integrity check (corrupt)', () => {
    const dir = tempDir();
    realDatabase(dir);
    const file = dbFile(dir);
    const bytes = fs.readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    // Overwrite the b-tree pages of the schema's second half with noise but keep the size and header.
    const pages = bytes.length / pageSize;
    const fd = fs.openSync(file, 'r+');
    for (let p = 1; p < pages; p += 3) fs.writeSync(fd, randomBytes(64), 0, 64, p * pageSize);
    fs.closeSync(fd);
    expectRefusal(dir, 'corrupt', /damaged/);
  });

  it("another program's SQLite database: tables, no application_id (not_workbench)", () => {
    const dir = tempDir();
    const db = new Database(dbFile(dir));
    db.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL); INSERT INTO invoices (amount) VALUES (12.5);');
    db.close();
    expectRefusal(dir, 'not_workbench', /invoices/);
  });

  it("another program's WAL-mode SQLite database, leaving no -wal/-shm files behind (not_workbench)", () => {
    const dir = tempDir();
    const db = new Database(dbFile(dir));
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES (\'hello\');');
    db.close();
    expect(fs.readdirSync(dir)).toEqual([DATABASE_FILE_NAME]);
    expectRefusal(dir, 'not_workbench');
    expect(fs.readdirSync(dir)).toEqual([DATABASE_FILE_NAME]);
  });

  it('an SQLite database with a foreign application_id (not_workbench)', () => {
    const dir = tempDir();
    const db = new Database(dbFile(dir));
    db.pragma('application_id = 1234567');
    db.exec('CREATE TABLE t (x);');
    db.close();
    expectRefusal(dir, 'not_workbench', /application_id/);
  });

  it('an empty SQLite database with a foreign application_id (not_workbench, not adopted)', () => {
    const dir = tempDir();
    const db = new Database(dbFile(dir));
    db.pragma('application_id = 42');
    db.close();
    expectRefusal(dir, 'not_workbench');
  });

  it('a workbench database with a newer schema (newer_schema), naming both versions', () => {
    const dir = tempDir();
    realDatabase(dir, 10);
    const db = new Database(dbFile(dir));
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    db.close();
    const err = expectRefusal(dir, 'newer_schema', /newer version/);
    expect(err.message).toContain(String(LATEST_SCHEMA_VERSION + 5));
    expect(err.message).toContain(`up to ${LATEST_SCHEMA_VERSION}`);
  });

  it('a newer-schema workbench database still in WAL (not checkpointed), found through the read-only handle', () => {
    const dir = tempDir();
    realDatabase(dir, 10);
    const file = dbFile(dir);
    // Keep a second connection open so the first's close cannot checkpoint: the new version lives in the -wal.
    const holder = new Database(file);
    holder.prepare('SELECT count(*) FROM runs').get(); // a connection attaches to the WAL only when it first reads
    const writer = new Database(file);
    writer.pragma('wal_autocheckpoint = 0');
    writer.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    writer.close();
    try {
      expect(fs.readFileSync(file).readInt32BE(60)).toBe(LATEST_SCHEMA_VERSION); // the main file still says current
      const hashBefore = sha256(file);
      let caught: unknown;
      try {
        openStore(dir, { appVersion: 'test' });
      } catch (e) {
        caught = e;
      }
      expect((caught as StoreOpenError).reason).toBe('newer_schema');
      expect(sha256(file)).toBe(hashBefore);
    } finally {
      holder.close();
    }
  });

  it('a data folder that is a file (unreadable)', () => {
    const parent = tempDir();
    const notADir = path.join(parent, 'data');
    fs.writeFileSync(notADir, 'x');
    let caught: unknown;
    try {
      openStore(notADir, { appVersion: 'test' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(StoreOpenError);
    expect((caught as StoreOpenError).reason).toBe('unreadable');
    expect((caught as Error).message).toContain(path.join(notADir, DATABASE_FILE_NAME));
    expect(fs.readFileSync(notADir, 'utf8')).toBe('x');
  });

  it('a database path that is a folder (unreadable)', () => {
    const dir = tempDir();
    fs.mkdirSync(dbFile(dir));
    let caught: unknown;
    try {
      openStore(dir, { appVersion: 'test' });
    } catch (e) {
      caught = e;
    }
    expect((caught as StoreOpenError).reason).toBe('unreadable');
  });
});

describe('openStore accepts', () => {
  it('its own database after a refusal of a damaged copy elsewhere (the checks do not leave state behind)', () => {
    const good = tempDir();
    realDatabase(good, 5000);
    const bad = tempDir();
    fs.writeFileSync(dbFile(bad), randomBytes(4096));
    expect(() => openStore(bad, { appVersion: 't' })).toThrow(StoreOpenError);
    const store = open(good);
    expect(store.runs.list().runs[0]?.sampleCount).toBe(5000);
    const db = new Database(store.file, { readonly: true });
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    db.close();
  });
});
