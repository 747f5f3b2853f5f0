import { idealPreset, intrinsicGradientPreset, paramInfoByKind, parseDevicePreset, type DeviceKind, type DevicePreset } from '../../../shared/device';
import {
  fitDeviceModel,
  fittableKinds,
  formatTraceCsvError,
  parseTraceCsv,
  type DeviceFitSuccess,
  type FittableKind,
  type MeasuredTrace,
  type PulseEvent,
  type ReadEvent,
  type TraceCsvOptions,
} from '../../../shared/fit';
import { replayProtocol } from '../../../shared/protocol';
import { SampleKind, type SampleColumns } from '../../../shared/samples/columns';
import { formatCount, formatSI } from '../../../shared/units';
import { listShippedPresets } from '../library';
import { reservedPresetNames, type Store } from '../store';

/*
 * The fitting workflow shared by `workbench fit` and the 'devices.fit' request: a measured trace
 * (from a CSV file or a stored run) → shared/fit's fitDeviceModel → values, uncertainties, residuals
 * and a new preset.
 */

/**
 * What is fitted when nothing is said. For the intrinsic-gradient model the barrier's own
 * parameters (k_s, β, τ_s) are held: one spike train and one recovery cannot tell them apart from
 * τ_g (their standard errors say so when they are freed). The efficacy parameters need several
 * pulse shapes and are held too.
 */
export const DEFAULT_FREE: Readonly<Record<FittableKind, readonly string[]>> = {
  'intrinsic-gradient': ['g0', 'kD', 'rho', 'gMin', 'tauG'],
  ideal: ['g0', 'kD', 'gMin'],
};

const basePresets: Readonly<Record<FittableKind, DevicePreset>> = { 'intrinsic-gradient': intrinsicGradientPreset, ideal: idealPreset };

const SUBSCRIPTS: Readonly<Record<string, string>> = { '₀': '0', '₁': '1', '₂': '2', '₃': '3' };

/** k_d, kD, KD, τ_g, tau_g, g_min, G₀ … all name the same parameters. */
function normaliseName(name: string): string {
  return name
    .normalize('NFC')
    .replace(/[₀₁₂₃]/g, (c) => SUBSCRIPTS[c] ?? c)
    .replace(/τ/g, 'tau')
    .replace(/β/g, 'beta')
    .replace(/ρ/g, 'rho')
    .replace(/γ/g, 'widthexponent')
    .toLowerCase()
    .replace(/[\s_-]/g, '');
}

/** Parameter keys of a model from the names a person typed; every unknown name is a problem. */
export function resolveParamNames(kind: DeviceKind, names: readonly string[]): { keys: string[]; problems: string[] } {
  const keys: string[] = [];
  const problems: string[] = [];
  const known = Object.keys(paramInfoByKind[kind]);
  for (const raw of names) {
    const name = raw.trim();
    if (name === '') continue;
    const key = known.find((k) => normaliseName(k) === normaliseName(name));
    if (key === undefined) problems.push(`${name} is not a parameter of the ${kind} model (its parameters: ${known.join(', ')})`);
    else if (!keys.includes(key)) keys.push(key);
  }
  return { keys, problems };
}

export type TraceResult = { ok: true; trace: MeasuredTrace; description: string } | { ok: false; problems: string[] };

/** A trace from CSV text (columns t, v, i, g, kind[, width]); every bad line is a problem naming its line. */
export function traceFromCsv(text: string, options: { pulseWidth?: number; name?: string } & Pick<TraceCsvOptions, 'dialect' | 'columns'> = {}): TraceResult {
  const parsed = parseTraceCsv(text, {
    ...(options.pulseWidth === undefined ? {} : { pulseWidth: options.pulseWidth }),
    ...(options.dialect === undefined ? {} : { dialect: options.dialect }),
    ...(options.columns === undefined ? {} : { columns: options.columns }),
  });
  if (!parsed.ok) return { ok: false, problems: parsed.errors.map(formatTraceCsvError) };
  const { pulses, reads } = parsed.trace;
  return { ok: true, trace: parsed.trace, description: `${options.name ?? 'the CSV'}: ${counts(pulses.length, reads.length)}` };
}

/**
 * A stored run as a trace. Pulse and read samples come from the store; a sample does not record
 * the pulse's width, so the widths come from the run's protocol snapshot, replayed against the
 * samples (shared/protocol's replayProtocol). Otherwise `pulseWidth` is used, or the problem is said.
 * Throws the store's 'not_found' for an unknown run.
 */
export function traceFromRun(store: Store, runId: string, options: { pulseWidth?: number } = {}): TraceResult {
  const run = store.runs.get(runId);
  const samples = store.readSamples(run.id);
  const pulses: PulseEvent[] = [];
  const reads: ReadEvent[] = [];
  for (let k = 0; k < samples.length; k++) {
    const t = samples.t[k]!;
    const v = samples.v[k]!;
    if (samples.kind[k] === SampleKind.pulse) pulses.push({ t, v, width: NaN });
    else {
      const read: ReadEvent = { t, v, i: samples.i[k]!, g: samples.g[k]! };
      reads.push(read);
    }
  }
  if (samples.length === 0) return { ok: false, problems: [`run "${run.name}" has no samples`] };
  let widthSource: string;
  const fromProtocol = widthsFromProtocol(run.protocol, samples, pulses.length);
  if ('widths' in fromProtocol) {
    fromProtocol.widths.forEach((w, k) => (pulses[k]!.width = w));
    widthSource = 'pulse widths from its protocol';
  } else if (options.pulseWidth !== undefined) {
    for (const p of pulses) p.width = options.pulseWidth;
    widthSource = `every pulse ${formatSI(options.pulseWidth, 's')} wide as asked (${fromProtocol.problem})`;
  } else if (pulses.length === 0) {
    widthSource = 'no pulses';
  } else {
    return {
      ok: false,
      problems: [`the pulse widths of run "${run.name}" are not known: ${fromProtocol.problem}; give the width of its pulses (--width in the CLI)`],
    };
  }
  return { ok: true, trace: { pulses, reads }, description: `run "${run.name}" (${run.id}): ${counts(pulses.length, reads.length)}, ${widthSource}` };
}

function widthsFromProtocol(protocol: unknown, samples: SampleColumns, pulses: number): { widths: number[] } | { problem: string } {
  const replay = replayProtocol(protocol, samples);
  if (replay.problem !== null) return { problem: replay.problem };
  const widths: number[] = [];
  for (let k = 0; k < samples.length; k++) if (samples.kind[k] === SampleKind.pulse) widths.push(replay.width[k]!);
  return widths.length === pulses ? { widths } : { problem: `its protocol applies ${widths.length} pulses where the run recorded ${pulses}` };
}

function counts(pulses: number, reads: number): string {
  return `${formatCount(pulses)} pulse${pulses === 1 ? '' : 's'}, ${formatCount(reads)} read${reads === 1 ? '' : 's'}`;
}

export interface FitTraceInput {
  model: FittableKind;
  trace: MeasuredTrace;
  /** Parameter names as a person writes them (k_d, tauG, …); default DEFAULT_FREE. */
  free?: readonly string[];
  /**
   * The preset the fit starts from: its values start the free parameters and hold the others, and
   * the fitted preset keeps its read voltage, variation and the provenance of the held parameters.
   * Default: the shipped preset of the model.
   */
  base?: DevicePreset;
  /** Starting values of free parameters and values of held ones, over the base preset's. */
  start?: Readonly<Record<string, number>>;
  method?: 'levenberg-marquardt' | 'nelder-mead';
  presetName?: string;
}

export type FitTraceResult =
  | (DeviceFitSuccess<FittableKind> & { held: Record<string, number>; presetProblems: string[]; validPreset: DevicePreset | null })
  | { ok: false; problems: string[] };

/** Fits the model to the trace. Never throws for bad input: every problem comes back in a sentence. */
export function fitTrace(input: FitTraceInput): FitTraceResult {
  const kind = input.model;
  if (!(fittableKinds as readonly string[]).includes(kind)) {
    return { ok: false, problems: [`only the ${fittableKinds.join(' and ')} models can be fitted (the ${String(kind)} model switches at random)`] };
  }
  const problems: string[] = [];
  const named = resolveParamNames(kind, input.free ?? DEFAULT_FREE[kind]);
  problems.push(...named.problems);
  const startNames = resolveParamNames(kind, Object.keys(input.start ?? {}));
  problems.push(...startNames.problems.map((p) => `start: ${p}`));
  if (problems.length > 0) return { ok: false, problems };

  const free = named.keys;
  const base = input.base?.model === kind ? input.base : basePresets[kind];
  const start: Record<string, number> = { ...(base.params as Record<string, number>) };
  for (const [name, value] of Object.entries(input.start ?? {})) start[resolveParamNames(kind, [name]).keys[0]!] = value;
  const fixed: Record<string, number> = {};
  const initial: Record<string, number> = {};
  for (const key of Object.keys(paramInfoByKind[kind])) {
    if (!free.includes(key)) fixed[key] = start[key]!;
    // G₀ starts from the data (the first read before any pulse), whatever the preset says.
    else if (key !== 'g0') initial[key] = start[key]!;
  }
  const fit = fitDeviceModel({
    model: kind,
    events: input.trace.pulses,
    reads: input.trace.reads,
    free: free as never,
    fixed: fixed as never,
    initial: initial as never,
    ...(input.method ? { method: input.method } : {}),
    ...(input.presetName ? { presetName: input.presetName } : {}),
  });
  if (!fit.ok) return fit;
  const provenance = { ...base.provenance };
  for (const key of fit.free) provenance[key] = 'fitted';
  const preset = { ...fit.preset, readVoltage: base.readVoltage, variation: { ...base.variation }, provenance };
  const parsed = parseDevicePreset(JSON.parse(JSON.stringify(preset)) as unknown);
  return {
    ...fit,
    preset,
    held: fixed,
    presetProblems: parsed.ok ? [] : parsed.problems.map((p) => p.message),
    validPreset: parsed.ok ? parsed.preset : null,
  };
}

/** Checks a name for a preset to be saved: the preset format's rule, and not a shipped preset's. */
export function presetNameProblem(name: string): string | null {
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(name)) return `"${name}" is not a preset name: use a short identifier of lower-case letters, digits and dashes`;
  if (reservedPresetNames.includes(name) || listShippedPresets().includes(name)) return `"${name}" is a shipped preset, which is read-only; choose another name`;
  return null;
}
