import { DRIVER_NAMES, isDriverName } from '../../shared/instruments/drivers';
import { formatDeltaG } from '../../shared/units';
import { deviceSpecOf, parseResource } from '../../shared/instruments/resource';
import { LibraryError, loadDevicePreset, loadProtocol } from '../services/library';
import type { AppServices } from '../app/app-services';
import { DEFAULT_EXPERIMENT, parseDeviceArg, prepareProtocol, randomSeed, type RunDeviceSpec } from '../services/runs';
import { isStoreError, type RunDetail } from '../services/store';
import { UsageError } from './args';
import { defineCommand } from './command';
import { openCliServices } from './services';
import { describeTypedPath } from '../services/instruments/ports';
import { forTerminal, inline } from './terminal-text';

/** Exit code of a run the user stopped or aborted (Ctrl+C): 128 + SIGINT, as shells report it. */
export const EXIT_INTERRUPTED = 130;

export const runCommand = defineCommand({
  name: 'run',
  synopsis:
    'run --protocol FILE|NAME --device sim:PRESET|serial:PATH|tcp:HOST:PORT|gpib:PATH:ADDR|RESOURCE [--driver NAME] [--device-id ID] [--seed N] [--noise on|off] [--pace fast|realtime] [--experiment NAME] [--name NAME] [--data-dir D] [--json]',
  summary: 'Run a protocol on a device and record it in the archive (Ctrl+C stops it cleanly, twice aborts).',
  flags: {
    protocol: { type: 'string', description: 'a protocol file, or the name of a shipped one (e.g. paper-spike-train)', placeholder: 'FILE|NAME' },
    device: {
      type: 'string',
      description:
        'what runs the protocol (--device-id names the archive’s device it is on): sim:PRESET (a shipped or saved preset, or a preset file), or an instrument: serial:PATH, tcp:HOST:PORT, usb:PATH, gpib:CONTROLLER:ADDR, or a resource string (TCPIP::HOST::5025::SOCKET, GPIB::24@/dev/ttyUSB0, …)',
      placeholder: 'DEVICE',
    },
    driver: { type: 'string', description: `instrument driver (${DRIVER_NAMES.join(', ')}); chosen by *IDN? when absent`, placeholder: 'NAME' },
    'device-id': {
      type: 'string',
      description: "the archive's device (sample → chip → device) the run is on, by its id — what the Live page's On device picks; default: the virtual device of the preset or instrument",
      placeholder: 'ID',
    },
    seed: { type: 'number', description: 'seed of the simulated device (default: random, recorded with the run)', placeholder: 'N' },
    noise: { type: 'string', description: 'device noise of a simulated device (default on)', choices: ['on', 'off'] },
    pace: { type: 'string', description: 'fast: simulated time; realtime: paced to the wall clock (default fast)', choices: ['fast', 'realtime'] },
    experiment: { type: 'string', description: `experiment to record the run in (created when missing; default ${DEFAULT_EXPERIMENT})`, placeholder: 'NAME' },
    name: { type: 'string', description: "the run's name (default: the protocol's)", placeholder: 'NAME' },
    notes: { type: 'string', description: 'notes recorded with the run', placeholder: 'TEXT', allowEmpty: true },
    tags: { type: 'string', description: 'comma-separated tags', placeholder: 'A,B', allowEmpty: true },
    'data-dir': { type: 'string', description: 'data folder (default: WORKBENCH_DATA_DIR, else the desktop app’s folder)', placeholder: 'D' },
    json: { type: 'boolean', description: 'print {"runId", "status", "samples", "initialG", "finalG", "deltaGPercent"} as JSON' },
  },
  async run(flags) {
    if (flags.protocol === undefined) throw new UsageError('--protocol is required');
    if (flags.device === undefined) throw new UsageError('--device is required');
    if (flags.seed !== undefined && (!Number.isSafeInteger(flags.seed) || flags.seed < 0)) throw new UsageError(`--seed must be a whole number ≥ 0, got ${flags.seed}`);
    const deviceArg = parseDevice(flags.device);
    if (deviceArg.kind === 'instrument') {
      if (flags.driver !== undefined && !isDriverName(flags.driver)) throw new UsageError(`--driver must be one of ${DRIVER_NAMES.join(', ')}; got ${JSON.stringify(flags.driver)}`);
      // Refused before a run is created: a port that is not there would only leave a failed run behind.
      if (deviceArg.scheme === 'serial') {
        const port = describeTypedPath(deviceArg.port);
        if (!port.ok) throw new Error(`cannot run on ${flags.device}: ${port.message}`);
      }
    } else if (flags.driver !== undefined) throw new UsageError('--driver applies to instrument devices, not to sim:');

    // The outcome is reported below in one line; the services' own log lines only with WORKBENCH_DEBUG.
    const services = openCliServices(flags['data-dir'], { quiet: true });
    try {
      // Checked against the workbench's safety limits (Settings) of this data folder.
      // Checked before anything is loaded or stored: a mistyped id leaves no run behind (the store checks it again as it records the run).
      const deviceId = flags['device-id'] === undefined ? undefined : checkDeviceId(services, flags['device-id']);
      const limits = services.settings.currentLimits();
      const loaded = oneLine(() => loadProtocol(flags.protocol as string, { limits }));
      const prepared = prepareProtocol(loaded.source, { limits });
      if (!prepared.ok) throw new Error(`protocol ${loaded.file} is not valid: ${prepared.problems[0]?.message ?? ''}`);
      const device: RunDeviceSpec =
        deviceArg.kind === 'simulated'
          ? { kind: 'simulated', preset: resolvePreset(services, deviceArg.preset), seed: flags.seed ?? randomSeed(), noise: flags.noise !== 'off' }
          : { kind: 'instrument', scheme: deviceArg.scheme, port: deviceArg.port, driver: flags.driver ?? null, settings: {} };
      const tags = flags.tags === undefined ? [] : flags.tags.split(',').map((t) => t.trim()).filter((t) => t !== '');
      const { runId } = services.runs.submit({
        protocol: prepared.protocol,
        device,
        pace: (flags.pace as 'fast' | 'realtime' | undefined) ?? 'fast',
        experimentName: flags.experiment ?? DEFAULT_EXPERIMENT,
        ...(flags.name === undefined ? {} : { name: flags.name }),
        ...(flags.notes === undefined ? {} : { notes: flags.notes }),
        tags,
        ...(deviceId === undefined ? {} : { deviceId }),
      });
      if (!flags.json) process.stdout.write(`${runId}\n`);

      let interrupts = 0;
      const onSignal = (signal: NodeJS.Signals) => {
        interrupts += 1;
        const action = interrupts === 1 ? 'stop' : 'abort';
        process.stderr.write(interrupts === 1 ? `\n${signal}: stopping the run cleanly (again to abort)…\n` : `\n${signal}: aborting the run…\n`);
        services.runs.control(runId, action).catch(() => undefined);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      let run: RunDetail;
      try {
        run = await services.runs.whenDone(runId);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      const deltaGPercent = run.initialG !== null && run.finalG !== null && run.initialG !== 0 ? ((run.finalG - run.initialG) / run.initialG) * 100 : null;
      if (flags.json) {
        const summary = { runId, status: run.status, samples: run.sampleCount, initialG: run.initialG, finalG: run.finalG, deltaGPercent, exitReason: run.exitReason };
        process.stdout.write(`${JSON.stringify(summary)}\n`);
      } else {
        process.stdout.write(formatSummary(run, deltaGPercent));
      }
      if (run.status === 'completed') return 0;
      if (run.status === 'stopped' || run.status === 'aborted') return EXIT_INTERRUPTED;
      process.stderr.write(`workbench run: run ${runId} ${run.status}: ${forTerminal(run.exitReason ?? 'no reason recorded')}\n`);
      return 1;
    } finally {
      await services.close();
    }
  },
});

/** sim:PRESET, or an instrument: a resource string or the short forms (serial:PATH, tcp:HOST:PORT, usb:PATH, gpib:CONTROLLER:ADDR). */
function parseDevice(text: string): { kind: 'simulated'; preset: string } | { kind: 'instrument'; scheme: string; port: string } {
  if (/^(sim|simulated):/.test(text)) {
    try {
      return parseDeviceArg(text);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  const parsed = parseResource(text);
  if (!parsed.ok) throw new UsageError(`--device ${JSON.stringify(text)}: ${parsed.message} (or sim:PRESET for a simulated device)`);
  return { kind: 'instrument', ...deviceSpecOf(parsed.resource) };
}

/** The id of the device a run goes on: it exists and is not archived (the store's own check), said as --device-id's problem. */
function checkDeviceId(services: AppServices, id: string): string {
  try {
    return services.store.lab.checkRunDevice(id.trim());
  } catch (e) {
    if (isStoreError(e)) throw new Error(`--device-id ${JSON.stringify(id)}: ${e.message.replace(/\.?$/, '.')} Nothing was run or stored.`);
    throw e;
  }
}

function resolvePreset(services: AppServices, ref: string) {
  try {
    return loadDevicePreset(ref);
  } catch (e) {
    if (e instanceof LibraryError && !ref.includes('/') && !ref.endsWith('.json') && services.store.devicePresets.has(ref)) {
      return services.store.devicePresets.get(ref).preset;
    }
    throw e instanceof LibraryError ? new Error(firstLine(e)) : e;
  }
}

/** Library errors list every problem on its own line; the CLI reports them on one. */
function oneLine<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof LibraryError) throw new Error(firstLine(e));
    throw e;
  }
}

function firstLine(e: LibraryError): string {
  const head = e.message.split('\n')[0] ?? e.message;
  if (e.problems.length === 0) return head;
  return `${head} ${e.problems[0]}${e.problems.length > 1 ? ` (and ${e.problems.length - 1} more)` : ''}`;
}

function si(x: number | null, unit: string): string {
  if (x === null) return '—';
  const a = Math.abs(x);
  const prefixes: [number, string][] = [
    [1, ''],
    [1e-3, 'm'],
    [1e-6, 'µ'],
    [1e-9, 'n'],
    [1e-12, 'p'],
  ];
  for (const [f, p] of prefixes) if (a >= f) return `${(x / f).toPrecision(4)} ${p}${unit}`;
  return `${x.toExponential(3)} ${unit}`;
}

function formatSummary(run: RunDetail, deltaGPercent: number | null): string {
  const rows = [
    ['run', `${inline(run.name)} (${run.id})`],
    ['experiment', inline(run.experimentName)],
    ['status', run.exitReason ? `${run.status} — ${inline(run.exitReason)}` : run.status],
    ['samples', String(run.sampleCount)],
    ['G', `${si(run.initialG, 'S')} → ${si(run.finalG, 'S')}${deltaGPercent === null ? '' : ` (ΔG = ${formatDeltaG(deltaGPercent, { decimals: 2 })})`}`],
  ];
  const width = Math.max(...rows.map(([k]) => (k as string).length));
  return `${rows.map(([k, v]) => `${(k as string).padEnd(width)}  ${v}`).join('\n')}\n`;
}
