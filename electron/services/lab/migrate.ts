/**
 * Brings a lab database's schema up to date: each migration in its own transaction, recorded in
 * lab_schema_migrations. A transaction-scoped advisory lock serialises PCs connecting at once, so
 * two of them never apply the same migration. A database newer than this build is refused.
 */
import type pg from 'pg';
import { ServiceError } from '../errors';
import { labMigrations, type LabMigration } from './pg-migrations/index';

/** pg_advisory_xact_lock key of the schema migrations (ours; any fixed bigint). */
const MIGRATION_LOCK = 0x6c61625f6d6967; // 'lab_mig'

export interface MigrationOutcome {
  /** Versions applied by this call (empty when the schema was current). */
  applied: number[];
  /** The schema version the database is at now. */
  version: number;
}

export async function applyLabMigrations(client: pg.ClientBase, list: readonly LabMigration[] = labMigrations): Promise<MigrationOutcome> {
  await client.query(`CREATE TABLE IF NOT EXISTS lab_schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const applied: number[] = [];
  for (const m of list) {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const done = await client.query('SELECT 1 FROM lab_schema_migrations WHERE version = $1', [m.version]);
      if (done.rowCount === 0) {
        await client.query(m.sql);
        await client.query('INSERT INTO lab_schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        applied.push(m.version);
      }
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw new ServiceError('unavailable', `The lab database could not be upgraded to lab schema ${m.version} (${m.name}): ${(e as Error).message}. Nothing of that step was kept.`, undefined, { cause: e });
    }
  }
  const newest = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM lab_schema_migrations');
  const version = newest.rows[0]?.v ?? 0;
  const known = list[list.length - 1]?.version ?? 0;
  if (version > known) {
    throw new ServiceError('unavailable', `The lab database has lab schema ${version}, newer than this workbench knows (${known}); update the workbench on this PC.`);
  }
  return { applied, version };
}
