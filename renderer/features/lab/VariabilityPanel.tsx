import { useMemo, useRef, useState } from 'react';
import type { VariabilityValues } from '../../../shared/contract/areas/samples';
import { formatSI } from '../../../shared/units';
import { useRequest } from '../../api/context';
import { SeriesChart, type SeriesChartHandle, type SeriesSpec } from '../../components/charts/SeriesChart';
import { useSeriesData } from '../devices/use-series-data';
import { ecdf } from '../../../shared/stats';
import { onOffWindow, summarize, weibullFit, weibullPlot } from '../../../shared/variability';

type Quantity = 'hrs' | 'lrs' | 'vSet' | 'vReset';
const QUANTITIES: readonly { id: Quantity; label: string; unit: string; resistance: boolean }[] = [
  { id: 'hrs', label: 'HRS', unit: 'Ω', resistance: true },
  { id: 'lrs', label: 'LRS', unit: 'Ω', resistance: true },
  { id: 'vSet', label: 'V_set', unit: 'V', resistance: false },
  { id: 'vReset', label: 'V_reset', unit: 'V', resistance: false },
];

/**
 * Variability over a selection (#14): cumulative distributions and Weibull plots of HRS, LRS,
 * V_set and V_reset, cycle to cycle (every cycle of the devices) or device to device (one median
 * per device), with the median, CV % and the on/off window of each.
 */
export function VariabilityPanel({ selection, defaultMode }: { selection: { chipId: string } | { deviceIds: string[] }; defaultMode: 'c2c' | 'd2d' }) {
  const [mode, setMode] = useState<'c2c' | 'd2d'>(defaultMode);
  const [quantity, setQuantity] = useState<Quantity>('hrs');
  const values = useRequest('samples.variability', { ...selection, mode });
  const v: VariabilityValues | null = values.status === 'ready' ? values.value : null;
  const q = QUANTITIES.find((x) => x.id === quantity) ?? QUANTITIES[0]!;
  const data = useMemo(() => v?.[quantity] ?? [], [v, quantity]);
  const cdfRef = useRef<SeriesChartHandle>(null);
  const weibullRef = useRef<SeriesChartHandle>(null);
  const series: SeriesSpec[] = useMemo(() => [{ id: quantity, label: q.label, colorKey: quantity, style: 'points' }], [quantity, q.label]);
  // V_reset is negative: its distribution and Weibull plot are of |V_reset|.
  const magnitudes = useMemo(() => (quantity === 'vReset' ? data.map(Math.abs) : data), [data, quantity]);
  const cdf = useMemo(() => {
    const p = ecdf(magnitudes);
    return [{ id: quantity, x: p.map((e) => (q.resistance ? Math.log10(e.x) : e.x)), y: p.map((e) => e.f * 100) }];
  }, [magnitudes, q.resistance, quantity]);
  const weibull = useMemo(() => {
    const p = weibullPlot(magnitudes);
    return [{ id: quantity, x: p.map((e) => e.x), y: p.map((e) => e.y) }];
  }, [magnitudes, quantity]);
  const fit = useMemo(() => weibullFit(magnitudes), [magnitudes]);
  useSeriesData(cdfRef, cdf);
  useSeriesData(weibullRef, weibull);
  const window = v ? onOffWindow(v.hrs, v.lrs) : null;

  return (
    <section className="lab-panel variability-panel" aria-label="Variability" data-testid="variability-panel" data-points={data.length}>
      <div className="lab-panel-header">
        <h2>Variability</h2>
        <div className="segmented-row" role="radiogroup" aria-label="Over">
          <label>
            <input type="radio" name="var-mode" checked={mode === 'c2c'} onChange={() => setMode('c2c')} /> Cycle to cycle
          </label>
          <label>
            <input type="radio" name="var-mode" checked={mode === 'd2d'} onChange={() => setMode('d2d')} /> Device to device
          </label>
        </div>
        <label className="inline-field">
          Quantity{' '}
          <select value={quantity} onChange={(e) => setQuantity(e.target.value as Quantity)} data-testid="variability-quantity">
            {QUANTITIES.map((x) => (
              <option key={x.id} value={x.id}>
                {x.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {values.status === 'error' && <p className="error-text">{values.error.message}</p>}
      {v && (
        <table className="data-table variability-table" data-testid="variability-table">
          <thead>
            <tr>
              <th>{mode === 'c2c' ? 'Per cycle' : 'Per device (median of its cycles)'}</th>
              <th className="num">n</th>
              <th className="num">Median</th>
              <th className="num">CV</th>
            </tr>
          </thead>
          <tbody>
            {QUANTITIES.map((x) => {
              const s = summarize(v[x.id]);
              return (
                <tr key={x.id}>
                  <td>{x.label}</td>
                  <td className="num">{s.n}</td>
                  <td className="num">{s.median === null ? '—' : formatSI(s.median, x.unit, { digits: 3 })}</td>
                  <td className="num">{s.cv === null ? '—' : `${s.cv.toFixed(1)} %`}</td>
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr>
              <td colSpan={4} className="small-text">
                On/off (median HRS / median LRS): <span className="mono">{window?.medianRatio == null ? '—' : window.medianRatio.toPrecision(3)}</span>; window (lowest HRS / highest LRS):{' '}
                <span className="mono">{window?.worstCaseRatio == null ? '—' : window.worstCaseRatio.toPrecision(3)}</span> over {v.devices} device{v.devices === 1 ? '' : 's'}
              </td>
            </tr>
          </tfoot>
        </table>
      )}
      {fit && (
        <p className="small-text muted" data-testid="weibull-fit">
          Weibull fit of {quantity === 'vReset' ? '|V_reset|' : q.label} (median ranks): shape β = <span className="mono">{fit.shape.toPrecision(3)}</span>, scale η ={' '}
          <span className="mono">{formatSI(fit.scale, q.unit, { digits: 3 })}</span>, R² = <span className="mono">{fit.r2.toFixed(3)}</span>
        </p>
      )}
      {v && data.length === 0 && <p className="muted small-text">No {q.label} values yet: the selected runs have no SET/RESET cycle to take them from (an I–V loop or alternating SET and RESET pulses).</p>}
      <div className="variability-charts">
        <SeriesChart
          ref={cdfRef}
          title={`Cumulative distribution of ${q.label}`}
          series={series}
          x={{ label: q.resistance ? `log₁₀ ${q.label} R (Ω)` : `|${q.label}| (V)` }}
          y={{ label: 'Cumulative probability F (%)' }}
          height={220}
          testId="variability-cdf"
        />
        <SeriesChart
          ref={weibullRef}
          title={`Weibull plot of ${q.label}`}
          series={series}
          x={{ label: q.resistance ? `ln ${q.label} R (ln Ω)` : `ln |${q.label}| (ln V)` }}
          y={{ label: 'Weibull ln(−ln(1 − F))' }}
          height={220}
          testId="variability-weibull"
        />
      </div>
    </section>
  );
}
