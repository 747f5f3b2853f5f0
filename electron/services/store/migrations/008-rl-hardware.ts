/**
 * Migration 8: RL runs on a device that take hours, resumable (#12).
 *
 * rl_checkpoints: for each job in flight, the job between two episodes — episode counter, the
 * maze's and agent's random streams, the Q table: the constant-size part of shared/rl's
 * JobCheckpoint — and what the learning rate needs to go on, written in the same transaction as
 * the episode's row below, which holds that episode's entries of the traces; together they are
 * the whole checkpoint, and writing one costs the same at episode 5 as at episode 5000. A finished job's checkpoint is deleted when its rl_episodes row is written, so a
 * killed process loses at most the episode in flight.
 *
 * rl_device_episodes: per episode of a job on a device, what happened to the device — G read before
 * (the one behind α) and after, the α used, the pulses applied, when (ISO times) — and the
 * episode's own figures (steps, return, success, mean |TD error|, greedy path length, optimal).
 */
export const version = 8;
export const name = 'rl-hardware';

export const sql = /* sql */ `
CREATE TABLE rl_checkpoints (
  run_id          TEXT    NOT NULL REFERENCES rl_runs(id) ON DELETE CASCADE,
  environment_id  TEXT    NOT NULL,
  strategy_id     TEXT    NOT NULL,
  seed            INTEGER NOT NULL CHECK (seed >= 0),
  episodes_done   INTEGER NOT NULL CHECK (episodes_done >= 0),
  state_json      TEXT    NOT NULL CHECK (json_valid(state_json) AND json_type(state_json) = 'object'),
  updated_at      TEXT    NOT NULL,
  PRIMARY KEY (run_id, environment_id, strategy_id, seed)
) STRICT;

CREATE TABLE rl_device_episodes (
  run_id          TEXT    NOT NULL REFERENCES rl_runs(id) ON DELETE CASCADE,
  environment_id  TEXT    NOT NULL,
  strategy_id     TEXT    NOT NULL,
  seed            INTEGER NOT NULL CHECK (seed >= 0),
  episode         INTEGER NOT NULL CHECK (episode >= 0),
  g_before        REAL,
  g_after         REAL,
  alpha           REAL    NOT NULL,
  pulses          INTEGER NOT NULL CHECK (pulses >= 0),
  started_at      TEXT    NOT NULL,
  ended_at        TEXT    NOT NULL,
  steps           INTEGER NOT NULL CHECK (steps >= 0),
  return_value    REAL    NOT NULL,
  success         INTEGER NOT NULL CHECK (success IN (0, 1)),
  td_error        REAL    NOT NULL,
  greedy_length   INTEGER NOT NULL,
  optimal         INTEGER NOT NULL CHECK (optimal IN (0, 1)),
  PRIMARY KEY (run_id, environment_id, strategy_id, seed, episode)
) STRICT;
`;
