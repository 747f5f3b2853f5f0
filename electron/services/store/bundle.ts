/**
 * Experiment bundles: one experiment, its runs (with their provenance) and their sample chunks in
 * a small SQLite file of its own, to carry an experiment to another workbench.
 *
 * A bundle is recognised by its header's application_id ('MWBX', distinct from a workbench
 * database's 'MWB1') and a bundle_info table naming the format; it uses a rollback journal (no
 * -wal side file), so the bundle is exactly one file. It is built and read in memory
 * (better-sqlite3 serialize / deserialize): nothing touches the disk but the caller's file.
 *
 * Import is all or nothing: the bytes are checked completely first (header, integrity, format,
 * every run and every chunk), and a file that fails any check is refused with the reason and
 * nothing written; then one transaction adds the experiment (or finds it by id) and every run
 * whose UUID the archive does not hold yet — runs it already holds are skipped, so importing the
 * same bundle twice adds nothing the second time.
 */
import Database from 'better-sqlite3';
import type { StoreContext } from './context';
import { StoreError } from './errors';
import type { Experiments } from './experiments';
import { CHUNK_SIZE } from './identity';
import type { Experiment } from './types';
import { activeRunStatuses, runStatuses } from '../../../shared/contract';
import { checkUuid, MAX_NAME_LENGTH } from './validate';

/** `PRAGMA application_id` of an experiment bundle: 'MWBX'. */
export const BUNDLE_APPLICATION_ID = 0x4d574258;
export const BUNDLE_FORMAT = 'memristor-workbench/experiment-bundle';
export const BUNDLE_VERSION = 1;
/** The suffix bundle files are offered with. */
export const BUNDLE_EXTENSION = '.wbexp.sqlite';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const WORKBENCH_APPLICATION_ID = 0x4d574231;

const SCHEMA = /* sql */ `
CREATE TABLE bundle_info (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE experiments (
  id TEXT NOT NULL PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL
) STRICT;
CREATE TABLE runs (
  id TEXT NOT NULL PRIMARY KEY, experiment_id TEXT NOT NULL REFERENCES experiments(id),
  name TEXT NOT NULL, status TEXT NOT NULL, exit_reason TEXT,
  protocol_json TEXT, protocol_hash TEXT, device_json TEXT, instrument_idn TEXT,
  app_version TEXT NOT NULL, host TEXT NOT NULL,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, started_at TEXT, ended_at TEXT,
  notes TEXT NOT NULL, tags TEXT NOT NULL, events_json TEXT NOT NULL,
  sample_count INTEGER NOT NULL, initial_g REAL, final_g REAL, min_g REAL, max_g REAL
) STRICT;
CREATE TABLE sample_chunks (
  run_id TEXT NOT NULL REFERENCES runs(id), seq INTEGER NOT NULL, start INTEGER NOT NULL, n INTEGER NOT NULL,
  t BLOB NOT NULL, v BLOB NOT NULL, i BLOB NOT NULL, g BLOB NOT NULL, kind BLOB NOT NULL, block BLOB NOT NULL,
  PRIMARY KEY (run_id, seq)
) STRICT;
`;

const RUN_COLUMNS = [
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
const CHUNK_COLUMNS = ['run_id', 'seq', 'start', 'n', 't', 'v', 'i', 'g', 'kind', 'block'] as const;

type RunRow = Record<(typeof RUN_COLUMNS)[number], unknown>;
type ChunkRow = Record<(typeof CHUNK_COLUMNS)[number], unknown>;

export interface BundleExport {
  bytes: Buffer;
  experiment: Experiment;
  runs: number;
  samples: number;
}

export interface BundleImport {
  /** Runs added to the archive. */
  imported: number;
  /** Runs the archive already held (same UUID), left as they were. */
  skipped: number;
  experimentId: string;
  experimentName: string;
  /** True when the experiment was created by this import (false: it was there, found by id). */
  createdExperiment: boolean;
}

/** A bundle that cannot be imported; `message` says why, for the person who chose the file. */
export class BundleError extends StoreError {
  override readonly name = 'BundleError';
  constructor(message: string) {
    // The file's bytes are what is wrong: the form's field is `bytes`.
    super('invalid', message, { problems: [{ path: 'bytes', message }] });
  }
}

const EXPORTED_ACTIVE_REASON = 'exported while it was still running: the bundle holds the samples committed by then';

export class Bundles {
  constructor(
    private readonly ctx: StoreContext,
    private readonly experiments: Experiments,
  ) {}

  /** The experiment, its runs and their samples as bundle bytes (queued runs, having no data, are left out). */
  export(experimentId: string): BundleExport {
    const key = checkUuid(experimentId, 'experiment id');
    // Commit what live writers hold, so the bundle has every sample taken so far.
    for (const w of this.ctx.writers.values()) w.flush();
    const src = this.ctx.db;
    const out = new Database(':memory:');
    try {
      out.exec(SCHEMA);
      let runs = 0;
      let samples = 0;
      const experiment = this.ctx.db
        .transaction(() => {
          const exp = this.experiments.get(key);
          out
            .prepare('INSERT INTO experiments (id, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
            .run(exp.id, exp.name, exp.description, exp.createdAt, exp.updatedAt);
          const info = out.prepare('INSERT INTO bundle_info (key, value) VALUES (?, ?)');
          info.run('format', BUNDLE_FORMAT);
          info.run('version', String(BUNDLE_VERSION));
          info.run('app_version', this.ctx.appVersion);
          info.run('exported_at', this.ctx.now());
          info.run('experiment_id', exp.id);
          const insertRun = out.prepare(`INSERT INTO runs (${RUN_COLUMNS.join(', ')}) VALUES (${RUN_COLUMNS.map(() => '?').join(', ')})`);
          const insertChunk = out.prepare(`INSERT INTO sample_chunks (${CHUNK_COLUMNS.join(', ')}) VALUES (${CHUNK_COLUMNS.map(() => '?').join(', ')})`);
          const runRows = src
            .prepare(`SELECT ${RUN_COLUMNS.join(', ')} FROM runs WHERE experiment_id = ? AND status != 'queued' ORDER BY created_at, id`)
            .all(key) as RunRow[];
          const chunks = src.prepare(`SELECT ${CHUNK_COLUMNS.join(', ')} FROM sample_chunks WHERE run_id = ? ORDER BY seq`);
          out.transaction(() => {
            for (const row of runRows) {
              if ((activeRunStatuses as readonly unknown[]).includes(row.status)) {
                row.status = 'interrupted';
                row.exit_reason = EXPORTED_ACTIVE_REASON;
                row.ended_at = row.updated_at;
              }
              insertRun.run(...RUN_COLUMNS.map((c) => row[c]));
              for (const chunk of chunks.iterate(row.id) as IterableIterator<ChunkRow>) insertChunk.run(...CHUNK_COLUMNS.map((c) => chunk[c]));
              runs += 1;
              samples += row.sample_count as number;
            }
          })();
          return exp;
        })
        .deferred();
      out.pragma(`application_id = ${BUNDLE_APPLICATION_ID}`);
      out.pragma(`user_version = ${BUNDLE_VERSION}`);
      return { bytes: out.serialize(), experiment, runs, samples };
    } finally {
      out.close();
    }
  }

  /** Checks `bytes` completely, then adds the experiment and its new runs in one transaction. */
  import(bytes: Uint8Array): BundleImport {
    const parsed = readBundle(bytes);
    return this.ctx.tx(() => {
      const exp = parsed.experiment;
      let experimentId = exp.id;
      let experimentName = exp.name;
      let created = false;
      const existing = this.ctx.stmt('SELECT id, name FROM experiments WHERE id = ?').get(exp.id) as { id: string; name: string } | undefined;
      if (existing) experimentName = existing.name;
      else {
        experimentName = this.freeName(exp.name);
        this.ctx
          .stmt('INSERT INTO experiments (id, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
          .run(exp.id, experimentName, exp.description, exp.created_at, this.ctx.now());
        created = true;
      }
      experimentId = exp.id;
      const has = this.ctx.stmt('SELECT 1 FROM runs WHERE id = ?');
      const insertRun = this.ctx.stmt(`INSERT INTO runs (${RUN_COLUMNS.join(', ')}) VALUES (${RUN_COLUMNS.map(() => '?').join(', ')})`);
      const insertChunk = this.ctx.stmt(`INSERT INTO sample_chunks (${CHUNK_COLUMNS.join(', ')}) VALUES (${CHUNK_COLUMNS.map(() => '?').join(', ')})`);
      let imported = 0;
      let skipped = 0;
      for (const run of parsed.runs) {
        if (has.get(run.row.id) !== undefined) {
          skipped += 1;
          continue;
        }
        insertRun.run(...RUN_COLUMNS.map((c) => (c === 'experiment_id' ? experimentId : run.row[c])));
        for (const chunk of run.chunks) insertChunk.run(...CHUNK_COLUMNS.map((c) => chunk[c]));
        imported += 1;
      }
      if (imported > 0 && !created) this.ctx.stmt('UPDATE experiments SET updated_at = ? WHERE id = ?').run(this.ctx.now(), experimentId);
      return { imported, skipped, experimentId, experimentName, createdExperiment: created };
    });
  }

  /** `name`, or `name (imported)`, `name (imported 2)`… when another experiment has it. */
  private freeName(name: string): string {
    const taken = (n: string) => this.ctx.stmt('SELECT 1 FROM experiments WHERE name = ?').get(n) !== undefined;
    if (!taken(name)) return name;
    for (let k = 1; ; k++) {
      const suffix = k === 1 ? ' (imported)' : ` (imported ${k})`;
      const candidate = `${name.slice(0, MAX_NAME_LENGTH - suffix.length)}${suffix}`;
      if (!taken(candidate)) return candidate;
    }
  }
}

interface ParsedBundle {
  experiment: { id: string; name: string; description: string; created_at: string };
  runs: { row: RunRow; chunks: ChunkRow[] }[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Reads and checks a bundle completely, in memory; BundleError with the reason otherwise. */
export function readBundle(bytes: Uint8Array): ParsedBundle {
  if (!(bytes instanceof Uint8Array)) throw new BundleError('An experiment bundle must be given as bytes.');
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  checkHeader(buf);
  let db: Database.Database;
  try {
    // Deserialising copies the bytes into SQLite's own memory: the caller's buffer is never written.
    db = new Database(Buffer.from(buf));
  } catch (e) {
    throw damaged(e);
  }
  try {
    let result: ParsedBundle;
    try {
      const check = db.pragma('integrity_check(5)', { simple: false }) as Record<string, string>[];
      const problems = check.map((r) => Object.values(r)[0] ?? '').filter((x) => x !== 'ok');
      if (problems.length > 0) throw new BundleError(`This bundle is damaged (integrity check: ${problems.join('; ')}); nothing was imported.`);
      result = readContents(db);
    } catch (e) {
      if (e instanceof BundleError) throw e;
      throw damaged(e);
    }
    return result;
  } finally {
    db.close();
  }
}

function damaged(e: unknown): BundleError {
  const detail = e instanceof Error ? e.message : String(e);
  return new BundleError(`This bundle is damaged or incomplete (${detail}); nothing was imported.`);
}

function checkHeader(buf: Buffer): void {
  if (buf.length < 100 || !buf.subarray(0, 16).equals(SQLITE_MAGIC)) {
    throw new BundleError('This file is not an experiment bundle (it is not an SQLite file at all); nothing was imported.');
  }
  const applicationId = buf.readUInt32BE(68);
  if (applicationId === WORKBENCH_APPLICATION_ID) {
    throw new BundleError(
      'This file is a whole workbench archive (workbench.sqlite), not an experiment bundle; nothing was imported. ' +
        'Open it as a data folder instead, or export an experiment from it as a bundle.',
    );
  }
  if (applicationId !== BUNDLE_APPLICATION_ID) {
    throw new BundleError(
      `This file is an SQLite database of another program (application_id 0x${applicationId.toString(16)}), not an experiment bundle; nothing was imported.`,
    );
  }
  const userVersion = buf.readInt32BE(60);
  if (userVersion > BUNDLE_VERSION) {
    throw new BundleError(`This bundle was written by a newer workbench (bundle version ${userVersion}; this one reads up to ${BUNDLE_VERSION}); nothing was imported.`);
  }
  const rawPage = buf.readUInt16BE(16);
  const pageSize = rawPage === 1 ? 65536 : rawPage;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) throw new BundleError('This bundle is damaged (its header gives an invalid page size); nothing was imported.');
  if (buf.length % pageSize !== 0) {
    throw new BundleError(`This bundle is incomplete (${buf.length} bytes is not a whole number of ${pageSize}-byte pages: it looks truncated); nothing was imported.`);
  }
  const pages = buf.length / pageSize;
  const counted = buf.readUInt32BE(28);
  if (buf.readUInt32BE(24) === buf.readUInt32BE(92) && counted !== pages) {
    throw new BundleError(`This bundle is incomplete (its header counts ${counted} pages but the file holds ${pages}: it looks truncated); nothing was imported.`);
  }
}

function readContents(db: Database.Database): ParsedBundle {
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[];
  for (const t of ['bundle_info', 'experiments', 'runs', 'sample_chunks']) {
    if (!tables.includes(t)) throw new BundleError(`This bundle is incomplete (table ${t} is missing); nothing was imported.`);
  }
  const info = new Map((db.prepare('SELECT key, value FROM bundle_info').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
  if (info.get('format') !== BUNDLE_FORMAT) throw new BundleError(`This file does not say it is an experiment bundle (format ${JSON.stringify(info.get('format') ?? null)}); nothing was imported.`);
  const exps = db.prepare('SELECT id, name, description, created_at FROM experiments').all() as ParsedBundle['experiment'][];
  if (exps.length !== 1) throw new BundleError(`A bundle holds one experiment; this one holds ${exps.length}. Nothing was imported.`);
  const experiment = exps[0] as ParsedBundle['experiment'];
  if (typeof experiment.id !== 'string' || !UUID.test(experiment.id)) throw new BundleError('The bundle\'s experiment has no valid id; nothing was imported.');
  if (typeof experiment.name !== 'string' || experiment.name.trim() === '' || experiment.name.length > MAX_NAME_LENGTH) {
    throw new BundleError('The bundle\'s experiment has no valid name; nothing was imported.');
  }
  if (typeof experiment.description !== 'string' || typeof experiment.created_at !== 'string') throw new BundleError('The bundle\'s experiment record is damaged; nothing was imported.');

  const rows = db.prepare(`SELECT ${RUN_COLUMNS.join(', ')} FROM runs ORDER BY created_at, id`).all() as RunRow[];
  const chunkStmt = db.prepare(`SELECT ${CHUNK_COLUMNS.join(', ')} FROM sample_chunks WHERE run_id = ? ORDER BY seq`);
  const orphans = db.prepare('SELECT count(*) FROM sample_chunks WHERE run_id NOT IN (SELECT id FROM runs)').pluck().get() as number;
  if (orphans > 0) throw new BundleError(`This bundle is damaged (${orphans} sample chunk(s) belong to no run); nothing was imported.`);
  const runs = rows.map((row) => {
    const where = `run ${String(row.id)}`;
    const bad = (what: string) => new BundleError(`This bundle is damaged (${where}: ${what}); nothing was imported.`);
    if (typeof row.id !== 'string' || !UUID.test(row.id)) throw bad('not a valid run id');
    if (row.experiment_id !== experiment.id) throw bad('it belongs to another experiment');
    if (typeof row.name !== 'string' || row.name.trim() === '') throw bad('no name');
    if (!(runStatuses as readonly unknown[]).includes(row.status) || row.status === 'queued' || (activeRunStatuses as readonly unknown[]).includes(row.status)) {
      throw bad(`status ${JSON.stringify(row.status)} is not that of a finished run`);
    }
    for (const c of ['protocol_json', 'device_json'] as const) {
      if (row[c] !== null && !isJsonObject(row[c])) throw bad(`${c} is not a JSON object`);
    }
    if (!isJsonArray(row.tags) || !isJsonArray(row.events_json)) throw bad('tags or log are not JSON lists');
    for (const c of ['app_version', 'host', 'created_at', 'updated_at', 'notes'] as const) if (typeof row[c] !== 'string') throw bad(`${c} is missing`);
    const count = row.sample_count;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) throw bad('its sample count is not a whole number');
    const chunks = chunkStmt.all(row.id) as ChunkRow[];
    let start = 0;
    chunks.forEach((c, k) => {
      const n = c.n;
      if (c.seq !== k || c.start !== start || typeof n !== 'number' || !Number.isInteger(n) || n <= 0 || n > CHUNK_SIZE) throw bad(`sample chunk ${k} is out of sequence`);
      const widths: Record<string, number> = { t: 8, v: 8, i: 8, g: 8, kind: 1, block: 4 };
      for (const [col, w] of Object.entries(widths)) {
        const blob = c[col as keyof ChunkRow];
        if (!Buffer.isBuffer(blob) || blob.length !== w * n) throw bad(`sample chunk ${k} has a damaged ${col} column`);
      }
      start += n;
    });
    if (start !== count) throw bad(`it says ${count} samples but its chunks hold ${start}`);
    return { row, chunks };
  });
  return { experiment, runs };
}

function isJsonObject(x: unknown): boolean {
  if (typeof x !== 'string') return false;
  try {
    const v = JSON.parse(x) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}

function isJsonArray(x: unknown): boolean {
  if (typeof x !== 'string') return false;
  try {
    return Array.isArray(JSON.parse(x));
  } catch {
    return false;
  }
}
