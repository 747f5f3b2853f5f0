import { createRng } from '../../random';
import { quantile } from '../../stats';
import { reductionPercent } from './stats';

/**
 * A percentile-bootstrap 95 % interval for "% fewer episodes than the reference" (the reduction of
 * the medians). The strategies ran on the same seeds with common random numbers, so the seeds are
 * resampled in pairs: one resample draws seed indices with replacement and takes both medians over
 * the same draw. Seeded, so the same data always give the same interval.
 *
 * Censored seeds enter at the length they were charged (a lower bound on their true figure); the
 * caller reports how many there were, and a median that is itself censored is flagged beside the
 * interval rather than hidden in it.
 */
export const BOOTSTRAP_RESAMPLES = 2000;

export function pairedReductionInterval(
  primary: readonly number[],
  reference: readonly number[],
  options: { resamples?: number; seed?: number } = {},
): [number, number] | null {
  const n = primary.length;
  if (n === 0 || n !== reference.length) return null;
  const rng = createRng(options.seed ?? 20_260_311).fork('bootstrap');
  const resamples = options.resamples ?? BOOTSTRAP_RESAMPLES;
  const a = new Array<number>(n);
  const b = new Array<number>(n);
  const out: number[] = [];
  for (let r = 0; r < resamples; r++) {
    for (let k = 0; k < n; k++) {
      const j = rng.int(n);
      a[k] = primary[j]!;
      b[k] = reference[j]!;
    }
    const value = reductionPercent(quantile(a, 0.5), quantile(b, 0.5));
    if (Number.isFinite(value)) out.push(value);
  }
  if (out.length === 0) return null;
  return [quantile(out, 0.025), quantile(out, 0.975)];
}
