/**
 * A sweep's state and, once every job has its row, its comparison: shared/rl's compareResults over
 * the stored results, the same function `workbench reproduce` calls on its own results. A
 * simulation sweep's report lists its runs in the lab archive with their samples hashes.
 */
import { compareResults, experimentJobs, parseExperimentText, type EnvironmentComparison, type Experiment, type RunResult } from '../../../shared/rl';
import type pg from 'pg';
import { ServiceError } from '../errors';
import type { LabConfig } from '../lab/config';
import { connectLab, labError } from '../lab/connect';
import { EMPTY_TRACE } from '../rl/summary';
import { decodeResult, jobKey } from './payload';

export interface SweepReport {
  sweepId: string;
  kind: string;
  title: string;
  seeds: number;
  queue: string;
  instrument: string | null;
  submittedBy: { pcName: string; userName: string; at: string };
  total: number;
  done: number;
  /** Jobs failed for good, with the reason. */
  failed: { jobId: string; reason: string; worker: string }[];
  /** Rows per worker (who did the work). */
  byWorker: Record<string, number>;
  /** Null until every job has its result (and always for a simulation sweep). */
  comparison: EnvironmentComparison[] | null;
  /** Jobs run on an instrument (device-driven strategies on the PC that owns it), with its *IDN?. */
  onInstrument: { jobKey: string; worker: string; instrumentIdn: string }[];
  /** A simulation sweep's runs in the lab archive, in job order (absent for an RL comparison). */
  runs?: SweepRun[];
}

export interface SweepRun {
  jobKey: string;
  runId: string;
  /** The grid point's preset values ({} without a grid). */
  point: Record<string, number>;
  seed: number;
  pcName: string;
  worker: string;
  sampleCount: number;
  samplesHash: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function sweepReport(config: LabConfig, sweepId: string): Promise<SweepReport> {
  return (await readSweep(config, sweepId)).report;
}

/** The report and, for an RL comparison, the experiment it was assembled from (null for a simulation sweep). */
export async function readSweep(config: LabConfig, sweepId: string): Promise<{ report: SweepReport; experiment: Experiment | null }> {
  if (!UUID.test(sweepId)) throw new ServiceError('invalid_request', `"${sweepId}" is not a sweep id (a UUID, as workbench submit printed it)`);
  const lab = await connectLab(config, { applicationName: 'memristor-workbench-results' });
  try {
    const s = await lab.client.query<{ kind: string; title: string; spec: string; seeds: number; job_count: number; queue: string; instrument: string | null; pc_name: string; user_name: string; submitted_at: Date }>(
      'SELECT kind, title, spec, seeds, job_count, queue, instrument, pc_name, user_name, submitted_at FROM lab_sweeps WHERE sweep_id = $1',
      [sweepId],
    );
    const sweep = s.rows[0];
    if (!sweep) throw new ServiceError('not_found', `no sweep ${sweepId} in the lab ${config.display}`);
    const failures = await lab.client.query<{ job_id: string; reason: string; worker: string }>('SELECT job_id, reason, worker FROM lab_sweep_failures WHERE sweep_id = $1 ORDER BY failed_at', [sweepId]);
    const failed = failures.rows.map((f) => ({ jobId: f.job_id, reason: f.reason, worker: f.worker }));
    const base = {
      sweepId,
      kind: sweep.kind,
      title: sweep.title,
      seeds: sweep.seeds,
      queue: sweep.queue,
      instrument: sweep.instrument,
      submittedBy: { pcName: sweep.pc_name, userName: sweep.user_name, at: sweep.submitted_at.toISOString() },
      total: sweep.job_count,
      failed,
    };
    if (sweep.kind === 'simulation') {
      const runs = await simulationRuns(lab.client, sweepId);
      const byWorker: Record<string, number> = {};
      for (const r of runs) byWorker[r.worker] = (byWorker[r.worker] ?? 0) + 1;
      return { report: { ...base, done: runs.length, byWorker, onInstrument: [], comparison: null, runs }, experiment: null };
    }
    const rows = await lab.client.query<{ job_key: string; result: string; worker: string; instrument_idn: string | null }>(
      'SELECT job_key, result, worker, instrument_idn FROM lab_sweep_results WHERE sweep_id = $1',
      [sweepId],
    );
    const parsed = parseExperimentText(sweep.spec);
    if (!parsed.ok) throw new ServiceError('unavailable', `sweep ${sweepId}'s experiment does not parse in this workbench version`);
    const experiment = parsed.experiment;
    const wanted = new Set(experimentJobs(experiment, sweep.seeds).map(jobKey));
    const results: RunResult[] = [];
    const byWorker: Record<string, number> = {};
    for (const row of rows.rows) {
      if (!wanted.has(row.job_key)) continue;
      results.push({ ...decodeResult(row.result), episodes: EMPTY_TRACE });
      byWorker[row.worker] = (byWorker[row.worker] ?? 0) + 1;
    }
    const report: SweepReport = {
      ...base,
      done: results.length,
      byWorker,
      onInstrument: rows.rows.flatMap((r) => (r.instrument_idn === null ? [] : [{ jobKey: r.job_key, worker: r.worker, instrumentIdn: r.instrument_idn }])),
      comparison: results.length === wanted.size ? compareResults(experiment, results) : null,
    };
    return { report, experiment };
  } catch (e) {
    throw labError(config, 'Could not read the sweep', e);
  } finally {
    await lab.close();
  }
}

async function simulationRuns(client: pg.ClientBase, sweepId: string): Promise<SweepRun[]> {
  const r = await client.query<{ job_key: string; run_id: string; point: Record<string, number>; seed: number; pc_name: string; worker: string; sample_count: string; samples_hash: string }>(
    `SELECT s.job_key, s.run_id, s.point, s.seed, r.pc_name, s.worker, r.sample_count, r.samples_hash
       FROM lab_sweep_runs s JOIN lab_runs r USING (run_id) WHERE s.sweep_id = $1 AND r.deleted_at IS NULL`,
    [sweepId],
  );
  const order = (key: string) => key.split('/').map((part) => Number(part.replace(/^\D+/, '')));
  return r.rows
    .map((x) => ({ jobKey: x.job_key, runId: x.run_id, point: x.point, seed: x.seed, pcName: x.pc_name, worker: x.worker, sampleCount: Number(x.sample_count), samplesHash: x.samples_hash }))
    .sort((a, b) => {
      const [pa = 0, sa = 0] = order(a.jobKey);
      const [pb = 0, sb = 0] = order(b.jobKey);
      return pa - pb || sa - sb;
    });
}
