/**
 * Quantile by linear interpolation between order statistics (Hyndman–Fan type 7, the default of
 * numpy and R), so medians and quartiles match what a user computes from exported data.
 */
export function quantile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export interface Quartiles {
  q1: number;
  median: number;
  q3: number;
}

export function quartiles(values: readonly number[]): Quartiles {
  return { q1: quantile(values, 0.25), median: quantile(values, 0.5), q3: quantile(values, 0.75) };
}

/** How much smaller `value` is than `reference`, in % of the reference (negative: larger). */
export function reductionPercent(value: number, reference: number): number {
  return ((reference - value) / reference) * 100;
}
