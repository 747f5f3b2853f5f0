/**
 * The ordered list of schema migrations. Static imports, no directory scanning: the Electron main
 * process is bundled. To add one, create NNN-name.ts exporting `version`, `name` and `sql`, and
 * append it here; `PRAGMA user_version` records the last one applied.
 */
import * as m001 from './001-initial';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const migrations: readonly Migration[] = [m001];

migrations.forEach((m, k) => {
  if (m.version !== k + 1) throw new Error(`migration list out of order: ${m.name} has version ${m.version}, expected ${k + 1}`);
});

/** The newest schema this build knows. */
export const LATEST_SCHEMA_VERSION = migrations.length;
