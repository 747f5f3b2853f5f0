/**
 * The four characteristic curves of up to three models at once, one colour per model on every
 * chart, and a table of single figures under them (which the tests read too).
 */
import { useMemo, useRef } from 'react';
import { formatDeltaG, formatSI } from '../../../shared/units';
import { SeriesChart, type SeriesChartHandle, type SeriesSpec } from '../../components/charts/SeriesChart';
import { RELAXATION_SECONDS, type CurveSet, type Stimulus } from './curves';
import { useSeriesData } from './use-series-data';
import { useKeyed } from '../../app/use-keyed';

export interface ModelCurves {
  id: string;
  label: string;
  colorKey: string;
  curves: CurveSet;
}

const G_AXIS = { label: 'Conductance G (µS)', scale: 1e6 };
const CHART_HEIGHT = 168;

function specs(models: readonly ModelCurves[], style: SeriesSpec['style'] = 'line'): SeriesSpec[] {
  return models.map((m) => ({ id: m.id, label: m.label, colorKey: m.colorKey, style }));
}

export function CurveCharts({ models, stimulus }: { models: readonly ModelCurves[]; stimulus: Stimulus }) {
  const trainRef = useRef<SeriesChartHandle>(null);
  const relaxRef = useRef<SeriesChartHandle>(null);
  const pairRef = useRef<SeriesChartHandle>(null);
  const rateRef = useRef<SeriesChartHandle>(null);
  // Keyed on what the series are (not on their data), so the charts rebuild their datasets only
  // when models come or go.
  const key = models.map((m) => `${m.id}|${m.label}|${m.colorKey}`).join(';');
  const lineSpecs = useKeyed(() => specs(models), key);
  const train = useMemo(() => models.map((m) => ({ id: m.id, x: m.curves.train.x, y: m.curves.train.g })), [models]);
  const relax = useMemo(() => models.map((m) => ({ id: m.id, x: m.curves.relaxation.x, y: m.curves.relaxation.g })), [models]);
  const pair = useMemo(() => models.map((m) => ({ id: m.id, x: m.curves.pairedPulse.x, y: m.curves.pairedPulse.index })), [models]);
  const rate = useMemo(() => models.map((m) => ({ id: m.id, x: m.curves.rate.x, y: m.curves.rate.deltaPercent })), [models]);
  useSeriesData(trainRef, train);
  useSeriesData(relaxRef, relax);
  useSeriesData(pairRef, pair);
  useSeriesData(rateRef, rate);

  const train_ = `${stimulus.count} × ${formatSI(stimulus.amplitude, 'V')}, ${formatSI(stimulus.width, 's')} every ${formatSI(stimulus.period, 's')}`;
  return (
    <div className="dev-curves">
      <div className="dev-chart-grid">
        <SeriesChart ref={trainRef} title="Spike train" series={lineSpecs} x={{ label: 'Pulse number n' }} y={G_AXIS} logToggle height={CHART_HEIGHT} testId="chart-train" />
        <SeriesChart
          ref={relaxRef}
          title="Relaxation"
          series={lineSpecs}
          x={{ label: 'Time since the last spike t (s)' }}
          y={G_AXIS}
          logToggle
          height={CHART_HEIGHT}
          testId="chart-relaxation"
        />
        <SeriesChart
          ref={pairRef}
          title="Paired pulses"
          series={lineSpecs}
          x={{ label: 'Interval between the spikes, log₁₀(Δt / 1 s)' }}
          y={{ label: 'Paired-pulse index' }}
          height={CHART_HEIGHT}
          testId="chart-paired"
        />
        <SeriesChart
          ref={rateRef}
          title="Rate dependence"
          series={lineSpecs}
          x={{ label: 'Spike rate, log₁₀(f / 1 Hz)' }}
          y={{ label: 'ΔG after the train (%)' }}
          height={CHART_HEIGHT}
          testId="chart-rate"
        />
      </div>
      <p className="dev-chart-note muted">
        Train: {train_} (ours: the paper’s spike train as the workbench calibrates it); relaxation over {RELAXATION_SECONDS} s after its last spike. Paired
        pulses and rates start each point from a fresh device; the index and the paper-train figures are the ones <code>workbench characterize</code> prints.
      </p>
      <div className="dev-summary-wrap">
      <table className="data-table dev-summary" data-testid="curve-summary">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col" className="num">
              G₀
            </th>
            <th scope="col" className="num">
              ΔG after the train
            </th>
            <th scope="col" className="num">
              G after {RELAXATION_SECONDS} s
            </th>
            <th scope="col" className="num">
              <abbr title="The fraction of G − G_min the second spike removes ÷ the fraction the first removed, 100 ms apart, on a fresh device. 1: no memory of the first spike.">Paired-pulse index</abbr> at 0.1 s
            </th>
            <th scope="col" className="num">
              <abbr title="The interval at which (index − 1) has fallen to half its value at short intervals: how long the second state remembers a spike.">Half-decay interval</abbr>
            </th>

            <th scope="col" className="num">
              ΔG at 10 Hz · 0.1 Hz
            </th>
          </tr>
        </thead>
        <tbody>
          {models.map((m) => {
            const s = m.curves.summary;
            return (
              <tr key={m.id} data-model={m.id}>
                <th scope="row">{m.label}</th>
                <td className="num mono">{formatSI(s.g0, 'S')}</td>
                <td className="num mono" data-testid={`summary-train-${m.id}`}>
                  {percent(s.trainDeltaPercent)}
                </td>
                <td className="num mono">{`${s.recoveredPercent.toFixed(1)} % of G₀`}</td>
                <td className="num mono" data-testid={`summary-index-${m.id}`}>
                  {Number.isFinite(s.indexShort) ? s.indexShort.toFixed(3) : '—'}
                </td>
                <td className="num mono" data-testid={`summary-half-decay-${m.id}`}>
                  {s.halfDecayIntervalS === null ? 'none' : formatSI(s.halfDecayIntervalS, 's')}
                </td>

                <td className="num mono">
                  {percent(s.deltaAt10Hz)} · {percent(s.deltaAt0_1Hz)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      </div>
    </div>
  );
}

/** ΔG as every view writes it, signed. */
function percent(x: number): string {
  return formatDeltaG(x, { decimals: 2, sign: true });
}
