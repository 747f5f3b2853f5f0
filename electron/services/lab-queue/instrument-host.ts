/**
 * An instrument a lab worker owns (#16): `workbench worker --lab --instrument NAME=serial:PATH`.
 * The jobs of a sweep submitted with `--instrument NAME` whose strategy is device-driven run ON the
 * instrument, through the same device loop as `workbench rl --device` (driveDeviceJobs: α read from
 * the instrument's conductance, its spikes sent to it, every episode checkpointed in this PC's data
 * folder as a local RL run). The sweep's software strategies run in software on the same PC.
 */
import type { Device } from '../../../shared/device/device';
import type { DevicePreset } from '../../../shared/device';
import type { DriverName } from '../../../shared/instruments/drivers';
import type { Experiment, Job, RunResult } from '../../../shared/rl';
import type { SafetyLimits } from '../../../shared/protocol';
import type { Store } from '../store';
import { DeviceRunError, deviceExperiment, driveDeviceJobs, referenceFor, reopenDeviceRun, type HardwareRecord } from '../rl/device-run';
import { hardwarePlan } from '../rl/hardware-plan';
import { openRlDevice } from '../rl/open-rl-device';
import { JobSpecError } from './simulation-job';

export interface InstrumentHost {
  /** The instrument's name on the lab's queue. */
  name: string;
  /** What it was opened as (serial:PATH, …). */
  spec: string;
  /** Its *IDN? reply (null for a simulated device standing in, sim:PRESET). */
  identity: string | null;
  /** Runs one device-driven job on the instrument; a job this PC may not run throws JobSpecError. */
  runDeviceJob(experiment: Experiment, job: Job, runName: string, signal?: AbortSignal): Promise<RunResult>;
  close(): Promise<void>;
}

export interface OpenHost {
  store: Store;
  name: string;
  spec: string;
  driver: DriverName | null;
  /** This data folder's safety limits: a sweep's pulses are checked against them before any is sent. */
  limits: SafetyLimits;
  resolvePreset: (name: string) => DevicePreset;
  /** Where the host says what it does beyond the job itself (a resumed run). */
  log?: (message: string) => void;
}

export async function openInstrumentHost(o: OpenHost): Promise<InstrumentHost> {
  const opened = await openRlDevice(o.store, o.spec, o.driver, null, o.resolvePreset);
  const device: Device = opened.device;
  return {
    name: o.name,
    spec: o.spec,
    identity: opened.identity,
    async runDeviceJob(experiment, job, runName, signal) {
      const { experiment: x, spec } = deviceExperiment(experiment, job.strategyId);
      const plan = hardwarePlan(x, spec, { seeds: 1, limits: o.limits, overheadPerEpisode: null, restSeconds: 0 });
      if (plan.problems.length > 0) {
        throw new JobSpecError(`the strategy's pulses are outside this PC's safety limits: ${plan.problems.map((p) => `${p.path ? `${p.path}: ` : ''}${p.message}`).join('; ')}`);
      }
      const resumed = resumeLeftRun(o.store, runName, spec.id, job, opened.identity);
      let runId: string;
      let g0: number;
      if (resumed) {
        ({ runId, g0 } = resumed);
        o.log?.(`job ${job.environmentId}/${job.strategyId}/${job.seed} resumes local RL run ${runId} after episode ${resumed.episodesDone} of ${resumed.episodes} (its worker was stopped)`);
      } else {
        // Each job starts from the device as it is now: its reference G0 is a fresh read burst.
        const fresh = await referenceFor(device, spec, undefined);
        const hardware: HardwareRecord = { strategyId: spec.id, identity: opened.identity, reopen: { device: o.spec, driver: o.driver, seed: opened.seed }, g0: fresh.value, g0Source: fresh.source, device: device.snapshot() };
        runId = o.store.rlRuns.create({ name: runName, config: x, seeds: [job.seed], jobsTotal: 1, hardware }).id;
        g0 = fresh.value;
      }
      const started = performance.now();
      let result: RunResult | null = null;
      try {
        await driveDeviceJobs({ store: o.store, runId, experiment: x, spec, jobs: [job], device, g0, signal, onJob: (r) => (result = r) });
      } catch (e) {
        o.store.rlRuns.finish(runId, 'interrupted', { message: (e as Error).message, wallSeconds: (performance.now() - started) / 1000 });
        throw e;
      }
      o.store.rlRuns.finish(runId, 'completed', { wallSeconds: (performance.now() - started) / 1000 });
      if (result === null) throw new Error(`the device loop ended without a result for job ${job.environmentId}/${job.strategyId}/${job.seed}`);
      return result;
    },
    close: () => device.close(),
  };
}

/**
 * The local run a killed worker left for this job — same name, same device strategy, stopped with
 * a checkpoint of the job and not its result — reopened on this instrument; null when there is
 * none, or when the instrument is not the one it ran on (the job then starts afresh).
 */
function resumeLeftRun(store: Store, runName: string, strategyId: string, job: Job, identity: string | null): { runId: string; g0: number; episodesDone: number; episodes: number } | null {
  // A worker killed mid-job never marked its run; its process is gone, so this does now.
  store.rlRuns.markInterrupted();
  const left = store.rlRuns
    .list({ search: runName, status: 'interrupted' })
    .find((r) => r.name === runName && (r.hardware as HardwareRecord | null)?.strategyId === strategyId && r.jobsDone === 0 && store.rlCheckpoints.get(r.id, job) !== null);
  if (!left) return null;
  try {
    const { hardware } = reopenDeviceRun(store, left.id, identity);
    const saved = store.rlCheckpoints.get(left.id, job)!;
    return { runId: left.id, g0: hardware.g0, episodesDone: saved.job.next, episodes: left.environments.find((e) => e.id === job.environmentId)?.episodes ?? saved.job.next };
  } catch (e) {
    if (e instanceof DeviceRunError) return null;
    throw e;
  }
}
