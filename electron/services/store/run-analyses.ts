/**
 * The switching analysis stored with a run (migration 012): one JSON document per run, with the
 * extraction version and the sample count it was computed from, so a caller can tell a stale one.
 */
import type { StoreContext } from './context';
import { StoreError } from './errors';
import { checkUuid, invalid } from './validate';

export interface StoredAnalysis {
  readonly runId: string;
  readonly version: number;
  readonly sampleCount: number;
  readonly computedAt: string;
  /** The analysis document as stored (shared/analysis SwitchingAnalysis). */
  readonly analysis: unknown;
}

interface Row {
  run_id: string;
  version: number;
  sample_count: number;
  computed_at: string;
  analysis_json: string;
}

export class RunAnalyses {
  constructor(private readonly ctx: StoreContext) {}

  get(runId: string): StoredAnalysis | null {
    const id = checkUuid(runId, 'run id');
    const row = this.ctx.stmt('SELECT run_id, version, sample_count, computed_at, analysis_json FROM run_analyses WHERE run_id = ?').get(id) as Row | undefined;
    if (row === undefined) return null;
    return { runId: row.run_id, version: row.version, sampleCount: row.sample_count, computedAt: row.computed_at, analysis: JSON.parse(row.analysis_json) as unknown };
  }

  /** Stores (or replaces) a run's analysis; the run must exist. Returns what describes it (get reads the document back). */
  put(runId: string, version: number, sampleCount: number, analysis: object): Omit<StoredAnalysis, 'analysis'> {
    const id = checkUuid(runId, 'run id');
    if (!Number.isInteger(version) || version < 1) throw invalid('an analysis version is a whole number from 1');
    if (!Number.isInteger(sampleCount) || sampleCount < 0) throw invalid('an analysis sample count is a whole number from 0');
    const json = JSON.stringify(analysis);
    const computedAt = this.ctx.now();
    const exists = this.ctx.stmt('SELECT 1 FROM runs WHERE id = ?').get(id);
    if (exists === undefined) throw new StoreError('not_found', `No run with id ${id}.`);
    this.ctx
      .stmt(
        `INSERT INTO run_analyses (run_id, version, sample_count, computed_at, analysis_json) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (run_id) DO UPDATE SET version = excluded.version, sample_count = excluded.sample_count,
           computed_at = excluded.computed_at, analysis_json = excluded.analysis_json`,
      )
      .run(id, version, sampleCount, computedAt, json);
    return { runId: id, version, sampleCount, computedAt };
  }
}
