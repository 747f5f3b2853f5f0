/**
 * Migration 5: the workbench's settings, one row per key. Each value is JSON checked against its
 * key's schema (shared/contract/areas/settings.ts) when written and when read; a key this build
 * does not know (written by a newer one) is left alone.
 */
export const version = 5;
export const name = 'settings';

export const sql = /* sql */ `
CREATE TABLE settings (
  key        TEXT NOT NULL PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 100),
  value      TEXT NOT NULL CHECK (json_valid(value)),
  updated_at TEXT NOT NULL
) STRICT;
`;
