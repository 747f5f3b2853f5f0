/**
 * The points of the variability charts: an empirical cumulative distribution and a Weibull plot of
 * one quantity. The statistics themselves (median, CV %, on/off window) are shared/variability's
 * once that lands (#14, the files and statistics half); until then these few lines stand in.
 *
 * Plotting position (ours): F_i = (i − 0.5)/n for the i-th smallest of n (Hazen), so neither end
 * is 0 or 1 and the Weibull transform ln(−ln(1 − F)) is finite at both.
 */
export interface PlotPoints {
  x: Float64Array;
  y: Float64Array;
}

export function sortedFinite(values: readonly number[]): number[] {
  return values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
}

/** CDF points (x: value, y: F in %). */
export function cdfPoints(values: readonly number[], transform: (x: number) => number = (x) => x): PlotPoints {
  const xs = sortedFinite(values);
  const n = xs.length;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  xs.forEach((v, i) => {
    x[i] = transform(v);
    y[i] = ((i + 0.5) / n) * 100;
  });
  return { x, y };
}

/** Weibull plot points: x = ln|value|, y = ln(−ln(1 − F)); values of 0 are left out. */
export function weibullPoints(values: readonly number[]): PlotPoints {
  const xs = sortedFinite(values.map(Math.abs).filter((v) => v > 0));
  const n = xs.length;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  xs.forEach((v, i) => {
    const f = (i + 0.5) / n;
    x[i] = Math.log(v);
    y[i] = Math.log(-Math.log(1 - f));
  });
  return { x, y };
}

export interface Summary {
  n: number;
  median: number | null;
  /** Coefficient of variation σ/|μ| in %, null for fewer than two values. */
  cvPercent: number | null;
}

export function summarise(values: readonly number[]): Summary {
  const xs = sortedFinite(values);
  const n = xs.length;
  if (n === 0) return { n, median: null, cvPercent: null };
  const m = n >> 1;
  const median = n % 2 === 1 ? (xs[m] as number) : ((xs[m - 1] as number) + (xs[m] as number)) / 2;
  if (n < 2) return { n, median, cvPercent: null };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { n, median, cvPercent: mean === 0 ? null : (sd / Math.abs(mean)) * 100 };
}

/** On/off: median HRS / median LRS; window: lowest HRS / highest LRS (> 1: the states never overlap). */
export function onOff(hrs: readonly number[], lrs: readonly number[]): { ratio: number | null; window: number | null } {
  const h = sortedFinite(hrs);
  const l = sortedFinite(lrs);
  if (h.length === 0 || l.length === 0) return { ratio: null, window: null };
  const mh = summarise(h).median as number;
  const ml = summarise(l).median as number;
  return { ratio: ml > 0 ? mh / ml : null, window: (l[l.length - 1] as number) > 0 ? (h[0] as number) / (l[l.length - 1] as number) : null };
}
