import { quantile } from '../../stats';

export interface Quartiles {
  q1: number;
  median: number;
  q3: number;
}

/** Quartiles by shared/stats' quantile (type 7, numpy's and R's default), as a user computes them from exported data. */
export function quartiles(values: readonly number[]): Quartiles {
  return { q1: quantile(values, 0.25), median: quantile(values, 0.5), q3: quantile(values, 0.75) };
}

/** How much smaller `value` is than `reference`, in % of the reference (negative: larger). */
export function reductionPercent(value: number, reference: number): number {
  return ((reference - value) / reference) * 100;
}
