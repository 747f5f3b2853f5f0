/**
 * The experiment bundle's file format (see bundle.ts for what a bundle is).
 *
 * Version 2 (this build writes it) carries a SHA-256 checksum on every document — the experiment
 * row and each run row, whose protocol and device snapshots are columns of it — and on every
 * sample chunk (its place in the run and all six column blobs), so a flipped bit anywhere in the
 * data is caught on import. Version 1 (workbench 0.1.0) has no checksums: it is still imported,
 * with every structural and value check but the checksums (bundle-read.ts), and the import says so.
 * Version 3 adds each sample chunk's compliance flags (migration 9: NULL when no sample of the
 * chunk was in compliance), in its checksum only when present — so a version-3 chunk without flags
 * has the version-2 checksum; an older bundle's chunks import with no sample in compliance.
 */
import { createHash } from 'node:crypto';
import { StoreError } from './errors';

/** `PRAGMA application_id` of an experiment bundle: 'MWBX'. */
export const BUNDLE_APPLICATION_ID = 0x4d574258;
export const BUNDLE_FORMAT = 'memristor-workbench/experiment-bundle';
/** The version this build writes; it reads this one and every older one. */
export const BUNDLE_VERSION = 3;
/** The first version whose sample chunks carry compliance flags. */
export const COMPLIANCE_VERSION = 3;
/** The first version whose rows carry checksums. */
export const CHECKSUMMED_VERSION = 2;
/** The suffix bundle files are offered with. */
export const BUNDLE_EXTENSION = '.wbexp.sqlite';

export const BUNDLE_SCHEMA = /* sql */ `
CREATE TABLE bundle_info (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE experiments (
  id TEXT NOT NULL PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, checksum TEXT NOT NULL
) STRICT;
CREATE TABLE runs (
  id TEXT NOT NULL PRIMARY KEY, experiment_id TEXT NOT NULL REFERENCES experiments(id),
  name TEXT NOT NULL, status TEXT NOT NULL, exit_reason TEXT,
  protocol_json TEXT, protocol_hash TEXT, device_json TEXT, instrument_idn TEXT,
  app_version TEXT NOT NULL, host TEXT NOT NULL,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, started_at TEXT, ended_at TEXT,
  notes TEXT NOT NULL, tags TEXT NOT NULL, events_json TEXT NOT NULL,
  sample_count INTEGER NOT NULL, initial_g REAL, final_g REAL, min_g REAL, max_g REAL,
  checksum TEXT NOT NULL
) STRICT;
CREATE TABLE sample_chunks (
  run_id TEXT NOT NULL REFERENCES runs(id), seq INTEGER NOT NULL, start INTEGER NOT NULL, n INTEGER NOT NULL,
  t BLOB NOT NULL, v BLOB NOT NULL, i BLOB NOT NULL, g BLOB NOT NULL, kind BLOB NOT NULL, block BLOB NOT NULL,
  compliance BLOB,
  checksum TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
) STRICT;
`;

export const EXPERIMENT_COLUMNS = ['id', 'name', 'description', 'created_at', 'updated_at'] as const;
/** The runs table's columns, as in the archive (the bundle adds its checksum). */
export const RUN_COLUMNS = [
  'id',
  'experiment_id',
  'name',
  'status',
  'exit_reason',
  'protocol_json',
  'protocol_hash',
  'device_json',
  'instrument_idn',
  'app_version',
  'host',
  'created_at',
  'updated_at',
  'started_at',
  'ended_at',
  'notes',
  'tags',
  'events_json',
  'sample_count',
  'initial_g',
  'final_g',
  'min_g',
  'max_g',
] as const;
/** The sample_chunks table's columns, as in the archive (the bundle adds its checksum). */
export const CHUNK_COLUMNS = ['run_id', 'seq', 'start', 'n', 't', 'v', 'i', 'g', 'kind', 'block', 'compliance'] as const;
/** Bytes per value of each column blob that every chunk has (compliance, 1 byte, may be NULL). */
export const COLUMN_WIDTHS = { t: 8, v: 8, i: 8, g: 8, kind: 1, block: 4 } as const;

export type ExperimentRow = Record<(typeof EXPERIMENT_COLUMNS)[number], unknown>;
export type RunRow = Record<(typeof RUN_COLUMNS)[number], unknown>;
export type ChunkRow = Record<(typeof CHUNK_COLUMNS)[number], unknown>;

/** A bundle that cannot be imported; `message` says why, for the person who chose the file. */
export class BundleError extends StoreError {
  override readonly name = 'BundleError';
  constructor(message: string) {
    // The file's bytes are what is wrong: the form's field is `bytes`.
    super('invalid', message, { problems: [{ path: 'bytes', message }] });
  }
}

/** SHA-256 of a document row: its values in column order, as JSON (exact for text, integers and doubles). */
export function rowChecksum(row: Record<string, unknown>, columns: readonly string[]): string {
  return createHash('sha256')
    .update(JSON.stringify(columns.map((c) => row[c] ?? null)))
    .digest('hex');
}

/** SHA-256 of a sample chunk: where it is in its run, then each column's bytes. */
export function chunkChecksum(chunk: ChunkRow): string {
  const hash = createHash('sha256').update(`${String(chunk.run_id)}\n${String(chunk.seq)}\n${String(chunk.start)}\n${String(chunk.n)}\n`);
  for (const column of Object.keys(COLUMN_WIDTHS) as (keyof typeof COLUMN_WIDTHS)[]) {
    const blob = chunk[column];
    if (Buffer.isBuffer(blob)) hash.update(blob);
    hash.update('\n');
  }
  if (Buffer.isBuffer(chunk.compliance)) hash.update('compliance\n').update(chunk.compliance).update('\n');
  return hash.digest('hex');
}
