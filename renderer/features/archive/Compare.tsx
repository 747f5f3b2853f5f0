import { useEffect, useMemo, useRef, useState } from 'react';
import type { RunSummary } from '../../../shared/contract';
import { SampleKind } from '../../../shared/samples/columns';
import { useHost } from '../../api/context';
import { SeriesChart, type SeriesChartHandle } from '../../components/charts/SeriesChart';

/** Overlays several runs' conductance: raw or normalised to G0 (the first read), against time or pulse number. */
export function Compare({ runs, source = 'local' }: { runs: readonly Pick<RunSummary, 'id' | 'name'>[]; /** 'lab': runs of the lab archive. */ source?: 'local' | 'lab' }) {
  const host = useHost();
  const chart = useRef<SeriesChartHandle>(null);
  const [normalise, setNormalise] = useState(false);
  const [align, setAlign] = useState<'time' | 'pulse'>('time');
  const [loaded, setLoaded] = useState(0);
  const series = useMemo(() => runs.map((r) => ({ id: r.id, label: r.name, colorKey: r.id })), [runs]);

  useEffect(() => {
    let live = true;
    chart.current?.clear();
    setLoaded(0);
    void Promise.all(
      runs.map(async (r) => {
        const s = source === 'lab' ? await host.call('lab.samples', { id: r.id }) : await host.call('runs.samples', { id: r.id });
        if (!live) return;
        const c = s.columns;
        const xs: number[] = [];
        const ys: number[] = [];
        let pulses = 0;
        let g0 = NaN;
        for (let k = 0; k < c.length; k++) {
          if (c.kind[k] === SampleKind.pulse) {
            pulses++;
            continue;
          }
          if (Number.isNaN(g0)) g0 = c.g[k]!;
          xs.push(align === 'time' ? c.t[k]! : pulses);
          ys.push(normalise ? c.g[k]! / g0 : c.g[k]!);
        }
        chart.current?.setData(r.id, xs, ys);
        setLoaded((n) => n + 1);
      }),
    );
    return () => {
      live = false;
    };
  }, [host, runs, normalise, align, source]);

  return (
    <div className="compare" data-testid="compare" data-loaded={loaded}>
      <div className="compare-controls">
        <span id="cmp-y">Conductance</span>
        <div className="segmented-row" role="radiogroup" aria-labelledby="cmp-y">
          <label>
            <input type="radio" name="cmp-y" checked={!normalise} onChange={() => setNormalise(false)} /> Raw
          </label>
          <label>
            <input type="radio" name="cmp-y" checked={normalise} onChange={() => setNormalise(true)} /> Normalised to G0
          </label>
        </div>
        <span id="cmp-x">Aligned by</span>
        <div className="segmented-row" role="radiogroup" aria-labelledby="cmp-x">
          <label>
            <input type="radio" name="cmp-x" checked={align === 'time'} onChange={() => setAlign('time')} /> Time
          </label>
          <label>
            <input type="radio" name="cmp-x" checked={align === 'pulse'} onChange={() => setAlign('pulse')} /> Pulse number
          </label>
        </div>
      </div>
      <SeriesChart
        key={`${align}-${String(normalise)}`}
        ref={chart}
        testId="compare-chart"
        title={`Compare ${runs.length} runs`}
        series={series}
        x={align === 'time' ? { label: 'Time t (s)' } : { label: 'Pulse number n' }}
        y={normalise ? { label: 'Normalised conductance G/G0 (1)' } : { label: 'Conductance G (µS)', scale: 1e6 }}
        logToggle
        height={300}
      />
    </div>
  );
}
