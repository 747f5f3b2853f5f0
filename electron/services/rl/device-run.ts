import { AsyncDeviceLearningRate, deviceRuleFor, experimentWorkProblem, JobInProgress, resolveDevicePreset, type DeviceStrategySpec, type Experiment, type Job, type RunResult } from '../../../shared/rl';
import { StopRequested, type EpisodeGate } from './episode-gate';
import type { Device } from '../../../shared/device/device';
import type { RlRunDetail, Store } from '../store';
import { currentOwner } from '../store/owner';
import { SampleKind } from '../../../shared/samples/columns';
import { median } from '../../../shared/stats';
import { formatSI } from '../../../shared/units';
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
  environmentId: string;
  seed: number;
  episode: number;
  episodes: number;
  alpha: number;
  /** G read before the episode (the read behind its α) and after it (S). */
  g: number;
  gAfter: number;
  steps: number;
  success: boolean;
  pulses: number;
}

export interface HardwareRecord {
  strategyId: string;
  identity: string | null;
  reopen: Record<string, unknown>;
  g0: number;
  /** Where G0 came from: 'read burst (5 reads, median)', 'entered', 'run <id> (its first read)'. */
  g0Source: string;
  device: unknown;
  /** Device time (s) with the output off between seeds (runs started from the RL page). */
  restSeconds?: number;
}

/** Reads in a burst, so one noisy read does not set the reference. */
export const G0_BURST = 5;

/** A device further than this from its reference (as a fraction of G0) is flagged before the run. */
export const FAR_FROM_REFERENCE = 0.2;

/** Says so when the device reads far from its reference, with the α it will start at; null otherwise. */
export function referenceWarning(now: number, g0: number): string | null {
  const off = now / g0 - 1;
  if (!(Math.abs(off) > FAR_FROM_REFERENCE)) return null;
  return `the device reads ${formatSI(now, 'S')}, ${Math.abs(off * 100).toFixed(0)} % ${off < 0 ? 'below' : 'above'} its reference G0 = ${formatSI(g0, 'S')}: α starts ${off < 0 ? 'low' : 'at its maximum'}`;
}

/** G0 from a stored run: its first read (e.g. the device measured fresh). */
export function referenceFromRun(store: Store, runId: string): { value: number; source: string } {
  const samples = store.readSamples(store.runs.get(runId).id);
  const first = Array.from(samples.g).find((g, k) => samples.kind[k] === SampleKind.read && g > 0);
  if (first === undefined) throw new DeviceRunError(`run ${runId} has no read to take G0 from`);
  return { value: first, source: `run ${runId} (its first read)` };
}

/** The median of a burst of reads (S). */
export async function readBurst(device: Device, voltage: number, count = G0_BURST): Promise<number> {
  const g: number[] = [];
  for (let k = 0; k < count; k++) g.push((await device.read(voltage)).conductance);
  return median(g) ?? NaN;
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
  // A device strategy is bounded by wall time anyway; the same step bound applies, before any read.
  const work = experimentWorkProblem(experiment, setup.seeds.length);
  if (work) throw new DeviceRunError(`seeds: ${work.message}`);
  const g0 = await referenceFor(setup.device, spec, setup.g0);
  const jobs = deviceJobs(experiment, spec.id, setup.seeds);
  const hardware: HardwareRecord = { strategyId: spec.id, identity: setup.identity, reopen: setup.reopen, g0: g0.value, g0Source: g0.source, device: setup.device.snapshot() };
  const run = setup.store.rlRuns.create({ name: setup.name, config: experiment, seeds: setup.seeds, jobsTotal: jobs.length, hardware });
  return finishDeviceOnly(setup.store, run.id, experiment, spec, jobs, setup.device, g0.value, setup.signal, setup.onEpisode);
}

/** The reference conductance as given, or measured by a burst of reads now; refused unless positive. */
export async function referenceFor(device: Device, spec: DeviceStrategySpec, given: { value: number; source: string } | undefined): Promise<{ value: number; source: string }> {
  const readVoltage = spec.readVoltage ?? resolveDevicePreset(spec.device).readVoltage;
  const g0 = given ?? { value: await readBurst(device, readVoltage), source: `read burst (${G0_BURST} reads, median)` };
  if (!(g0.value > 0 && Number.isFinite(g0.value))) throw new DeviceRunError(`the device reads G = ${g0.value} S; the learning-rate map needs a positive reference conductance`);
  return g0;
}

/**
 * Checks that a stored run can be resumed on a device answering `identity` and reopens it (status
 * 'running', owned by this process). Nothing is written when a check fails.
 */
export function reopenDeviceRun(store: Store, runId: string, identity: string | null): { run: RlRunDetail; hardware: HardwareRecord } {
  const run = store.rlRuns.get(runId);
  const hardware = run.hardware as HardwareRecord | null;
  if (!hardware || typeof hardware.g0 !== 'number') throw new DeviceRunError(`RL run ${runId} did not run on a device: there is nothing to resume on one`);
  if (run.status !== 'interrupted' && run.status !== 'cancelled') throw new DeviceRunError(`RL run ${runId} is ${run.status}; only an interrupted or cancelled run resumes`);
  if (hardware.identity !== null && identity !== hardware.identity) {
    throw new DeviceRunError(`this is not the instrument the run started on: it answers *IDN? with "${identity ?? 'nothing'}", the run's answered "${hardware.identity}"`);
  }
  store.rlCheckpoints.reopen(runId, JSON.stringify(currentOwner()));
  return { run, hardware };
}

/** Continues an interrupted or cancelled device-only run on the device it ran on (checked by *IDN?). Nothing is written when the check fails. */
export async function resumeDeviceRun(store: Store, runId: string, device: Device, identity: string | null, options: { signal?: AbortSignal; onEpisode?: (e: EpisodeReport) => void } = {}): Promise<RlRunDetail> {
  const { run, hardware } = reopenDeviceRun(store, runId, identity);
  const { experiment, spec } = deviceExperiment(run.config, hardware.strategyId);
  return finishDeviceOnly(store, runId, experiment, spec, deviceJobs(experiment, spec.id, run.seeds), device, hardware.g0, options.signal, options.onEpisode);
}

/** The jobs of the device strategy, seed after seed. */
export function deviceJobs(x: Experiment, strategyId: string, seeds: readonly number[]): Job[] {
  return x.environments.flatMap((env) => seeds.map((seed) => ({ environmentId: env.id, strategyId, seed })));
}

/** A run of the device strategy alone (the CLI's): drives its jobs and records how it ended. */
async function finishDeviceOnly(
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
  const started = performance.now();
  let status: 'completed' | 'cancelled' | 'interrupted' = 'completed';
  let message: string | null = null;
  try {
    await driveDeviceJobs({ store, runId, experiment: x, spec, jobs, device, g0, signal, onEpisode });
  } catch (e) {
    ({ status, message } = deviceEnding(e, signal));
  }
  const comparison = status === 'completed' ? comparisonOf(x, store.rlRuns.jobs(runId)) : null;
  return store.rlRuns.finish(runId, status, { comparison, message, wallSeconds: (performance.now() - started) / 1000 });
}

/** How a device loop that threw ended: stopped by the user, or cut off (resumable either way). */
export function deviceEnding(e: unknown, signal: AbortSignal | undefined): { status: 'cancelled' | 'interrupted'; message: string } {
  if (e instanceof StopRequested) return { status: 'cancelled', message: 'stopped by the user after the episode in flight; resume it to continue from the next episode' };
  if (signal?.aborted) return { status: 'cancelled', message: 'aborted by the user; the episode in flight is lost; resume it to continue from the last episode' };
  return { status: 'interrupted', message: `the device stopped answering (${e instanceof Error ? e.message : String(e)}); resume it to continue from the last episode` };
}

export interface DeviceLoop {
  store: Store;
  runId: string;
  /** The experiment as stored with the run (the device strategy among others, or alone). */
  experiment: Experiment;
  spec: DeviceStrategySpec;
  /** The device strategy's jobs; those already stored are skipped, a checkpointed one continues. */
  jobs: readonly Job[];
  device: Device;
  g0: number;
  /** Device time (s) with the output off before each job after the first done here, so the device recovers between seeds. */
  restSeconds?: number;
  signal?: AbortSignal | undefined;
  /** Asked between episodes: pause (output off) or stop. */
  gate?: EpisodeGate;
  onEpisode?: ((e: EpisodeReport) => void) | undefined;
  /** Each finished job, after its row is stored. */
  onJob?: (result: RunResult) => void;
}

/**
 * The device strategy's jobs, episode by episode: after each episode its checkpoint and the
 * device's record of it are written in one transaction; a finished job's row replaces its
 * checkpoint. Throws when stopped, aborted or cut off (the output is off either way).
 */
export async function driveDeviceJobs(loop: DeviceLoop): Promise<void> {
  const { store, runId, experiment: x, spec, device, g0, signal, gate } = loop;
  const preset = resolveDevicePreset(spec.device);
  const done = new Set(store.rlRuns.jobs(runId).map((j) => `${j.environmentId}|${j.strategyId}|${j.seed}`));
  let ran = 0;
  try {
    for (const job of loop.jobs) {
      if (done.has(`${job.environmentId}|${job.strategyId}|${job.seed}`)) continue;
      if (ran++ > 0 && (loop.restSeconds ?? 0) > 0) {
        await device.outputOff();
        await device.wait(loop.restSeconds!);
      }
      const run = new JobInProgress(x, job);
      const saved = store.rlCheckpoints.get(runId, job);
      if (saved) run.restore(saved.job);
      const rule = deviceRuleFor(spec, preset, g0);
      const rate = await AsyncDeviceLearningRate.open(rule, device);
      while (!run.done) {
        signal?.throwIfAborted();
        await gate?.between(() => device.outputOff());
        const episode = run.nextEpisode;
        const startedAt = new Date().toISOString();
        const alpha = rate.alpha();
        const gBefore = rate.conductance();
        const outcome = run.episode(alpha, gBefore);
        const pulses = rule.plan(outcome).spike ? 1 : 0;
        await rate.afterEpisode(outcome);
        // The constant-size part of the checkpoint; the episode's own values go in its row.
        const { trace: _trace, optimal: _optimal, ...state } = run.snapshot({ traces: false });
        const values = run.episodeValues(episode);
        store.rlCheckpoints.saveEpisode(runId, { job: state, rate: { g0 } }, { ...job, episode, gBefore, gAfter: rate.conductance(), alpha, pulses, startedAt, endedAt: new Date().toISOString(), values });
        loop.onEpisode?.({ environmentId: job.environmentId, seed: job.seed, episode, episodes: run.episodes, alpha, g: gBefore, gAfter: rate.conductance(), steps: values.steps, success: values.success === 1, pulses });
      }
      const result = run.result();
      store.rlRuns.addJob(runId, result);
      store.rlCheckpoints.drop(runId, job);
      loop.onJob?.(result);
    }
  } finally {
    await device.outputOff().catch(() => undefined);
  }
}
