/**
 * The lab archive's PostgreSQL schema, as numbered migrations applied on connect (migrate.ts).
 * To add one: create NNN-name.ts exporting `version`, `name` and `sql`, append it here, and add a
 * line to README.md's "Lab archive" section. A migration never edits an earlier one.
 */
import * as m001 from './001-archive';
import * as m002 from './002-sweeps';
import * as m003 from './003-simulation-sweeps';

export interface LabMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const labMigrations: readonly LabMigration[] = [m001, m002, m003];

labMigrations.forEach((m, k) => {
  if (m.version !== k + 1) throw new Error(`lab migration list out of order: ${m.name} has version ${m.version}, expected ${k + 1}`);
});

export const LATEST_LAB_SCHEMA = labMigrations.length;
