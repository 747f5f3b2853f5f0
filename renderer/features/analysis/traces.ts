import type { AnalysisSamples, SwitchingAnalysis } from '../../../shared/analysis';
import { cumulative } from '../../../shared/stats';
import { SampleKind } from '../../../shared/samples/columns';

/** What the switching charts draw, built from a run's samples and their analysis (pure: tested and benchmarked without a page). */
export interface Trace {
  label: string;
  /** 0…1 along the run's cycles (the colour), or null for what is not a cycle (forming, the cycle in progress). */
  position: number | null;
  v: Float64Array;
  i: Float64Array;
}

/** Most cycles the I–V and R–V charts draw (ours): more are thinned evenly, first and last kept. */
export const MAX_TRACES = 100;

export interface SamplesWithTime extends AnalysisSamples {
  readonly t: ArrayLike<number>;
  readonly g: ArrayLike<number>;
}

/** The drive samples (not reads) of [from, to) as V and I columns. */
function driveTrace(s: AnalysisSamples, from: number, to: number): { v: Float64Array; i: Float64Array } {
  let n = 0;
  for (let k = from; k < to; k++) if (s.kind[k] !== SampleKind.read) n++;
  const v = new Float64Array(n);
  const i = new Float64Array(n);
  let j = 0;
  for (let k = from; k < to; k++) {
    if (s.kind[k] === SampleKind.read) continue;
    v[j] = s.v[k]!;
    i[j] = s.i[k]!;
    j++;
  }
  return { v, i };
}

/** Which of n cycles to draw: all up to `max`, else `max` evenly spaced with the first and the last. */
export function thinCycles(n: number, max = MAX_TRACES): number[] {
  if (n <= max) return Array.from({ length: n }, (_, k) => k);
  const out = new Set<number>();
  for (let j = 0; j < max; j++) out.add(Math.round((j * (n - 1)) / (max - 1)));
  return [...out].sort((a, b) => a - b);
}

/**
 * The I–V traces of a run: what came before the first cycle (a forming sweep), each drawn cycle,
 * and what follows the last complete cycle (the cycle in progress, live).
 */
export function ivTraces(s: AnalysisSamples, a: SwitchingAnalysis, max = MAX_TRACES): Trace[] {
  const out: Trace[] = [];
  const first = a.cycles[0];
  const before = first ? first.start : s.length;
  const hasDrive = (t: { v: Float64Array }) => t.v.some((x) => x !== 0);
  const pre = driveTrace(s, 0, before);
  if (hasDrive(pre)) out.push({ label: a.cycles.length > 0 ? 'Before cycle 1 (forming)' : 'Sweep', position: null, ...pre });
  const n = a.cycles.length;
  for (const k of thinCycles(n, max)) {
    const c = a.cycles[k]!;
    out.push({ label: `Cycle ${k + 1}`, position: n > 1 ? k / (n - 1) : 0, ...driveTrace(s, c.start, c.end) });
  }
  const last = a.cycles[n - 1];
  if (last) {
    const rest = driveTrace(s, last.end, s.length);
    if (hasDrive(rest)) out.push({ label: `Cycle ${n + 1} (in progress)`, position: null, ...rest });
  }
  return out;
}

/** |V/I| of each point of a trace (NaN at V = 0 or I = 0): the R–V curve. */
export function resistanceOf(t: Trace): Float64Array {
  const r = new Float64Array(t.v.length);
  for (let k = 0; k < r.length; k++) r[k] = t.v[k] !== 0 && t.i[k] !== 0 ? Math.abs(t.v[k]! / t.i[k]!) : NaN;
  return r;
}

/** HRS and LRS against cycle number (1-based). */
export function statesByCycle(a: SwitchingAnalysis): { n: Float64Array; hrs: Float64Array; lrs: Float64Array } {
  const n = new Float64Array(a.cycles.length);
  const hrs = new Float64Array(a.cycles.length);
  const lrs = new Float64Array(a.cycles.length);
  a.cycles.forEach((c, k) => {
    n[k] = c.index + 1;
    hrs[k] = c.hrs ?? NaN;
    lrs[k] = c.lrs ?? NaN;
  });
  return { n, hrs, lrs };
}

/** The cumulative distribution of a figure over the cycles where it is a switching figure. */
export function distribution(a: SwitchingAnalysis, key: 'hrs' | 'lrs' | 'vSet' | 'vReset'): { x: Float64Array; p: Float64Array } {
  const when = key === 'hrs' || key === 'vReset' ? (c: { reset: boolean }) => c.reset : (c: { set: boolean }) => c.set;
  const values = a.cycles.filter(when).map((c) => (key === 'vReset' && c.vReset !== null ? Math.abs(c.vReset) : c[key]));
  const cdf = cumulative(values);
  return { x: Float64Array.from(cdf, (d) => d.x), p: Float64Array.from(cdf, (d) => d.p) };
}

/**
 * Retention: the reads' conductance against the time since the last drive sample before the
 * first read (so the first read is at t > 0 on a log axis). Null with fewer than three reads.
 */
export function retention(s: SamplesWithTime): { t: Float64Array; g: Float64Array } | null {
  let firstRead = -1;
  let reads = 0;
  for (let k = 0; k < s.length; k++) {
    if (s.kind[k] !== SampleKind.read) continue;
    if (firstRead < 0) firstRead = k;
    reads++;
  }
  if (reads < 3) return null;
  let t0 = 0;
  for (let k = firstRead - 1; k >= 0; k--) {
    if (s.kind[k] !== SampleKind.read) {
      t0 = s.t[k]!;
      break;
    }
  }
  const t = new Float64Array(reads);
  const g = new Float64Array(reads);
  let j = 0;
  for (let k = firstRead; k < s.length; k++) {
    if (s.kind[k] !== SampleKind.read) continue;
    t[j] = s.t[k]! - t0;
    g[j] = s.g[k]!;
    j++;
  }
  return { t, g };
}

/** Viridis (colour-blind safe, sequential), cut before its palest yellow so the last cycles stay readable on a light surface. */
const VIRIDIS = ['#440154', '#3b528b', '#21918c', '#5ec962', '#b5de2b'];

/** The colour of a cycle at `position` 0…1 along the run. */
export function cycleColor(position: number): string {
  const p = Math.min(1, Math.max(0, position)) * (VIRIDIS.length - 1);
  const k = Math.min(VIRIDIS.length - 2, Math.floor(p));
  const f = p - k;
  const a = Number.parseInt(VIRIDIS[k]!.slice(1), 16);
  const b = Number.parseInt(VIRIDIS[k + 1]!.slice(1), 16);
  const mix = (shift: number) => Math.round(((a >> shift) & 255) * (1 - f) + ((b >> shift) & 255) * f);
  return `rgb(${mix(16)}, ${mix(8)}, ${mix(0)})`;
}
