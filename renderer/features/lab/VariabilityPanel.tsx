import { useMemo, useRef, useState } from 'react';
import type { VariabilityValues } from '../../../shared/contract/areas/lab';
import { formatSI } from '../../../shared/units';
import { useRequest } from '../../api/context';
import { SeriesChart, type SeriesChartHandle, type SeriesSpec } from '../../components/charts/SeriesChart';
import { useSeriesData } from '../devices/use-series-data';
import { cdfPoints, onOff, summarise, weibullPoints } from './variability-plot';

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
  const values = useRequest('lab.variability', { ...selection, mode });
  const v: VariabilityValues | null = values.status === 'ready' ? values.value : null;
  const q = QUANTITIES.find((x) => x.id === quantity) ?? QUANTITIES[0]!;
  const data = useMemo(() => v?.[quantity] ?? [], [v, quantity]);
  const cdfRef = useRef<SeriesChartHandle>(null);
  const weibullRef = useRef<SeriesChartHandle>(null);
  const series: SeriesSpec[] = useMemo(() => [{ id: quantity, label: q.label, colorKey: quantity, style: 'points' }], [quantity, q.label]);
  const cdf = useMemo(() => {
    const p = cdfPoints(data, q.resistance ? Math.log10 : (x) => x);
    return [{ id: quantity, ...p }];
  }, [data, q.resistance, quantity]);
  const weibull = useMemo(() => [{ id: quantity, ...weibullPoints(data) }], [data, quantity]);
  useSeriesData(cdfRef, cdf);
  useSeriesData(weibullRef, weibull);
  const window = v ? onOff(v.hrs, v.lrs) : null;

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
              const s = summarise(v[x.id]);
              return (
                <tr key={x.id}>
                  <td>{x.label}</td>
                  <td className="num">{s.n}</td>
                  <td className="num">{s.median === null ? '—' : formatSI(s.median, x.unit, { digits: 3 })}</td>
                  <td className="num">{s.cvPercent === null ? '—' : `${s.cvPercent.toFixed(1)} %`}</td>
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr>
              <td colSpan={4} className="small-text">
                On/off (median HRS / median LRS): <span className="mono">{window?.ratio == null ? '—' : window.ratio.toPrecision(3)}</span>; window (lowest HRS / highest LRS):{' '}
                <span className="mono">{window?.window == null ? '—' : window.window.toPrecision(3)}</span> over {v.devices} device{v.devices === 1 ? '' : 's'}
              </td>
            </tr>
          </tfoot>
        </table>
      )}
      {v && data.length === 0 && <p className="muted small-text">No {q.label} values yet: the selected runs have no {q.resistance ? 'reads' : 'switching pulses'} to take them from.</p>}
      <div className="variability-charts">
        <SeriesChart
          ref={cdfRef}
          title={`Cumulative distribution of ${q.label}`}
          series={series}
          x={{ label: q.resistance ? `log₁₀ ${q.label} R (Ω)` : `${q.label} (V)` }}
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
