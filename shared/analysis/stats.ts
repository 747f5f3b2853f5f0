/** Small robust statistics for the switching analysis. Every function ignores non-finite values. */

function finite(xs: Iterable<number | null>): number[] {
  const out: number[] = [];
  for (const x of xs) if (x !== null && Number.isFinite(x)) out.push(x);
  return out;
}

/** The median, or null when there is no finite value. */
export function median(xs: Iterable<number | null>): number | null {
  return medianInPlace(Float64Array.from(finite(xs)));
}

/**
 * The median of values that are all finite, sorting them in place (a typed array's numeric sort:
 * several times faster than sorting an array with a comparator, on the tens of thousands of
 * currents of an endurance run); null when there are none.
 */
export function medianInPlace(a: Float64Array): number | null {
  if (a.length === 0) return null;
  a.sort();
  const m = a.length >> 1;
  return a.length % 2 === 1 ? (a[m] as number) : ((a[m - 1] as number) + (a[m] as number)) / 2;
}

/**
 * The coefficient of variation in %: 100 · s / |mean|, with s the sample standard deviation
 * (n − 1). Null with fewer than two values or a mean of 0 (no scale to compare the spread with).
 */
export function cvPercent(xs: Iterable<number | null>): number | null {
  const a = finite(xs);
  if (a.length < 2) return null;
  let mean = 0;
  for (const x of a) mean += x;
  mean /= a.length;
  if (mean === 0) return null;
  let ss = 0;
  for (const x of a) ss += (x - mean) ** 2;
  return (100 * Math.sqrt(ss / (a.length - 1))) / Math.abs(mean);
}

export function minMax(xs: Iterable<number | null>): { min: number; max: number } | null {
  const a = finite(xs);
  if (a.length === 0) return null;
  return { min: Math.min(...a), max: Math.max(...a) };
}

/** Empirical cumulative distribution: the values sorted, with the fraction (k + 1)/n at each. */
export function cumulative(xs: Iterable<number | null>): { x: number; p: number }[] {
  const a = finite(xs).sort((p, q) => p - q);
  return a.map((x, k) => ({ x, p: (k + 1) / a.length }));
}
