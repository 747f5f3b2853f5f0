/**
 * Reinforcement-learning runs: every comparison run with the experiment definition it ran (parsed,
 * defaults filled in), its seeds, status and comparison, and every job's per-episode traces as
 * typed-array BLOBs — one `rl_episodes` row per (environment, strategy, seed), written when the job
 * finishes. So a stored run can be replayed to the same curves, table and agent paths, and a run
 * that was cancelled or crashed keeps the jobs it finished.
 *
 * Typed arrays are stored as their little-endian memory image (the store refuses big-endian
 * machines, see samples.ts) and read back into fresh, aligned arrays.
 */
import { randomUUID } from 'node:crypto';
import { rlRunStatuses, rlTerminalStatuses, type RlRunStatus } from '../../../shared/contract/areas/rl';
import type { Experiment, RunResult } from '../../../shared/rl';
import type { StoreContext } from './context';
import type { LabDevices } from './lab-devices';
import { deviceKeyForRlRun } from './virtual-device-keys';
import { StoreError } from './errors';
import { currentOwner, ownerLiveness, parseOwner, type OwnerLiveness, type RunOwner } from './owner';
import { checkTrace, episodeJobs, episodeTraces, insertEpisodes, parseJson } from './rl-episodes';
import type { NewRlRun, RlJobSummary, RlJobTrace, RlRunDetail, RlRunFilter, RlRunRecord, RunRow } from './rl-run-types';
import { checkInteger, checkName, checkText, checkUuid, describe, invalid } from './validate';

/** What an RL run that was running when its process died is marked with. */
export const RL_INTERRUPTED_MESSAGE = 'the workbench stopped while the RL run was active; the jobs it finished are kept';

const MAX_LIST = 10_000;

export class RlRuns {
  constructor(
    private readonly ctx: StoreContext,
    private readonly lab: LabDevices,
  ) {}

  /** Starts a run's record: status 'running', owned by this process. */
  create(input: NewRlRun): RlRunDetail {
    const id = input.id === undefined ? randomUUID() : checkUuid(input.id, 'RL run id');
    const name = checkName(input.name, 'RL run name');
    const experimentId = input.experimentId === undefined || input.experimentId === null ? null : checkUuid(input.experimentId, 'experiment id');
    const config = input.config;
    if (config === null || typeof config !== 'object' || typeof config.name !== 'string' || !Array.isArray(config.environments)) {
      throw invalid(`the RL run's configuration must be a parsed experiment, got ${describe(config)}`);
    }
    if (!Array.isArray(input.seeds) || input.seeds.length === 0) throw invalid('an RL run needs at least one seed');
    const seeds = input.seeds.map((s, k) => checkInteger(s, `seeds[${k}]`, 0));
    const jobsTotal = checkInteger(input.jobsTotal, 'jobsTotal', 0);
    const now = this.ctx.now();
    return this.ctx.tx(() => {
      if (experimentId !== null && this.ctx.stmt('SELECT 1 FROM experiments WHERE id = ?').get(experimentId) === undefined) {
        throw new StoreError('not_found', `There is no experiment with id ${experimentId}.`);
      }
      const deviceId =
        input.deviceId === undefined || input.deviceId === null
          ? this.lab.virtualDevice(deviceKeyForRlRun(config, input.hardware ?? null))
          : this.lab.checkRunDevice(input.deviceId);
      this.ctx
        .stmt(
          `INSERT INTO rl_runs (id, experiment_id, name, definition_name, title, status, config_json, seeds_json, jobs_total,
             hardware_json, owner_json, app_version, host, created_at, updated_at, device_id)
           VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          experimentId,
          name,
          config.name,
          config.title,
          JSON.stringify(config),
          JSON.stringify(seeds),
          jobsTotal,
          input.hardware === undefined || input.hardware === null ? null : JSON.stringify(input.hardware),
          JSON.stringify(currentOwner()),
          this.ctx.appVersion,
          this.ctx.host,
          now,
          now,
          deviceId,
        );
      return this.get(id);
    });
  }

  /** Stores one finished job's traces and counts it done. 'conflict' when the run is no longer running. */
  addJob(runId: string, result: RunResult): void {
    const id = checkUuid(runId, 'RL run id');
    const n = checkTrace(result);
    this.ctx.tx(() => {
      const info = this.ctx
        .stmt(`UPDATE rl_runs SET jobs_done = jobs_done + 1, updated_at = ? WHERE id = ? AND status = 'running' AND jobs_done < jobs_total`)
        .run(this.ctx.now(), id);
      if (info.changes === 0) {
        const row = this.row(id);
        throw new StoreError('conflict', `RL run "${row.name}" is ${row.status} with ${row.jobs_done} of ${row.jobs_total} jobs; it takes no more jobs.`);
      }
      insertEpisodes(this.ctx, id, result, n);
    });
  }

  /** Ends a running run. 'conflict' when it has already ended. */
  finish(runId: string, status: Exclude<RlRunStatus, 'running'>, outcome: { comparison?: unknown[] | null; message?: string | null; wallSeconds?: number | null } = {}): RlRunDetail {
    const id = checkUuid(runId, 'RL run id');
    if (!rlTerminalStatuses.includes(status)) throw invalid(`an RL run ends as ${rlTerminalStatuses.join(', ')}; got ${describe(status)}`);
    const now = this.ctx.now();
    return this.ctx.tx(() => {
      const info = this.ctx
        .stmt(
          `UPDATE rl_runs SET status = ?, message = ?, comparison_json = ?, wall_seconds = ?, ended_at = ?, updated_at = ?, owner_json = NULL
           WHERE id = ? AND status = 'running'`,
        )
        .run(
          status,
          outcome.message ?? null,
          outcome.comparison === undefined || outcome.comparison === null ? null : JSON.stringify(outcome.comparison),
          outcome.wallSeconds ?? null,
          now,
          now,
          id,
        );
      if (info.changes === 0) {
        const row = this.row(id);
        throw new StoreError('conflict', `RL run "${row.name}" has already ended (${row.status}).`);
      }
      return this.get(id);
    });
  }

  get(runId: string): RlRunDetail {
    const row = this.row(checkUuid(runId, 'RL run id'));
    const record = this.record(row);
    return { ...record, config: parseJson<Experiment>(row.config_json, 'RL configuration')!, owner: parseOwner(row.owner_json) };
  }

  has(runId: string): boolean {
    return this.ctx.stmt('SELECT 1 FROM rl_runs WHERE id = ?').get(checkUuid(runId, 'RL run id')) !== undefined;
  }

  /** Runs matching every given filter, newest first, one page at a time (count() gives the total). */
  list(filter: RlRunFilter = {}): RlRunRecord[] {
    const { clause, params } = this.where(filter);
    const limit = filter.limit === undefined ? MAX_LIST : checkInteger(filter.limit, 'limit', 1, MAX_LIST);
    const offset = filter.offset === undefined ? 0 : checkInteger(filter.offset, 'offset', 0);
    const rows = this.ctx.stmt(`SELECT * FROM rl_runs ${clause} ORDER BY created_at DESC, id LIMIT ? OFFSET ?`).all(...params, limit, offset) as RunRow[];
    return rows.map((r) => this.record(r));
  }

  /** How many runs match the filter (its limit and offset aside). */
  count(filter: RlRunFilter = {}): number {
    const { clause, params } = this.where(filter);
    return this.ctx.stmt(`SELECT count(*) FROM rl_runs ${clause}`).pluck().get(...params) as number;
  }

  rename(runId: string, name: string): RlRunDetail {
    const id = checkUuid(runId, 'RL run id');
    const n = checkName(name, 'RL run name');
    return this.ctx.tx(() => {
      this.row(id);
      this.ctx.stmt('UPDATE rl_runs SET name = ?, updated_at = ? WHERE id = ?').run(n, this.ctx.now(), id);
      return this.get(id);
    });
  }

  /** Every finished job of a run (without traces), in environment, strategy, seed order. */
  jobs(runId: string): RlJobSummary[] {
    const id = checkUuid(runId, 'RL run id');
    this.row(id);
    return episodeJobs(this.ctx, id);
  }

  /** The per-episode traces of one strategy on one environment: every stored seed, or one. */
  traces(runId: string, environmentId: string, strategyId: string, seed?: number): RlJobTrace[] {
    const id = checkUuid(runId, 'RL run id');
    this.row(id);
    return episodeTraces(this.ctx, id, environmentId, strategyId, seed);
  }

  /** Deletes a run and its episodes. A run still running in a live process is refused ('conflict'). */
  delete(runId: string, liveness: (owner: RunOwner) => OwnerLiveness = ownerLiveness): { id: string } {
    const id = checkUuid(runId, 'RL run id');
    return this.ctx.tx(() => {
      const row = this.row(id);
      if (row.status === 'running') {
        const owner = parseOwner(row.owner_json);
        if (owner === null || liveness(owner) !== 'dead') throw new StoreError('conflict', `RL run "${row.name}" is running; cancel it before deleting it.`);
      }
      this.ctx.stmt('DELETE FROM rl_runs WHERE id = ?').run(id);
      return { id };
    });
  }

  /**
   * Marks runs left 'running' by a process that is gone as 'interrupted' (their finished jobs stay).
   * A run whose owner is alive — this process, or another workbench on the same data folder — is
   * left alone. Returns how many were marked.
   */
  markInterrupted(liveness: (owner: RunOwner) => OwnerLiveness = ownerLiveness): number {
    const rows = this.ctx.stmt(`SELECT id, owner_json FROM rl_runs WHERE status = 'running'`).all() as { id: string; owner_json: string | null }[];
    const gone = rows.filter((r) => {
      const owner = parseOwner(r.owner_json);
      return owner === null || liveness(owner) === 'dead';
    });
    if (gone.length === 0) return 0;
    return this.ctx.tx(() => {
      const now = this.ctx.now();
      const info = this.ctx
        .stmt(
          `UPDATE rl_runs SET status = 'interrupted', message = ?, ended_at = updated_at, updated_at = ?, owner_json = NULL
           WHERE status = 'running' AND id IN (SELECT value FROM json_each(?))`,
        )
        .run(RL_INTERRUPTED_MESSAGE, now, JSON.stringify(gone.map((r) => r.id)));
      return info.changes;
    });
  }

  private where(filter: RlRunFilter): { clause: string; params: unknown[] } {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.experimentId !== undefined) {
      where.push('experiment_id = ?');
      params.push(checkUuid(filter.experimentId, 'experiment id'));
    }
    if (filter.status !== undefined) {
      if (!rlRunStatuses.includes(filter.status)) throw invalid(`an RL run's status is one of ${rlRunStatuses.join(', ')}; got ${describe(filter.status)}`);
      where.push('status = ?');
      params.push(filter.status);
    }
    if (filter.search !== undefined) {
      const text = checkText(filter.search, 'search text', 200).trim();
      if (text !== '') {
        const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        where.push("(name LIKE ? ESCAPE '\\' OR definition_name LIKE ? ESCAPE '\\' OR title LIKE ? ESCAPE '\\')");
        params.push(like, like, like);
      }
    }
    return { clause: where.length > 0 ? `WHERE ${where.join(' AND ')}` : '', params };
  }

  private row(id: string): RunRow {
    const row = this.ctx.stmt('SELECT * FROM rl_runs WHERE id = ?').get(id) as RunRow | undefined;
    if (!row) throw new StoreError('not_found', `There is no RL run with id ${id}.`);
    return row;
  }

  private record(r: RunRow): RlRunRecord {
    const config = parseJson<Experiment>(r.config_json, 'RL configuration')!;
    return {
      id: r.id,
      experimentId: r.experiment_id,
      name: r.name,
      definitionName: r.definition_name,
      title: r.title,
      status: r.status,
      message: r.message,
      seeds: parseJson<number[]>(r.seeds_json, 'seeds')!,
      jobsTotal: r.jobs_total,
      jobsDone: r.jobs_done,
      environments: (config.environments ?? []).map((e) => ({ id: e.id, title: e.title, episodes: e.episodes ?? config.episodes })),
      strategies: (config.strategies ?? []).map((s) => ({ id: s.id, name: s.name, kind: s.kind, ...(s.color === undefined ? {} : { color: s.color }) })),
      comparison: parseJson<unknown[]>(r.comparison_json, 'comparison'),
      hardware: parseJson<unknown>(r.hardware_json, 'hardware description'),
      appVersion: r.app_version,
      host: r.host,
      wallSeconds: r.wall_seconds,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      endedAt: r.ended_at,
    };
  }
}
