/**
 * Opening the database file: refuse what is not ours (read-only checks first, see inspect.ts),
 * then open read-write, set the connection up and bring the schema up to date.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import { makeDir } from '../files/make-dir';
import { StoreOpenError } from './errors';
import { APPLICATION_ID, NEW_DATABASE_PAGE_SIZE } from './identity';
import { inspectDatabaseFile, unreadableError } from './inspect';
import { latestVersion, migrations, type Migration } from './migrations/index';

export const BUSY_TIMEOUT_MS = 5000;

/** Opens (creating when missing) the workbench database at `file`, migrated to the latest schema. */
export function openDatabase(
  file: string,
  /** @internal tests substitute their own list */
  list: readonly Migration[] = migrations,
): { db: Database.Database; schemaVersion: number; created: boolean } {
  const latest = latestVersion(list);
  const inspection = inspectDatabaseFile(file, latest);
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (e) {
    throw unreadableError(file, (e as Error).message, e);
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (inspection.kind === 'new') {
      // Only takes effect on a file with no pages yet; must precede WAL mode.
      db.pragma(`page_size = ${NEW_DATABASE_PAGE_SIZE}`);
    }
    const mode = db.pragma('journal_mode = WAL', { simple: true }) as string;
    if (mode !== 'wal') throw unreadableError(file, `the file system refused write-ahead logging (journal mode stays "${mode}")`);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');

    const from = db.pragma('user_version', { simple: true }) as number;
    for (const m of list) {
      if (m.version <= from) continue;
      try {
        db.transaction(() => {
          db.exec(m.sql);
          db.pragma(`application_id = ${APPLICATION_ID}`);
          db.pragma(`user_version = ${m.version}`);
        }).immediate();
      } catch (e) {
        throw new StoreOpenError(
          'unreadable',
          file,
          `The workbench database ${file} could not be upgraded to schema version ${m.version} (${m.name}): ${(e as Error).message}. ` +
            `Nothing of that upgrade was kept (it runs in one transaction); the file stays at schema version ${m.version - 1}. ` +
            `Report this, with the file if you can; meanwhile an older workbench can still open it.`,
          { cause: e },
        );
      }
    }
    return { db, schemaVersion: latest, created: inspection.kind === 'new' };
  } catch (e) {
    db.close();
    if (e instanceof StoreOpenError) throw e;
    throw unreadableError(file, (e as Error).message, e);
  }
}

/** Creates `dir` (and its parents) when missing; 'unreadable' when that is not possible. */
export function ensureDataDir(dir: string, file: string): void {
  try {
    makeDir(dir);
  } catch (e) {
    throw unreadableError(file, `its folder ${dir} could not be created: ${(e as Error).message}`, e);
  }
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch (e) {
    throw unreadableError(file, (e as Error).message, e);
  }
  if (!st.isDirectory()) throw unreadableError(file, `${dir} is not a folder`);
}
