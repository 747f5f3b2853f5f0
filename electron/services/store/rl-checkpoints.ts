/**
 * Checkpoints of RL jobs on a device, and what each episode did to the device (migration 8). An
 * episode's checkpoint and its device record are written in one transaction, so after a crash the
 * checkpoint and the device log agree: the run resumes at the first episode neither holds.
 */
import { JobInProgress, type EpisodeValues, type JobCheckpoint } from '../../../shared/rl';
import type { StoreContext } from './context';
import { StoreError } from './errors';
import { checkInteger, checkUuid, invalid } from './validate';

/** What the device-driven learning rate needs to continue besides the job itself. */
export interface RateState {
  /** The reference conductance the α map spans (S), fixed for the whole run. */
  g0: number;
}

/** The constant-size part of a job's checkpoint (its traces are the episodes' rows). */
export type JobState = Omit<JobCheckpoint, 'trace' | 'optimal'>;

export interface StoredCheckpoint {
  job: JobState;
  rate: RateState;
}

export interface DeviceEpisode {
  environmentId: string;
  strategyId: string;
  seed: number;
  episode: number;
  /** G read before the episode (the read that set its α) and after it (S); null when not read. */
  gBefore: number | null;
  gAfter: number | null;
  alpha: number;
  pulses: number;
  startedAt: string;
  endedAt: string;
  /** The episode's entries in the job's traces. */
  values: EpisodeValues;
}

interface DeviceEpisodeRow {
  environment_id: string;
  strategy_id: string;
  seed: number;
  episode: number;
  g_before: number | null;
  g_after: number | null;
  alpha: number;
  pulses: number;
  started_at: string;
  ended_at: string;
  steps: number;
  return_value: number;
  success: number;
  td_error: number;
  greedy_length: number;
  optimal: number;
}

const finiteOrNull = (x: number | null, what: string): number | null => {
  if (x === null) return null;
  if (!Number.isFinite(x)) throw invalid(`${what} must be a finite number or null, got ${String(x)}`);
  return x;
};

export class RlCheckpoints {
  constructor(private readonly ctx: StoreContext) {}

  /** Records one finished episode: the job's checkpoint after it and the device's record of it. 'conflict' unless the run is running. */
  saveEpisode(runId: string, checkpoint: StoredCheckpoint, episode: DeviceEpisode): void {
    const id = checkUuid(runId, 'RL run id');
    const { job } = checkpoint.job;
    if (episode.values.success !== 0 && episode.values.success !== 1) throw invalid(`success must be 0 or 1, got ${episode.values.success}`);
    if (checkpoint.job.next !== episode.episode + 1) throw invalid(`the checkpoint after episode ${episode.episode} must have ${episode.episode + 1} episodes done, not ${checkpoint.job.next}`);
    if (!(checkpoint.rate.g0 > 0 && Number.isFinite(checkpoint.rate.g0))) throw invalid(`the reference conductance G0 must be a positive number, got ${checkpoint.rate.g0}`);
    this.ctx.tx(() => {
      const row = this.ctx.stmt('SELECT status FROM rl_runs WHERE id = ?').get(id) as { status: string } | undefined;
      if (!row) throw new StoreError('not_found', `There is no RL run with id ${id}.`);
      if (row.status !== 'running') throw new StoreError('conflict', `The RL run is ${row.status}; it records no more episodes.`);
      this.ctx
        .stmt(
          `INSERT INTO rl_checkpoints (run_id, environment_id, strategy_id, seed, episodes_done, state_json, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (run_id, environment_id, strategy_id, seed) DO UPDATE SET episodes_done = excluded.episodes_done, state_json = excluded.state_json, updated_at = excluded.updated_at`,
        )
        .run(id, job.environmentId, job.strategyId, checkInteger(job.seed, 'seed', 0), checkpoint.job.next, JSON.stringify(checkpoint), this.ctx.now());
      this.ctx
        .stmt(
          `INSERT INTO rl_device_episodes (run_id, environment_id, strategy_id, seed, episode, g_before, g_after, alpha, pulses, started_at, ended_at,
             steps, return_value, success, td_error, greedy_length, optimal)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          episode.environmentId,
          episode.strategyId,
          checkInteger(episode.seed, 'seed', 0),
          checkInteger(episode.episode, 'episode', 0),
          finiteOrNull(episode.gBefore, 'G before'),
          finiteOrNull(episode.gAfter, 'G after'),
          finiteOrNull(episode.alpha, 'alpha') ?? Number.NaN,
          checkInteger(episode.pulses, 'pulses', 0),
          episode.startedAt,
          episode.endedAt,
          checkInteger(episode.values.steps, 'steps', 0),
          episode.values.returns,
          episode.values.success,
          episode.values.tdErrorMean,
          episode.values.greedyLength,
          episode.values.optimal,
        );
    });
  }

  /** The whole checkpoint of a job in flight (its state and its episodes' values), or null when it has none. */
  get(runId: string, job: { environmentId: string; strategyId: string; seed: number }): { job: JobCheckpoint; rate: RateState } | null {
    const id = checkUuid(runId, 'RL run id');
    const row = this.ctx
      .stmt('SELECT state_json FROM rl_checkpoints WHERE run_id = ? AND environment_id = ? AND strategy_id = ? AND seed = ?')
      .get(id, job.environmentId, job.strategyId, job.seed) as { state_json: string } | undefined;
    if (!row) return null;
    const stored = JSON.parse(row.state_json) as StoredCheckpoint;
    const episodes = this.deviceEpisodes(id).filter((e) => e.environmentId === job.environmentId && e.strategyId === job.strategyId && e.seed === job.seed);
    return { job: JobInProgress.checkpointOf(stored.job, episodes.slice(0, stored.job.next).map((e) => e.values)), rate: stored.rate };
  }

  /** Drops a job's checkpoint (its finished row is in rl_episodes). */
  drop(runId: string, job: { environmentId: string; strategyId: string; seed: number }): void {
    this.ctx.stmt('DELETE FROM rl_checkpoints WHERE run_id = ? AND environment_id = ? AND strategy_id = ? AND seed = ?').run(checkUuid(runId, 'RL run id'), job.environmentId, job.strategyId, job.seed);
  }

  /** Every device episode of a run, in job and episode order. */
  deviceEpisodes(runId: string): DeviceEpisode[] {
    const rows = this.ctx
      .stmt('SELECT * FROM rl_device_episodes WHERE run_id = ? ORDER BY environment_id, strategy_id, seed, episode')
      .all(checkUuid(runId, 'RL run id')) as DeviceEpisodeRow[];
    return rows.map((r) => ({
      environmentId: r.environment_id,
      strategyId: r.strategy_id,
      seed: r.seed,
      episode: r.episode,
      gBefore: r.g_before,
      gAfter: r.g_after,
      alpha: r.alpha,
      pulses: r.pulses,
      startedAt: r.started_at,
      endedAt: r.ended_at,
      values: {
        steps: r.steps,
        returns: r.return_value,
        alpha: r.alpha,
        conductance: r.g_before,
        success: r.success,
        tdErrorMean: r.td_error,
        greedyLength: r.greedy_length,
        optimal: r.optimal,
      },
    }));
  }

  /** An interrupted (or cancelled) run goes back to running, owned by this process, to be resumed. */
  reopen(runId: string, owner: string): void {
    const id = checkUuid(runId, 'RL run id');
    this.ctx.tx(() => {
      const row = this.ctx.stmt('SELECT status, name FROM rl_runs WHERE id = ?').get(id) as { status: string; name: string } | undefined;
      if (!row) throw new StoreError('not_found', `There is no RL run with id ${id}.`);
      if (row.status !== 'interrupted' && row.status !== 'cancelled') throw new StoreError('conflict', `RL run "${row.name}" is ${row.status}; only an interrupted or cancelled run resumes.`);
      this.ctx.stmt(`UPDATE rl_runs SET status = 'running', message = NULL, ended_at = NULL, comparison_json = NULL, owner_json = ?, updated_at = ? WHERE id = ?`).run(owner, this.ctx.now(), id);
    });
  }
}
