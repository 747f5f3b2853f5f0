import path from 'node:path';
import type { Device } from '../../shared/device/device';
import { isDriverName, DRIVER_NAMES, type DriverName } from '../../shared/instruments/drivers';
import { experimentWorkProblem, type DeviceStrategySpec, type Experiment } from '../../shared/rl';
import { resourcesDir } from '../app-meta';
import { hardwarePlan } from '../services/rl/hardware-plan';
import { openRlDevice, type OpenedRlDevice } from '../services/rl/open-rl-device';
import { deviceExperiment, DeviceRunError, readBurst, referenceFromRun, referenceWarning, resumeDeviceRun, startDeviceRun, type HardwareRecord } from '../services/rl/device-run';
import { parseQuantity } from '../../shared/units';
import type { AppServices } from '../app/app-services';
import type { RlRunDetail } from '../services/store';
import { UsageError } from './args';
import { interruptible } from './interrupt';
import { defineCommand } from './command';
import { loadExperiment } from './reproduce';
import { openCliServices } from './services';
import { resolveDevicePreset } from './simulate';

/**
 * `workbench rl`: one device-driven strategy of an experiment on one device — simulated
 * (sim:PRESET) or an instrument (serial:PATH, tcp:HOST:PORT, a resource string) — seed after
 * seed, checkpointed after every episode, and `--resume RUN_ID` to continue a run that was killed,
 * cut off or stopped. `workbench rl-runs` lists the stored RL runs.
 */
export const rlCommand = defineCommand({
  name: 'rl',
  synopsis:
    'rl --experiment FILE [--environment ID] --strategy ID --device sim:PRESET|trace:RUN_ID|serial:PATH|RESOURCE [--driver NAME] [--seeds N] [--episodes N] [--episode-device-time S] [--json] | rl --resume RUN_ID [--device …] [--json]',
  summary: 'Run a device-driven RL strategy with its learning rate read from a device, resumable after every episode.',
  flags: {
    experiment: { type: 'string', description: 'experiment file (default: the shipped resources/experiments/paper.json)', placeholder: 'FILE' },
    environment: { type: 'string', description: "the environment's id (default: the experiment's first)", placeholder: 'ID' },
    strategy: { type: 'string', description: 'the device strategy to run', placeholder: 'ID' },
    device: { type: 'string', description: 'sim:PRESET, trace:RUN_ID (a stored run replayed: measured-trace mode), or an instrument: serial:PATH, tcp:HOST:PORT or a resource string', placeholder: 'DEVICE' },
    driver: { type: 'string', description: `instrument driver (default: chosen by *IDN?): ${DRIVER_NAMES.join(', ')}`, placeholder: 'NAME' },
    seeds: { type: 'number', description: 'seeds, run one after another (default 1)', placeholder: 'N' },
    episodes: { type: 'number', description: "episodes per seed (default: the experiment's)", placeholder: 'N' },
    'episode-device-time': { type: 'number', description: "device time per episode in seconds (default: the strategy's)", placeholder: 'S' },
    g0: { type: 'string', description: "the reference conductance the α map spans: 'read' (a burst of reads now, the default), a value in S (e.g. 10e-6 or '10 uS'), or run:RUN_ID (a stored run's first read)", placeholder: 'G0' },
    resume: { type: 'string', description: 'continue this interrupted or stopped run on its instrument (checked by *IDN?)', placeholder: 'RUN_ID' },
    name: { type: 'string', description: 'run name', placeholder: 'NAME' },
    'data-dir': { type: 'string', description: 'data folder (default: WORKBENCH_DATA_DIR or the desktop app’s)', placeholder: 'D' },
    json: { type: 'boolean', description: 'print {"rlRunId", "status", "episodes", "trainingIterations", "alpha": [..], "g": [..]}' },
  },
  async run(flags) {
    if (flags.driver !== undefined && !isDriverName(flags.driver)) throw new UsageError(`--driver must be one of ${DRIVER_NAMES.join(', ')}; got ${JSON.stringify(flags.driver)}`);
    const driver = (flags.driver ?? null) as DriverName | null;
    const services = openCliServices(flags['data-dir'], { quiet: true });
    const held: Held = { device: null };
    try {
      const run = await interruptible((signal) => (flags.resume !== undefined ? resume(services, flags.resume, flags.device, driver, held, signal) : start(services, flags, driver, held, signal)));
      process.stdout.write(flags.json ? `${JSON.stringify(report(services, run))}\n` : `${run.id}\n${run.status}${run.message ? `: ${run.message}` : ''}\n`);
      return run.status === 'completed' ? 0 : run.status === 'cancelled' ? 130 : 1;
    } finally {
      await held.device?.close().catch(() => undefined);
      await services.close();
    }
  },
});

/** The device a command opened, closed when it ends however it ends. */
interface Held {
  device: Device | null;
}

interface StartFlags {
  experiment?: string | undefined;
  environment?: string | undefined;
  strategy?: string | undefined;
  device?: string | undefined;
  seeds?: number | undefined;
  episodes?: number | undefined;
  'episode-device-time'?: number | undefined;
  g0?: string | undefined;
  name?: string | undefined;
}

async function resume(services: AppServices, runId: string, deviceFlag: string | undefined, driver: DriverName | null, held: Held, signal: AbortSignal): Promise<RlRunDetail> {
  const record = services.store.rlRuns.get(runId).hardware as HardwareRecord | null;
  if (!record) throw new DeviceRunError(`RL run ${runId} did not run on a device: there is nothing to resume on one`);
  const spec = deviceFlag ?? String(record.reopen.device ?? '');
  const device = await openDevice(services, spec, driver ?? (record.reopen.driver as DriverName | null | undefined) ?? null, record.reopen);
  held.device = device.device;
  return resumeDeviceRun(services.store, runId, device.device, device.identity, { signal });
}

async function start(services: AppServices, flags: StartFlags, driver: DriverName | null, held: Held, signal: AbortSignal): Promise<RlRunDetail> {
  if (!flags.strategy) throw new UsageError('--strategy is required (the device strategy to run), or --resume RUN_ID');
  if (!flags.device) throw new UsageError('--device is required: sim:PRESET, serial:PATH or a resource string');
  const experiment = configure(flags);
  const { experiment: onDevice, spec } = deviceExperiment(experiment, flags.strategy);
  const seeds = Array.from({ length: positive('--seeds', flags.seeds ?? 1, 1000) }, (_, k) => experiment.firstSeed + k);
  // Before the device is opened: the device run's worst-case work (its one strategy) within the bound.
  const work = experimentWorkProblem(onDevice, seeds.length);
  if (work) throw new UsageError(`--seeds ${seeds.length}${flags.episodes === undefined ? '' : ` with --episodes ${flags.episodes}`}: ${work.message}`);
  checkPulses(services, experiment, spec, seeds.length);
  const device = await openDevice(services, flags.device, driver, {});
  held.device = device.device;
  const g0 = await referenceConductance(services, flags.g0, device.device, spec.readVoltage ?? resolveDevicePreset(typeof spec.device === 'string' ? spec.device : 'intrinsic-gradient').readVoltage);
  return startDeviceRun({
    store: services.store,
    experiment,
    strategyId: flags.strategy,
    seeds,
    device: device.device,
    identity: device.identity,
    reopen: { device: flags.device, driver, seed: device.seed },
    name: flags.name ?? `${experiment.name}: ${flags.strategy} on ${flags.device}`,
    ...(g0 === null ? {} : { g0 }),
    signal,
  });
}

export const rlRunsCommand = defineCommand({
  name: 'rl-runs',
  synopsis: 'rl-runs [--source local|lab] [--status S] [--search TEXT] [--limit N] [--json]',
  summary: 'List the stored RL runs, newest first, with their episodes done and their device.',
  flags: {
    source: { type: 'string', description: 'local (this PC, default) or lab (every PC’s published RL runs; the lab URL from WORKBENCH_LAB_URL or WORKBENCH_LAB_URL_FILE)', choices: ['local', 'lab'] },
    status: { type: 'string', choices: ['running', 'completed', 'cancelled', 'failed', 'interrupted'], description: 'only runs with this status' },
    search: { type: 'string', description: 'lab only: runs whose name, PC or user contain this', placeholder: 'TEXT' },
    limit: { type: 'number', description: 'lab only: at most this many (1…1000, default 100)', placeholder: 'N' },
    'data-dir': { type: 'string', description: 'data folder', placeholder: 'D' },
    json: { type: 'boolean', description: 'print {"rlRuns": [{"id", "status", "episodesDone", "episodes", "device"}]}; with --source lab {"source", "lab", "rlRuns": [{"id", "pcName", "userName", "device", …}], "total"}' },
  },
  async run(flags) {
    if (flags.source === 'lab') {
      if (flags.status !== undefined) throw new UsageError('--source lab takes --search and --limit only, not --status');
      const limit = flags.limit ?? 100;
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError(`--limit must be a whole number from 1 to 1000, got ${limit}`);
      return (await import('./runs-lab')).listLabRlRunsCommand({ limit, json: Boolean(flags.json), ...(flags.search === undefined ? {} : { search: flags.search }) });
    }
    if (flags.search !== undefined || flags.limit !== undefined) throw new UsageError('--search and --limit go with --source lab');
    const services = openCliServices(flags['data-dir'], { quiet: true });
    try {
      const runs = services.store.rlRuns.list(flags.status === undefined ? {} : { status: flags.status as RlRunDetail['status'] });
      const rows = runs.map((r) => {
        const device = (r.hardware as HardwareRecord | null)?.reopen?.device ?? null;
        const perJob = r.environments.reduce((s, e) => s + e.episodes, 0) / Math.max(1, r.environments.length);
        const episodes = Math.round(perJob * r.jobsTotal);
        const episodesDone = services.store.rlRuns.jobs(r.id).reduce((s, j) => s + j.episodes, 0) + (device === null ? 0 : inFlight(services, r.id));
        return { id: r.id, name: r.name, status: r.status, episodesDone, episodes, device };
      });
      if (flags.json) process.stdout.write(`${JSON.stringify({ rlRuns: rows })}\n`);
      else for (const r of rows) process.stdout.write(`${r.id}  ${r.status.padEnd(11)}  ${String(r.episodesDone).padStart(6)}/${r.episodes}  ${r.device ?? 'simulated'}  ${r.name}\n`);
      return 0;
    } finally {
      await services.close();
    }
  },
});

/** Episodes of jobs in flight (from the device log: their rows are not written until they finish). */
function inFlight(services: AppServices, runId: string): number {
  const finished = new Set(services.store.rlRuns.jobs(runId).map((j) => `${j.environmentId}|${j.seed}`));
  return services.store.rlCheckpoints.deviceEpisodes(runId).filter((e) => !finished.has(`${e.environmentId}|${e.seed}`)).length;
}

function positive(flag: string, value: number, max: number): number {
  if (!(Number.isInteger(value) && value >= 1 && value <= max)) throw new UsageError(`${flag} must be an integer from 1 to ${max}, got ${value}`);
  return value;
}

/** The experiment as this run uses it: one environment, the episode and device-time overrides. */
function configure(flags: { experiment?: string | undefined; environment?: string | undefined; strategy?: string | undefined; episodes?: number | undefined; 'episode-device-time'?: number | undefined }): Experiment {
  const file = flags.experiment ? path.resolve(flags.experiment) : path.join(resourcesDir(), 'experiments', 'paper.json');
  const x = loadExperiment(file);
  const env = flags.environment === undefined ? x.environments[0]! : x.environments.find((e) => e.id === flags.environment);
  if (!env) throw new UsageError(`--environment ${flags.environment}: the experiment has ${x.environments.map((e) => e.id).join(', ')}`);
  const episodes = flags.episodes === undefined ? undefined : positive('--episodes', flags.episodes, 1_000_000);
  if (episodes !== undefined && episodes < x.convergenceWindow) throw new UsageError(`--episodes must be at least the convergence window K = ${x.convergenceWindow}, got ${episodes}`);
  const time = flags['episode-device-time'];
  if (time !== undefined && !(Number.isFinite(time) && time > 0)) throw new UsageError(`--episode-device-time must be a positive number of seconds, got ${time}`);
  return {
    ...x,
    environments: [{ ...env, ...(episodes === undefined ? {} : { episodes }) }],
    strategies: x.strategies.map((s) => (s.id === flags.strategy && s.kind === 'device' && time !== undefined ? { ...s, secondsPerEpisode: time } : s)),
  };
}

/**
 * The pulses the device will receive, checked like any protocol against this data folder's safety
 * limits, and an episode long enough for its pulse and read. Refused before anything is written.
 */
function checkPulses(services: AppServices, x: Experiment, spec: DeviceStrategySpec, seeds: number): void {
  const plan = hardwarePlan(x, spec, { seeds, limits: services.settings.currentLimits(), overheadPerEpisode: null, restSeconds: 0 });
  if (plan.problems.length > 0) throw new UsageError(`the strategy's pulses are outside the safety limits: ${plan.problems.map((p) => `${p.path ? `${p.path}: ` : ''}${p.message}`).join('; ')}`);
}

async function openDevice(services: AppServices, spec: string, driver: DriverName | null, reopen: Record<string, unknown>): Promise<OpenedRlDevice> {
  try {
    return await openRlDevice(services.store, spec, driver, typeof reopen.seed === 'number' ? reopen.seed : null, (name) => resolveDevicePreset(name));
  } catch (e) {
    // A device named wrongly is the command line's fault: said as a usage error, with the flag.
    if (e instanceof DeviceRunError && e.message.includes('or sim:PRESET')) throw new UsageError(`--device ${e.message}`);
    throw e;
  }
}

/**
 * G0 as asked: null for the default (startDeviceRun's read burst); an entered value; or a stored
 * run's first read. A device that reads far from an explicit reference is flagged on stderr before
 * the run starts, with the α it will start at, so a depressed device is not taken for a fresh one.
 */
async function referenceConductance(services: AppServices, text: string | undefined, device: Device, readVoltage: number): Promise<{ value: number; source: string } | null> {
  if (text === undefined || text === 'read') return null;
  let g0: { value: number; source: string };
  if (text.startsWith('run:')) {
    g0 = referenceFromRun(services.store, text.slice(4));
  } else {
    const parsed = parseQuantity(text, 'S');
    if (!parsed.ok || !(parsed.value > 0)) throw new UsageError(`--g0 must be 'read', a positive conductance (e.g. 10e-6 or '10 uS') or run:RUN_ID; got ${JSON.stringify(text)}`);
    g0 = { value: parsed.value, source: 'entered' };
  }
  const warning = referenceWarning(await readBurst(device, readVoltage), g0.value);
  if (warning) process.stderr.write(`workbench rl: ${warning}\n`);
  return g0;
}

function report(services: AppServices, run: RlRunDetail) {
  const episodes = services.store.rlCheckpoints.deviceEpisodes(run.id);
  const jobs = services.store.rlRuns.jobs(run.id);
  const hardware = run.hardware as HardwareRecord | null;
  return {
    rlRunId: run.id,
    status: run.status,
    g0: hardware?.g0 ?? null,
    g0Source: hardware?.g0Source ?? null,
    episodes: episodes.length,
    trainingIterations: jobs.length === 0 ? null : jobs.reduce((s, j) => s + j.trainingIterations, 0) / jobs.length,
    alpha: episodes.map((e) => e.alpha),
    g: episodes.map((e) => e.gBefore),
  };
}
