import { forwardRef, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import type { SampleColumns } from '../../../shared/samples/columns';
import { SampleKind } from '../../../shared/samples/columns';
import { DrawStats, type DrawSummary } from '../../components/charts/draw-stats';
import { SeriesChart, type SeriesChartHandle, type SeriesSpec } from '../../components/charts/SeriesChart';
import { SwitchingCharts, type SwitchingChartsHandle } from '../analysis/SwitchingCharts';

/**
 * The four charts of a run — conductance against time and against pulse number, the applied
 * voltage and the read current — fed with column batches through a handle (no React state per
 * sample). Used by the Live page and by replay in the Archive.
 *
 * Once all four charts have drawn samples appended since they last drew, the box carries
 * data-drawn-samples (how many samples all four have drawn) and data-drawn-at (performance.now()
 * right after that chart's redraw, in its animation frame): the benchmarks and tests wait for these.
 * counts().draw summarises the charts' own draw time per frame that drew (the charts drawn in it
 * together: while samples stream in, one chart a frame; see components/charts/frame-scheduler).
 */
export interface LiveChartsHandle {
  /** Appends samples (they must follow the ones already shown). */
  append(columns: SampleColumns, from?: number, to?: number): void;
  /**
   * Shows these samples instead of what was shown (a stored run), the four charts drawn together
   * in the next frame. The columns are kept without a copy: do not change them afterwards.
   */
  show(columns: SampleColumns): void;
  clear(): void;
  /** Samples appended since the last clear, points the voltage chart holds, and draw times. */
  counts(): { appended: number; held: number; lastDrawMs: number; draw: DrawSummary };
}

type ChartKey = 'g' | 'n' | 'v' | 'i';

const G_SERIES: readonly SeriesSpec[] = [{ id: 'g', label: 'G (read)', colorKey: 'live-g' }];
const N_SERIES: readonly SeriesSpec[] = [{ id: 'g', label: 'G after pulse n', colorKey: 'live-g', style: 'points' }];
const V_SERIES: readonly SeriesSpec[] = [{ id: 'v', label: 'V applied', colorKey: 'live-v', style: 'steps' }];
const I_SERIES: readonly SeriesSpec[] = [{ id: 'i', label: 'I read', colorKey: 'live-i' }];

/** Dispatched on the charts' box (data-testid …-charts) to have their counters written to its data-counts. */
export const COUNTS_EVENT = 'workbench:live-counts';

export const LiveCharts = forwardRef<LiveChartsHandle, { height?: number; idPrefix?: string; colorKey?: string }>(function LiveCharts({ height = 200, idPrefix = 'live', colorKey }, ref) {
  const g = useRef<SeriesChartHandle>(null);
  const n = useRef<SeriesChartHandle>(null);
  const v = useRef<SeriesChartHandle>(null);
  const i = useRef<SeriesChartHandle>(null);
  /** The switching analysis (#13): I–V, R–V, HRS/LRS, distributions, retention, when the run has them. */
  const sw = useRef<SwitchingChartsHandle>(null);
  const pulses = useRef(0);
  const appended = useRef(0);
  /** Samples but no read among them (an I–V sweep): the G and read-current charts say why they are empty. */
  const [noReads, setNoReads] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  // Reads of a batch are gathered here, reused from batch to batch (the charts copy what they keep).
  const scratch = useRef({ t: new Float64Array(0), g: new Float64Array(0), i: new Float64Array(0), n: new Float64Array(0) });
  const stats = useRef(new DrawStats());
  /** The frame whose chart draws are being summed (its animation-frame time), and the sum. */
  const frame = useRef({ time: -1, ms: 0 });
  /** Per chart, the samples appended when it last drew: all four have drawn the least of these. */
  const drawnUpTo = useRef<Record<ChartKey, number>>({ g: 0, n: 0, v: 0, i: 0 });
  const gSeries = useMemo(() => (colorKey ? G_SERIES.map((s) => ({ ...s, colorKey })) : G_SERIES), [colorKey]);
  const nSeries = useMemo(() => (colorKey ? N_SERIES.map((s) => ({ ...s, colorKey })) : N_SERIES), [colorKey]);

  const closeFrame = () => {
    const f = frame.current;
    if (f.time >= 0) stats.current.add(f.ms);
    f.time = -1;
    f.ms = 0;
  };
  const drawn = (key: ChartKey, ms: number, frameTime: number) => {
    const f = frame.current;
    if (f.time !== frameTime) {
      closeFrame();
      f.time = frameTime;
    }
    f.ms += ms;
    const upTo = drawnUpTo.current;
    const before = Math.min(upTo.g, upTo.n, upTo.v, upTo.i);
    upTo[key] = appended.current;
    const now = Math.min(upTo.g, upTo.n, upTo.v, upTo.i);
    const el = box.current;
    if (!el || (now === before && el.dataset.drawnSamples !== undefined)) return;
    el.dataset.drawnAt = performance.now().toFixed(3);
    el.dataset.drawnSamples = String(now);
  };
  // One callback per chart, made once.
  const onDrawn = useRef({
    g: (ms: number, t: number) => drawn('g', ms, t),
    n: (ms: number, t: number) => drawn('n', ms, t),
    v: (ms: number, t: number) => drawn('v', ms, t),
    i: (ms: number, t: number) => drawn('i', ms, t),
  }).current;
  const countsNow = () => {
    closeFrame();
    return {
      appended: appended.current,
      held: v.current?.pointCount('v') ?? 0,
      lastDrawMs: Math.max(g.current?.lastDrawMs() ?? 0, v.current?.lastDrawMs() ?? 0),
      draw: stats.current.summary(),
    };
  };

  useImperativeHandle(ref, () => ({
    append(c, from = 0, to = c.length) {
      const m = Math.max(0, to - from);
      if (m === 0) return;
      let s = scratch.current;
      if (s.t.length < m) {
        const size = Math.max(m, 2 * s.t.length);
        s = scratch.current = { t: new Float64Array(size), g: new Float64Array(size), i: new Float64Array(size), n: new Float64Array(size) };
      }
      // Reads: G and I against t, G against the number of pulses so far. Every sample: V against t.
      let r = 0;
      let p = pulses.current;
      for (let k = from; k < to; k++) {
        if (c.kind[k] === SampleKind.pulse) {
          p++;
          continue;
        }
        s.t[r] = c.t[k]!;
        s.g[r] = c.g[k]!;
        s.i[r] = c.i[k]!;
        s.n[r] = p;
        r++;
      }
      pulses.current = p;
      appended.current += m;
      setNoReads(appended.current === p);
      const rt = s.t.subarray(0, r);
      g.current?.append('g', rt, s.g.subarray(0, r));
      n.current?.append('g', s.n.subarray(0, r), s.g.subarray(0, r));
      i.current?.append('i', rt, s.i.subarray(0, r));
      v.current?.append('v', c.t.subarray(from, to), c.v.subarray(from, to));
      sw.current?.append(c, from, to);
      if (box.current) {
        box.current.dataset.samples = String(appended.current);
        box.current.dataset.pulses = String(p);
      }
    },
    show(c) {
      let reads = 0;
      for (let k = 0; k < c.length; k++) if (c.kind[k] !== SampleKind.pulse) reads++;
      // Arrays of their own, handed to the charts as they are (they keep them without a copy).
      const rt = new Float64Array(reads);
      const rg = new Float64Array(reads);
      const ri = new Float64Array(reads);
      const rn = new Float64Array(reads);
      let r = 0;
      let p = 0;
      for (let k = 0; k < c.length; k++) {
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
      appended.current = c.length;
      setNoReads(c.length > 0 && c.length === p);
      stats.current.reset();
      frame.current.time = -1;
      frame.current.ms = 0;
      drawnUpTo.current = { g: 0, n: 0, v: 0, i: 0 };
      for (const h of [g, n, v, i]) h.current?.resetZoom();
      g.current?.setData('g', rt, rg);
      n.current?.setData('g', rn, rg);
      i.current?.setData('i', rt, ri);
      v.current?.setData('v', c.t, c.v);
      sw.current?.show(c);
      if (box.current) {
        box.current.dataset.samples = String(c.length);
        box.current.dataset.pulses = String(p);
      }
    },
    clear() {
      pulses.current = 0;
      appended.current = 0;
      setNoReads(false);
      stats.current.reset();
      frame.current.time = -1;
      frame.current.ms = 0;
      for (const h of [g, n, v, i]) h.current?.clear();
      sw.current?.clear();
      if (box.current) {
        box.current.dataset.samples = '0';
        box.current.dataset.pulses = '0';
      }
      drawnUpTo.current = { g: 0, n: 0, v: 0, i: 0 };
    },
    counts: countsNow,
  }));

  // The bench (electron/bench/live.bench.ts) reads the counters through the DOM, not a global:
  // it dispatches COUNTS_EVENT on the charts' box and reads data-counts back.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const write = () => (el.dataset.counts = JSON.stringify(countsNow()));
    el.addEventListener(COUNTS_EVENT, write);
    return () => el.removeEventListener(COUNTS_EVENT, write);
  });

  return (
    <div className="live-charts" ref={box} data-testid={`${idPrefix}-charts`} data-samples="0" data-pulses="0">
      {noReads && (
        <p className="live-charts-note muted" data-testid={`${idPrefix}-no-reads`}>
          No reads in this run so far: conductance and read current are drawn from reads, so those charts stay empty. An I–V sweep’s steps are drawn per cycle in the I–V charts below.
        </p>
      )}
      <SeriesChart ref={g} testId={`${idPrefix}-chart-g`} title="Conductance vs time" series={gSeries} x={{ label: 'Time t (s)' }} y={{ label: 'Conductance G (µS)', scale: 1e6 }} logToggle height={height} onDrawn={onDrawn.g} />
      <SeriesChart ref={n} testId={`${idPrefix}-chart-n`} title="Conductance vs pulse number" series={nSeries} x={{ label: 'Pulse number n' }} y={{ label: 'Conductance G (µS)', scale: 1e6 }} logToggle height={height} onDrawn={onDrawn.n} />
      <SeriesChart ref={v} testId={`${idPrefix}-chart-v`} title="Applied voltage" series={V_SERIES} x={{ label: 'Time t (s)' }} y={{ label: 'Voltage V (V)' }} height={height} onDrawn={onDrawn.v} />
      <SeriesChart ref={i} testId={`${idPrefix}-chart-i`} title="Read current" series={I_SERIES} x={{ label: 'Time t (s)' }} y={{ label: 'Current I (µA)', scale: 1e6 }} logToggle height={height} onDrawn={onDrawn.i} />
      <SwitchingCharts ref={sw} idPrefix={idPrefix} />
    </div>
  );
});
