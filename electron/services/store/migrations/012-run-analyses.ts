/**
 * Migration 12: the switching figures extracted from a run (#13: per cycle V_set, V_reset, HRS,
 * LRS, maxSetCurrent; on/off ratio, CV %, medians), stored with the run so the Archive shows them
 * and exports them without re-reading every sample.
 *
 * One row per run (deleted with it). `analysis_json` is shared/analysis's SwitchingAnalysis;
 * `version` the extraction's version and `sample_count` how many samples it saw: a stored analysis
 * whose version or count differs from the run's is stale and is computed again.
 */
export const version = 12;
export const name = 'run-analyses';

export const sql = /* sql */ `
CREATE TABLE run_analyses (
  run_id        TEXT    NOT NULL PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  version       INTEGER NOT NULL CHECK (version >= 1),
  sample_count  INTEGER NOT NULL CHECK (sample_count >= 0),
  computed_at   TEXT    NOT NULL,
  analysis_json TEXT    NOT NULL CHECK (json_valid(analysis_json) AND json_type(analysis_json) = 'object')
) STRICT;
`;
