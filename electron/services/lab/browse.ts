/**
 * Reading the lab archive (#16): every PC's published runs and RL runs, read-only, with the PC and
 * user that made them and the device each was on (sample → chip → device, crossbar coordinates).
 * Tombstoned runs are not listed.
 */
import type pg from 'pg';
import { ServiceError } from '../errors';
import type { EpisodeTrace } from '../../../shared/rl';
import type { SampleColumns } from '../../../shared/samples/columns';
import { columnsFromRows } from './samples-copy';

/** Where a lab run was measured, as its PC published it (null parts: not published, or deleted). */
export interface LabDeviceRef {
  id: string;
  name: string | null;
  kind: string | null;
  wordLine: number | null;
  bitLine: number | null;
  chipName: string | null;
  chipRows: number | null;
  chipCols: number | null;
  sampleName: string | null;
  sampleKind: string | null;
}

/** The device columns joined onto lab_runs or lab_rl_runs (aliased `r`). */
const deviceColumns = `r.device_id, d.name AS d_name, d.kind AS d_kind, d.word_line AS d_wl, d.bit_line AS d_bl,
  c.name AS c_name, c.rows AS c_rows, c.cols AS c_cols, s.name AS s_name, s.kind AS s_kind`;
const deviceJoins = `LEFT JOIN lab_devices d ON d.pc_id = r.pc_id AND d.device_id = r.device_id AND d.deleted_at IS NULL
  LEFT JOIN lab_chips c ON c.pc_id = d.pc_id AND c.chip_id = d.chip_id
  LEFT JOIN lab_wafer_samples s ON s.pc_id = c.pc_id AND s.sample_id = c.sample_id`;

interface DeviceCols {
  device_id: string | null;
  d_name: string | null;
  d_kind: string | null;
  d_wl: number | null;
  d_bl: number | null;
  c_name: string | null;
  c_rows: number | null;
  c_cols: number | null;
  s_name: string | null;
  s_kind: string | null;
}

function deviceRef(r: DeviceCols): LabDeviceRef | null {
  if (r.device_id === null) return null;
  return { id: r.device_id, name: r.d_name, kind: r.d_kind, wordLine: r.d_wl, bitLine: r.d_bl, chipName: r.c_name, chipRows: r.c_rows, chipCols: r.c_cols, sampleName: r.s_name, sampleKind: r.s_kind };
}

/** `search` as an ILIKE pattern, its wildcards taken literally. */
function likePattern(search: string): string {
  return `%${search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export interface LabRunSummary {
  id: string;
  pcId: string;
  pcName: string;
  userName: string;
  experimentName: string;
  name: string;
  status: string;
  protocolName: string;
  deviceKind: string;
  deviceName: string | null;
  createdAt: string;
  endedAt: string | null;
  sampleCount: number;
  samplesHash: string;
  contentHash: string;
  publishedAt: string;
  device: LabDeviceRef | null;
}

export interface LabRunDetail extends LabRunSummary {
  /** The run's detail as its PC had it (RunDetail without its owner). */
  detail: Record<string, unknown>;
}

const columns = `r.run_id, r.pc_id, r.pc_name, r.user_name, r.experiment_name, r.name, r.status, r.protocol_name, r.device_kind, r.device_name,
  r.created_at, r.ended_at, r.sample_count, r.samples_hash, r.content_hash, r.published_at, ${deviceColumns}`;

interface Row extends DeviceCols {
  run_id: string;
  pc_id: string;
  pc_name: string;
  user_name: string;
  experiment_name: string;
  name: string;
  status: string;
  protocol_name: string;
  device_kind: string;
  device_name: string | null;
  created_at: Date;
  ended_at: Date | null;
  sample_count: string;
  samples_hash: string;
  content_hash: string;
  published_at: Date;
  detail?: Record<string, unknown>;
}

function summary(r: Row): LabRunSummary {
  return {
    id: r.run_id,
    pcId: r.pc_id,
    pcName: r.pc_name,
    userName: r.user_name,
    experimentName: r.experiment_name,
    name: r.name,
    status: r.status,
    protocolName: r.protocol_name,
    deviceKind: r.device_kind,
    deviceName: r.device_name,
    createdAt: r.created_at.toISOString(),
    endedAt: r.ended_at ? r.ended_at.toISOString() : null,
    sampleCount: Number(r.sample_count),
    samplesHash: r.samples_hash,
    contentHash: r.content_hash,
    publishedAt: r.published_at.toISOString(),
    device: deviceRef(r),
  };
}

export interface LabRunQuery {
  /** Only runs of this PC (its lab id). */
  pcId?: string;
  /** Case-insensitive substring of the name, experiment, protocol, PC or user. */
  search?: string;
  limit?: number;
  offset?: number;
}

export async function listLabRuns(client: pg.ClientBase, q: LabRunQuery = {}): Promise<{ runs: LabRunSummary[]; total: number }> {
  const where = ['r.deleted_at IS NULL'];
  const args: unknown[] = [];
  if (q.pcId) {
    args.push(q.pcId);
    where.push(`r.pc_id = $${args.length}`);
  }
  if (q.search && q.search.trim() !== '') {
    args.push(likePattern(q.search));
    const p = `$${args.length}`;
    where.push(`(r.name ILIKE ${p} OR r.experiment_name ILIKE ${p} OR r.protocol_name ILIKE ${p} OR r.pc_name ILIKE ${p} OR r.user_name ILIKE ${p})`);
  }
  const { limit, offset } = page(q);
  const w = where.join(' AND ');
  const rows = await client.query<Row>(`SELECT ${columns} FROM lab_runs r ${deviceJoins} WHERE ${w} ORDER BY r.created_at DESC, r.run_id LIMIT ${limit} OFFSET ${offset}`, args);
  const total = await client.query<{ n: string }>(`SELECT count(*) AS n FROM lab_runs r WHERE ${w}`, args);
  return { runs: rows.rows.map(summary), total: Number(total.rows[0]?.n ?? 0) };
}

function page(q: { limit?: number; offset?: number }): { limit: number; offset: number } {
  return { limit: Math.min(1000, Math.max(1, q.limit ?? 100)), offset: Math.max(0, q.offset ?? 0) };
}

export async function getLabRun(client: pg.ClientBase, runId: string): Promise<LabRunDetail> {
  const r = await client.query<Row>(`SELECT ${columns}, r.detail FROM lab_runs r ${deviceJoins} WHERE r.run_id = $1 AND r.deleted_at IS NULL`, [runId]);
  const row = r.rows[0];
  if (!row) throw new ServiceError('not_found', `The lab has no run ${runId} (never published, or deleted by its PC).`);
  return { ...summary(row), detail: row.detail ?? {} };
}

/** Samples [from, to) of a lab run (all by default), in order. */
export async function labRunSamples(client: pg.ClientBase, runId: string, range: { from?: number; to?: number } = {}): Promise<SampleColumns> {
  const from = Math.max(0, range.from ?? 0);
  const to = range.to ?? 2 ** 31 - 1;
  const r = await client.query<{ t: number; v: number; i: number; g: number; kind: number; block: number; compliance: number }>(
    'SELECT t, v, i, g, kind, block, compliance FROM lab_samples WHERE run_id = $1 AND idx >= $2 AND idx < $3 ORDER BY idx',
    [runId, from, to],
  );
  return columnsFromRows(r.rows);
}

// ---- RL runs ----

export interface LabRlRunSummary {
  id: string;
  pcId: string;
  pcName: string;
  userName: string;
  name: string;
  status: string;
  createdAt: string;
  endedAt: string | null;
  contentHash: string;
  publishedAt: string;
  device: LabDeviceRef | null;
  /** The RL run as its PC stored it (RlRunRecord without its owner). */
  detail: Record<string, unknown>;
}

export interface LabRlJob {
  environmentId: string;
  strategyId: string;
  seed: number;
  episodes: number;
  trainingIterations: number;
  converged: boolean;
  /** Per phase, as the PC stored it (what a comparison is computed from). */
  phases: unknown[];
}

interface RlRow extends DeviceCols {
  run_id: string;
  pc_id: string;
  pc_name: string;
  user_name: string;
  name: string;
  status: string;
  created_at: Date;
  ended_at: Date | null;
  content_hash: string;
  published_at: Date;
  detail: Record<string, unknown>;
}

const rlColumns = `r.run_id, r.pc_id, r.pc_name, r.user_name, r.name, r.status, r.created_at, r.ended_at, r.content_hash, r.published_at, r.detail, ${deviceColumns}`;

function rlSummary(r: RlRow): LabRlRunSummary {
  return {
    id: r.run_id,
    pcId: r.pc_id,
    pcName: r.pc_name,
    userName: r.user_name,
    name: r.name,
    status: r.status,
    createdAt: r.created_at.toISOString(),
    endedAt: r.ended_at ? r.ended_at.toISOString() : null,
    contentHash: r.content_hash,
    publishedAt: r.published_at.toISOString(),
    device: deviceRef(r),
    detail: r.detail,
  };
}

/** Every PC's published RL runs, newest first; `search` finds the name, PC or user. */
export async function listLabRlRuns(client: pg.ClientBase, q: Omit<LabRunQuery, 'pcId'> = {}): Promise<{ runs: LabRlRunSummary[]; total: number }> {
  const where = ['r.deleted_at IS NULL'];
  const args: unknown[] = [];
  if (q.search && q.search.trim() !== '') {
    args.push(likePattern(q.search));
    where.push(`(r.name ILIKE $1 OR r.pc_name ILIKE $1 OR r.user_name ILIKE $1)`);
  }
  const { limit, offset } = page(q);
  const w = where.join(' AND ');
  const rows = await client.query<RlRow>(`SELECT ${rlColumns} FROM lab_rl_runs r ${deviceJoins} WHERE ${w} ORDER BY r.created_at DESC, r.run_id LIMIT ${limit} OFFSET ${offset}`, args);
  const total = await client.query<{ n: string }>(`SELECT count(*) AS n FROM lab_rl_runs r WHERE ${w}`, args);
  return { runs: rows.rows.map(rlSummary), total: Number(total.rows[0]?.n ?? 0) };
}

/** A lab RL run without its jobs. */
export async function getLabRlRunRecord(client: pg.ClientBase, runId: string): Promise<LabRlRunSummary> {
  const r = await client.query<RlRow>(`SELECT ${rlColumns} FROM lab_rl_runs r ${deviceJoins} WHERE r.run_id = $1 AND r.deleted_at IS NULL`, [runId]);
  const row = r.rows[0];
  if (!row) throw new ServiceError('not_found', `The lab has no RL run ${runId} (never published, or deleted by its PC).`);
  return rlSummary(row);
}

/** A lab RL run with its finished jobs (their traces are read one strategy at a time: labRlTraces). */
export async function getLabRlRun(client: pg.ClientBase, runId: string): Promise<LabRlRunSummary & { jobs: LabRlJob[] }> {
  const run = await getLabRlRunRecord(client, runId);
  const jobs = await client.query<{ environment_id: string; strategy_id: string; seed: number; n: number; training_iterations: number; converged: boolean; phases: unknown[] }>(
    'SELECT environment_id, strategy_id, seed, n, training_iterations, converged, phases FROM lab_rl_episodes WHERE run_id = $1 ORDER BY environment_id, strategy_id, seed',
    [runId],
  );
  return {
    ...run,
    jobs: jobs.rows.map((j) => ({ environmentId: j.environment_id, strategyId: j.strategy_id, seed: j.seed, episodes: j.n, trainingIterations: j.training_iterations, converged: j.converged, phases: j.phases })),
  };
}

const traceArrays = { steps: Int32Array, returns: Float64Array, alpha: Float64Array, conductance: Float64Array, success: Uint8Array, tdErrorMean: Float64Array, greedyLength: Int32Array } as const;

/** A trace back from publish-items' traceToJson (each array's little-endian bytes in base64). */
export function traceFromJson(json: Record<string, string>): EpisodeTrace {
  const out: Record<string, ArrayBufferView> = {};
  for (const [key, Kind] of Object.entries(traceArrays)) {
    const bytes = Buffer.from(json[key] ?? '', 'base64');
    // Copied into a fresh, aligned buffer: a Buffer's offset need not suit an 8-byte array.
    const copy = new Uint8Array(bytes.length);
    copy.set(bytes);
    out[key] = new Kind(copy.buffer, 0, bytes.length / Kind.BYTES_PER_ELEMENT);
  }
  return out as unknown as EpisodeTrace;
}

/** Where the lab keeps per-episode traces: a published RL run's jobs, or an RL sweep's (lab schema 6). */
export type TraceTable = { table: 'lab_rl_episodes'; key: 'run_id' } | { table: 'lab_sweep_results'; key: 'sweep_id' };
const RL_RUN_TRACES: TraceTable = { table: 'lab_rl_episodes', key: 'run_id' };

/** The stored traces of one strategy on one environment of a lab RL run or sweep (one seed's, or every seed's), by seed; null: stored without them. */
export async function traceRows(client: pg.ClientBase, where: TraceTable, id: string, environmentId: string, strategyId: string, seed?: number): Promise<{ seed: number; trace: EpisodeTrace | null }[]> {
  const args: unknown[] = [id, environmentId, strategyId];
  if (seed !== undefined) args.push(seed);
  const r = await client.query<{ seed: number; traces: Record<string, string> | null }>(
    `SELECT seed, traces FROM ${where.table} WHERE ${where.key} = $1 AND environment_id = $2 AND strategy_id = $3${seed === undefined ? '' : ' AND seed = $4'} ORDER BY seed`,
    args,
  );
  return r.rows.map((x) => ({ seed: x.seed, trace: x.traces === null ? null : traceFromJson(x.traces) }));
}

/** The stored traces of one strategy on one environment of a lab RL run (one seed's, or every seed's), by seed. */
export async function labRlTraces(client: pg.ClientBase, runId: string, environmentId: string, strategyId: string, seed?: number): Promise<{ seed: number; trace: EpisodeTrace }[]> {
  return (await traceRows(client, RL_RUN_TRACES, runId, environmentId, strategyId, seed)).filter((x): x is { seed: number; trace: EpisodeTrace } => x.trace !== null);
}

/** A stored trace the replay can start from: every episode's learning rate there (a lab RL run's or a sweep job's). */
export function hasReplayData(trace: EpisodeTrace | null): trace is EpisodeTrace {
  return trace !== null && trace.steps.length > 0 && trace.alpha.length === trace.steps.length;
}

/**
 * The trace a replay of one job of a lab RL run starts from (undefined: the job is not in the lab).
 * The replay needs every episode's learning rate; a job that reached the lab without them (a
 * publisher that kept no traces) is refused with a sentence, not replayed with made-up rates.
 */
export async function labReplayTrace(client: pg.ClientBase, runId: string, environmentId: string, strategyId: string, seed: number): Promise<EpisodeTrace | undefined> {
  const [row] = await traceRows(client, RL_RUN_TRACES, runId, environmentId, strategyId, seed);
  if (!row) return undefined;
  if (!hasReplayData(row.trace)) {
    throw new ServiceError(
      'not_found',
      `Seed ${seed} of '${strategyId}' on '${environmentId}' of this lab RL run was published before replay data was kept: the lab holds no learning rate per episode for it, which the replay needs. Publish the run again from its PC.`,
    );
  }
  return row.trace;
}
