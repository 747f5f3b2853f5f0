/**
 * Descriptive statistics of plain number lists: the one median, mean, standard deviation, CV % and
 * empirical CDF every part of the workbench uses (the switching analysis, the variability
 * statistics, the archive's per-device figures, the benchmarks). Non-finite values (and null or
 * undefined) are left out everywhere: a cycle without a read has no HRS, which is not a zero.
 *
 * Definitions (so a user computing from exported data gets the same numbers):
 * - median: the middle value of the sorted values; for an even count the mean of the two middle ones.
 * - standard deviation: the sample one, with n − 1 (Bessel's correction); two-pass, so a large
 *   common offset does not cancel the spread.
 * - CV %: 100·s/|mean| with that s; null below two values or for a zero mean (no scale to compare
 *   the spread with).
 * - quantile: linear interpolation between order statistics (Hyndman–Fan type 7, the default of
 *   numpy and R), so quartiles match what a user computes from exported data; its 0.5 is the median.
 */

/** A list of measured values; null, undefined, NaN and ±∞ are not measurements. */
export type Values = Iterable<number | null | undefined>;

/** The finite values, sorted ascending (a new array). */
export function finiteSorted(values: Values): number[] {
  const out: number[] = [];
  let zero = false;
  for (const x of values) {
    if (typeof x === 'number' && Number.isFinite(x)) {
      out.push(x);
      if (x === 0) zero = true;
    }
  }
  // A typed array's numeric sort is several times faster than a sort with a comparator (the switching
  // analysis sorts thousands of figures); it differs only in putting −0 before +0, which the
  // comparator, equal for both, leaves in their order: with a zero among them, the comparator's.
  if (zero || out.length < 2) return out.sort((a, b) => a - b);
  return Array.from(Float64Array.from(out).sort());
}

/** The median of values already sorted ascending (and finite), or null for none. */
export function medianOfSorted(xs: ArrayLike<number>): number | null {
  const n = xs.length;
  if (n === 0) return null;
  const m = n >> 1;
  return n % 2 === 1 ? (xs[m] as number) : ((xs[m - 1] as number) + (xs[m] as number)) / 2;
}

/** The median of the finite values, or null when there are none. */
export function median(values: Values): number | null {
  // One value (a lobe's one read, in an endurance run's thousands): no copy, no sort.
  if (Array.isArray(values) && values.length === 1) {
    const x: unknown = values[0];
    return typeof x === 'number' && Number.isFinite(x) ? x : null;
  }
  return medianOfSorted(finiteSorted(values));
}

/**
 * The median of values that are all finite, sorting them in place: a typed array's numeric sort is
 * several times faster than an array sort with a comparator, on the tens of thousands of currents
 * of an endurance run. Null for none.
 */
export function medianInPlace(values: Float64Array): number | null {
  return medianOfSorted(values.sort());
}

/** The p-quantile (0 ≤ p ≤ 1, type 7) of values already sorted ascending; NaN for none. */
export function quantileOfSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

/** The p-quantile (type 7) of the values as given (sorted here, not filtered); NaN for none. */
export function quantile(values: readonly number[], p: number): number {
  return quantileOfSorted([...values].sort((a, b) => a - b), p);
}

/** Arithmetic mean of the finite values, or null. */
export function mean(values: Values): number | null {
  return meanOfSorted(finiteSorted(values));
}

/** Sample standard deviation (n − 1) of the finite values, or null below two. */
export function standardDeviation(values: Values): number | null {
  return standardDeviationOfSorted(finiteSorted(values));
}

/** Coefficient of variation in percent: 100·s/|mean| (s with n − 1); null below two values or for a zero mean. */
export function cvPercent(values: Values): number | null {
  // Sorted once (the sum runs in sorted order, so the figures are those of mean and standardDeviation).
  const xs = finiteSorted(values);
  const mu = meanOfSorted(xs);
  const sd = standardDeviationOfSorted(xs);
  if (mu === null || sd === null || mu === 0) return null;
  return (100 * sd) / Math.abs(mu);
}

/** The mean of finite values already sorted ascending (summed in that order), or null for none. */
function meanOfSorted(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** The sample standard deviation of finite values already sorted ascending, or null below two. */
function standardDeviationOfSorted(xs: readonly number[]): number | null {
  if (xs.length < 2) return null;
  const mu = meanOfSorted(xs) as number;
  let ss = 0;
  for (const x of xs) ss += (x - mu) * (x - mu);
  return Math.sqrt(ss / (xs.length - 1));
}

/** The smallest and largest finite value, or null when there is none. */
export function minMax(values: Values): { min: number; max: number } | null {
  const xs = finiteSorted(values);
  if (xs.length === 0) return null;
  return { min: xs[0] as number, max: xs[xs.length - 1] as number };
}

export interface EcdfPoint {
  x: number;
  /** Fraction of values ≤ x, in (0, 1]. */
  f: number;
}

/** The empirical CDF: each distinct finite value with the fraction of values at or below it. */
export function ecdf(values: Values): EcdfPoint[] {
  const xs = finiteSorted(values);
  const n = xs.length;
  const out: EcdfPoint[] = [];
  for (let i = 0; i < n; i++) {
    const x = xs[i] as number;
    if (i + 1 < n && xs[i + 1] === x) continue;
    out.push({ x, f: (i + 1) / n });
  }
  return out;
}

/**
 * The empirical CDF as one point per value (ties kept, each one step higher): what a chart draws
 * as a dot per cycle. ecdf's step at a tied value is the last of these.
 */
export function cumulative(values: Values): { x: number; p: number }[] {
  const xs = finiteSorted(values);
  return xs.map((x, k) => ({ x, p: (k + 1) / xs.length }));
}
