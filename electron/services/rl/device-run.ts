import { AsyncDeviceLearningRate, deviceRuleFor, JobInProgress, resolveDevicePreset, type DeviceStrategySpec, type Experiment, type Job } from '../../../shared/rl';
import type { Device } from '../../../shared/device/device';
import type { RlRunDetail, Store } from '../store';
import { currentOwner } from '../store/owner';
import { comparisonOf } from './summary';

/**
 * One device-driven strategy on one device (an instrument, or a simulated device behind the same
 * Device interface), episode by episode, resumable (#12). After every episode the job's checkpoint
 * and the device's record of the episode (G before and after, α, pulses, times) are written in one
 * transaction, so a killed process, a pulled cable or a reboot loses at most the episode in flight;
 * `resume` continues from the checkpoints on the same instrument (its *IDN? checked first).
 *
 * The α map spans the run's reference conductance G0, fixed when the run is created and recorded
 * with it, so a resumed run maps G exactly as before.
 */
export interface DeviceRunSetup {
  store: Store;
  /** The experiment as it runs: one environment or more, and the device strategy among its strategies. */
  experiment: Experiment;
  strategyId: string;
  seeds: readonly number[];
  device: Device;
  /** The instrument's *IDN? reply (null for a simulated device), checked again on resume. */
  identity: string | null;
  /** How to open the device again (its resource and driver), recorded for `--resume`. */
  reopen: Record<string, unknown>;
  name: string;
  /** The reference conductance (S) and where it comes from; default: a burst of reads of the device now. */
  g0?: { value: number; source: string };
  signal?: AbortSignal;
  onEpisode?: (e: EpisodeReport) => void;
}

export interface EpisodeReport {
  seed: number;
  episode: number;
  episodes: number;
  alpha: number;
  g: number;
}

export interface HardwareRecord {
  strategyId: string;
  identity: string | null;
  reopen: Record<string, unknown>;
  g0: number;
  /** Where G0 came from: 'read burst (5 reads, median)', 'entered', 'run <id> (its first read)'. */
  g0Source: string;
  device: unknown;
}

/** Reads in a burst, so one noisy read does not set the reference. */
export const G0_BURST = 5;

/** The median of a burst of reads (S). */
export async function readBurst(device: Device, voltage: number, count = G0_BURST): Promise<number> {
  const g: number[] = [];
  for (let k = 0; k < count; k++) g.push((await device.read(voltage)).conductance);
  g.sort((a, b) => a - b);
  return g[Math.floor(g.length / 2)]!;
}

export class DeviceRunError extends Error {
  override readonly name = 'DeviceRunError';
}

/** The experiment reduced to the one strategy that runs on the device. */
export function deviceExperiment(x: Experiment, strategyId: string): { experiment: Experiment; spec: DeviceStrategySpec } {
  const spec = x.strategies.find((s) => s.id === strategyId);
  if (!spec) throw new DeviceRunError(`the experiment has no strategy '${strategyId}' (it has ${x.strategies.map((s) => s.id).join(', ')})`);
  if (spec.kind !== 'device') throw new DeviceRunError(`strategy '${strategyId}' is a ${spec.kind} schedule; only a device strategy reads its learning rate from a device`);
  return { experiment: { ...x, strategies: [spec], comparison: { primary: spec.id, baseline: spec.id } }, spec };
}

/** Creates the run's record and runs it to the end. */
export async function startDeviceRun(setup: DeviceRunSetup): Promise<RlRunDetail> {
  const { experiment, spec } = deviceExperiment(setup.experiment, setup.strategyId);
  const readVoltage = spec.readVoltage ?? resolveDevicePreset(spec.device).readVoltage;
  const g0 = setup.g0?.value ?? (await readBurst(setup.device, readVoltage));
  const g0Source = setup.g0?.source ?? `read burst (${G0_BURST} reads, median)`;
  if (!(g0 > 0 && Number.isFinite(g0))) throw new DeviceRunError(`the device reads G = ${g0} S; the learning-rate map needs a positive reference conductance`);
  const jobs = jobsFor(experiment, setup.seeds);
  const hardware: HardwareRecord = { strategyId: spec.id, identity: setup.identity, reopen: setup.reopen, g0, g0Source, device: setup.device.snapshot() };
  const run = setup.store.rlRuns.create({ name: setup.name, config: experiment, seeds: setup.seeds, jobsTotal: jobs.length, hardware });
  return drive(setup.store, run.id, experiment, spec, jobs, setup.device, g0, setup.signal, setup.onEpisode);
}

/** Continues an interrupted or cancelled run on the device it ran on (checked by *IDN?). Nothing is written when the check fails. */
export async function resumeDeviceRun(store: Store, runId: string, device: Device, identity: string | null, options: { signal?: AbortSignal; onEpisode?: (e: EpisodeReport) => void } = {}): Promise<RlRunDetail> {
  const run = store.rlRuns.get(runId);
  const hardware = run.hardware as HardwareRecord | null;
  if (!hardware || typeof hardware.g0 !== 'number') throw new DeviceRunError(`RL run ${runId} did not run on a device: there is nothing to resume on one`);
  if (run.status !== 'interrupted' && run.status !== 'cancelled') throw new DeviceRunError(`RL run ${runId} is ${run.status}; only an interrupted or cancelled run resumes`);
  if (hardware.identity !== null && identity !== hardware.identity) {
    throw new DeviceRunError(`this is not the instrument the run started on: it answers *IDN? with "${identity ?? 'nothing'}", the run's answered "${hardware.identity}"`);
  }
  const { experiment, spec } = deviceExperiment(run.config, hardware.strategyId);
  store.rlCheckpoints.reopen(runId, JSON.stringify(currentOwner()));
  return drive(store, runId, experiment, spec, jobsFor(experiment, run.seeds), device, hardware.g0, options.signal, options.onEpisode);
}

function jobsFor(x: Experiment, seeds: readonly number[]): Job[] {
  return x.environments.flatMap((env) => seeds.map((seed) => ({ environmentId: env.id, strategyId: x.strategies[0]!.id, seed })));
}

async function drive(
  store: Store,
  runId: string,
  x: Experiment,
  spec: DeviceStrategySpec,
  jobs: readonly Job[],
  device: Device,
  g0: number,
  signal: AbortSignal | undefined,
  onEpisode: ((e: EpisodeReport) => void) | undefined,
): Promise<RlRunDetail> {
  const preset = resolveDevicePreset(spec.device);
  const started = performance.now();
  const done = new Set(store.rlRuns.jobs(runId).map((j) => `${j.environmentId}|${j.seed}`));
  let status: 'completed' | 'cancelled' | 'interrupted' = 'completed';
  let message: string | null = null;
  try {
    for (const job of jobs) {
      if (done.has(`${job.environmentId}|${job.seed}`)) continue;
      const run = new JobInProgress(x, job);
      const saved = store.rlCheckpoints.get(runId, job);
      if (saved) run.restore(saved.job);
      const rule = deviceRuleFor(spec, preset, g0);
      const rate = await AsyncDeviceLearningRate.open(rule, device);
      while (!run.done) {
        signal?.throwIfAborted();
        const episode = run.nextEpisode;
        const startedAt = new Date().toISOString();
        const alpha = rate.alpha();
        const gBefore = rate.conductance();
        const outcome = run.episode(alpha, gBefore);
        const pulses = rule.plan(outcome).spike ? 1 : 0;
        await rate.afterEpisode(outcome);
        // The constant-size part of the checkpoint; the episode's own values go in its row.
        const { trace: _trace, optimal: _optimal, ...state } = run.snapshot({ traces: false });
        store.rlCheckpoints.saveEpisode(
          runId,
          { job: state, rate: { g0 } },
          { ...job, episode, gBefore, gAfter: rate.conductance(), alpha, pulses, startedAt, endedAt: new Date().toISOString(), values: run.episodeValues(episode) },
        );
        onEpisode?.({ seed: job.seed, episode, episodes: run.episodes, alpha, g: gBefore });
      }
      store.rlRuns.addJob(runId, run.result());
      store.rlCheckpoints.drop(runId, job);
    }
  } catch (e) {
    if (signal?.aborted) {
      status = 'cancelled';
      message = 'stopped by the user; resume it to continue from the last episode';
    } else {
      status = 'interrupted';
      message = `the device stopped answering (${e instanceof Error ? e.message : String(e)}); resume it to continue from the last episode`;
    }
  } finally {
    await device.outputOff().catch(() => undefined);
  }
  const comparison = status === 'completed' ? comparisonOf(x, store.rlRuns.jobs(runId)) : null;
  return store.rlRuns.finish(runId, status, { comparison, message, wallSeconds: (performance.now() - started) / 1000 });
}

