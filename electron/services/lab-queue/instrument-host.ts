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
import { deviceExperiment, driveDeviceJobs, referenceFor, type HardwareRecord } from '../rl/device-run';
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
      // Each job starts from the device as it is now: its reference G0 is a fresh read burst.
      const g0 = await referenceFor(device, spec, undefined);
      const hardware: HardwareRecord = { strategyId: spec.id, identity: opened.identity, reopen: { device: o.spec, driver: o.driver, seed: opened.seed }, g0: g0.value, g0Source: g0.source, device: device.snapshot() };
      const run = o.store.rlRuns.create({ name: runName, config: x, seeds: [job.seed], jobsTotal: 1, hardware });
      const started = performance.now();
      let result: RunResult | null = null;
      try {
        await driveDeviceJobs({ store: o.store, runId: run.id, experiment: x, spec, jobs: [job], device, g0: g0.value, signal, onJob: (r) => (result = r) });
      } catch (e) {
        o.store.rlRuns.finish(run.id, 'interrupted', { message: (e as Error).message, wallSeconds: (performance.now() - started) / 1000 });
        throw e;
      }
      o.store.rlRuns.finish(run.id, 'completed', { wallSeconds: (performance.now() - started) / 1000 });
      if (result === null) throw new Error(`the device loop ended without a result for job ${job.environmentId}/${job.strategyId}/${job.seed}`);
      return result;
    },
    close: () => device.close(),
  };
}
