/**
 * The comparison of one environment. The headline metric is stability-aware (episodes until the
 * greedy policy is optimal for good; censored seeds counted and marked ≥); beside it the first-K
 * metric and the regret. The strategy under test is set against the baseline, the best tuned
 * constant and the best tuned decay not told of changes, each with its bootstrap 95 % interval —
 * a tie or a loss said plainly — and the paper's own figure stands apart, from its own set-up.
 */
import type { RlComparison, RlReduction } from '../../../shared/contract/areas/rl';
import { strategyColor } from './colors';
import { reductionText } from './summary';

const num = (x: number | null) => (x === null ? '—' : Number.isInteger(x) ? String(x) : x.toFixed(1));
const pct = (x: number | null) => (x === null ? '—' : `${x > 0 ? '' : x < 0 ? '−' : ''}${Math.abs(x).toFixed(1)} %`);

export function Verdict({ c }: { c: RlComparison }) {
  const p = c.rows.find((r) => r.id === c.primary.id);
  if (c.verdict === 'wins') {
    return (
      <span className="rl-verdict rl-verdict-wins">
        Best of all: {pct(c.reductionVsBestPercent)} fewer than the best other, {c.bestOther.name} (median {num(c.bestOther.median)}).
      </span>
    );
  }
  if (c.verdict === 'ties') {
    return (
      <span className="rl-verdict rl-verdict-ties" role="note">
        <strong>Tie</strong> with {c.bestOther.name}: the same median ({num(c.bestOther.median)}). {c.primary.name} is no better than it here.
      </span>
    );
  }
  if (c.verdict === 'loses') {
    return (
      <span className="rl-verdict rl-verdict-loses" role="note">
        <strong>Not the best here:</strong> {c.beatenBy.join(', ')} {c.beatenBy.length === 1 ? 'needs' : 'need'} fewer. {c.primary.name} needs {pct(c.reductionVsBestPercent === null ? null : -c.reductionVsBestPercent)} more than the best, {c.bestOther.name} (median {num(c.bestOther.median)}
        {p ? ` vs ${num(p.median)}` : ''}).
      </span>
    );
  }
  return <span className="rl-verdict muted">Not enough finished seeds to compare.</span>;
}

/** '34.0 % fewer (95 % CI 33.0 to 35.1)', with 'at least' / 'at most' when censoring reaches a median. */
function reductionWithInterval(r: RlReduction | null | undefined): string {
  if (!r) return '—';
  const bound = r.bound === 'at-least' ? 'at least ' : r.bound === 'at-most' ? 'at most ' : r.bound === 'unknown' ? 'censored, unknown: ' : '';
  return `${bound}${reductionText(r.percent)}${intervalText(r)}`;
}

function intervalText(r: RlReduction): string {
  return r.ci95 ? ` (95 % CI ${r.ci95[0].toFixed(1)} to ${r.ci95[1].toFixed(1)} %)` : '';
}

function References({ c }: { c: RlComparison }) {
  if (c.metric === undefined) {
    return <p className="rl-headline-2 muted">Stored before the stability-aware metric: its figures are the first-K metric’s.</p>;
  }
  return (
    <ul className="rl-references" data-testid="rl-references">
      {c.bestConstant && (
        <li>
          vs the best tuned constant, {c.bestConstant.name} (median {num(c.bestConstant.median)}):{' '}
          <span className="mono" data-testid="rl-vs-constant">
            {reductionWithInterval(c.vsBestConstant)}
          </span>
        </li>
      )}
      {c.bestDecay && (
        <li>
          vs the best tuned decay not told of changes, {c.bestDecay.name} (median {num(c.bestDecay.median)}):{' '}
          <span className="mono" data-testid="rl-vs-decay">
            {reductionWithInterval(c.vsBestDecay)}
          </span>
        </li>
      )}
    </ul>
  );
}

/** Without `curves` (a comparison with no stored traces, e.g. a lab sweep's) the table has no curve toggles. */
export function ComparisonTable({ c, partial, curves }: { c: RlComparison; partial: boolean; curves?: { plotted: ReadonlySet<string>; onTogglePlot: (id: string, on: boolean) => void } }) {
  return (
    <div className="rl-comparison" data-testid={`rl-comparison-${c.environmentId}`}>
      <p className="rl-headline">
        <span className="rl-swatch" style={{ background: strategyColor(c.primary.id) }} aria-hidden="true" /> <strong>{c.primary.name}</strong> vs <strong>{c.baseline.name}</strong> (baseline):{' '}
        <span className="mono" data-testid="rl-reduction">
          {reductionText(c.reductionPercent)}
        </span>
        {c.vsBaseline && (
          <span className="mono muted">
            {c.vsBaseline.bound === 'exact' ? '' : ` (${c.vsBaseline.bound.replace('-', ' ')}: censored seeds reach a median)`}
            {intervalText(c.vsBaseline)}
          </span>
        )}{' '}
        {c.metric === undefined ? 'training iterations' : 'episodes to a stable optimum'}
        {c.reportedReductionPercent !== null && (
          <span className="muted" data-testid="rl-paper-figure">
            {' '}
            · paper, its own set-up: {c.reportedReductionPercent} % fewer training iterations
          </span>
        )}
        {partial && <span className="rl-partial"> — partial: not every seed has finished</span>}
      </p>
      <References c={c} />
      <p className="rl-headline-2" data-testid="rl-verdict" data-verdict={c.verdict}>
        <Verdict c={c} />
      </p>
      <table className="data-table rl-table">
        <colgroup>
          {curves && <col className="rl-col-plot" />}
          <col />
          <col className="rl-col-median" />
          <col className="rl-col-iqr" />
          <col className="rl-col-seeds" />
          <col className="rl-col-firstk" />
          <col className="rl-col-regret" />
          <col className="rl-col-vs" />
        </colgroup>
        <thead>
          <tr>
            {curves && (
              <th scope="col" title="Show the strategy's curves in the charts below">
                <span className="rl-visually-hidden">Curves</span>
                <svg width="14" height="10" viewBox="0 0 14 10" aria-hidden="true">
                  <polyline points="1,9 5,4 8,6 13,1" fill="none" stroke="currentColor" strokeWidth="1.5" />
                </svg>
              </th>
            )}
            <th scope="col">Strategy</th>
            <th scope="col" className="num" title="Episodes until the greedy policy is optimal and stays optimal to the end of each phase (summed over phases): median over seeds; ≥ when a censored seed reaches it">
              Median
            </th>
            <th scope="col" className="num" title="Inter-quartile range over seeds (q1–q3)">
              IQR
            </th>
            <th scope="col" className="num" title="Censored seeds (a phase never settled: charged its length, a lower bound) of the seeds run">
              Censored
            </th>
            <th scope="col" className="num" title="Episodes to the first K consecutive optimal episodes (the older metric): median">
              First K
            </th>
            <th scope="col" className="num" title="Steps beyond the shortest path, summed over the run: median">
              Regret
            </th>
            <th scope="col" className="num" title="% fewer training iterations than the baseline (median)">
              vs baseline
            </th>
          </tr>
        </thead>
        <tbody>
          {c.rows.map((r) => {
            const primary = r.id === c.primary.id;
            const baseline = r.id === c.baseline.id;
            const best = r.id === c.bestOther.id;
            return (
              <tr key={r.id} className={primary ? 'is-primary' : undefined} data-strategy={r.id}>
                {curves && (
                  <td className="rl-plot-cell">
                    <input type="checkbox" checked={curves.plotted.has(r.id)} onChange={(e) => curves.onTogglePlot(r.id, e.target.checked)} aria-label={`Curves of ${r.name}`} />
                  </td>
                )}
                <th scope="row" title={r.name}>
                  <span className="rl-row-name">
                    <span className="rl-swatch" style={{ background: strategyColor(r.id) }} aria-hidden="true" />
                    <span className="rl-row-text">{r.name}</span>
                    {primary && <span className="rl-role rl-role-primary">under test</span>}
                    {best && !primary && <span className="rl-role rl-role-best">best other</span>}
                  </span>
                </th>
                <td className="num mono" data-testid="rl-median">
                  {r.medianCensored ? '≥' : ''}
                  {num(r.median)}
                </td>
                <td className="num mono rl-nowrap">
                  {num(r.q1)}–{num(r.q3)}
                </td>
                <td className={`num mono${(r.censored ?? 0) > 0 ? ' rl-warn-text' : ''}`} data-testid="rl-censored">
                  {r.censored ?? '—'}/{r.seeds}
                </td>
                <td className="num mono">{num(r.firstK?.median ?? null)}</td>
                <td className="num mono">{num(r.regret?.median ?? null)}</td>
                <td className="num mono">{baseline ? 'baseline' : r.vsBaselinePercent === null ? '—' : r.vsBaselinePercent >= 0 ? `${r.vsBaselinePercent.toFixed(1)} % fewer` : `${(-r.vsBaselinePercent).toFixed(1)} % more`}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
