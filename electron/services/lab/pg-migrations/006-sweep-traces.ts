/**
 * Lab schema 6: an RL sweep job's per-episode traces beside its result, so the Lab page replays an
 * episode of a sweep's job and exports its per-episode CSV as it does for a published RL run. The
 * column holds what lab_rl_episodes.traces holds (publish-items' traceToJson: each typed array's
 * little-endian bytes in base64). NULL: the job was run by a worker older than this schema (its
 * result kept the comparison only) — the app says so for that job.
 */
export const version = 6;
export const name = 'sweep-traces';

export const sql = /* sql */ `
ALTER TABLE lab_sweep_results ADD COLUMN traces jsonb;
`;
