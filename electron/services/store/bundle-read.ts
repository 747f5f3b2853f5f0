/**
 * Reading a bundle for import: every check happens here, in memory, before the archive is touched.
 * The header (SQLite, 'MWBX', a version this build reads, whole pages), SQLite's integrity check,
 * the format and version in bundle_info (a newer one is refused, naming it), the one experiment,
 * every run (ids, status, JSON snapshots) and every sample chunk: in sequence, the right sizes,
 * times and voltages finite, kinds 0 or 1, and the run's summary (count, first, last, smallest and
 * largest finite G) exactly what its chunks hold. A version-2 bundle's checksums must all match.
 */
import Database from 'better-sqlite3';
import { CHUNK_SIZE } from './identity';
import {
  BUNDLE_APPLICATION_ID,
  BUNDLE_FORMAT,
  BUNDLE_VERSION,
  CHECKSUMMED_VERSION,
  COMPLIANCE_VERSION,
  CHUNK_COLUMNS,
  COLUMN_WIDTHS,
  EXPERIMENT_COLUMNS,
  RUN_COLUMNS,
  BundleError,
  chunkChecksum,
  rowChecksum,
  type ChunkRow,
  type RunRow,
} from './bundle-format';
import { summarise, type Summary } from './samples';
import { activeRunStatuses as activeStatuses, runStatuses } from '../../../shared/contract';
import { MAX_NAME_LENGTH, checkName, checkTags, checkText, checkTime } from './validate';

export interface ParsedBundle {
  /** The format version it was written in. */
  version: number;
  /** True when every row and chunk carried a checksum that matched (version 2 and later). */
  checksums: boolean;
  experiment: { id: string; name: string; description: string; created_at: string };
  runs: { row: RunRow; chunks: ChunkRow[] }[];
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const WORKBENCH_APPLICATION_ID = 0x4d574231;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Reads and checks a bundle completely, in memory; BundleError with the reason otherwise. */
export function readBundle(bytes: Uint8Array): ParsedBundle {
  if (!(bytes instanceof Uint8Array)) throw new BundleError('An experiment bundle must be given as bytes.');
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerVersion = checkHeader(buf);
  let db: Database.Database;
  try {
    // Deserialising copies the bytes into SQLite's own memory: the caller's buffer is never written.
    db = new Database(Buffer.from(buf));
  } catch (e) {
    throw damaged(e);
  }
  try {
    try {
      const check = db.pragma('integrity_check(5)', { simple: false }) as Record<string, string>[];
      const problems = check.map((r) => Object.values(r)[0] ?? '').filter((x) => x !== 'ok');
      if (problems.length > 0) throw new BundleError(`This bundle is damaged (integrity check: ${problems.join('; ')}); nothing was imported.`);
      return readContents(db, headerVersion);
    } catch (e) {
      if (e instanceof BundleError) throw e;
      throw damaged(e);
    }
  } finally {
    db.close();
  }
}

function damaged(e: unknown): BundleError {
  const detail = e instanceof Error ? e.message : String(e);
  return new BundleError(`This bundle is damaged or incomplete (${detail}); nothing was imported.`);
}

function newer(version: string | number): BundleError {
  return new BundleError(`This bundle was written by a newer workbench (bundle version ${version}; this one reads up to ${BUNDLE_VERSION}); nothing was imported. Update the workbench to import it.`);
}

/** The header's checks; returns the version it gives (PRAGMA user_version). */
function checkHeader(buf: Buffer): number {
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
  if (userVersion > BUNDLE_VERSION) throw newer(userVersion);
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
  return userVersion;
}

/** bundle_info's format and version, agreeing with the header's. */
function readVersion(db: Database.Database, headerVersion: number): number {
  const info = new Map((db.prepare('SELECT key, value FROM bundle_info').all() as { key: unknown; value: unknown }[]).map((r) => [r.key, r.value]));
  if (info.get('format') !== BUNDLE_FORMAT) throw new BundleError(`This file does not say it is an experiment bundle (format ${JSON.stringify(info.get('format') ?? null)}); nothing was imported.`);
  const raw = info.get('version');
  const version = typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (version > BUNDLE_VERSION) throw newer(version);
  if (!(version >= 1)) throw new BundleError(`This bundle is damaged (its format version ${JSON.stringify(raw ?? null)} is not a version number); nothing was imported.`);
  if (version !== headerVersion) {
    throw new BundleError(`This bundle is damaged (its header says version ${headerVersion}, its contents say version ${version}); nothing was imported.`);
  }
  return version;
}

function readContents(db: Database.Database, headerVersion: number): ParsedBundle {
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[];
  for (const t of ['bundle_info', 'experiments', 'runs', 'sample_chunks']) {
    if (!tables.includes(t)) throw new BundleError(`This bundle is incomplete (table ${t} is missing); nothing was imported.`);
  }
  const version = readVersion(db, headerVersion);
  const checksums = version >= CHECKSUMMED_VERSION;
  const sum = checksums ? ', checksum' : '';
  const exps = db.prepare(`SELECT ${EXPERIMENT_COLUMNS.join(', ')}${sum} FROM experiments`).all() as Record<string, unknown>[];
  if (exps.length !== 1) throw new BundleError(`A bundle holds one experiment; this one holds ${exps.length}. Nothing was imported.`);
  const e = exps[0]!;
  if (typeof e.id !== 'string' || !UUID.test(e.id)) throw new BundleError('The bundle\'s experiment has no valid id; nothing was imported.');
  if (typeof e.name !== 'string' || e.name.trim() === '' || e.name.length > MAX_NAME_LENGTH) {
    throw new BundleError('The bundle\'s experiment has no valid name; nothing was imported.');
  }
  if (typeof e.description !== 'string' || typeof e.created_at !== 'string') throw new BundleError('The bundle\'s experiment record is damaged; nothing was imported.');
  if (checksums && e.checksum !== rowChecksum(e, EXPERIMENT_COLUMNS)) {
    throw new BundleError('This bundle is damaged (the experiment record does not match its checksum); nothing was imported.');
  }
  const experiment = { id: e.id, name: e.name, description: e.description, created_at: e.created_at };

  const rows = db.prepare(`SELECT ${RUN_COLUMNS.join(', ')}${sum} FROM runs ORDER BY created_at, id`).all() as (RunRow & { checksum?: unknown })[];
  // Before version 3 a chunk has no compliance flags: none of its samples was in compliance.
  const chunkColumns = CHUNK_COLUMNS.map((c) => (c === 'compliance' && version < COMPLIANCE_VERSION ? 'NULL AS compliance' : c));
  const chunkStmt = db.prepare(`SELECT ${chunkColumns.join(', ')}${sum} FROM sample_chunks WHERE run_id = ? ORDER BY seq`);
  const orphans = db.prepare('SELECT count(*) FROM sample_chunks WHERE run_id NOT IN (SELECT id FROM runs)').pluck().get() as number;
  if (orphans > 0) throw new BundleError(`This bundle is damaged (${orphans} sample chunk(s) belong to no run); nothing was imported.`);
  const runs = rows.map((row) => {
    const bad = (what: string) => new BundleError(`This bundle is damaged (run ${String(row.id).slice(0, 36)}: ${what}); nothing was imported.`);
    checkRun(row, experiment.id, bad);
    const chunks = chunkStmt.all(row.id) as (ChunkRow & { checksum?: unknown })[];
    const summary: Summary = { count: 0, initialG: null, finalG: null, minG: null, maxG: null };
    chunks.forEach((c, k) => {
      checkChunk(c, k, summary.count, bad);
      checkValues(c, k, summary, bad);
    });
    checkSummary(row, summary, bad);
    // Last, so the checks above name what is wrong when they can; a checksum catches the rest.
    if (checksums) {
      chunks.forEach((c, k) => {
        if (c.checksum !== chunkChecksum(c)) throw bad(`sample chunk ${k} does not match its checksum: a value in it was changed`);
      });
      if (row.checksum !== rowChecksum(row, RUN_COLUMNS)) throw bad('its record (name, protocol, device, log or summary) does not match its checksum');
    }
    for (const c of chunks) delete c.checksum;
    delete row.checksum;
    return { row: row as RunRow, chunks: chunks as ChunkRow[] };
  });
  return { version, checksums, experiment, runs };
}

type Bad = (what: string) => BundleError;

function checkRun(row: RunRow, experimentId: string, bad: Bad): void {
  if (typeof row.id !== 'string' || !UUID.test(row.id)) throw bad('not a valid run id');
  if (row.experiment_id !== experimentId) throw bad('it belongs to another experiment');
  if (typeof row.name !== 'string' || row.name.trim() === '') throw bad('no name');
  if (!(runStatuses as readonly unknown[]).includes(row.status) || row.status === 'queued' || (activeStatuses as readonly unknown[]).includes(row.status)) {
    throw bad(`status ${JSON.stringify(row.status)} is not that of a finished run`);
  }
  for (const c of ['protocol_json', 'device_json'] as const) {
    if (row[c] !== null && !isJson(row[c], 'object')) throw bad(`${c} is not a JSON object`);
  }
  if (!isJson(row.tags, 'array') || !isJson(row.events_json, 'array')) throw bad('tags or log are not JSON lists');
  for (const c of ['app_version', 'host', 'created_at', 'updated_at', 'notes'] as const) if (typeof row[c] !== 'string') throw bad(`${c} is missing`);
  // The store's own checks on what a request may write: a run whose tags are not text, whose name,
  // notes or tags exceed the size policy, or whose dates are not dates would be stored and then break
  // every listing of the archive (the contract refuses to send it), not just this run.
  storeCheck(bad, () => {
    checkName(row.name, 'its name');
    checkText(row.notes, 'its notes');
    checkTags(JSON.parse(row.tags as string));
    for (const c of ['created_at', 'updated_at'] as const) checkTime(row[c], c);
    for (const c of ['started_at', 'ended_at'] as const) if (row[c] !== null) checkTime(row[c], c);
  });
  const count = row.sample_count;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) throw bad('its sample count is not a whole number');
  for (const c of ['initial_g', 'final_g', 'min_g', 'max_g'] as const) {
    const g = row[c];
    if (g !== null && (typeof g !== 'number' || !Number.isFinite(g))) throw bad(`its ${c} is not a finite number`);
  }
}

function checkChunk(c: ChunkRow, k: number, start: number, bad: Bad): void {
  const n = c.n;
  if (c.seq !== k || c.start !== start || typeof n !== 'number' || !Number.isInteger(n) || n <= 0 || n > CHUNK_SIZE) throw bad(`sample chunk ${k} is out of sequence`);
  for (const [col, w] of Object.entries(COLUMN_WIDTHS)) {
    const blob = c[col as keyof ChunkRow];
    if (!Buffer.isBuffer(blob) || blob.length !== w * n) throw bad(`sample chunk ${k} has a damaged ${col} column`);
  }
  const flags = c.compliance;
  if (flags !== null && (!Buffer.isBuffer(flags) || flags.length !== n || flags.some((x) => x > 1))) throw bad(`sample chunk ${k} has a damaged compliance column`);
}

/** The chunk's columns as typed arrays (copied: a blob's bytes may be unaligned). */
function columnsOf(c: ChunkRow) {
  const f64 = (b: unknown) => new Float64Array(Uint8Array.from(b as Buffer).buffer);
  return {
    length: c.n as number,
    t: f64(c.t),
    v: f64(c.v),
    i: f64(c.i),
    g: f64(c.g),
    kind: Uint8Array.from(c.kind as Buffer),
    block: new Int32Array(Uint8Array.from(c.block as Buffer).buffer),
    compliance: Buffer.isBuffer(c.compliance) ? Uint8Array.from(c.compliance) : new Uint8Array(c.n as number),
  };
}

/**
 * Times and voltages are always finite and kinds are read (0) or pulse (1); a measured current or
 * conductance may be missing (NaN) and is left out of the summary, as the archive does.
 */
function checkValues(c: ChunkRow, k: number, summary: Summary, bad: Bad): void {
  const cols = columnsOf(c);
  for (let j = 0; j < cols.length; j++) {
    if (!Number.isFinite(cols.t[j]!) || !Number.isFinite(cols.v[j]!)) throw bad(`sample ${summary.count + j} (chunk ${k}) has a time or voltage that is not a finite number`);
    if (cols.kind[j]! > 1) throw bad(`sample ${summary.count + j} (chunk ${k}) has an unknown kind ${cols.kind[j]}`);
    if (cols.block[j]! < -1) throw bad(`sample ${summary.count + j} (chunk ${k}) names block ${cols.block[j]}`);
  }
  summarise(summary, cols);
}

/** The run's summary columns describe exactly its samples (a NaN chunk under a finite initial G does not). */
function checkSummary(row: RunRow, s: Summary, bad: Bad): void {
  if (s.count !== row.sample_count) throw bad(`it says ${String(row.sample_count)} samples but its chunks hold ${s.count}`);
  const pairs = [
    ['initial G', row.initial_g, s.initialG],
    ['final G', row.final_g, s.finalG],
    ['smallest G', row.min_g, s.minG],
    ['largest G', row.max_g, s.maxG],
  ] as const;
  for (const [what, said, held] of pairs) {
    if (said !== held) throw bad(`its ${what} is ${said === null ? 'missing' : String(said)} but its samples give ${held === null ? 'none (no finite G)' : String(held)}`);
  }
}

/** A store check's refusal (StoreError) as this bundle's. */
function storeCheck(bad: Bad, check: () => void): void {
  try {
    check();
  } catch (e) {
    throw bad((e as Error).message);
  }
}

function isJson(x: unknown, shape: 'object' | 'array'): boolean {
  if (typeof x !== 'string') return false;
  try {
    const v = JSON.parse(x) as unknown;
    return shape === 'array' ? Array.isArray(v) : v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}
