/**
 * Variability statistics of memristive devices: the distributions every paper reports for HRS,
 * LRS, V_set and V_reset, cycle to cycle (C2C: the cycles of one device) or device to device (D2D:
 * one value per device). Pure functions over plain number arrays; non-finite values are left out
 * everywhere (a cycle without a read has no HRS, which is not a zero).
 *
 * Choices that are ours, not a standard's:
 * - Weibull plotting positions are Bernard's median ranks F_i = (i − 0.3)/(n + 0.4), so the largest
 *   value still has a finite ln(−ln(1 − F)); the empirical CDF itself is the plain step i/n.
 * - The Weibull fit is median-rank regression (least squares of ln(−ln(1 − F)) on ln x), the usual
 *   reading of a Weibull plot: shape β is the slope, scale η = exp(−intercept/β).
 * - CV % uses the sample standard deviation (n − 1) over the mean; null below two values or for a
 *   zero mean.
 * - On/off window: median(HRS)/median(LRS), and the worst case min(HRS)/max(LRS) (above 1 the two
 *   states never overlap).
 * - Yield: the fraction of the selected devices that switch — a device switches when it has an HRS
 *   and an LRS and its median HRS / median LRS is at least DEFAULT_MIN_ON_OFF (ours: 2; the chip
 *   map's yield is the same test); a device never measured counts as not switching.
 */

/** The finite values, sorted ascending (a new array). */
export function finiteSorted(values: readonly (number | null | undefined)[]): number[] {
  const out: number[] = [];
  for (const x of values) if (typeof x === 'number' && Number.isFinite(x)) out.push(x);
  return out.sort((a, b) => a - b);
}

/** The median of the finite values, or null when there are none. */
export function median(values: readonly (number | null | undefined)[]): number | null {
  const xs = finiteSorted(values);
  return medianOfSorted(xs);
}

function medianOfSorted(xs: readonly number[]): number | null {
  const n = xs.length;
  if (n === 0) return null;
  const m = n >> 1;
  return n % 2 === 1 ? (xs[m] as number) : ((xs[m - 1] as number) + (xs[m] as number)) / 2;
}

/** Arithmetic mean of the finite values, or null. */
export function mean(values: readonly (number | null | undefined)[]): number | null {
  const xs = finiteSorted(values);
  if (xs.length === 0) return null;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample standard deviation (n − 1) of the finite values, or null below two. Two-pass, so large offsets do not cancel. */
export function standardDeviation(values: readonly (number | null | undefined)[]): number | null {
  const xs = finiteSorted(values);
  if (xs.length < 2) return null;
  let s = 0;
  for (const x of xs) s += x;
  const mu = s / xs.length;
  let ss = 0;
  for (const x of xs) ss += (x - mu) * (x - mu);
  return Math.sqrt(ss / (xs.length - 1));
}

/** Coefficient of variation in percent: 100·σ/|μ| (σ with n − 1); null below two values or for a zero mean. */
export function cvPercent(values: readonly (number | null | undefined)[]): number | null {
  const mu = mean(values);
  const sd = standardDeviation(values);
  if (mu === null || sd === null || mu === 0) return null;
  return (100 * sd) / Math.abs(mu);
}

export interface EcdfPoint {
  x: number;
  /** Fraction of values ≤ x, in (0, 1]. */
  f: number;
}

/** The empirical CDF: each distinct finite value with the fraction of values at or below it. */
export function ecdf(values: readonly (number | null | undefined)[]): EcdfPoint[] {
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

export interface WeibullPoint {
  /** The value itself. */
  value: number;
  /** ln(value). */
  x: number;
  /** Bernard's median rank (i − 0.3)/(n + 0.4). */
  f: number;
  /** ln(−ln(1 − f)). */
  y: number;
}

/** Weibull plot coordinates of the positive finite values (a Weibull variable is positive; the rest are left out). */
export function weibullPlot(values: readonly (number | null | undefined)[]): WeibullPoint[] {
  const xs = finiteSorted(values).filter((x) => x > 0);
  const n = xs.length;
  return xs.map((value, i) => {
    const f = (i + 1 - 0.3) / (n + 0.4);
    return { value, x: Math.log(value), f, y: Math.log(-Math.log(1 - f)) };
  });
}

export interface WeibullFit {
  /** β, the slope of the Weibull plot. */
  shape: number;
  /** η, the value at F = 1 − 1/e ≈ 63.2 %. */
  scale: number;
  /** Coefficient of determination of the line through the plot. */
  r2: number;
  n: number;
}

/** Median-rank regression on the Weibull plot; null with fewer than two distinct positive values. */
export function weibullFit(values: readonly (number | null | undefined)[]): WeibullFit | null {
  const pts = weibullPlot(values);
  const n = pts.length;
  if (n < 2) return null;
  let mx = 0;
  let my = 0;
  for (const p of pts) {
    mx += p.x;
    my += p.y;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const p of pts) {
    sxx += (p.x - mx) * (p.x - mx);
    sxy += (p.x - mx) * (p.y - my);
    syy += (p.y - my) * (p.y - my);
  }
  // Values that differ only in their last digits (a spread of ln x below 1e-9, i.e. a relative
  // spread of a part per billion) are one value for a fit: the slope would be rounding noise.
  if (!(Math.sqrt(sxx / n) > 1e-9)) return null;
  const shape = sxy / sxx;
  const intercept = my - shape * mx;
  const scale = Math.exp(-intercept / shape);
  const r2 = syy > 0 ? (sxy * sxy) / (sxx * syy) : 1;
  return { shape, scale, r2, n };
}

export interface Summary {
  n: number;
  median: number | null;
  /** CV in percent. */
  cv: number | null;
  mean: number | null;
  min: number | null;
  max: number | null;
}

/** n, median, CV %, mean, min and max of the finite values. */
export function summarize(values: readonly (number | null | undefined)[]): Summary {
  const xs = finiteSorted(values);
  return {
    n: xs.length,
    median: medianOfSorted(xs),
    cv: cvPercent(xs),
    mean: mean(xs),
    min: xs.length > 0 ? (xs[0] as number) : null,
    max: xs.length > 0 ? (xs[xs.length - 1] as number) : null,
  };
}

export interface OnOffWindow {
  /** median(HRS)/median(LRS); null when either is missing or the LRS median is not positive. */
  medianRatio: number | null;
  /** min(HRS)/max(LRS): above 1 the states never overlap; null when either is missing. */
  worstCaseRatio: number | null;
}

export function onOffWindow(hrs: readonly (number | null | undefined)[], lrs: readonly (number | null | undefined)[]): OnOffWindow {
  const h = finiteSorted(hrs);
  const l = finiteSorted(lrs);
  if (h.length === 0 || l.length === 0) return { medianRatio: null, worstCaseRatio: null };
  const mh = medianOfSorted(h) as number;
  const ml = medianOfSorted(l) as number;
  const maxL = l[l.length - 1] as number;
  return {
    medianRatio: ml > 0 ? mh / ml : null,
    worstCaseRatio: maxL > 0 ? (h[0] as number) / maxL : null,
  };
}

/** Ours: a device switches when its median HRS is at least twice its median LRS. */
export const DEFAULT_MIN_ON_OFF = 2;

/** Whether one device's cycles show it switching: median HRS / median LRS ≥ minOnOff. */
export function deviceSwitches(
  hrs: readonly (number | null | undefined)[],
  lrs: readonly (number | null | undefined)[],
  minOnOff: number = DEFAULT_MIN_ON_OFF,
): boolean {
  const r = onOffWindow(hrs, lrs).medianRatio;
  return r !== null && r >= minOnOff;
}

/** The fraction of devices that pass; null for no devices. */
export function yieldOf(passes: readonly boolean[]): number | null {
  if (passes.length === 0) return null;
  let k = 0;
  for (const p of passes) if (p) k++;
  return k / passes.length;
}

export interface VariabilityReport {
  mode: 'c2c' | 'd2d';
  devices: number;
  /** Fraction of the devices that switch (see above); null for no devices. */
  yield: number | null;
  hrs: Summary;
  lrs: Summary;
  vSet: Summary;
  vReset: Summary;
  onOff: OnOffWindow;
}

/** The statistics `workbench stats` prints and the UI shows, from the values of a selection and which of its devices switch. */
export function variabilityReport(
  values: { mode: 'c2c' | 'd2d'; hrs: readonly number[]; lrs: readonly number[]; vSet: readonly number[]; vReset: readonly number[] },
  switches: readonly boolean[],
): VariabilityReport {
  return {
    mode: values.mode,
    devices: switches.length,
    yield: yieldOf(switches),
    hrs: summarize(values.hrs),
    lrs: summarize(values.lrs),
    vSet: summarize(values.vSet),
    vReset: summarize(values.vReset),
    onOff: onOffWindow(values.hrs, values.lrs),
  };
}
