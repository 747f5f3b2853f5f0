/**
 * The headline of an RL comparison in words, the same wherever a run is listed (the RL page's
 * stored runs, the Archive) or shown (the comparison table).
 */
import type { RlComparison, RlRunSummary } from '../../../shared/contract/areas/rl';

/** Primary vs baseline: '68.8 % fewer' training iterations, '12.0 % more', or '—' when undefined. */
export function reductionText(percent: number | null): string {
  if (percent === null) return '—';
  return percent >= 0 ? `${percent.toFixed(1)} % fewer` : `${(-percent).toFixed(1)} % more`;
}

/** An environment's title without its parenthesised details: 'Static maze (10×10, walls, slip 0.1)' → 'Static maze'. */
export function shortTitle(title: string): string {
  const short = title.replace(/\s*\(.*$/, '').trim();
  return short === '' ? title : short;
}

/** How the strategy under test fared against every other one, in a few words. */
export function verdictText(verdict: RlComparison['verdict']): string {
  return verdict === 'wins' ? 'best' : verdict === 'ties' ? 'ties the best other' : verdict === 'loses' ? 'not the best' : '';
}

/** A run's result on one line: per environment, the reduction and the verdict; its progress while it runs. */
export function headline(r: RlRunSummary): string {
  if (!r.comparison) return r.status === 'running' ? `${r.jobsDone} of ${r.jobsTotal} jobs` : '';
  return r.comparison
    .map((c) => {
      const verdict = verdictText(c.verdict);
      return `${c.environmentId}: ${reductionText(c.reductionPercent)}${verdict ? `, ${verdict}` : ''}`;
    })
    .join('; ');
}
