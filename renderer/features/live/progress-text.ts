import type { RunProgress } from '../../../shared/contract';
import { formatCount } from '../../../shared/units';

/**
 * "40 % · 200 / ≤ 492": the share done and the operations done out of the total. A protocol whose
 * until, forming or converge block may stop early has only an upper bound for its total, so "≤"
 * goes before the total it qualifies; once every operation counted has run, the total is exact.
 */
export function progressText(p: Pick<RunProgress, 'fraction' | 'done' | 'total' | 'exact'>): string {
  const bound = !p.exact && p.done < p.total ? '≤ ' : '';
  return `${Math.round(p.fraction * 100)} % · ${formatCount(p.done)} / ${bound}${formatCount(p.total)}`;
}
