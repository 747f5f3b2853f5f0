import { existsSync } from 'node:fs';
import path from 'node:path';
import { paramInfoByKind, type ParamInfo } from '../../shared/device';
import { fittableKinds, type FittableKind, type TraceColumn, type TraceCsvOptions } from '../../shared/fit';
import { formatCount, formatSI, parseQuantity } from '../../shared/units';
import { defaultDataDir } from '../app-meta';
import { DEFAULT_FREE, fitTrace, presetNameProblem, traceFromCsv, traceFromRun, type FitTraceResult, type TraceResult } from '../services/fit';
import { FileReadError, readUserText } from '../services/files/read-user-file';
import { DATABASE_FILE_NAME } from '../services/store';
import { UsageError } from './args';
import { defineCommand } from './command';
import { forTerminal } from './terminal-text';
import { openCliStore, resolveDevicePreset } from './simulate';

/** `workbench fit`: the fitting workflow (electron/services/fit) from a CSV file or a stored run, printed or saved as a preset. */
export const fitCommand = defineCommand({
  name: 'fit',
  synopsis: 'fit --csv FILE [--delimiter D] [--decimal M] [--columns MAP] | --run RUN_ID [--model intrinsic-gradient|ideal] [--free k_d,tauG,…] [--json] [--save NAME]',
  summary: 'Fit a device model to a measured trace: values ± standard errors, residual RMS, and a new preset.',
  flags: {
    csv: { type: 'string', description: 'the trace as CSV: columns t, v, i, g, kind[, width] found by name (SI units; kind read|pulse; others ignored), e.g. a workbench export', placeholder: 'FILE' },
    run: { type: 'string', description: 'fit a run stored in the data folder instead (pulse widths from its protocol snapshot)', placeholder: 'RUN_ID' },
    model: { type: 'string', choices: fittableKinds, description: 'the model to fit (default: --device’s model, else intrinsic-gradient)' },
    free: {
      type: 'string',
      description: `parameters to fit, comma-separated (default: ${DEFAULT_FREE['intrinsic-gradient'].join(',')} for intrinsic-gradient, ${DEFAULT_FREE.ideal.join(',')} for ideal)`,
      placeholder: 'k_d,tauG,…',
    },
    device: { type: 'string', description: 'start from, and hold the other parameters at, this preset’s values (default: the shipped preset)', placeholder: 'PRESET|FILE' },
    delimiter: { type: 'string', choices: ['comma', 'semicolon', 'tab'], description: 'the CSV’s delimiter (default: sniffed from the file)' },
    decimal: { type: 'string', choices: ['point', 'comma'], description: 'the CSV’s decimal mark (default: sniffed: a comma when numbers such as 1,5 appear beside a semicolon or a tab)' },
    columns: { type: 'string', description: 'where the columns are, for a header the reader does not know: t=1,v=2,g=3,kind=4[,i=…][,width=…] (counted from 1)', placeholder: 'MAP' },
    width: { type: 'string', description: 'width of pulses that carry none (e.g. 10ms): a CSV without a width column, a run without a usable protocol', placeholder: 'W' },
    method: { type: 'string', choices: ['levenberg-marquardt', 'nelder-mead'], description: 'the least-squares method (default levenberg-marquardt)' },
    save: { type: 'string', description: 'store the fitted preset under this name in the data folder', placeholder: 'NAME' },
    overwrite: { type: 'boolean', description: 'with --save: replace a saved preset of the same name' },
    'data-dir': { type: 'string', description: 'data folder for --run and --save (default: WORKBENCH_DATA_DIR, else the desktop app’s folder)', placeholder: 'D' },
    json: { type: 'boolean', description: 'print one JSON document' },
  },
  async run(flags) {
    if ((flags.csv === undefined) === (flags.run === undefined)) throw new UsageError('give the trace to fit: exactly one of --csv FILE and --run RUN_ID');
    const pulseWidth = flags.width === undefined ? undefined : parseWidth(flags.width);
    if (flags.save !== undefined) {
      const problem = presetNameProblem(flags.save);
      if (problem) throw new Error(`--save: ${problem}`);
    }
    const startPreset = flags.device === undefined ? undefined : resolveDevicePreset(flags.device, flags['data-dir']);
    const model = (flags.model ?? startPreset?.model ?? 'intrinsic-gradient') as FittableKind;
    if (startPreset && startPreset.model !== model) throw new Error(`--device ${flags.device} is a ${startPreset.model} preset, not ${model}`);
    if (!(fittableKinds as readonly string[]).includes(model)) throw new Error(`the ${model} model cannot be fitted: it switches at random (fit ${fittableKinds.join(' or ')})`);

    const dataDir = defaultDataDir(flags['data-dir']);
    if (flags.run !== undefined && !existsSync(path.join(dataDir, DATABASE_FILE_NAME))) {
      throw new Error(`there is no workbench database in ${dataDir} to find run ${flags.run} in (give the data folder with --data-dir)`);
    }
    const store = flags.run !== undefined || flags.save !== undefined ? openCliStore(dataDir) : null;
    try {
      const source = flags.csv !== undefined ? readCsv(flags.csv, pulseWidth, csvLayout(flags.delimiter, flags.decimal, flags.columns)) : traceFromRun(store!, flags.run!, pulseWidth === undefined ? {} : { pulseWidth });
      if (!source.ok) return fail(source.problems, 'the trace cannot be fitted', !!flags.json);
      const fit = fitTrace({
        model,
        trace: source.trace,
        ...(flags.free !== undefined ? { free: flags.free.split(',') } : {}),
        ...(startPreset ? { base: startPreset } : {}),
        ...(flags.method ? { method: flags.method as 'levenberg-marquardt' | 'nelder-mead' } : {}),
        ...(flags.save ? { presetName: flags.save } : {}),
      });
      if (!fit.ok) return fail(fit.problems, 'the fit cannot run', !!flags.json);
      if (fit.status === 'failed') return fail([`the fit failed: ${fit.reason}`], 'the fit failed', !!flags.json);

      let saved: { name: string; dataFile: string } | null = null;
      if (flags.save !== undefined) {
        if (!fit.validPreset) return fail(fit.presetProblems.map((p) => `the fitted values do not make a valid preset: ${p}`), 'nothing was saved', !!flags.json);
        store!.devicePresets.save(fit.validPreset, { overwrite: !!flags.overwrite });
        saved = { name: flags.save, dataFile: store!.file };
      }
      if (flags.json) process.stdout.write(`${JSON.stringify(fitJson(fit, source.description, saved))}\n`);
      else process.stdout.write(forTerminal(formatFit(fit, source.description, saved)));
      if (!fit.converged) process.stderr.write(`workbench fit: warning: the fit did not converge (${fit.reason}); treat the values with care\n`);
      return 0;
    } finally {
      store?.close();
    }
  },
});

function parseWidth(text: string): number {
  const q = parseQuantity(text, 's');
  if (!q.ok) throw new Error(`--width: ${q.message}`);
  if (!(q.value > 0)) throw new Error(`--width must be a positive time, got ${text}`);
  return q.value;
}

const DELIMITER_NAMES = { comma: ',', semicolon: ';', tab: '\t' } as const;

/** --delimiter, --decimal and --columns as the reader's options (a usage error for a bad --columns). */
function csvLayout(delimiter: string | undefined, decimal: string | undefined, columns: string | undefined): Pick<TraceCsvOptions, 'dialect' | 'columns'> {
  const dialect: NonNullable<TraceCsvOptions['dialect']> = {};
  if (delimiter !== undefined) dialect.delimiter = DELIMITER_NAMES[delimiter as keyof typeof DELIMITER_NAMES];
  if (decimal !== undefined) dialect.decimal = decimal === 'comma' ? ',' : '.';
  const out: Pick<TraceCsvOptions, 'dialect' | 'columns'> = Object.keys(dialect).length > 0 ? { dialect } : {};
  if (columns !== undefined) {
    const map: NonNullable<TraceCsvOptions['columns']> = {};
    for (const part of columns.split(',')) {
      const m = /^\s*(t|v|i|g|kind|width)\s*=\s*(\d{1,3})\s*$/.exec(part);
      if (!m || Number(m[2]) < 1) throw new UsageError(`--columns: '${part}' is not NAME=N (NAME one of t, v, i, g, kind, width; N counted from 1)`);
      map[m[1] as TraceColumn] = Number(m[2]) - 1;
    }
    out.columns = map;
  }
  return out;
}

function readCsv(file: string, pulseWidth: number | undefined, layout: Pick<TraceCsvOptions, 'dialect' | 'columns'> = {}): TraceResult {
  let text: string;
  try {
    text = readUserText(file, 'csv');
  } catch (e) {
    if (e instanceof FileReadError) return { ok: false, problems: [e.message] };
    throw e;
  }
  return traceFromCsv(text, { name: file, ...layout, ...(pulseWidth === undefined ? {} : { pulseWidth }) });
}

function fail(problems: readonly string[], headline: string, json: boolean): number {
  if (json) process.stdout.write(`${JSON.stringify({ ok: false, problems })}\n`);
  else process.stderr.write(forTerminal(`workbench fit: ${headline}:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`));
  return 1;
}

type FitOk = Extract<FitTraceResult, { ok: true }>;

function fitJson(fit: FitOk, source: string, saved: { name: string; dataFile: string } | null) {
  return {
    ok: true,
    model: fit.model,
    source,
    free: fit.free,
    held: fit.held,
    params: fit.params,
    estimates: fit.estimates,
    residualRms: fit.residualRms,
    relativeResidualRms: fit.relativeResidualRms,
    converged: fit.converged,
    status: fit.status,
    reason: fit.reason,
    iterations: fit.iterations,
    evaluations: fit.evaluations,
    reads: fit.measured.length,
    preset: fit.preset,
    presetProblems: fit.presetProblems,
    saved,
  };
}

/** A parameter's value as a person reads it: SI prefixes for units, plain significant figures otherwise. */
export function formatParam(info: ParamInfo | undefined, value: number, digits = 4): string {
  if (!Number.isFinite(value)) return '—';
  // Times of a second and more read best in plain seconds ("1000 s", not "1 ks").
  if (info?.unit === 's' && Math.abs(value) >= 1 && Math.abs(value) < 1e6) return `${Number(value.toPrecision(digits))} s`;
  if (info && info.unit !== '') return formatSI(Number(value.toPrecision(digits)), info.unit);
  return String(Number(value.toPrecision(digits)));
}

function formatFit(fit: FitOk, source: string, saved: { name: string; dataFile: string } | null): string {
  const infos = paramInfoByKind[fit.model] as Readonly<Record<string, ParamInfo>>;
  const rows = fit.free.map((key) => {
    const e = fit.estimates[key as keyof typeof fit.estimates]!;
    const info = infos[key];
    const se = Number.isFinite(e.standardError) ? `± ${formatParam(info, e.standardError, 2)}` : '± (not determined)';
    const rel = Number.isFinite(e.relativeError) ? `${(e.relativeError * 100).toPrecision(2)} %` : '';
    return [`${info?.label ?? key}`, key, formatParam(info, e.value, 5), se, rel];
  });
  const head = ['parameter', 'key', 'value', 'standard error', 'relative'];
  const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
  const line = (r: string[]) => `  ${r.map((c, k) => c.padEnd(widths[k]!)).join('  ').trimEnd()}`;
  const held = Object.entries(fit.held).map(([key, value]) => `${key} = ${formatParam(infos[key], value)}`);
  const out = [
    `Fit of the ${fit.model} model to ${source}`,
    `${fit.status === 'converged' ? 'Converged' : `Stopped (${fit.status})`} after ${fit.iterations} iterations: ${fit.reason}`,
    '',
    line(head),
    `  ${widths.map((w) => '-'.repeat(w)).join('  ')}`,
    ...rows.map(line),
    '',
    `  held: ${held.join(', ')}`,
    `  residual RMS: ${formatSI(fit.residualRms, 'S', { digits: 3 })} (${(fit.relativeResidualRms * 100).toPrecision(3)} % of G) over ${formatCount(fit.measured.length)} reads`,
  ];
  if (fit.presetProblems.length > 0) out.push(`  the fitted values do not make a valid preset: ${fit.presetProblems.join('; ')}`);
  if (saved) out.push(`  saved as device preset '${saved.name}' in ${saved.dataFile}`);
  return `${out.join('\n')}\n`;
}
