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
 * - Median and CV % are shared/stats': the median of an even count is the mean of the two middle
 *   values; CV % uses the sample standard deviation (n − 1) over |mean|, null below two values or
 *   for a zero mean.
 * - On/off window: median(HRS)/median(LRS), and the worst case min(HRS)/max(LRS) (above 1 the two
 *   states never overlap).
 * - Yield: the fraction of the selected devices that switch — a device switches when it has an HRS
 *   and an LRS and its median HRS / median LRS is at least DEFAULT_MIN_ON_OFF (ours: 2; the chip
 *   map's yield is the same test); a device never measured counts as not switching.
 */

import { cvPercent, finiteSorted, mean, medianOfSorted, type Values } from '../stats';

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
export function weibullPlot(values: Values): WeibullPoint[] {
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
export function weibullFit(values: Values): WeibullFit | null {
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
export function summarize(values: Values): Summary {
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

export function onOffWindow(hrs: Values, lrs: Values): OnOffWindow {
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
  hrs: Values,
  lrs: Values,
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
