import { median as medianOrNull } from '../../shared/stats';

/** The median of the values (NaN for none): the benchmarks' figure of a set of repeats. */
export function median(xs: readonly number[]): number {
  return medianOrNull(xs) ?? NaN;
}
