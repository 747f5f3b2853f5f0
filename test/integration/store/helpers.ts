/** Shared helpers for the store's integration tests: temp folders, sample data, file fingerprints. */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { openStore, type Columns, type Store } from '../../../electron/services/store/index';

const dirs: string[] = [];
const stores: Store[] = [];

afterEach(() => {
  for (const s of stores.splice(0)) if (s.isOpen) s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A fresh temp folder, removed after the test. */
export function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-'));
  dirs.push(d);
  return d;
}

export interface OpenOptions {
  appVersion?: string;
  host?: string;
  now?: () => Date;
}

/** Opens a store (closed after the test). */
export function open(dir: string, options: OpenOptions = {}): Store {
  const s = openStore(dir, { appVersion: options.appVersion ?? '0.1.0-test', ...options });
  stores.push(s);
  return s;
}

/** A store in a fresh folder. */
export function freshStore(options: OpenOptions = {}): Store {
  return open(tempDir(), options);
}

/** A manual clock for timestamps: starts at `start`, moves only when told. */
export function manualClock(start = '2025-01-01T00:00:00.000Z'): { now: () => Date; set(t: string): void; advance(ms: number): void } {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    set: (s) => {
      t = new Date(s).getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

/** n samples starting at sample index `from` (values derived from the index, so any slice is checkable). */
export { samples } from './fixtures/samples';

/** Columns [a, b) as views. */
export function slice(c: Columns, a: number, b: number): Columns {
  return {
    length: b - a,
    t: c.t.subarray(a, b),
    v: c.v.subarray(a, b),
    i: c.i.subarray(a, b),
    g: c.g.subarray(a, b),
    kind: c.kind.subarray(a, b),
    block: c.block.subarray(a, b),
    compliance: c.compliance.subarray(a, b),
  };
}

/** Plain arrays of every column, for deep equality that reports the first difference clearly. */
export function plain(c: Columns): Record<string, number[]> {
  return {
    t: [...c.t],
    v: [...c.v],
    i: [...c.i],
    g: [...c.g],
    kind: [...c.kind],
    block: [...c.block],
    compliance: [...c.compliance],
  };
}

export function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** The folder's entries with their sizes, to show nothing was added, removed or changed. */
export function listing(dir: string): Record<string, number> {
  return Object.fromEntries(fs.readdirSync(dir).map((n) => [n, fs.statSync(path.join(dir, n)).size]));
}

/** A read-only side connection for looking at what the store wrote. */
export function peek<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** Sizes (n) of a run's chunks in order. */
export function chunkSizes(file: string, runId: string): number[] {
  return peek(file, (db) => db.prepare('SELECT n FROM sample_chunks WHERE run_id = ? ORDER BY seq').pluck().all(runId) as number[]);
}

/** A store with one experiment and one running run. */
export function storeWithRun(options: OpenOptions = {}): { store: Store; runId: string; dir: string } {
  const dir = tempDir();
  const store = open(dir, options);
  const runId = store.runs.create({ experimentName: 'exp', name: 'run', status: 'running', device: { kind: 'simulated' } }).id;
  return { store, runId, dir };
}
