/**
 * Submitting an RL comparison to the lab: the experiment is stored once (lab_sweeps) and every
 * (environment × strategy × seed) job `workbench reproduce` would run goes on the queue — the sweep
 * row and all its jobs in one transaction, so a submit killed part-way leaves nothing behind.
 */
import { createHash, randomUUID } from 'node:crypto';
import { experimentJobs, parseExperimentText, summariseProblems } from '../../../shared/rl';
import { ServiceError } from '../errors';
import type { LabConfig } from '../lab/config';
import { connectLab, labError } from '../lab/connect';
import { DEFAULT_TUNING, ensureQueue, openBoss, type QueueTuning } from './boss';
import { GENERAL_QUEUE, instrumentQueue, type SweepJobData } from './payload';

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
  const queue = input.instrument === undefined ? GENERAL_QUEUE : instrumentQueue(input.instrument);
  const tuning = { ...DEFAULT_TUNING, ...input.tuning };
  const jobs = experimentJobs(experiment, seeds);
  const sweepId = randomUUID();

  const lab = await connectLab(config, { applicationName: 'memristor-workbench-submit' });
  try {
    const boss = await openBoss(config, [queue], { supervise: false });
    try {
      const client = lab.client;
      await client.query('BEGIN');
      try {
        await client.query(
          `INSERT INTO lab_sweeps (sweep_id, kind, title, spec, spec_hash, seeds, job_count, queue, instrument, pc_name, user_name)
           VALUES ($1, 'rl-comparison', $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [sweepId, experiment.title, input.spec, createHash('sha256').update(input.spec).digest('hex'), seeds, jobs.length, queue, input.instrument ?? null, input.pcName, input.userName],
        );
        await ensureQueue(boss, queue);
        await boss.insert(
          jobs.map((j) => ({
            name: queue,
            data: { sweepId, environmentId: j.environmentId, strategyId: j.strategyId, seed: j.seed } satisfies SweepJobData,
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
  return { sweepId, title: experiment.title, queue, jobs: jobs.length, seeds };
}
