/**
 * A lab worker (`workbench worker --lab`): takes sweep jobs from the lab's queue, runs each exactly
 * as `workbench reproduce` would (shared/rl's runJob: pure and seeded) — or, for a simulation sweep,
 * as `workbench simulate` would (simulation-job.ts) — and writes its result once, keyed by (sweep,
 * job key), with its per-episode traces (sweep-traces.ts). A worker killed mid-job leaves its job active until it expires; then
 * pg-boss puts it back for another worker, and if the first had already written the row, the retry
 * finds it there and writes nothing. An unreachable database is waited out with backoff, said in the
 * log; a payload that cannot be run is failed with its reason, without retries.
 */
import os from 'node:os';
import type PgBoss from 'pg-boss';
import { parseExperimentText, runJob, type Experiment } from '../../../shared/rl';
import type { LabConfig } from '../lab/config';
import { connectLab, labError, type LabConnection } from '../lab/connect';
import { openBoss, DEFAULT_MAINTENANCE_SECONDS } from './boss';
import { checkJobData, encodeResult, GENERAL_QUEUE, instrumentQueue, jobKey, simulationJobKey, type SimulationJobData } from './payload';
import type { InstrumentHost } from './instrument-host';
import { ANNOUNCE_SECONDS, announceInstruments, type ServedInstrument } from './instruments';
import { JobSpecError, runSimulationJob, storeSweepRun, workerPc, type SimulationJobRun } from './simulation-job';
import { jobTraceJson } from './sweep-traces';
import { readSimulationSpec, type SimulationSpec } from '../../../shared/lab/simulation-spec';

/** Waits between attempts to reach the lab (s, ours): doubling from 1, at most 30. */
export function backoffSeconds(attempt: number): number {
  return Math.min(30, 2 ** Math.max(0, attempt));
}

export interface WorkerOptions {
  /** Instruments this PC owns: their queues are served here and nowhere else. */
  instruments?: readonly string[];
  /** Instruments this PC owns and has opened: their device-driven jobs run on them (their queues are served too). */
  hosts?: readonly InstrumentHost[];
  /** Also serve the general queue (default true). */
  general?: boolean;
  /** Name in the results table and the log (default host:pid). */
  name?: string;
  /** The PC and user a simulation sweep's runs are attributed to in the lab (default: host name, 'unknown'). */
  pcName?: string;
  userName?: string;
  /** This PC's lab id (a data folder's, as `workbench publish` uses it; default: derived from pcName). */
  pcId?: string;
  /** Exit once the served queues hold no job waiting, retrying or active. */
  drain?: boolean;
  /** How long to wait when the queues are empty (ms, ours: 1000). */
  pollMs?: number;
  maintenanceIntervalSeconds?: number;
  /** How often a running worker tells the lab again which instruments it serves (ms, ours: ANNOUNCE_SECONDS s); tests pass a short one. */
  announceMs?: number;
  log?: (level: 'info' | 'warn', message: string) => void;
  /** Called after each job is settled. */
  onJob?: (event: JobEvent) => void;
  signal?: AbortSignal;
  /** Waits (tests pass a fake one to count backoffs without waiting). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export type JobEvent =
  | { outcome: 'written' | 'already-there'; jobId: string; sweepId: string; key: string }
  | { outcome: 'malformed'; jobId: string; reason: string }
  | { outcome: 'failed'; jobId: string; reason: string };

export interface WorkerSummary {
  worker: string;
  queues: string[];
  written: number;
  alreadyThere: number;
  malformed: number;
  failed: number;
  /** Times the lab could not be reached and the worker waited. */
  outages: number;
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

class Malformed extends Error {}

/** Jobs fetched at once (ours): fewer round trips per job; a killed worker's batch is retried whole. */
export const FETCH_BATCH = 4;

/**
 * Writes issued one after another without waiting for them, so a job's row and completion travel
 * while the next job computes; `flush` waits for all and throws the first error (none is lost to an
 * unhandled rejection while a job holds the thread).
 */
class WriteChain {
  private tail: Promise<void> = Promise.resolve();
  private error: unknown = null;
  add(write: () => Promise<void>): void {
    this.tail = this.tail.then(() => (this.error === null ? write() : undefined)).catch((e: unknown) => {
      this.error ??= e;
    });
  }
  async flush(): Promise<void> {
    await this.tail;
    const e = this.error;
    this.error = null;
    if (e !== null) throw e;
  }
}

export async function runLabWorker(config: LabConfig, options: WorkerOptions = {}): Promise<WorkerSummary> {
  const hostOf = new Map((options.hosts ?? []).map((h) => [instrumentQueue(h.name), h]));
  const queues = [...new Set([...(options.instruments ?? []).map(instrumentQueue), ...hostOf.keys()]), ...(options.general === false ? [] : [GENERAL_QUEUE])];
  if (queues.length === 0) throw new Error('the worker serves no queue: give an instrument or leave the general queue on');
  const name = options.name ?? `${os.hostname()}:${process.pid}`;
  const log = options.log ?? (() => undefined);
  const sleep = options.sleep ?? defaultSleep;
  const signal = options.signal;
  const summary: WorkerSummary = { worker: name, queues, written: 0, alreadyThere: 0, malformed: 0, failed: 0, outages: 0 };
  const experiments = new Map<string, Experiment>();
  const simulations = new Map<string, { spec: SimulationSpec; title: string }>();
  const pcName = options.pcName ?? os.hostname();
  const userName = options.userName ?? 'unknown';
  const who = options.pcId === undefined ? workerPc(pcName, userName) : { pcId: options.pcId, pcName, userName };
  let attempt = 0;
  const writes = new WriteChain();
  // What this worker tells the lab it serves (the app offers these instruments when a sweep is routed to one).
  const served: ServedInstrument[] = [
    ...(options.instruments ?? []).filter((n) => !(options.hosts ?? []).some((h) => h.name === n)).map((n) => ({ name: n, device: null, identity: null })),
    ...(options.hosts ?? []).map((h) => ({ name: h.name, device: h.spec, identity: h.identity })),
  ];
  let announcedAt = -Infinity;
  const announceMs = options.announceMs ?? ANNOUNCE_SECONDS * 1000;
  const announce = async (lab: LabConnection) => {
    if (performance.now() - announcedAt < announceMs) return;
    await announceInstruments(lab.client, { pcName, worker: name }, served);
    announcedAt = performance.now();
  };

  while (!signal?.aborted) {
    let lab: LabConnection | null = null;
    let boss: PgBoss | null = null;
    try {
      lab = await connectLab(config, { applicationName: 'memristor-workbench-worker' });
      boss = await openBoss(config, queues, {
        supervise: true,
        maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? DEFAULT_MAINTENANCE_SECONDS,
        onError: (m) => log('warn', m),
      });
      if (attempt > 0) log('info', `lab ${config.display} is reachable again; taking jobs`);
      else log('info', `worker ${name} taking jobs from ${queues.join(', ')} on lab ${config.display}`);
      attempt = 0;
      announcedAt = -Infinity; // said again after every reconnection
      const drained = await serve(lab, boss);
      if (drained) break;
    } catch (e) {
      if (signal?.aborted) break;
      const wait = backoffSeconds(attempt++);
      summary.outages++;
      log('warn', `the lab database is unreachable: ${labError(config, 'Lost the lab database', e).message}; retrying in ${wait} s (attempt ${attempt})`);
      await sleep(wait * 1000, signal);
    } finally {
      await writes.flush().catch(() => undefined);
      await boss?.stop({ graceful: false, wait: true }).catch(() => undefined);
      await lab?.close();
    }
  }
  return summary;

  /** Takes jobs until aborted (false) or, with drain, until the queues are empty (true). Throws when the lab goes away. */
  async function serve(lab: LabConnection, boss: PgBoss): Promise<boolean> {
    while (!signal?.aborted) {
      await announce(lab);
      let taken = false;
      for (const queue of queues) {
        const jobs = await boss.fetch<unknown>(queue, { batchSize: FETCH_BATCH, includeMetadata: true });
        for (const job of jobs) {
          taken = true;
          await settle(lab, boss, queue, job);
        }
        await writes.flush();
        if (taken) break;
      }
      if (taken) continue;
      // pg-boss's fetch reports a lost server as "no job": ask the server itself.
      await lab.client.query('SELECT 1');
      if (options.drain) {
        let left = 0;
        for (const q of queues) left += await boss.getQueueSize(q, { before: 'completed' });
        if (left === 0) return true;
      }
      await sleep(options.pollMs ?? 1000, signal);
    }
    return false;
  }

  async function settle(lab: LabConnection, boss: PgBoss, queue: string, job: PgBoss.JobWithMetadata<unknown>): Promise<void> {
    try {
      const check = checkJobData(job.data);
      if (!check.ok) throw new Malformed(check.reason);
      if ('kind' in check.data) return await settleSimulation(lab, boss, queue, job, check.data);
      const d = check.data;
      const experiment = await experimentOf(lab, d.sweepId);
      if (!experiment.environments.some((e) => e.id === d.environmentId)) throw new Malformed(`sweep ${d.sweepId} has no environment '${d.environmentId}'`);
      if (!experiment.strategies.some((s) => s.id === d.strategyId)) throw new Malformed(`sweep ${d.sweepId} has no strategy '${d.strategyId}'`);
      const job1 = { environmentId: d.environmentId, strategyId: d.strategyId, seed: d.seed };
      // A device-driven strategy of an owned instrument's queue runs on the instrument; anything else in software.
      const host = hostOf.get(queue);
      const onInstrument = host !== undefined && experiment.strategies.find((s) => s.id === d.strategyId)?.kind === 'device';
      let text: string;
      let traces: Record<string, string>;
      try {
        if (onInstrument) log('info', `job ${jobKey(d)} of sweep ${d.sweepId} runs on instrument ${host.name} (${host.spec})`);
        const result = onInstrument ? await host.runDeviceJob(experiment, job1, `lab sweep ${d.sweepId}: ${jobKey(d)}`, signal) : runJob(experiment, job1);
        text = encodeResult(result);
        // Kept beside the result so the Lab page replays its episodes and exports its per-episode CSV.
        traces = jobTraceJson(experiment, result);
      } catch (e) {
        await runFailed(lab, boss, queue, job, d.sweepId, jobKey(d), e);
        return;
      }
      const settleIterations = (JSON.parse(text) as { settleIterations?: unknown }).settleIterations;
      // Written while the next job runs; flushed before the next fetch (a lost server throws there).
      writes.add(async () => {
        const r = await lab.client.query(
        `INSERT INTO lab_sweep_results (sweep_id, job_key, environment_id, strategy_id, seed, settle_iterations, result, worker, instrument_idn, traces)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (sweep_id, job_key) DO NOTHING`,
          [d.sweepId, jobKey(d), d.environmentId, d.strategyId, d.seed, typeof settleIterations === 'number' ? settleIterations : null, text, name, onInstrument ? (host.identity ?? host.spec) : null, JSON.stringify(traces)],
        );
        const outcome = r.rowCount === 1 ? 'written' : 'already-there';
        await boss.complete(queue, job.id, { outcome });
        if (outcome === 'written') summary.written++;
        else summary.alreadyThere++;
        options.onJob?.({ outcome, jobId: job.id, sweepId: d.sweepId, key: jobKey(d) });
      });
    } catch (e) {
      if (!(e instanceof Malformed)) throw e;
      await failForGood(lab, boss, queue, job, e.message);
    }
  }

  /**
   * A job whose run threw. One this PC can never run (JobSpecError) is malformed: failed for good.
   * Any other failure of the run itself is failed with its reason and retried (as pg-boss's settings
   * say); on its last try the reason is kept where sweep-results shows it.
   */
  async function runFailed(lab: LabConnection, boss: PgBoss, queue: string, job: PgBoss.JobWithMetadata<unknown>, sweepId: string, key: string, e: unknown): Promise<void> {
    if (e instanceof JobSpecError) throw new Malformed(`job ${key} of sweep ${sweepId}: ${e.message}`);
    const reason = `job ${key} failed: ${(e as Error).message}`;
    if (job.retryCount >= job.retryLimit) await recordFailure(lab, queue, job, sweepId, reason);
    await boss.fail(queue, job.id, { reason });
    summary.failed++;
    log('warn', reason);
    options.onJob?.({ outcome: 'failed', jobId: job.id, reason });
  }

  /** A simulation sweep's job: its run made and stored (row and samples in one transaction) while the next job runs. */
  async function settleSimulation(lab: LabConnection, boss: PgBoss, queue: string, job: PgBoss.JobWithMetadata<unknown>, d: SimulationJobData): Promise<void> {
    const sweep = await simulationOf(lab, d.sweepId);
    const key = simulationJobKey(d);
    const startedAt = new Date();
    let run: SimulationJobRun;
    try {
      run = runSimulationJob(sweep.spec, d.point, d.seed);
    } catch (e) {
      await runFailed(lab, boss, queue, job, d.sweepId, key, e);
      return;
    }
    writes.add(async () => {
      const stored = await storeSweepRun(lab.client, { sweepId: d.sweepId, sweepTitle: sweep.title, pointIndex: d.point, run, who, worker: name, startedAt });
      await boss.complete(queue, job.id, { outcome: stored.outcome, runId: stored.runId });
      if (stored.outcome === 'written') summary.written++;
      else summary.alreadyThere++;
      options.onJob?.({ outcome: stored.outcome, jobId: job.id, sweepId: d.sweepId, key });
    });
  }

  async function simulationOf(lab: LabConnection, sweepId: string): Promise<{ spec: SimulationSpec; title: string }> {
    const known = simulations.get(sweepId);
    if (known) return known;
    const r = await lab.client.query<{ spec: string; title: string; kind: string }>('SELECT spec, title, kind FROM lab_sweeps WHERE sweep_id = $1', [sweepId]);
    const row = r.rows[0];
    if (!row) throw new Malformed(`no sweep ${sweepId} in the lab`);
    if (row.kind !== 'simulation') throw new Malformed(`sweep ${sweepId} is an ${row.kind}, not a simulation sweep`);
    const spec = readSimulationSpec(row.spec);
    if (!spec) throw new Malformed(`sweep ${sweepId}'s simulation spec no longer reads in this workbench version`);
    const sweep = { spec, title: row.title };
    simulations.set(sweepId, sweep);
    log('info', `running jobs of simulation sweep ${sweepId} (${row.title})`);
    return sweep;
  }

  /** A job no worker could ever run: its reason kept, failed now, not retried. */
  async function failForGood(lab: LabConnection, boss: PgBoss, queue: string, job: PgBoss.Job<unknown>, reason: string): Promise<void> {
    const data = job.data as { sweepId?: unknown } | null;
    const sweepId = typeof data?.sweepId === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(data.sweepId) ? data.sweepId : null;
    await recordFailure(lab, queue, job, sweepId, reason);
    // pg-boss retries every failure while retry_count < retry_limit; a malformed payload would fail
    // the same way everywhere, so its limit is spent first (pg-boss's job table, schema `pgboss`).
    await lab.client.query('UPDATE pgboss.job SET retry_limit = retry_count WHERE name = $1 AND id = $2', [queue, job.id]);
    await boss.fail(queue, job.id, { reason });
    summary.malformed++;
    log('warn', `job ${job.id} on ${queue} failed without retry: ${reason}`);
    options.onJob?.({ outcome: 'malformed', jobId: job.id, reason });
  }

  async function recordFailure(lab: LabConnection, queue: string, job: PgBoss.Job<unknown>, sweepId: string | null, reason: string): Promise<void> {
    await lab.client.query(
      `INSERT INTO lab_sweep_failures (job_id, queue, sweep_id, reason, worker) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (job_id) DO NOTHING`,
      [job.id, queue, sweepId, reason, name],
    );
  }

  async function experimentOf(lab: LabConnection, sweepId: string): Promise<Experiment> {
    const known = experiments.get(sweepId);
    if (known) return known;
    const r = await lab.client.query<{ spec: string }>('SELECT spec FROM lab_sweeps WHERE sweep_id = $1', [sweepId]);
    if (r.rowCount === 0) throw new Malformed(`no sweep ${sweepId} in the lab`);
    const parsed = parseExperimentText(r.rows[0]!.spec);
    if (!parsed.ok) throw new Malformed(`sweep ${sweepId}'s experiment no longer parses in this workbench version`);
    experiments.set(sweepId, parsed.experiment);
    log('info', `running jobs of sweep ${sweepId} (${parsed.experiment.name})`);
    return parsed.experiment;
  }
}
