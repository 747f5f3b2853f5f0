import {
  IdealDevice,
  IntrinsicGradientDevice,
  idealPreset,
  intrinsicGradientPreset,
  NO_VARIATION,
  paramInfoByKind,
  inRange,
  type DeviceModel,
  type DevicePresetOf,
  type ParamsByKind,
} from '../device';
import { levenbergMarquardt } from './levenberg-marquardt';
import { nelderMeadLeastSquares } from './nelder-mead';
import type { FitStatus, LeastSquaresResult } from './result';
import { readConductance, type PulseEvent, type ReadEvent } from './trace';

/**
 * Fits a device model to a measured run: the pulses are replayed on a noise-free model with
 * candidate parameters, and the model's conductance at each read is compared with the measured one.
 * Only deterministic models can be fitted this way (the filamentary model switches at random).
 */
export const fittableKinds = ['intrinsic-gradient', 'ideal'] as const;
export type FittableKind = (typeof fittableKinds)[number];

type ParamKey<K extends FittableKind> = keyof ParamsByKind[K] & string;

export interface DeviceFitInput<K extends FittableKind = FittableKind> {
  model: K;
  /** The pulses applied, in device time. */
  events: readonly PulseEvent[];
  /** The reads taken (g, or i and v). A read at the same time as a pulse sees the pulse's result. */
  reads: readonly ReadEvent[];
  /** Parameters held at the given values. */
  fixed?: Partial<ParamsByKind[K]>;
  /** Starting values (default: the built-in preset; G₀ from the first read before any pulse). */
  initial?: Partial<ParamsByKind[K]>;
  /**
   * Parameters to fit. Default: every parameter that is not fixed, except the efficacy parameters
   * (vTh, vScale, widthExponent), which one pulse shape cannot determine.
   */
  free?: readonly ParamKey<K>[];
  /**
   * 'relative' (default) weighs each residual by 1/|G measured| — right when the read noise is a
   * fraction of G, as in the simulated devices; 'absolute' uses plain differences in siemens.
   */
  weighting?: 'relative' | 'absolute';
  method?: 'levenberg-marquardt' | 'nelder-mead';
  maxIterations?: number;
  /** Name for the resulting preset. Default "<model>-fitted". */
  presetName?: string;
}

export interface ParameterEstimate {
  value: number;
  /** One standard error, from the Jacobian at the optimum (NaN when not identifiable). */
  standardError: number;
  /** standardError / |value|. */
  relativeError: number;
}

export interface DeviceFitSuccess<K extends FittableKind = FittableKind> {
  ok: true;
  model: K;
  /** Every parameter: fitted and fixed. */
  params: ParamsByKind[K];
  free: ParamKey<K>[];
  estimates: Partial<Record<ParamKey<K>, ParameterEstimate>>;
  /** RMS of (G model − G measured) in siemens. */
  residualRms: number;
  /** RMS of (G model − G measured)/G measured. */
  relativeResidualRms: number;
  /** Model conductance (S) at each read, in the order given. */
  fitted: number[];
  /** Measured conductance (S) at each read, in the order given. */
  measured: number[];
  iterations: number;
  evaluations: number;
  converged: boolean;
  status: FitStatus;
  reason: string;
  /** The fit as a new device preset (source "fitted"; fixed parameters keep their provenance). */
  preset: DevicePresetOf<K>;
}

export type DeviceFitResult<K extends FittableKind = FittableKind> =
  | DeviceFitSuccess<K>
  | { ok: false; problems: string[] };

const EFFICACY_KEYS = ['vTh', 'vScale', 'widthExponent'];

const basePresets: { [K in FittableKind]: DevicePresetOf<K> } = {
  'intrinsic-gradient': intrinsicGradientPreset,
  ideal: idealPreset,
};

type Step = { t: number; pulse: PulseEvent | null; read: number };

/** Pulses and reads merged in time order; at equal times pulses come first. */
function timeline(events: readonly PulseEvent[], reads: readonly ReadEvent[]): Step[] {
  const steps: (Step & { order: number })[] = [];
  events.forEach((pulse, k) => steps.push({ t: pulse.t, pulse, read: -1, order: k }));
  reads.forEach((read, k) => steps.push({ t: read.t, pulse: null, read: k, order: events.length + k }));
  steps.sort((a, b) => a.t - b.t || a.order - b.order);
  return steps;
}

function newModel<K extends FittableKind>(kind: K, params: ParamsByKind[K]): DeviceModel {
  return kind === 'intrinsic-gradient'
    ? new IntrinsicGradientDevice(params as ParamsByKind['intrinsic-gradient'], NO_VARIATION, null)
    : new IdealDevice(params as ParamsByKind['ideal'], NO_VARIATION, null);
}

/** Replays the pulses on a noise-free model and returns its conductance (S) at each read. */
export function simulateReads<K extends FittableKind>(
  kind: K,
  params: ParamsByKind[K],
  events: readonly PulseEvent[],
  reads: readonly ReadEvent[],
): Float64Array {
  return replay(kind, params, timeline(events, reads), reads.length);
}

function replay<K extends FittableKind>(kind: K, params: ParamsByKind[K], steps: readonly Step[], nReads: number): Float64Array {
  const model = newModel(kind, params);
  const out = new Float64Array(nReads);
  let now = steps.length > 0 ? steps[0]!.t : 0;
  for (const step of steps) {
    if (step.t > now) {
      model.relax(step.t - now);
      now = step.t;
    }
    if (step.pulse) model.pulse(step.pulse.v, step.pulse.width);
    else out[step.read] = model.conductance();
  }
  return out;
}

export function fitDeviceModel<K extends FittableKind>(input: DeviceFitInput<K>): DeviceFitResult<K> {
  const problems: string[] = [];
  const kind = input.model;
  if (!(fittableKinds as readonly string[]).includes(kind)) {
    return { ok: false, problems: [`model must be one of ${fittableKinds.join(', ')} (got ${String(kind)})`] };
  }
  const info = paramInfoByKind[kind] as Record<string, { range: Parameters<typeof inRange>[1]; requirement: string }>;
  const keys = Object.keys(info) as ParamKey<K>[];
  const base = basePresets[kind] as DevicePresetOf<K>;

  input.events.forEach((e, k) => {
    if (!Number.isFinite(e.t) || !Number.isFinite(e.v) || !(e.width > 0) || !Number.isFinite(e.width)) {
      problems.push(`pulse ${k + 1} needs a finite time, a finite amplitude and a positive width`);
    }
  });
  const measured: number[] = [];
  input.reads.forEach((r, k) => {
    const g = readConductance(r);
    if (!Number.isFinite(r.t)) problems.push(`read ${k + 1} needs a finite time`);
    if (g === undefined) problems.push(`read ${k + 1} has neither g nor a usable i/v`);
    measured.push(g ?? NaN);
  });

  const fixed = (input.fixed ?? {}) as Record<string, number | undefined>;
  const initialIn = (input.initial ?? {}) as Record<string, number | undefined>;
  for (const [source, values] of [
    ['fixed', fixed],
    ['initial', initialIn],
  ] as const) {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) continue;
      const entry = info[key];
      if (!entry) problems.push(`${source} names ${key}, which is not a parameter of the ${kind} model`);
      else if (!inRange(value, entry.range)) problems.push(`${source} ${key} must be ${entry.requirement} (got ${value})`);
    }
  }

  const free = (input.free ?? keys.filter((k) => !EFFICACY_KEYS.includes(k) && fixed[k] === undefined)).slice();
  for (const key of free) {
    if (!info[key]) problems.push(`free names ${key}, which is not a parameter of the ${kind} model`);
    else if (fixed[key] !== undefined) problems.push(`${key} is both free and fixed`);
  }
  if (free.length === 0) problems.push('there is no parameter left to fit');
  if (input.reads.length <= free.length) {
    problems.push(`${free.length} free parameters need more than ${free.length} reads (got ${input.reads.length})`);
  }
  const weighting = input.weighting ?? 'relative';
  if (weighting === 'relative' && measured.some((g) => Number.isFinite(g) && !(g > 0))) {
    problems.push('relative weighting needs every measured G to be positive; use weighting "absolute"');
  }
  if (problems.length > 0) return { ok: false, problems };

  const start: Record<string, number> = { ...(base.params as Record<string, number>) };
  const firstPulse = input.events.reduce((m, e) => Math.min(m, e.t), Infinity);
  const before = input.reads.findIndex((r) => r.t < firstPulse);
  start.g0 = before >= 0 ? measured[before]! : measured.reduce((m, g) => Math.max(m, g), 0);
  for (const [key, value] of Object.entries(initialIn)) if (value !== undefined) start[key] = value;
  for (const [key, value] of Object.entries(fixed)) if (value !== undefined) start[key] = value;

  const steps = timeline(input.events, input.reads);
  const scale = measured.reduce((m, g) => Math.max(m, Math.abs(g)), 0);
  const weights = measured.map((g) => (weighting === 'relative' ? 1 / g : 1 / scale));
  const paramsFrom = (x: readonly number[]): ParamsByKind[K] => {
    const p: Record<string, number> = { ...start };
    free.forEach((key, j) => (p[key] = x[j]!));
    return p as ParamsByKind[K];
  };
  const residuals = (x: readonly number[]): Float64Array => {
    const simulated = replay(kind, paramsFrom(x), steps, input.reads.length);
    for (let i = 0; i < simulated.length; i++) simulated[i] = (simulated[i]! - measured[i]!) * weights[i]!;
    return simulated;
  };

  const bounds = free.map((key): [number, number] => {
    const { min, max } = info[key]!.range;
    return [min, max];
  });
  const initial = free.map((key) => start[key]!);
  const options = { bounds, ...(input.maxIterations !== undefined ? { maxIterations: input.maxIterations } : {}) };
  const result: LeastSquaresResult =
    input.method === 'nelder-mead'
      ? nelderMeadLeastSquares(residuals, initial, options)
      : levenbergMarquardt(residuals, initial, options);

  const params = paramsFrom(result.values);
  const fitted = Array.from(simulateReads(kind, params, input.events, input.reads));
  let abs = 0;
  let rel = 0;
  fitted.forEach((g, i) => {
    const d = g - measured[i]!;
    abs += d * d;
    rel += (d / measured[i]!) ** 2;
  });
  const n = Math.max(1, fitted.length);
  const estimates: Partial<Record<ParamKey<K>, ParameterEstimate>> = {};
  free.forEach((key, j) => {
    const value = result.values[j]!;
    const standardError = result.standardErrors[j]!;
    estimates[key] = { value, standardError, relativeError: standardError / Math.abs(value) };
  });
  const provenance: Record<string, DevicePresetOf<K>['source']> = { ...base.provenance };
  for (const key of free) provenance[key] = 'fitted';
  const preset: DevicePresetOf<K> = {
    ...base,
    name: input.presetName ?? `${kind}-fitted`,
    title: `${base.title.replace(/ \(.*\)$/, '')} (fitted)`,
    description: `Fitted to a measured run of ${input.events.length} pulses and ${input.reads.length} reads; relative RMS residual ${(Math.sqrt(rel / n) * 100).toPrecision(3)} %.`,
    source: 'fitted',
    params,
    provenance,
    notes: `Fitted parameters: ${free.join(', ')}. Others are held at the values shown, with their own provenance.`,
  };
  return {
    ok: true,
    model: kind,
    params,
    free,
    estimates,
    residualRms: Math.sqrt(abs / n),
    relativeResidualRms: Math.sqrt(rel / n),
    fitted,
    measured,
    iterations: result.iterations,
    evaluations: result.evaluations,
    converged: result.converged,
    status: result.status,
    reason: result.reason,
    preset,
  };
}
