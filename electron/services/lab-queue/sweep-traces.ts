/**
 * An RL sweep job's per-episode traces in the lab (lab schema 6): written by the worker with the
 * job's result, read back to replay an episode (`lab.sweepPath`, by rl/replay.ts as `rl.path`
 * replays this PC's runs) and to export the per-episode CSV (`lab.sweepExport`, rl/episodes-csv.ts).
 * A job written by a worker older than schema 6 has none: it is named, never replayed with made-up rates.
 */
import type pg from 'pg';
import { parseExperimentText, type EpisodeTrace, type Experiment, type RunResult } from '../../../shared/rl';
import { ServiceError } from '../errors';
import { hasReplayData, traceRows, type TraceTable } from '../lab/browse';
import { traceToJson } from '../lab/publish-items';
import { checkTrace } from '../store/rl-episodes';

/**
 * The traces a worker stores with a job's result. Bounded as a local run's are: every column the
 * typed array of the same length the store checks (checkTrace), and no more episodes than the
 * experiment's cap for the environment (the schema's episode bound), so a worker cannot write more
 * than a local run of the same experiment keeps.
 */
export function jobTraceJson(experiment: Experiment, result: RunResult): Record<string, string> {
  const n = checkTrace(result);
  const env = experiment.environments.find((e) => e.id === result.environmentId);
  const cap = env?.episodes ?? experiment.episodes;
  if (n > cap) throw new Error(`job ${result.environmentId}/${result.strategyId}/${result.seed} has ${n} episodes, more than the experiment's cap of ${cap}`);
  return traceToJson(result.episodes);
}

/** The experiment of an RL sweep (not_found: no such sweep; invalid_request: a simulation sweep). */
export async function sweepExperiment(client: pg.ClientBase, sweepId: string): Promise<{ experiment: Experiment; title: string }> {
  const r = await client.query<{ kind: string; title: string; spec: string }>('SELECT kind, title, spec FROM lab_sweeps WHERE sweep_id = $1', [sweepId]);
  const row = r.rows[0];
  if (!row) throw new ServiceError('not_found', `The lab has no sweep ${sweepId}.`);
  if (row.kind !== 'rl-comparison') throw new ServiceError('invalid_request', `Sweep ${sweepId} is a ${row.kind} sweep: it has no RL episodes (its runs are in the lab archive).`);
  const parsed = parseExperimentText(row.spec);
  if (!parsed.ok) throw new ServiceError('unavailable', `Sweep ${sweepId}'s experiment does not parse in this workbench version.`);
  return { experiment: parsed.experiment, title: row.title };
}

/** Every finished job of an RL sweep and whether its worker stored its traces, in environment, strategy, seed order. */
export async function sweepJobs(client: pg.ClientBase, sweepId: string): Promise<{ environmentId: string; strategyId: string; seed: number; traces: boolean }[]> {
  const r = await client.query<{ environment_id: string; strategy_id: string; seed: number; traces: boolean }>(
    `SELECT environment_id, strategy_id, seed, traces IS NOT NULL AND traces <> 'null'::jsonb AS traces
       FROM lab_sweep_results WHERE sweep_id = $1 ORDER BY environment_id, strategy_id, seed`,
    [sweepId],
  );
  return r.rows.map((x) => ({ environmentId: x.environment_id, strategyId: x.strategy_id, seed: x.seed, traces: x.traces }));
}

const SWEEP_TRACES: TraceTable = { table: 'lab_sweep_results', key: 'sweep_id' };

const noTraces = (what: string) =>
  `${what} was run by a worker older than lab schema 6, which kept only the comparison, not the per-episode traces (learning rate per episode) that the replay and the per-episode CSV need. Submit the sweep again for workers of this version to keep them.`;

/** The trace a replay of one sweep job starts from (undefined: the job has no result yet). */
export async function sweepReplayTrace(client: pg.ClientBase, sweepId: string, environmentId: string, strategyId: string, seed: number): Promise<EpisodeTrace | undefined> {
  const [row] = await traceRows(client, SWEEP_TRACES, sweepId, environmentId, strategyId, seed);
  if (!row) return undefined;
  if (!hasReplayData(row.trace)) throw new ServiceError('not_found', noTraces(`Seed ${seed} of '${strategyId}' on '${environmentId}' of this sweep`));
  return row.trace;
}

/**
 * Every stored trace of one strategy on one environment of a sweep, by seed, for the CSV. A job
 * without traces refuses the export (a CSV silently missing jobs would read as complete).
 */
export async function sweepTraces(client: pg.ClientBase, sweepId: string, environmentId: string, strategyId: string): Promise<{ seed: number; trace: EpisodeTrace }[]> {
  const rows = await traceRows(client, SWEEP_TRACES, sweepId, environmentId, strategyId);
  const missing = rows.find((x) => x.trace === null);
  if (missing) throw new ServiceError('not_found', noTraces(`Seed ${missing.seed} of '${strategyId}' on '${environmentId}' of this sweep`));
  return rows as { seed: number; trace: EpisodeTrace }[];
}
