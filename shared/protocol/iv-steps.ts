import { TOLERANCE } from './defaults';
import type { IvSpacing } from './document';

/**
 * The voltages one cycle of an I–V sweep steps through. Each segment (a pair of neighbouring
 * points) starts where the one before ended and ends exactly on its own end point:
 *
 * - linear: a, a ± step, a ± 2·step, … and then b (the last step shorter when |b − a| is not a
 *   whole number of steps); each value is computed from a directly, so nothing accumulates;
 * - log: the magnitudes are spaced `pointsPerDecade` to a decade, from `floor` (or from the
 *   segment's smaller non-zero end) up to its larger end, through 0 V exactly when the segment
 *   starts or ends there; a segment from one polarity to the other passes through 0 V.
 *
 * A cycle is points[0] followed by every segment's steps, so it begins and ends on the first and
 * last points; every cycle is the same list.
 */
export interface IvPath {
  points: readonly number[];
  spacing: IvSpacing;
  /** Linear spacing: the size of a step (V, > 0). */
  step?: number;
  /** Log spacing: steps per decade of |V| (≥ 1). */
  pointsPerDecade?: number;
  /** Log spacing: the smallest non-zero |V| (V, > 0). */
  floor?: number;
}

/** How many steps one cycle has, without listing them (Infinity for a path that would never end). */
export function ivStepCount(path: IvPath): number {
  let n = path.points.length > 0 ? 1 : 0;
  forEachSegment(path, (a, b) => {
    n += path.spacing === 'log' ? logCount(a, b, path) : linearCount(a, b, path.step ?? Number.NaN);
  });
  return n;
}

/** The voltages of one cycle, in order. Only for paths whose ivStepCount is a sane number. */
export function ivCycleVoltages(path: IvPath): number[] {
  const first = path.points[0];
  if (first === undefined) return [];
  const out = [first];
  forEachSegment(path, (a, b) => {
    if (path.spacing === 'log') out.push(...logSteps(a, b, path));
    else {
      const step = path.step ?? Number.NaN;
      const m = linearCount(a, b, step);
      const sign = Math.sign(b - a);
      for (let k = 1; k < m; k++) out.push(a + sign * step * k);
      out.push(b);
    }
  });
  return out.map((v) => (v === 0 ? 0 : v)); // no −0
}

function forEachSegment(path: IvPath, visit: (a: number, b: number) => void): void {
  for (let k = 1; k < path.points.length; k++) {
    const a = path.points[k - 1] as number;
    const b = path.points[k] as number;
    if (a !== b) visit(a, b);
  }
}

/** Steps from a to b (a excluded, b included) at `step`: at least one. */
function linearCount(a: number, b: number, step: number): number {
  if (!(step > 0)) return Number.NaN;
  return Math.max(1, Math.ceil(Math.abs(b - a) / step - TOLERANCE));
}

/** The steps from a to b (a excluded, b included), log-spaced in |V|. */
function logSteps(a: number, b: number, path: IvPath): number[] {
  if (a * b < 0) return [...logMonotone(a, 0, path), ...logMonotone(0, b, path)];
  return logMonotone(a, b, path);
}

/** How many steps logSteps(a, b) has. */
function logCount(a: number, b: number, path: IvPath): number {
  if (a * b < 0) return logCount(a, 0, path) + logCount(0, b, path);
  const span = logSpan(a, b, path);
  return span === undefined ? Number.NaN : span.m + (span.small === 0 ? 1 : 0);
}

/**
 * A segment a to b where one end is 0 or both have the same sign: its magnitudes run from lo (the
 * smaller non-zero end, or the floor) to hi in m intervals of at most 1/ppd decade.
 */
function logSpan(a: number, b: number, path: IvPath): { small: number; lo: number; hi: number; m: number; ppd: number } | undefined {
  const ppd = path.pointsPerDecade ?? Number.NaN;
  const floor = path.floor ?? Number.NaN;
  const small = Math.min(Math.abs(a), Math.abs(b));
  const hi = Math.max(Math.abs(a), Math.abs(b));
  const lo = small === 0 ? Math.min(floor, hi) : small;
  if (!(ppd >= 1) || !(lo > 0)) return undefined;
  return { small, lo, hi, ppd, m: Math.max(0, Math.ceil(ppd * Math.log10(hi / lo) - TOLERANCE)) };
}

/** The steps of logSpan(a, b), a excluded, b included. */
function logMonotone(a: number, b: number, path: IvPath): number[] {
  const span = logSpan(a, b, path);
  if (span === undefined) return [Number.NaN];
  const { small, lo, hi, m, ppd } = span;
  const sign = Math.sign(a !== 0 ? a : b);
  // The magnitudes in ascending order: [0,] lo, lo·10^(1/ppd), …, hi.
  const magnitudes: number[] = small === 0 ? [0] : [];
  for (let k = 0; k < m; k++) magnitudes.push(Math.min(hi, lo * Math.pow(10, k / ppd)));
  magnitudes.push(hi);
  if (Math.abs(a) > Math.abs(b)) magnitudes.reverse();
  return magnitudes.slice(1).map((x) => sign * x);
}
