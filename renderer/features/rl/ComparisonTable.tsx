/**
 * The comparison of one environment: training iterations per strategy (median, IQR over seeds),
 * the % reduction of the strategy under test against the chosen baseline and against the best
 * other strategy — with a tie or a loss said plainly, never hidden — and the published figure
 * beside ours where there is one.
 */
import type { RlComparison } from '../../../shared/contract/areas/rl';
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

export function ComparisonTable({ c, partial, plotted, onTogglePlot }: { c: RlComparison; partial: boolean; plotted: ReadonlySet<string>; onTogglePlot: (id: string, on: boolean) => void }) {
  return (
    <div className="rl-comparison" data-testid={`rl-comparison-${c.environmentId}`}>
      <p className="rl-headline">
        <span className="rl-swatch" style={{ background: strategyColor(c.primary.id) }} aria-hidden="true" /> <strong>{c.primary.name}</strong> vs <strong>{c.baseline.name}</strong> (baseline):{' '}
        <span className="mono" data-testid="rl-reduction">
          {reductionText(c.reductionPercent)}
        </span>{' '}
        training iterations
        {c.reportedReductionPercent !== null && <span className="muted"> (published: {c.reportedReductionPercent} % fewer; our parameters differ)</span>}
        {partial && <span className="rl-partial"> — partial: not every seed has finished</span>}
      </p>
      <p className="rl-headline-2" data-testid="rl-verdict" data-verdict={c.verdict}>
        <Verdict c={c} />
      </p>
      <table className="data-table rl-table">
        <colgroup>
          <col className="rl-col-plot" />
          <col />
          <col className="rl-col-median" />
          <col className="rl-col-iqr" />
          <col className="rl-col-seeds" />
          <col className="rl-col-unconv" />
          <col className="rl-col-vs" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col" title="Show the strategy's curves in the charts below">
              <span className="rl-visually-hidden">Curves</span>
              <svg width="14" height="10" viewBox="0 0 14 10" aria-hidden="true">
                <polyline points="1,9 5,4 8,6 13,1" fill="none" stroke="currentColor" strokeWidth="1.5" />
              </svg>
            </th>
            <th scope="col">Strategy</th>
            <th scope="col" className="num" title="Training iterations: median over seeds">
              Median
            </th>
            <th scope="col" className="num" title="Inter-quartile range over seeds (q1–q3)">
              IQR
            </th>
            <th scope="col" className="num">
              Seeds
            </th>
            <th scope="col" className="num" title="Seeds in which a phase never converged (charged its full length)">
              Unconv.
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
                <td className="rl-plot-cell">
                  <input type="checkbox" checked={plotted.has(r.id)} onChange={(e) => onTogglePlot(r.id, e.target.checked)} aria-label={`Curves of ${r.name}`} />
                </td>
                <th scope="row" title={r.name}>
                  <span className="rl-row-name">
                    <span className="rl-swatch" style={{ background: strategyColor(r.id) }} aria-hidden="true" />
                    <span className="rl-row-text">{r.name}</span>
                    {primary && <span className="rl-role rl-role-primary">under test</span>}
                    {best && !primary && <span className="rl-role rl-role-best">best other</span>}
                  </span>
                </th>
                <td className="num mono">{num(r.median)}</td>
                <td className="num mono rl-nowrap">
                  {num(r.q1)}–{num(r.q3)}
                </td>
                <td className="num mono">{r.seeds}</td>
                <td className={`num mono${r.unconverged > 0 ? ' rl-warn-text' : ''}`}>{r.unconverged}</td>
                <td className="num mono">{baseline ? 'baseline' : r.vsBaselinePercent === null ? '—' : r.vsBaselinePercent >= 0 ? `${r.vsBaselinePercent.toFixed(1)} % fewer` : `${(-r.vsBaselinePercent).toFixed(1)} % more`}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
