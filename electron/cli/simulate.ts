import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DevicePreset } from '../../shared/device';
import { compileProtocol, formatProblem } from '../../shared/protocol';
import { analysisOptions, analyzeSwitching } from '../../shared/analysis';
import { SampleBuilder, SampleKind, type SampleColumns } from '../../shared/samples/columns';
import { formatCount, formatDeltaG, formatDuration, formatSI } from '../../shared/units';
import { appVersion, defaultDataDir } from '../app-meta';
import { LibraryError, listShippedPresets, loadDevicePreset, loadProtocol } from '../services/library';
import { DATABASE_FILE_NAME, isStoreError, openStore, type Store } from '../services/store';
import { SamplesHasher } from '../services/lab/samples-copy';
import { simulateRun, type SimulationSummary } from '../services/simulation/simulate-run';
import { hasIvSweep, KEEP_SAMPLES_UP_TO } from '../services/runs/analysis-on-end';
import { UsageError } from './args';
import { cyclesSentence, switchingFigureLines } from './switching-text';
import { defineCommand } from './command';
import { inline } from './terminal-text';

/**
 * `workbench simulate`: runs a protocol on a simulated device and summarises the conductance.
 *
 * What the summary means: initial G and final G are the conductances measured by the first and the
 * last read of the protocol (read noise included, as an instrument would measure them); minimum G
 * is the smallest read. A protocol that takes no reads has nothing measured, so initial and final G
 * are then the model's true conductance before the first and after the last operation (the JSON
 * says which in "basis"). The duration is the simulated device time from the start to the end of
 * the last operation. Everything random comes from --seed: the same seed gives the same output,
 * byte for byte.
 */
export const DEFAULT_SEED = 1;

export const simulateCommand = defineCommand({
  name: 'simulate',
  synopsis: 'simulate --device PRESET|FILE --protocol NAME|FILE [--seed N] [--noise on|off] [--json]',
  summary: 'Run a protocol on a simulated device and summarise the conductance (initial, final, ΔG, minimum) and, for I–V sweeps or a bipolar device, the switching figures workbench analyze gives.',
  flags: {
    device: { type: 'string', description: 'a shipped preset (intrinsic-gradient, filamentary, ideal), a saved one (with --data-dir) or a preset file', placeholder: 'PRESET|FILE' },
    protocol: { type: 'string', description: 'a shipped protocol (e.g. paper-spike-train) or a protocol file', placeholder: 'NAME|FILE' },
    seed: { type: 'number', description: `seed of every random number (default ${DEFAULT_SEED}); the same seed gives the same output`, placeholder: 'N' },
    noise: { type: 'string', choices: ['on', 'off'], description: 'cycle-to-cycle, device-to-device and read noise (default on)' },
    'data-dir': { type: 'string', description: 'data folder whose saved presets --device may name', placeholder: 'D' },
    json: { type: 'boolean', description: 'print one JSON document: {initialG, finalG, deltaGPercent, durationS, samples: [{t, v, i, g, kind}], samplesHash, exits: [{block, t, reached, text}]} in SI units; samplesHash is the lab archive’s hash of the run’s samples' },
  },
  async run(flags) {
    if (!flags.device) throw new UsageError('--device is required: a shipped preset name, a saved preset name or a preset file');
    if (!flags.protocol) throw new UsageError('--protocol is required: a shipped protocol name or a protocol file');
    const seed = flags.seed ?? DEFAULT_SEED;
    if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--seed must be a whole number ≥ 0, got ${seed}`);
    const noise = flags.noise !== 'off';
    const preset = resolveDevicePreset(flags.device, flags['data-dir']);
    const protocol = loadProtocol(flags.protocol);
    const compiled = compileProtocol(protocol.document);
    if (!compiled.ok) throw new LibraryError(`protocol ${protocol.file} does not compile:`, compiled.problems.map(formatProblem));

    // The samples go out as they are made, never held as one document: a run of 10⁷ reads is
    // about 1 GB of JSON, which no string (and no machine's memory, twice over) should have to hold.
    // Their hash (the lab's samples hash) is taken slice by slice on the way.
    const out = flags.json ? new JsonStream(process.stdout) : null;
    const hasher = out ? new SamplesHasher() : null;
    const slice = new SampleBuilder(out ? 4096 : 1);
    // The summary of a run with I–V sweeps, or of any run on a bipolar device, gives its switching
    // figures as `workbench analyze` would for the same run recorded: its samples are kept for that.
    const sweeps = hasIvSweep(protocol.document);
    const kept = !out && (sweeps || preset.model === 'bipolar') ? new SampleBuilder(4096) : null;
    out?.write(`${JSON.stringify({ device: preset.name, model: preset.model, protocol: protocol.document.name, protocolFile: protocol.file, seed, noise }).slice(0, -1)},"samples":[`);
    const steps = simulateRun({ preset, program: compiled.program, seed, noise }, (t, v, i, g, kind, block, compliance) => {
      if (kept !== null && kept.length < KEEP_SAMPLES_UP_TO) kept.push(t, v, i, g, kind, block, compliance);
      if (!out) return;
      out.row({ t, v, i, g, kind: kind === SampleKind.pulse ? 'pulse' : 'read', compliance });
      slice.push(t, v, i, g, kind, block, compliance);
    });
    let step = steps.next();
    for (; !step.done; step = steps.next()) {
      hasher?.add(slice.take());
      if (out && !(await out.drained())) return 1; // stdout was closed (| head): stop simulating
    }
    const { summary, exits } = step.value;
    if (out && hasher) {
      hasher.add(slice.take());
      out.write(`],${JSON.stringify({ ...summary, samplesHash: hasher.digest(), exits }).slice(1)}\n`);
      return (await out.end()) ? 0 : 1;
    }
    process.stdout.write(formatSummary(preset, inline(protocol.document.name), seed, noise, summary));
    for (const e of exits) process.stdout.write(`  ${inline(e.text)}\n`);
    if (kept !== null) process.stdout.write(switchingSummary(kept.view(), summary.sampleCount, protocol.document, preset, sweeps));
    return 0;
  },
});

/**
 * JSON text to a stream in pieces of about a megabyte, waiting for it to drain between slices of
 * the simulation; what is pending is at most a slice of rows.
 */
class JsonStream {
  private pending: string[] = [];
  private pendingLength = 0;
  private first = true;
  private closed = false;

  constructor(private readonly stream: NodeJS.WriteStream) {
    stream.on('error', () => {
      this.closed = true; // EPIPE: the reader went away
    });
  }

  write(text: string): void {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= 1 << 20) this.flush();
  }

  row(value: unknown): void {
    this.write(this.first ? JSON.stringify(value) : `,${JSON.stringify(value)}`);
    this.first = false;
  }

  private flush(): void {
    if (this.pending.length === 0 || this.closed) return;
    this.stream.write(this.pending.join(''));
    this.pending = [];
    this.pendingLength = 0;
  }

  /** Writes what is pending and waits until the stream can take more; false once it is closed. */
  async drained(): Promise<boolean> {
    this.flush();
    if (!this.closed && this.stream.writableNeedDrain) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.stream.off('drain', done);
          this.stream.off('close', done);
          this.stream.off('error', done);
          resolve();
        };
        this.stream.on('drain', done);
        this.stream.on('close', done);
        this.stream.on('error', done);
      });
    }
    return !this.closed;
  }

  async end(): Promise<boolean> {
    return this.drained();
  }
}

function formatSummary(preset: DevicePreset, protocolName: string, seed: number, noise: boolean, s: SimulationSummary): string {
  const g = (x: number) => formatSI(x, 'S', { digits: 4 });
  const where = s.basis === 'reads' ? ['(first read)', '(last read)', '(smallest read)'] : ['(model, before)', '(model, after)', '(model)'];
  const rows: [string, string][] = [
    ['initial G', `${g(s.initialG)}  ${where[0]}`],
    ['final G', `${g(s.finalG)}  ${where[1]}`],
    ['ΔG', formatDeltaG(s.deltaGPercent, { decimals: 2, sign: true })],
    ['minimum G', `${g(s.minG)}  ${where[2]}`],
    ['G before', `${g(s.pristineG)}  (model, before the first operation)`],
    ['samples', `${formatCount(s.sampleCount)} (${formatCount(s.pulses)} pulses, ${formatCount(s.reads)} reads)`],
    ['duration', `${formatDuration(s.durationS)} simulated`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [
    `Simulated '${protocolName}' on ${preset.name} (${preset.model}; seed ${seed}, noise ${noise ? 'on' : 'off'})`,
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
  ];
  if (s.basis === 'model') lines.push('  The protocol takes no reads: G is the model’s true conductance.');
  return `${lines.join('\n')}\n`;
}

/** The switching figures of the samples kept, or why there are none; nothing for a run without sweeps that did not cycle. */
function switchingSummary(samples: SampleColumns, taken: number, protocol: unknown, preset: DevicePreset, sweeps: boolean): string {
  if (taken > samples.length) {
    return `Switching: not extracted here (over ${formatCount(KEEP_SAMPLES_UP_TO)} samples); record the run (workbench run) and use workbench analyze.\n`;
  }
  const a = analyzeSwitching(samples, analysisOptions(protocol, { presetDocument: preset }));
  if (!sweeps && a.cycles.length === 0) return '';
  return `${[`Switching: ${cyclesSentence(a)}`, ...switchingFigureLines(a, 'as workbench analyze gives them for the run recorded')].join('\n')}\n`;
}

const looksLikePath = (s: string) => s.includes('/') || s.includes('\\') || s.endsWith('.json');

/**
 * A device preset by file path, shipped name, or the name of a preset saved in the data folder's
 * store (--data-dir, else WORKBENCH_DATA_DIR, else the desktop app's folder). The store is only
 * opened when the name is not shipped and its database already exists: naming a preset never
 * creates a database.
 */
export function resolveDevicePreset(nameOrFile: string, dataDirFlag?: string): DevicePreset {
  if (looksLikePath(nameOrFile) || listShippedPresets().includes(nameOrFile)) return loadDevicePreset(nameOrFile);
  const dataDir = defaultDataDir(dataDirFlag);
  if (existsSync(path.join(dataDir, DATABASE_FILE_NAME))) {
    const store = openCliStore(dataDir);
    try {
      if (store.devicePresets.has(nameOrFile)) return store.devicePresets.get(nameOrFile).preset;
    } catch (e) {
      if (!isStoreError(e, 'invalid')) throw e;
    } finally {
      store.close();
    }
  }
  try {
    return loadDevicePreset(nameOrFile);
  } catch (e) {
    if (e instanceof LibraryError) {
      throw new LibraryError(`${e.message.replace(/\)$/, '')}; no saved preset of that name in ${dataDir} either)`);
    }
    throw e;
  }
}

/** The store of a data folder, as the CLI opens it. */
export function openCliStore(dataDir: string): Store {
  return openStore(dataDir, { appVersion, host: `cli@${os.hostname()}` });
}
