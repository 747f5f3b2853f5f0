/**
 * Migration 2: the protocol library. A protocol is a name, a description and tags over a list of
 * versions; every save adds a version (never rewrites one), so what a run used can always be
 * looked up again. Documents are stored as written (JSON text, values may carry units) and were
 * validated before they were stored.
 */
export const version = 2;
export const name = 'protocols';

export const sql = /* sql */ `
CREATE TABLE protocols (
  id             TEXT NOT NULL PRIMARY KEY,
  name           TEXT NOT NULL CHECK (length(trim(name)) > 0),
  description    TEXT NOT NULL DEFAULT '',
  tags           TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags) AND json_type(tags) = 'array'),
  latest_version INTEGER NOT NULL CHECK (latest_version >= 1),
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
) STRICT;

CREATE INDEX protocols_by_updated ON protocols (updated_at);

CREATE TABLE protocol_versions (
  protocol_id   TEXT    NOT NULL REFERENCES protocols(id) ON DELETE CASCADE,
  version       INTEGER NOT NULL CHECK (version >= 1),
  name          TEXT    NOT NULL,
  description   TEXT    NOT NULL DEFAULT '',
  tags          TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(tags) AND json_type(tags) = 'array'),
  document_json TEXT    NOT NULL CHECK (json_valid(document_json) AND json_type(document_json) = 'object'),
  document_hash TEXT    NOT NULL,
  restored_from INTEGER CHECK (restored_from IS NULL OR (restored_from >= 1 AND restored_from < version)),
  created_at    TEXT    NOT NULL,
  PRIMARY KEY (protocol_id, version)
) STRICT;
`;
