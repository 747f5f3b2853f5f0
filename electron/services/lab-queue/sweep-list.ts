/**
 * The lab's sweeps with their progress, for the Archive's Lab → Sweeps list: one query, each
 * sweep's done count read as sweepReport reads it (its result rows, or for a simulation sweep its
 * runs still in the lab archive), so the list and the opened sweep never disagree.
 */
import type pg from 'pg';
import type { LabSweepSummary } from '../../../shared/contract/areas/lab';

export async function listLabSweeps(client: pg.ClientBase, page: { limit?: number; offset?: number } = {}): Promise<{ sweeps: LabSweepSummary[]; total: number }> {
  const r = await client.query<{
    sweep_id: string;
    kind: LabSweepSummary['kind'];
    title: string;
    seeds: number;
    instrument: string | null;
    pc_name: string;
    user_name: string;
    submitted_at: Date;
    job_count: number;
    done: string;
    failed: string;
    total: string;
  }>(
    `SELECT s.sweep_id, s.kind, s.title, s.seeds, s.instrument, s.pc_name, s.user_name, s.submitted_at, s.job_count,
            CASE WHEN s.kind = 'simulation'
                 THEN (SELECT count(*) FROM lab_sweep_runs x JOIN lab_runs r USING (run_id) WHERE x.sweep_id = s.sweep_id AND r.deleted_at IS NULL)
                 ELSE (SELECT count(*) FROM lab_sweep_results x WHERE x.sweep_id = s.sweep_id) END AS done,
            (SELECT count(*) FROM lab_sweep_failures f WHERE f.sweep_id = s.sweep_id) AS failed,
            count(*) OVER () AS total
       FROM lab_sweeps s
      ORDER BY s.submitted_at DESC, s.sweep_id
      LIMIT $1 OFFSET $2`,
    [page.limit ?? 100, page.offset ?? 0],
  );
  const total = r.rows[0] ? Number(r.rows[0].total) : page.offset ? Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM lab_sweeps')).rows[0]!.n) : 0;
  return {
    total,
    sweeps: r.rows.map((x) => ({
      id: x.sweep_id,
      kind: x.kind,
      title: x.title,
      seeds: x.seeds,
      instrument: x.instrument,
      pcName: x.pc_name,
      userName: x.user_name,
      submittedAt: x.submitted_at.toISOString(),
      total: x.job_count,
      done: Math.min(Number(x.done), x.job_count),
      failed: Number(x.failed),
    })),
  };
}
