/**
 * The per-episode traces of an RL run's jobs: one `rl_episodes` row per (environment, strategy,
 * seed), each trace column a typed array's little-endian memory image (the store refuses
 * big-endian machines, see samples.ts), read back into fresh, aligned arrays.
 */
import type { PhaseResult, RunResult } from '../../../shared/rl';
import type { StoreContext } from './context';
import { StoreError } from './errors';
import type { RlJobSummary, RlJobTrace } from './rl-run-types';
import { checkInteger, invalid } from './validate';

interface EpisodeRow {
  environment_id: string;
  strategy_id: string;
  seed: number;
  n: number;
  training_iterations: number;
  converged: number;
  phases_json: string;
  steps: Buffer;
  returns: Buffer;
  alpha: Buffer;
  conductance: Buffer;
  success: Buffer;
  td_error: Buffer;
  greedy_length: Buffer;
}

const bytes = (a: ArrayBufferView): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** A BLOB copied into its own aligned memory, as the typed array it was written from. */
function typed<T>(blob: Buffer, Ctor: new (buffer: ArrayBuffer) => T): T {
  return new Ctor(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength) as ArrayBuffer);
}

/** A stored JSON column; 'corrupt' when it does not parse. */
export function parseJson<T>(text: string | null, what: string): T | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new StoreError('corrupt', `The stored ${what} is not valid JSON: ${(e as Error).message}`);
  }
}

/** The number of episodes of a job's traces, every column checked to be the typed array it must be, as long. */
export function checkTrace(result: RunResult): number {
  const t = result.episodes;
  const n = t.steps.length;
  const expect: [string, ArrayBufferView & { length: number }, new (...args: never[]) => unknown][] = [
    ['steps', t.steps, Int32Array],
    ['returns', t.returns, Float64Array],
    ['alpha', t.alpha, Float64Array],
    ['conductance', t.conductance, Float64Array],
    ['success', t.success, Uint8Array],
    ['tdErrorMean', t.tdErrorMean, Float64Array],
    ['greedyLength', t.greedyLength, Int32Array],
  ];
  for (const [key, a, type] of expect) {
    if (!(a instanceof type)) throw invalid(`episodes.${key} must be a ${type.name}`);
    if (a.length !== n) throw invalid(`episodes.${key} holds ${a.length} values but episodes.steps holds ${n}`);
  }
  return n;
}

/** Stores one finished job's traces (inside the caller's transaction, which counts the job done). */
export function insertEpisodes(ctx: StoreContext, runId: string, result: RunResult, n: number): void {
  const t = result.episodes;
  ctx
    .stmt(
      `INSERT INTO rl_episodes (run_id, environment_id, strategy_id, seed, n, training_iterations, converged, phases_json,
         steps, returns, alpha, conductance, success, td_error, greedy_length)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      runId,
      result.environmentId,
      result.strategyId,
      checkInteger(result.seed, 'seed', 0),
      n,
      checkInteger(result.trainingIterations, 'trainingIterations', 0),
      result.converged ? 1 : 0,
      JSON.stringify(result.phases),
      bytes(t.steps),
      bytes(t.returns),
      bytes(t.alpha),
      bytes(t.conductance),
      bytes(t.success),
      bytes(Float32Array.from(t.tdErrorMean)),
      bytes(t.greedyLength),
    );
}

/** Every finished job of a run (without traces), in environment, strategy, seed order. */
export function episodeJobs(ctx: StoreContext, id: string): RlJobSummary[] {
  const rows = ctx
    .stmt(
      `SELECT environment_id, strategy_id, seed, n, training_iterations, converged, phases_json FROM rl_episodes
       WHERE run_id = ? ORDER BY environment_id, strategy_id, seed`,
    )
    .all(id) as Omit<EpisodeRow, 'steps' | 'returns' | 'alpha' | 'conductance' | 'success' | 'td_error' | 'greedy_length'>[];
  return rows.map((r) => ({
    environmentId: r.environment_id,
    strategyId: r.strategy_id,
    seed: r.seed,
    episodes: r.n,
    trainingIterations: r.training_iterations,
    converged: r.converged === 1,
    phases: parseJson<PhaseResult[]>(r.phases_json, 'phases')!,
  }));
}

/** The per-episode traces of one strategy on one environment: every stored seed, or one. */
export function episodeTraces(ctx: StoreContext, id: string, environmentId: string, strategyId: string, seed?: number): RlJobTrace[] {
  const rows =
    seed === undefined
      ? (ctx
          .stmt('SELECT * FROM rl_episodes WHERE run_id = ? AND environment_id = ? AND strategy_id = ? ORDER BY seed')
          .all(id, environmentId, strategyId) as EpisodeRow[])
      : (ctx
          .stmt('SELECT * FROM rl_episodes WHERE run_id = ? AND environment_id = ? AND strategy_id = ? AND seed = ?')
          .all(id, environmentId, strategyId, checkInteger(seed, 'seed', 0)) as EpisodeRow[]);
  return rows.map((r) => ({
    seed: r.seed,
    trace: {
      steps: typed(r.steps, Int32Array),
      returns: typed(r.returns, Float64Array),
      alpha: typed(r.alpha, Float64Array),
      conductance: typed(r.conductance, Float64Array),
      success: typed(r.success, Uint8Array),
      tdErrorMean: Float64Array.from(typed(r.td_error, Float32Array)),
      greedyLength: typed(r.greedy_length, Int32Array),
    },
  }));
}
