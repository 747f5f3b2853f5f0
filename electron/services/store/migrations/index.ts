/**
 * The ordered list of schema migrations. Static imports, no directory scanning: the Electron main
 * process is bundled. To add one, create NNN-name.ts exporting `version`, `name` and `sql`, and
 * append it here; `PRAGMA user_version` records the last one applied.
 */
import * as m001 from './001-initial';
import * as m002 from './002-protocols';
import * as m003 from './003-device-presets';
import * as m004 from './004-run-owner';
import * as m005 from './005-settings';
import * as m006 from './006-rl';
import * as m007 from './007-run-filters';
import * as m008 from './008-rl-hardware';
import * as m009 from './009-sample-compliance';
import * as m010 from './010-lab-devices';
import * as m011 from './011-lab-publish';
import * as m012 from './012-run-analyses';
import * as m013 from './013-figures-read-voltage';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const migrations: readonly Migration[] = [m001, m002, m003, m004, m005, m006, m007, m008, m009, m010, m011, m012, m013];

// Versions increase; a number may be missing while the branch that owns it is not merged yet.
migrations.forEach((m, k) => {
  const before = k === 0 ? 0 : (migrations[k - 1] as Migration).version;
  if (m.version <= before) throw new Error(`migration list out of order: ${m.name} has version ${m.version}, after ${before}`);
});

/** The newest schema this build knows. */
export const LATEST_SCHEMA_VERSION = latestVersion(migrations);

/** The version of the last migration of a list (0 for none). */
export function latestVersion(list: readonly Migration[]): number {
  return list.length === 0 ? 0 : (list[list.length - 1] as Migration).version;
}
