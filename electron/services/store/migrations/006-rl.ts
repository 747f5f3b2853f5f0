/**
 * Migration 6: reinforcement-learning runs.
 *
 * rl_runs: one row per RL comparison run — the experiment definition as it ran (parsed, defaults
 * filled in), its seeds, progress, status, and the comparison (median / IQR / % reduction per
 * environment) once known. experiment_id is the archive's grouping (the experiment chosen at the
 * top of the app), optional; the definition's own name ('paper') and title are kept beside it.
 * hardware_json: for a run whose learning rate came from a physical device, which strategy and
 * the instrument's snapshot; null for simulated runs.
 *
 * rl_episodes: one row per job — (environment, strategy, seed) — with its per-episode traces as
 * typed-array BLOBs (the raw little-endian bytes, as sample_chunks stores samples): steps Int32,
 * returns Float64, alpha Float64 (exact: a stored path is replayed from it), conductance Float64
 * (S; NaN for schedules), success Uint8, td_error Float32 (display only), greedy_length Int32.
 * A job row is written when the job finishes, so a cancelled or crashed run keeps what it did.
 */
export const version = 6;
export const name = 'rl';

export const sql = /* sql */ `
CREATE TABLE rl_runs (
  id               TEXT    NOT NULL PRIMARY KEY,
  experiment_id    TEXT    REFERENCES experiments(id) ON DELETE SET NULL,
  name             TEXT    NOT NULL CHECK (length(trim(name)) > 0),
  definition_name  TEXT    NOT NULL,
  title            TEXT    NOT NULL,
  status           TEXT    NOT NULL CHECK (status IN ('running','completed','cancelled','failed','interrupted')),
  message          TEXT,
  config_json      TEXT    NOT NULL CHECK (json_valid(config_json) AND json_type(config_json) = 'object'),
  seeds_json       TEXT    NOT NULL CHECK (json_valid(seeds_json) AND json_type(seeds_json) = 'array'),
  jobs_total       INTEGER NOT NULL CHECK (jobs_total >= 0),
  jobs_done        INTEGER NOT NULL DEFAULT 0 CHECK (jobs_done >= 0 AND jobs_done <= jobs_total),
  comparison_json  TEXT    CHECK (comparison_json IS NULL OR (json_valid(comparison_json) AND json_type(comparison_json) = 'array')),
  hardware_json    TEXT    CHECK (hardware_json IS NULL OR json_valid(hardware_json)),
  owner_json       TEXT    CHECK (owner_json IS NULL OR json_valid(owner_json)),
  app_version      TEXT    NOT NULL,
  host             TEXT    NOT NULL,
  wall_seconds     REAL,
  created_at       TEXT    NOT NULL,
  updated_at       TEXT    NOT NULL,
  ended_at         TEXT
) STRICT;

CREATE INDEX rl_runs_by_created ON rl_runs (created_at);
CREATE INDEX rl_runs_by_experiment ON rl_runs (experiment_id, created_at);
CREATE INDEX rl_runs_by_status ON rl_runs (status);

CREATE TABLE rl_episodes (
  run_id              TEXT    NOT NULL REFERENCES rl_runs(id) ON DELETE CASCADE,
  environment_id      TEXT    NOT NULL,
  strategy_id         TEXT    NOT NULL,
  seed                INTEGER NOT NULL CHECK (seed >= 0),
  n                   INTEGER NOT NULL CHECK (n >= 0),
  training_iterations INTEGER NOT NULL CHECK (training_iterations >= 0),
  converged           INTEGER NOT NULL CHECK (converged IN (0, 1)),
  phases_json         TEXT    NOT NULL CHECK (json_valid(phases_json) AND json_type(phases_json) = 'array'),
  steps               BLOB    NOT NULL CHECK (length(steps) = 4 * n),
  returns             BLOB    NOT NULL CHECK (length(returns) = 8 * n),
  alpha               BLOB    NOT NULL CHECK (length(alpha) = 8 * n),
  conductance         BLOB    NOT NULL CHECK (length(conductance) = 8 * n),
  success             BLOB    NOT NULL CHECK (length(success) = n),
  td_error            BLOB    NOT NULL CHECK (length(td_error) = 4 * n),
  greedy_length       BLOB    NOT NULL CHECK (length(greedy_length) = 4 * n),
  PRIMARY KEY (run_id, environment_id, strategy_id, seed)
) STRICT;
`;
