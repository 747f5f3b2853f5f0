/**
 * Reading the lab archive (#16): every PC's published runs, read-only, with the PC and user that
 * made them. Tombstoned runs are not listed.
 */
import type pg from 'pg';
import { ServiceError } from '../errors';
import type { SampleColumns } from '../../../shared/samples/columns';
import { columnsFromRows } from './samples-copy';

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
}

export interface LabRunDetail extends LabRunSummary {
  /** The run's detail as its PC had it (RunDetail without its owner). */
  detail: Record<string, unknown>;
}

const columns = `run_id, pc_id, pc_name, user_name, experiment_name, name, status, protocol_name, device_kind, device_name,
  created_at, ended_at, sample_count, samples_hash, content_hash, published_at`;

interface Row {
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
  const where = ['deleted_at IS NULL'];
  const args: unknown[] = [];
  if (q.pcId) {
    args.push(q.pcId);
    where.push(`pc_id = $${args.length}`);
  }
  if (q.search && q.search.trim() !== '') {
    args.push(`%${q.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const p = `$${args.length}`;
    where.push(`(name ILIKE ${p} OR experiment_name ILIKE ${p} OR protocol_name ILIKE ${p} OR pc_name ILIKE ${p} OR user_name ILIKE ${p})`);
  }
  const limit = Math.min(1000, Math.max(1, q.limit ?? 100));
  const offset = Math.max(0, q.offset ?? 0);
  const w = where.join(' AND ');
  const rows = await client.query<Row>(`SELECT ${columns} FROM lab_runs WHERE ${w} ORDER BY created_at DESC, run_id LIMIT ${limit} OFFSET ${offset}`, args);
  const total = await client.query<{ n: string }>(`SELECT count(*) AS n FROM lab_runs WHERE ${w}`, args);
  return { runs: rows.rows.map(summary), total: Number(total.rows[0]?.n ?? 0) };
}

export async function getLabRun(client: pg.ClientBase, runId: string): Promise<LabRunDetail> {
  const r = await client.query<Row>(`SELECT ${columns}, detail FROM lab_runs WHERE run_id = $1 AND deleted_at IS NULL`, [runId]);
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
