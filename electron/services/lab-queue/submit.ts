/**
 * Submitting a sweep to the lab: an RL comparison (its experiment stored once in lab_sweeps, and
 * every (environment × strategy × seed) job `workbench reproduce` would run on the queue) or a
 * simulation sweep (every grid point × seed) — the sweep row and all its jobs in one transaction,
 * so a submit killed part-way leaves nothing behind.
 */
import { createHash, randomUUID } from 'node:crypto';
import { formatPath } from '../../../shared/contract/issues';
import { experimentJobs, experimentWorkProblem, parseExperimentText, summariseProblems } from '../../../shared/rl';
import { ServiceError } from '../errors';
import type { LabConfig } from '../lab/config';
import { connectLab, labError } from '../lab/connect';
import { DEFAULT_TUNING, ensureQueue, openBoss, type QueueTuning } from './boss';
import { GENERAL_QUEUE, instrumentQueue, type SimulationJobData, type SweepJobData } from './payload';
import { checkSimulationSpec, formatSpecProblems, gridPoints, type SimulationSpec } from '../../../shared/lab/simulation-spec';

export interface SubmitRl {
  /** The experiment file's text, kept verbatim: every worker parses exactly what was submitted. */
  spec: string;
  /** Seeds (default: the experiment's own). */
  seeds?: number;
  /** Route every job to the queue of this instrument (only the PC that owns it takes them). */
  instrument?: string;
  tuning?: Partial<QueueTuning>;
  pcName: string;
  userName: string;
}

export interface SubmittedSweep {
  sweepId: string;
  title: string;
  queue: string;
  jobs: number;
  seeds: number;
}

export async function submitRlSweep(config: LabConfig, input: SubmitRl): Promise<SubmittedSweep> {
  const parsed = parseExperimentText(input.spec);
  if (!parsed.ok) throw new ServiceError('invalid_request', `the experiment is not valid: ${summariseProblems(parsed.problems).replace(/\s*\n\s*/g, ' ')}`);
  const experiment = parsed.experiment;
  const seeds = input.seeds ?? experiment.seeds;
  const work = experimentWorkProblem(experiment, seeds);
  if (work) throw new ServiceError('invalid_request', `${formatPath(work.path)}: ${work.message}`);
  const queue = input.instrument === undefined ? GENERAL_QUEUE : instrumentQueue(input.instrument);
  const tuning = { ...DEFAULT_TUNING, ...input.tuning };
  const jobs = experimentJobs(experiment, seeds);
  const sweepId = randomUUID();

  await enqueueSweep(config, {
    sweepId,
    kind: 'rl-comparison',
    title: experiment.title,
    spec: input.spec,
    seeds,
    queue,
    instrument: input.instrument ?? null,
    pcName: input.pcName,
    userName: input.userName,
    jobs: jobs.map((j) => ({ sweepId, environmentId: j.environmentId, strategyId: j.strategyId, seed: j.seed }) satisfies SweepJobData),
    tuning,
  });
  return { sweepId, title: experiment.title, queue, jobs: jobs.length, seeds };
}

export interface SubmitSimulation {
  /** The resolved spec (protocol text and preset inlined), checked with checkSimulationSpec. */
  spec: SimulationSpec;
  tuning?: Partial<QueueTuning>;
  pcName: string;
  userName: string;
}

/** Submits a simulation sweep: one job per (grid point × seed), all on the general queue. */
export async function submitSimulationSweep(config: LabConfig, input: SubmitSimulation): Promise<SubmittedSweep & { points: number }> {
  const problems = checkSimulationSpec(input.spec);
  if (problems.length > 0) throw new ServiceError('invalid_request', `the simulation sweep is not valid: ${formatSpecProblems(problems).join('; ')}`);
  const sweepId = randomUUID();
  const points = gridPoints(input.spec.grid).length;
  const jobs: SimulationJobData[] = [];
  for (let point = 0; point < points; point++) for (const seed of input.spec.seeds) jobs.push({ kind: 'simulation', sweepId, point, seed });
  await enqueueSweep(config, {
    sweepId,
    kind: 'simulation',
    title: input.spec.title,
    spec: JSON.stringify(input.spec),
    seeds: input.spec.seeds.length,
    queue: GENERAL_QUEUE,
    instrument: null,
    pcName: input.pcName,
    userName: input.userName,
    jobs,
    tuning: { ...DEFAULT_TUNING, ...input.tuning },
  });
  return { sweepId, title: input.spec.title, queue: GENERAL_QUEUE, jobs: jobs.length, seeds: input.spec.seeds.length, points };
}

interface SweepRow {
  sweepId: string;
  kind: 'rl-comparison' | 'simulation';
  title: string;
  spec: string;
  seeds: number;
  queue: string;
  instrument: string | null;
  pcName: string;
  userName: string;
  jobs: object[];
  tuning: QueueTuning;
}

/** The sweep's row and all its jobs in one transaction. */
async function enqueueSweep(config: LabConfig, row: SweepRow): Promise<void> {
  const { tuning, queue } = row;
  const lab = await connectLab(config, { applicationName: 'memristor-workbench-submit' });
  try {
    const boss = await openBoss(config, [queue], { supervise: false });
    try {
      const client = lab.client;
      await client.query('BEGIN');
      try {
        await client.query(
          `INSERT INTO lab_sweeps (sweep_id, kind, title, spec, spec_hash, seeds, job_count, queue, instrument, pc_name, user_name)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [row.sweepId, row.kind, row.title, row.spec, createHash('sha256').update(row.spec).digest('hex'), row.seeds, row.jobs.length, queue, row.instrument, row.pcName, row.userName],
        );
        await ensureQueue(boss, queue);
        await boss.insert(
          row.jobs.map((data) => ({
            name: queue,
            data,
            retryLimit: tuning.retryLimit,
            retryDelay: tuning.retryDelaySeconds,
            retryBackoff: true,
            expireInSeconds: tuning.expireInSeconds,
          })),
          { db: { executeSql: (text: string, values: unknown[]) => client.query(text, values) } },
        );
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    } finally {
      await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
    }
  } catch (e) {
    throw labError(config, 'Could not submit the sweep', e);
  } finally {
    await lab.close();
  }
}
