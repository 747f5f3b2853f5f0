/**
 * The lab archive's PostgreSQL schema, as numbered migrations applied on connect (migrate.ts).
 * To add one: create NNN-name.ts exporting `version`, `name` and `sql`, append it here, and add a
 * line to README.md's "Lab archive" section. A migration never edits an earlier one.
 */
import * as m001 from './001-archive';
import * as m002 from './002-sweeps';
import * as m003 from './003-simulation-sweeps';
import * as m004 from './004-devices';
import * as m005 from './005-instrument-workers';
import * as m006 from './006-sweep-traces';

export interface LabMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const labMigrations: readonly LabMigration[] = [m001, m002, m003, m004, m005, m006];

// Versions only increase along the list; a number may be missing while a branch that holds it is
// not merged yet (each is applied on its own, recorded by its number: a late one still applies).
labMigrations.forEach((m, k) => {
  const before = labMigrations[k - 1]?.version ?? 0;
  if (m.version <= before) throw new Error(`lab migration list out of order: ${m.name} has version ${m.version}, after version ${before}`);
});

export const LATEST_LAB_SCHEMA = labMigrations[labMigrations.length - 1]!.version;
