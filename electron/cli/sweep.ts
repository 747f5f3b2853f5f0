/**
 * Sweeps over the lab's PCs (#16): `workbench submit` puts an RL comparison on the lab's job queue,
 * `workbench worker --lab` on any PC takes its jobs, `workbench sweep-results ID` assembles the
 * comparison — the same document `workbench reproduce --json` prints for the same seeds.
 */
import os from 'node:os';
import path from 'node:path';
import { resourcesDir } from '../app-meta';
import { LAB_URL_ENV, LAB_URL_FILE_ENV } from '../services/lab/config';
import { redactSecrets } from '../services/lab/redact';
import { DEFAULT_MAINTENANCE_SECONDS, DEFAULT_TUNING } from '../services/lab-queue/boss';
import { sweepReport } from '../services/lab-queue/results';
import { submitRlSweep, submitSimulationSweep } from '../services/lab-queue/submit';
import { checkSimulationSpec, formatSpecProblems, parseSimulationSweepFile, simulationSpecOf, type SimulationSpec } from '../../shared/lab/simulation-spec';
import { LibraryError, loadProtocol } from '../services/library';
import { runLabWorker } from '../services/lab-queue/worker';
import { ANNOUNCE_SECONDS } from '../services/lab-queue/instruments';
import { readUserText } from '../services/files/read-user-file';
import { UsageError } from './args';
import { defineCommand } from './command';
import { requireLab } from './publish';
import { jsonReport, loadExperiment } from './reproduce';
import { interruptible } from './interrupt';
import { resolveDevicePreset } from './simulate';
import { inline } from './terminal-text';
import { openCliServices } from './services';
import { DRIVER_NAMES, isDriverName, type DriverName } from '../../shared/instruments/drivers';
import { ServiceError } from '../services/errors';
import { openInstrumentHost, type InstrumentHost } from '../services/lab-queue/instrument-host';
import { instrumentQueue } from '../services/lab-queue/payload';
import { instrumentNameProblem } from '../../shared/lab/instrument-name';

function whole(flag: string, value: number | undefined, min: number, max: number): number | undefined {
  if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max)) throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got ${value}`);
  return value;
}

function whoAmI(): { pcName: string; userName: string } {
  let user = process.env.WORKBENCH_LAB_USER;
  if (!user) {
    try {
      user = os.userInfo().username;
    } catch {
      user = 'unknown';
    }
  }
  return { pcName: process.env.WORKBENCH_LAB_PC_NAME ?? os.hostname(), userName: user };
}

/**
 * A simulation sweep file, resolved: its protocol and preset read (names as `workbench simulate`
 * takes them, files relative to the sweep file) and inlined, every grid point checked. Every
 * problem is named with its path; nothing is submitted unless there is none.
 */
export function loadSimulationSweep(file: string, dataDir: string | undefined): SimulationSpec {
  const text = readUserText(file, 'experiment');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new LibraryError(`simulation sweep ${file} is not JSON: ${(e as Error).message}`);
  }
  const parsed = parseSimulationSweepFile(value);
  if (!parsed.ok) throw new LibraryError(`simulation sweep ${file} is not valid:`, formatSpecProblems(parsed.problems));
  const f = parsed.value;
  const near = (nameOrFile: string) => (/[/\\]|\.json$/.test(nameOrFile) ? path.resolve(path.dirname(file), nameOrFile) : nameOrFile);
  const protocol = loadProtocol(near(f.protocol));
  const device = resolveDevicePreset(near(f.device), dataDir);
  const spec = simulationSpecOf(f, { name: f.protocol, title: protocol.document.name, text: JSON.stringify(protocol.source) }, device);
  const problems = checkSimulationSpec(spec);
  if (problems.length > 0) throw new LibraryError(`simulation sweep ${file} is not valid:`, formatSpecProblems(problems));
  return spec;
}

export const submitCommand = defineCommand({
  name: 'submit',
  synopsis: 'submit [--experiment FILE [--seeds N] [--instrument NAME] | --simulation FILE [--data-dir D]] [--job-timeout S] [--retries N] [--retry-delay S] [--json]',
  summary:
    `Submit a sweep to the lab's job queue (PostgreSQL; URL from ${LAB_URL_ENV} or ${LAB_URL_FILE_ENV}): an RL comparison (every environment × strategy × seed job that 'workbench reproduce' runs), ` +
    `or with --simulation a simulation sweep (every grid point × seed run that 'workbench simulate' makes, each stored as a lab run). Prints the sweep id for 'workbench sweep-results'.`,
  flags: {
    simulation: {
      type: 'string',
      description:
        'a simulation sweep file: {"protocol": NAME|FILE, "device": PRESET|FILE, "seeds": N | [S, …], "noise"?: true|false, "grid"?: {"params.NAME": [values…]}, "title"?: TEXT}; files relative to it; seeds N means 1…N',
      placeholder: 'FILE',
    },
    'data-dir': { type: 'string', description: "with --simulation: data folder whose saved presets the sweep's device may name", placeholder: 'D' },
    experiment: { type: 'string', description: 'experiment file (default: the shipped resources/experiments/paper.json)', placeholder: 'FILE' },
    seeds: { type: 'number', description: "number of seeds (default: the experiment's own)", placeholder: 'N' },
    instrument: {
      type: 'string',
      description: "run every job on the PC whose worker serves this instrument (letters, digits, _ and -); a worker started with --instrument NAME=DEVICE runs the device-driven strategy on the instrument itself, the others in software",
      placeholder: 'NAME',
    },
    'job-timeout': { type: 'number', description: `seconds a job may stay with one worker before it counts as lost and is retried elsewhere (default ${DEFAULT_TUNING.expireInSeconds}, ours)`, placeholder: 'S' },
    retries: { type: 'number', description: `times a lost or failed job is retried (default ${DEFAULT_TUNING.retryLimit}, ours)`, placeholder: 'N' },
    'retry-delay': { type: 'number', description: `seconds before the first retry, doubling after (default ${DEFAULT_TUNING.retryDelaySeconds}, ours)`, placeholder: 'S' },
    json: { type: 'boolean', description: 'print {"sweepId", "title", "queue", "jobs", "seeds"} (and "points", the grid points, for a simulation sweep)' },
  },
  async run(flags) {
    const seeds = whole('--seeds', flags.seeds, 1, 10_000);
    const expireInSeconds = whole('--job-timeout', flags['job-timeout'], 1, 23 * 3600);
    const retryLimit = whole('--retries', flags.retries, 0, 100);
    const retryDelaySeconds = whole('--retry-delay', flags['retry-delay'], 0, 3600);
    const tuning = { ...(expireInSeconds === undefined ? {} : { expireInSeconds }), ...(retryLimit === undefined ? {} : { retryLimit }), ...(retryDelaySeconds === undefined ? {} : { retryDelaySeconds }) };
    if (flags.simulation !== undefined) {
      for (const f of ['experiment', 'seeds', 'instrument'] as const) if (flags[f] !== undefined) throw new UsageError(`--${f} is for an RL comparison; a simulation sweep's seeds are in its file`);
      // Checked whole before the lab is asked anything: a bad file submits nothing.
      const spec = loadSimulationSweep(path.resolve(flags.simulation), flags['data-dir']);
      const config = requireLab();
      const sweep = await submitSimulationSweep(config, { spec, tuning, ...whoAmI() });
      if (flags.json) process.stdout.write(`${JSON.stringify(sweep)}\n`);
      else {
        process.stdout.write(
          `Submitted simulation sweep ${sweep.sweepId}: ${sweep.jobs} runs (${sweep.points} grid point(s) × ${sweep.seeds} seed(s)) of "${inline(sweep.title)}" to lab ${config.display}.\n` +
            `Run 'workbench worker --lab' on the lab's PCs; 'workbench sweep-results ${sweep.sweepId}' lists the runs.\n`,
        );
      }
      return 0;
    }
    if (flags['data-dir'] !== undefined) throw new UsageError('--data-dir goes with --simulation');
    const badName = flags.instrument === undefined ? null : instrumentNameProblem(flags.instrument);
    if (badName !== null) throw new UsageError(`--instrument ${JSON.stringify(flags.instrument)}: ${badName}`);
    const config = requireLab();
    const file = flags.experiment ? path.resolve(flags.experiment) : path.join(resourcesDir(), 'experiments', 'paper.json');
    loadExperiment(file); // the same checks and messages as `workbench reproduce`
    const spec = readUserText(file, 'experiment');
    const sweep = await submitRlSweep(config, {
      spec,
      seeds,
      instrument: flags.instrument,
      tuning,
      ...whoAmI(),
    });
    if (flags.json) process.stdout.write(`${JSON.stringify(sweep)}\n`);
    else {
      process.stdout.write(
        `Submitted sweep ${sweep.sweepId}: ${sweep.jobs} jobs (${sweep.seeds} seeds) of "${inline(sweep.title)}" on queue ${sweep.queue} of lab ${config.display}.\n` +
          `Run 'workbench worker --lab' on the lab's PCs; 'workbench sweep-results ${sweep.sweepId}' shows progress and the comparison.\n`,
      );
    }
    return 0;
  },
});

export const workerCommand = defineCommand({
  name: 'worker',
  synopsis: 'worker --lab [--instrument NAME[=DEVICE][,…] [--driver NAME] [--data-dir D]] [--instruments-only] [--drain] [--name NAME] [--json]',
  summary:
    "Take sweep jobs from the lab's queue on this PC until stopped (Ctrl-C): the general queue, and the queues of the instruments this PC owns. " +
    'With NAME=DEVICE (e.g. k2400=serial:/dev/ttyUSB0) the instrument is opened and the device-driven jobs of its sweeps run on it, as `workbench rl --device` runs them. Waits out an unreachable lab with backoff.',
  flags: {
    lab: { type: 'boolean', description: "take jobs from the lab's queue (required: the lab is the only queue there is)" },
    instrument: {
      type: 'string',
      description:
        'comma-separated instruments this PC owns: jobs submitted for them run here only. NAME alone runs them in software; NAME=DEVICE (serial:PATH, tcp:HOST:PORT, a resource string, or sim:PRESET) opens the instrument and runs device-driven strategies on it. ' +
        `The worker tells the lab it serves them (on start and every ${ANNOUNCE_SECONDS} s, ours), so the app's Submit to the lab offers them`,
      placeholder: 'NAME[=DEVICE][,…]',
    },
    driver: { type: 'string', description: `driver of the instruments given as NAME=DEVICE (default: chosen by *IDN?): ${DRIVER_NAMES.join(', ')}`, placeholder: 'NAME' },
    'data-dir': {
      type: 'string',
      description: "data folder where the instrument runs are kept (their episodes, checkpoints) and whose safety limits they obey; this PC's simulation runs are attributed to its lab PC, as 'workbench publish' does (without it: a PC id derived from the PC name)",
      placeholder: 'D',
    },
    'instruments-only': { type: 'boolean', description: 'serve only the instruments’ queues, not the general one' },
    drain: { type: 'boolean', description: 'exit once the served queues hold no waiting, retrying or running job' },
    name: { type: 'string', description: 'this worker’s name in the results and the log (default HOST:PID)', placeholder: 'NAME' },
    'poll-ms': { type: 'number', description: 'wait between looks at an empty queue (ms, default 1000)', placeholder: 'MS' },
    'maintenance-interval': { type: 'number', description: `seconds between checks for lost jobs (default ${DEFAULT_MAINTENANCE_SECONDS}, ours)`, placeholder: 'S' },
    json: { type: 'boolean', description: 'print a JSON summary on exit (log lines stay on stderr)' },
  },
  async run(flags) {
    if (!flags.lab) throw new UsageError('workbench worker needs --lab (it takes jobs from the lab archive’s queue)');
    const pollMs = whole('--poll-ms', flags['poll-ms'], 50, 60_000);
    const maintenanceIntervalSeconds = whole('--maintenance-interval', flags['maintenance-interval'], 1, 3600);
    const owned = parseInstruments(flags.instrument ?? '');
    if (flags['instruments-only'] && owned.length === 0) throw new UsageError('--instruments-only needs --instrument NAME');
    if (flags.driver !== undefined && !isDriverName(flags.driver)) throw new UsageError(`--driver must be one of ${DRIVER_NAMES.join(', ')}; got ${JSON.stringify(flags.driver)}`);
    if (flags.driver !== undefined && !owned.some((o) => o.device !== null)) throw new UsageError('--driver goes with --instrument NAME=DEVICE');
    const config = requireLab();
    const log = (level: 'info' | 'warn', message: string) => process.stderr.write(`workbench worker: ${level === 'warn' ? 'warning: ' : ''}${inline(redactSecrets(message, config.secrets))}\n`);
    // An instrument's runs are kept in a data folder; with --data-dir, this PC is that folder's lab PC.
    const services = owned.some((o) => o.device !== null) || flags['data-dir'] !== undefined ? openCliServices(flags['data-dir'], { quiet: true }) : null;
    const hosts: InstrumentHost[] = [];
    try {
      const instruments: string[] = [];
      for (const o of owned) {
        if (o.device === null || services === null) {
          instruments.push(o.name);
          continue;
        }
        try {
          hosts.push(
            await openInstrumentHost({
              store: services.store,
              name: o.name,
              spec: o.device,
              driver: (flags.driver ?? null) as DriverName | null,
              limits: services.settings.currentLimits(),
              resolvePreset: (n) => resolveDevicePreset(n, flags['data-dir']),
              log: (m) => log('info', m),
            }),
          );
          log('info', `instrument ${o.name} is ${o.device}${hosts.at(-1)!.identity ? ` (${hosts.at(-1)!.identity})` : ''}`);
        } catch (e) {
          log('warn', `cannot open instrument ${o.name} at ${o.device}: ${(e as Error).message}; taking no job of its queue ${instrumentQueue(o.name)}`);
        }
      }
      if (flags['instruments-only'] && instruments.length === 0 && hosts.length === 0) {
        throw new ServiceError('unavailable', 'no instrument could be opened and --instruments-only leaves no other queue: this worker takes no job');
      }
      const summary = await interruptible((signal) =>
        runLabWorker(config, {
          instruments,
          hosts,
          general: !flags['instruments-only'],
          name: flags.name,
          ...whoAmI(),
          ...(services === null ? {} : { pcId: services.store.labPublish.pcId() }),
          drain: Boolean(flags.drain),
          pollMs,
          maintenanceIntervalSeconds,
          signal,
          log,
        }),
      );
      if (flags.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
      else process.stdout.write(`Worker ${summary.worker}: ${summary.written} job(s) written, ${summary.alreadyThere} already there, ${summary.failed} failed, ${summary.malformed} malformed.\n`);
      return 0;
    } finally {
      for (const h of hosts) await h.close().catch(() => undefined);
      await services?.close();
    }
  },
});

/** `k2400=serial:/dev/ttyUSB0,k2401` → [{name: 'k2400', device: 'serial:/dev/ttyUSB0'}, {name: 'k2401', device: null}]. */
function parseInstruments(text: string): { name: string; device: string | null }[] {
  const out = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const eq = s.indexOf('=');
      const name = eq < 0 ? s : s.slice(0, eq).trim();
      const device = eq < 0 ? null : s.slice(eq + 1).trim();
      const problem = instrumentNameProblem(name);
      if (problem !== null) throw new UsageError(`--instrument ${JSON.stringify(s)}: ${problem}`);
      if (device === '') throw new UsageError(`--instrument ${JSON.stringify(s)}: say which device after '=' (serial:PATH, tcp:HOST:PORT, a resource string or sim:PRESET)`);
      return { name, device };
    });
  const names = out.map((o) => o.name);
  const twice = names.find((n, k) => names.indexOf(n) !== k);
  if (twice !== undefined) throw new UsageError(`--instrument names ${twice} twice`);
  return out;
}

export const sweepResultsCommand = defineCommand({
  name: 'sweep-results',
  synopsis: 'sweep-results SWEEP_ID [--json]',
  summary:
    "A lab sweep's progress and, once every job is done, its comparison (with --json, `comparison` is the document 'workbench reproduce --json' prints); for a simulation sweep, its runs in the lab archive with their samples hashes.",
  positionals: [1, 1],
  flags: {
    json: { type: 'boolean', description: 'print {"sweepId", "kind", "done", "total", "failed", "byWorker", "comparison": {…} | null, "onInstrument": [{jobKey, worker, instrumentIdn}], "runs"?: [{jobKey, runId, point, seed, pcName, worker, sampleCount, samplesHash}], …}' },
  },
  async run(flags, [id]) {
    const config = requireLab();
    const report = await sweepReport(config, id!);
    const comparison = report.comparison && jsonReport(report.comparison);
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ ...report, comparison })}\n`);
      return report.failed.length > 0 ? 1 : 0;
    }
    const lines = [`Sweep ${report.sweepId}: "${inline(report.title)}", ${report.seeds} seeds, queue ${report.queue}`, `${report.done}/${report.total} jobs done; ${report.failed.length} failed for good.`];
    for (const [w, n] of Object.entries(report.byWorker)) lines.push(`  ${inline(w)}: ${n} job(s)`);
    for (const f of report.failed) lines.push(`  failed ${f.jobId}: ${inline(f.reason)}`);
    if (report.onInstrument.length > 0) lines.push(`${report.onInstrument.length} job(s) ran on the instrument: ${[...new Set(report.onInstrument.map((j) => inline(j.instrumentIdn)))].join('; ')}`);
    for (const r of report.runs ?? []) {
      const where = Object.entries(r.point).map(([k, v]) => `${k}=${v}`).join(' ');
      lines.push(`  ${r.jobKey}${where ? ` (${where})` : ''}: run ${r.runId} on ${inline(r.pcName)}, ${r.sampleCount} samples, samples hash ${r.samplesHash}`);
    }
    if (report.runs) lines.push("The runs are in the lab archive: 'workbench runs --source lab'.");
    for (const c of report.comparison ?? []) {
      lines.push(`${inline(c.title)}: ${inline(c.primary.name)} vs ${inline(c.baseline.name)}: ${c.vsBaseline.percent.toFixed(1)} % fewer episodes (median; negative: more).`);
    }
    if (!report.comparison && !report.runs) lines.push('The comparison appears once every job is done.');
    process.stdout.write(`${lines.join('\n')}\n`);
    return report.failed.length > 0 ? 1 : 0;
  },
});
