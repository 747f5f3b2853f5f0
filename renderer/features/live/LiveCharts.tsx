import { forwardRef, useImperativeHandle, useMemo, useRef } from 'react';
import type { SampleColumns } from '../../../shared/samples/columns';
import { SampleKind } from '../../../shared/samples/columns';
import { SeriesChart, type SeriesChartHandle, type SeriesSpec } from '../../components/charts/SeriesChart';

/**
 * The four charts of a run — conductance against time and against pulse number, the applied
 * voltage and the read current — fed with column batches through a handle (no React state per
 * sample). Used by the Live page and by replay in the Archive.
 */
export interface LiveChartsHandle {
  /** Appends samples (they must follow the ones already shown). */
  append(columns: SampleColumns, from?: number, to?: number): void;
  clear(): void;
  /** Samples appended since the last clear, and points the conductance chart holds. */
  counts(): { appended: number; held: number; lastDrawMs: number };
}

const G_SERIES: readonly SeriesSpec[] = [{ id: 'g', label: 'G (read)', colorKey: 'live-g' }];
const N_SERIES: readonly SeriesSpec[] = [{ id: 'g', label: 'G after pulse n', colorKey: 'live-g', style: 'points' }];
const V_SERIES: readonly SeriesSpec[] = [{ id: 'v', label: 'V applied', colorKey: 'live-v', style: 'steps' }];
const I_SERIES: readonly SeriesSpec[] = [{ id: 'i', label: 'I read', colorKey: 'live-i' }];

export const LiveCharts = forwardRef<LiveChartsHandle, { height?: number; idPrefix?: string; colorKey?: string }>(function LiveCharts({ height = 200, idPrefix = 'live', colorKey }, ref) {
  const g = useRef<SeriesChartHandle>(null);
  const n = useRef<SeriesChartHandle>(null);
  const v = useRef<SeriesChartHandle>(null);
  const i = useRef<SeriesChartHandle>(null);
  const pulses = useRef(0);
  const appended = useRef(0);
  const box = useRef<HTMLDivElement>(null);
  const gSeries = useMemo(() => (colorKey ? G_SERIES.map((s) => ({ ...s, colorKey })) : G_SERIES), [colorKey]);
  const nSeries = useMemo(() => (colorKey ? N_SERIES.map((s) => ({ ...s, colorKey })) : N_SERIES), [colorKey]);

  useImperativeHandle(ref, () => ({
    append(c, from = 0, to = c.length) {
      const m = Math.max(0, to - from);
      if (m === 0) return;
      // Reads: G and I against t, G against the number of pulses so far. Every sample: V against t.
      const rt = new Float64Array(m);
      const rg = new Float64Array(m);
      const ri = new Float64Array(m);
      const rn = new Float64Array(m);
      let r = 0;
      let p = pulses.current;
      for (let k = from; k < to; k++) {
        if (c.kind[k] === SampleKind.pulse) {
          p++;
          continue;
        }
        rt[r] = c.t[k]!;
        rg[r] = c.g[k]!;
        ri[r] = c.i[k]!;
        rn[r] = p;
        r++;
      }
      pulses.current = p;
      appended.current += m;
      g.current?.append('g', rt.subarray(0, r), rg.subarray(0, r));
      n.current?.append('g', rn.subarray(0, r), rg.subarray(0, r));
      i.current?.append('i', rt.subarray(0, r), ri.subarray(0, r));
      v.current?.append('v', c.t.subarray(from, to), c.v.subarray(from, to));
      if (box.current) {
        box.current.dataset.samples = String(appended.current);
        box.current.dataset.pulses = String(p);
      }
    },
    clear() {
      pulses.current = 0;
      appended.current = 0;
      for (const h of [g, n, v, i]) h.current?.clear();
      if (box.current) {
        box.current.dataset.samples = '0';
        box.current.dataset.pulses = '0';
      }
    },
    counts: () => ({ appended: appended.current, held: (v.current?.pointCount('v') ?? 0), lastDrawMs: Math.max(g.current?.lastDrawMs() ?? 0, v.current?.lastDrawMs() ?? 0) }),
  }));

  return (
    <div className="live-charts" ref={box} data-testid={`${idPrefix}-charts`} data-samples="0" data-pulses="0">
      <SeriesChart ref={g} testId={`${idPrefix}-chart-g`} title="Conductance vs time" series={gSeries} x={{ label: 'Time t (s)' }} y={{ label: 'Conductance G (µS)', scale: 1e6 }} logToggle height={height} />
      <SeriesChart ref={n} testId={`${idPrefix}-chart-n`} title="Conductance vs pulse number" series={nSeries} x={{ label: 'Pulse number n' }} y={{ label: 'Conductance G (µS)', scale: 1e6 }} logToggle height={height} />
      <SeriesChart ref={v} testId={`${idPrefix}-chart-v`} title="Applied voltage" series={V_SERIES} x={{ label: 'Time t (s)' }} y={{ label: 'Voltage V (V)' }} height={height} />
      <SeriesChart ref={i} testId={`${idPrefix}-chart-i`} title="Read current" series={I_SERIES} x={{ label: 'Time t (s)' }} y={{ label: 'Current I (µA)', scale: 1e6 }} logToggle height={height} />
    </div>
  );
});
