/**
 * Lab schema 1: the shared archive. Every row says which PC (data folder) and user published it.
 * A run is published in one transaction (its row and all its samples), so it is whole or absent;
 * a deleted item keeps its row with deleted_at set (its tombstone) and loses its samples.
 * Samples are one row per sample (queryable with plain SQL from any tool), loaded with COPY.
 */
export const version = 1;
export const name = 'archive';

export const sql = /* sql */ `
CREATE TABLE lab_pcs (
  pc_id      uuid PRIMARY KEY,
  name       text NOT NULL,
  user_name  text NOT NULL,
  first_seen timestamptz NOT NULL DEFAULT now(),
  last_seen  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE lab_runs (
  run_id          uuid PRIMARY KEY,
  pc_id           uuid NOT NULL REFERENCES lab_pcs(pc_id),
  pc_name         text NOT NULL,
  user_name       text NOT NULL,
  experiment_name text NOT NULL,
  name            text NOT NULL,
  status          text NOT NULL,
  protocol_name   text NOT NULL DEFAULT '',
  device_kind     text NOT NULL DEFAULT '',
  device_name     text,
  created_at      timestamptz NOT NULL,
  ended_at        timestamptz,
  sample_count    bigint NOT NULL CHECK (sample_count >= 0),
  samples_hash    text NOT NULL,
  content_hash    text NOT NULL,
  detail          jsonb NOT NULL,
  published_at    timestamptz NOT NULL DEFAULT now(),
  deleted_at      timestamptz
);
CREATE INDEX lab_runs_by_created ON lab_runs (created_at DESC);
CREATE INDEX lab_runs_by_pc ON lab_runs (pc_id, created_at DESC);

CREATE TABLE lab_samples (
  run_id uuid     NOT NULL REFERENCES lab_runs(run_id) ON DELETE CASCADE,
  idx    integer  NOT NULL CHECK (idx >= 0),
  t      float8   NOT NULL,
  v      float8   NOT NULL,
  i      float8   NOT NULL,
  g      float8   NOT NULL,
  kind   smallint NOT NULL,
  block  integer  NOT NULL,
  -- 1: the source was in compliance when the current was measured (workbench schema 9).
  compliance smallint NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, idx)
);

CREATE TABLE lab_rl_runs (
  run_id       uuid PRIMARY KEY,
  pc_id        uuid NOT NULL REFERENCES lab_pcs(pc_id),
  pc_name      text NOT NULL,
  user_name    text NOT NULL,
  name         text NOT NULL,
  status       text NOT NULL,
  created_at   timestamptz NOT NULL,
  ended_at     timestamptz,
  content_hash text NOT NULL,
  detail       jsonb NOT NULL,
  published_at timestamptz NOT NULL DEFAULT now(),
  deleted_at   timestamptz
);

CREATE TABLE lab_rl_episodes (
  run_id              uuid    NOT NULL REFERENCES lab_rl_runs(run_id) ON DELETE CASCADE,
  environment_id      text    NOT NULL,
  strategy_id         text    NOT NULL,
  seed                integer NOT NULL,
  n                   integer NOT NULL,
  training_iterations integer NOT NULL,
  converged           boolean NOT NULL,
  phases              jsonb   NOT NULL,
  traces              jsonb   NOT NULL,
  PRIMARY KEY (run_id, environment_id, strategy_id, seed)
);

CREATE TABLE lab_protocols (
  protocol_id    uuid PRIMARY KEY,
  pc_id          uuid NOT NULL REFERENCES lab_pcs(pc_id),
  name           text NOT NULL,
  latest_version integer NOT NULL,
  content_hash   text NOT NULL,
  detail         jsonb NOT NULL,
  published_at   timestamptz NOT NULL DEFAULT now(),
  deleted_at     timestamptz
);

CREATE TABLE lab_protocol_versions (
  protocol_id   uuid    NOT NULL REFERENCES lab_protocols(protocol_id) ON DELETE CASCADE,
  version       integer NOT NULL,
  document      jsonb   NOT NULL,
  document_hash text    NOT NULL,
  created_at    timestamptz NOT NULL,
  PRIMARY KEY (protocol_id, version)
);

-- Preset names are unique on one PC only, so a preset is keyed by (PC, name).
CREATE TABLE lab_device_presets (
  pc_id        uuid NOT NULL REFERENCES lab_pcs(pc_id),
  name         text NOT NULL,
  content_hash text NOT NULL,
  preset       jsonb NOT NULL,
  published_at timestamptz NOT NULL DEFAULT now(),
  deleted_at   timestamptz,
  PRIMARY KEY (pc_id, name)
);
`;
