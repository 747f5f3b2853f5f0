/**
 * Migration 1: experiments, runs (with their provenance snapshot and a small summary kept current
 * while samples arrive) and samples stored as columnar chunks.
 *
 * Conventions: ids are UUID strings; timestamps are ISO-8601 UTC strings from
 * `Date.prototype.toISOString()` (fixed width, so they sort and compare as text); JSON is stored as
 * text and checked with json_valid. Tables are STRICT so a wrong type cannot slip in.
 */
export const version = 1;
export const name = 'initial';

export const sql = /* sql */ `
CREATE TABLE experiments (
  id          TEXT NOT NULL PRIMARY KEY,
  name        TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(trim(name)) > 0),
  description TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE runs (
  id             TEXT NOT NULL PRIMARY KEY,
  experiment_id  TEXT NOT NULL REFERENCES experiments(id) ON DELETE RESTRICT,
  name           TEXT NOT NULL CHECK (length(trim(name)) > 0),
  status         TEXT NOT NULL CHECK (status IN
                   ('queued','running','paused','completed','stopped','aborted','interrupted','failed')),
  exit_reason    TEXT,
  -- provenance snapshot
  protocol_json  TEXT CHECK (protocol_json IS NULL OR json_valid(protocol_json)),
  protocol_hash  TEXT,
  protocol_name  TEXT GENERATED ALWAYS AS (
                   CASE json_type(protocol_json, '$.name') WHEN 'text' THEN json_extract(protocol_json, '$.name') END
                 ) VIRTUAL,
  device_json    TEXT CHECK (device_json IS NULL OR json_valid(device_json)),
  device_kind    TEXT GENERATED ALWAYS AS (
                   CASE json_type(device_json, '$.kind') WHEN 'text' THEN json_extract(device_json, '$.kind') END
                 ) VIRTUAL,
  instrument_idn TEXT,
  app_version    TEXT NOT NULL,
  host           TEXT NOT NULL,
  -- timestamps
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  started_at     TEXT,
  ended_at       TEXT,
  -- annotations
  notes          TEXT NOT NULL DEFAULT '',
  tags           TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags) AND json_type(tags) = 'array'),
  -- summary of the committed samples, kept current by the sample writer
  sample_count   INTEGER NOT NULL DEFAULT 0 CHECK (sample_count >= 0),
  initial_g      REAL,
  final_g        REAL,
  min_g          REAL,
  max_g          REAL
) STRICT;

CREATE INDEX runs_by_experiment ON runs (experiment_id, created_at);
CREATE INDEX runs_by_created ON runs (created_at);
CREATE INDEX runs_by_status ON runs (status);

-- One row per run and chunk of up to 4096 samples. Each column is the raw little-endian bytes of a
-- typed array: t, v, i, g Float64Array; kind Uint8Array; block Int32Array. 'start' is the index of
-- the chunk's first sample in the run, so a sample range finds its chunks without reading the others.
CREATE TABLE sample_chunks (
  run_id TEXT    NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  seq    INTEGER NOT NULL CHECK (seq >= 0),
  start  INTEGER NOT NULL CHECK (start >= 0),
  n      INTEGER NOT NULL CHECK (n > 0 AND n <= 4096),
  t      BLOB    NOT NULL CHECK (length(t) = 8 * n),
  v      BLOB    NOT NULL CHECK (length(v) = 8 * n),
  i      BLOB    NOT NULL CHECK (length(i) = 8 * n),
  g      BLOB    NOT NULL CHECK (length(g) = 8 * n),
  kind   BLOB    NOT NULL CHECK (length(kind) = n),
  block  BLOB    NOT NULL CHECK (length(block) = 4 * n),
  PRIMARY KEY (run_id, seq)
) STRICT;
`;
