/**
 * Looks at a would-be workbench database without changing it, before anything opens it read-write.
 *
 * Order matters: the 100-byte header is read with plain fs first (a text file, random bytes, a
 * foreign application_id or a newer schema are refused without SQLite ever opening the file); only
 * then is the file opened read-only for the identity and integrity checks. A read-only SQLite
 * handle on a WAL-mode file can still create the -wal/-shm side files, so when we refuse a file we
 * remove the side files that we created (and only those), leaving the folder as we found it.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import { StoreOpenError } from './errors';
import { APPLICATION_ID } from './identity';

export type Inspection =
  /** Missing, empty, or an SQLite file with nothing in it: becomes a new workbench database. */
  | { kind: 'new' }
  | { kind: 'workbench'; userVersion: number };

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const REQUIRED_TABLES = ['experiments', 'runs', 'sample_chunks'];

interface Header {
  pageSize: number;
  journalWal: boolean;
  changeCounter: number;
  pageCount: number;
  versionValidFor: number;
  userVersion: number;
  applicationId: number;
}

const advice = {
  corrupt:
    'It was left untouched. Restore it from a backup, or move it out of the data folder to start a new archive there ' +
    '(keep the damaged copy: the sqlite3 command line\'s ".recover" can often save most of it).',
  notWorkbench:
    'It was left untouched. Choose another data folder (--data-dir or WORKBENCH_DATA_DIR), or move that file out of this one.',
  unreadable: 'Check that the file and its folder exist, are not in use by another program, and that you may read and write them.',
};

export function corruptError(file: string, detail: string, cause?: unknown): StoreOpenError {
  return new StoreOpenError(
    'corrupt',
    file,
    `The workbench database ${file} is damaged and cannot be opened (${detail}). ${advice.corrupt}`,
    { cause },
  );
}

export function unreadableError(file: string, detail: string, cause?: unknown): StoreOpenError {
  return new StoreOpenError('unreadable', file, `The workbench database ${file} could not be opened: ${detail}. ${advice.unreadable}`, {
    cause,
  });
}

function notWorkbenchError(file: string, detail: string): StoreOpenError {
  return new StoreOpenError(
    'not_workbench',
    file,
    `${file} is not a Memristor Workbench database (${detail}). ${advice.notWorkbench}`,
  );
}

function newerSchemaError(file: string, version: number, latest: number): StoreOpenError {
  return new StoreOpenError(
    'newer_schema',
    file,
    `The workbench database ${file} was written by a newer version of Memristor Workbench (schema version ${version}; ` +
      `this build knows versions up to ${latest}). It was left untouched. Update the workbench to open it, ` +
      `or choose another data folder (--data-dir or WORKBENCH_DATA_DIR).`,
  );
}

function sizeOf(path: string): number | null {
  try {
    return fs.statSync(path).size;
  } catch {
    return null;
  }
}

function readHeader(file: string, size: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(Math.min(100, size));
    fs.readSync(fd, buf, 0, buf.length, 0);
    return buf;
  } finally {
    fs.closeSync(fd);
  }
}

/** Parses the SQLite file header, or says why it is not one. */
function parseHeader(buf: Buffer): Header | string {
  if (buf.length < 100 || !buf.subarray(0, 16).equals(SQLITE_MAGIC)) return 'it does not start with an SQLite header';
  const rawPage = buf.readUInt16BE(16);
  const pageSize = rawPage === 1 ? 65536 : rawPage;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return `its header gives an invalid page size (${rawPage})`;
  const write = buf[18];
  const read = buf[19];
  if ((write !== 1 && write !== 2) || (read !== 1 && read !== 2)) return 'its header gives an unknown file format version';
  if (buf[21] !== 64 || buf[22] !== 32 || buf[23] !== 32) return 'its header is damaged (payload fractions)';
  return {
    pageSize,
    journalWal: write === 2 || read === 2,
    changeCounter: buf.readUInt32BE(24),
    pageCount: buf.readUInt32BE(28),
    versionValidFor: buf.readUInt32BE(92),
    userVersion: buf.readInt32BE(60),
    applicationId: buf.readUInt32BE(68),
  };
}

function isCorruptionCode(code: unknown): boolean {
  return typeof code === 'string' && (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_IOERR_SHORT_READ');
}

function describeSqliteError(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return typeof code === 'string' ? `${e.message} [${code}]` : e.message;
  }
  return String(e);
}

/**
 * Decides whether `file` may be opened read-write as a workbench database, without changing it.
 * Throws a StoreOpenError when it may not.
 */
export function inspectDatabaseFile(file: string, latestVersion: number): Inspection {
  let size: number;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) throw unreadableError(file, 'it is not a regular file');
    size = st.size;
  } catch (e) {
    if (e instanceof StoreOpenError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'new' };
    throw unreadableError(file, (e as Error).message, e);
  }

  const walSize = sizeOf(`${file}-wal`) ?? 0;
  if (size === 0 && walSize === 0) return { kind: 'new' };

  let header: Header | undefined;
  if (size > 0) {
    let buf: Buffer;
    try {
      buf = readHeader(file, size);
    } catch (e) {
      throw unreadableError(file, (e as Error).message, e);
    }
    const parsed = parseHeader(buf);
    if (typeof parsed === 'string') throw corruptError(file, parsed);
    header = parsed;

    // Identity from the header alone: no SQLite handle, no side files.
    if (header.applicationId !== 0 && header.applicationId !== APPLICATION_ID) {
      throw notWorkbenchError(file, `it is an SQLite database with application_id 0x${header.applicationId.toString(16)}`);
    }
    if (header.applicationId === APPLICATION_ID && header.userVersion > latestVersion) {
      throw newerSchemaError(file, header.userVersion, latestVersion);
    }

    // With no write-ahead log to complete it, the main file must hold every page its header counts.
    if (walSize === 0) {
      if (size % header.pageSize !== 0) {
        throw corruptError(file, `its size (${size} bytes) is not a whole number of ${header.pageSize}-byte pages: it looks truncated`);
      }
      const pages = size / header.pageSize;
      if (header.changeCounter === header.versionValidFor && header.pageCount > pages) {
        throw corruptError(file, `its header counts ${header.pageCount} pages but the file holds ${pages}: it looks truncated`);
      }
    }
  }

  return inspectWithSqlite(file, latestVersion);
}

function inspectWithSqlite(file: string, latestVersion: number): Inspection {
  const sidecars = [`${file}-wal`, `${file}-shm`];
  const existedBefore = sidecars.map((p) => fs.existsSync(p));
  let db: Database.Database | undefined;
  let refused = false;
  try {
    try {
      db = new Database(file, { readonly: true, fileMustExist: true });
      db.pragma('busy_timeout = 5000');
      const applicationId = db.pragma('application_id', { simple: true }) as number;
      const userVersion = db.pragma('user_version', { simple: true }) as number;
      const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[]).filter(
        (n) => !n.startsWith('sqlite_'),
      );

      if (applicationId !== APPLICATION_ID) {
        if (applicationId === 0 && userVersion === 0 && tables.length === 0) return { kind: 'new' };
        refused = true;
        throw notWorkbenchError(
          file,
          applicationId === 0
            ? `it is an SQLite database of another program, with tables ${tables.slice(0, 5).join(', ') || '(none)'}`
            : `it is an SQLite database with application_id 0x${applicationId.toString(16)}`,
        );
      }
      if (userVersion > latestVersion) {
        refused = true;
        throw newerSchemaError(file, userVersion, latestVersion);
      }
      const check = db.pragma('quick_check(5)', { simple: false }) as Array<Record<string, string>>;
      const problems = check.map((row) => Object.values(row)[0] ?? '').filter((s) => s !== 'ok');
      if (problems.length > 0) {
        refused = true;
        throw corruptError(file, `integrity check: ${problems.join('; ')}`);
      }
      if (userVersion >= 1) {
        const missing = REQUIRED_TABLES.filter((t) => !tables.includes(t));
        if (missing.length > 0) {
          refused = true;
          throw corruptError(file, `schema version ${userVersion} but table(s) ${missing.join(', ')} missing`);
        }
      }
      return { kind: 'workbench', userVersion };
    } catch (e) {
      if (e instanceof StoreOpenError) throw e;
      refused = true;
      const code = (e as { code?: unknown }).code;
      if (isCorruptionCode(code)) throw corruptError(file, describeSqliteError(e), e);
      throw unreadableError(file, describeSqliteError(e), e);
    }
  } finally {
    try {
      db?.close();
    } catch {
      /* closing a read-only handle cannot lose anything */
    }
    if (refused) {
      // Remove the side files our read-only handle created, so a refused file's folder is as it was.
      sidecars.forEach((p, k) => {
        if (existedBefore[k]) return;
        try {
          if (p.endsWith('-wal') && fs.statSync(p).size !== 0) return;
          fs.unlinkSync(p);
        } catch {
          /* not there, or not ours to remove */
        }
      });
    }
  }
}
