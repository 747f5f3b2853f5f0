import { Ticks } from 'chart.js';
import { forwardRef, useCallback, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { Chart, cssVar, ensureChartSetup, type CrosshairState } from './chart-setup';
import { ChartToolbar } from './ChartToolbar';
import { logAxis, siHeader } from './ticks';
import { download, seriesToCsv } from './csv';
import { decimateMinMax, lowerBound, Points } from './decimate';
import { cancelDraw, requestDraw, type Draw } from './frame-scheduler';
import { colorFor, dashFor, withAlpha } from './palette';
import { SeriesBuffer } from './series-buffer';

/**
 * A chart of one or more series sharing an x axis: the workbench's one chart component, used live
 * (append batches; no React state per sample) and for stored runs (set a million points; drawn
 * decimated to the canvas width, re-decimated on zoom and pan). Until the user zooms, the view
 * spans all data, so live data stay in view. Axes carry the quantity and the unit; data stay in SI
 * and are scaled for display.
 */
export interface SeriesSpec {
  id: string;
  label: string;
  /** Stable colour key (a strategy, a run); defaults to the id. */
  colorKey?: string;
  style?: 'line' | 'points' | 'steps';
  /** Fill between this series and another (e.g. q1 → q3 for an IQR band); the series itself is not stroked. */
  fillTo?: string;
  hidden?: boolean;
}

export interface AxisSpec {
  /** "Time t (s)", "Conductance G (µS)" */
  label: string;
  /** Displayed value = SI value × scale (1e6 for µS). */
  scale?: number;
}

export interface SeriesChartHandle {
  /**
   * Replaces a series' points, drawn in the next frame together with the other charts' whole data
   * sets. Float64Arrays are kept without a copy: do not change them afterwards.
   */
  setData(id: string, x: ArrayLike<number>, y: ArrayLike<number>): void;
  append(id: string, x: ArrayLike<number>, y: ArrayLike<number>): void;
  clear(): void;
  resetZoom(): void;
  exportPng(filename: string): void;
  exportCsv(filename: string): void;
  /** Points held per series (for tests and benchmarks). */
  pointCount(id: string): number;
  /** How long the last redraw took (ms). */
  lastDrawMs(): number;
}

interface Props {
  series: readonly SeriesSpec[];
  x: AxisSpec;
  y: AxisSpec;
  /** Offer a log-scale toggle for the y axis (conductance, current). */
  logToggle?: boolean;
  height?: number;
  /** Used in export file names and the accessible name. */
  title: string;
  testId?: string;
  /** Called after every redraw with how long it took (ms) and the animation frame's time: the live charts' frame statistics. */
  onDrawn?: (ms: number, frameTime: number) => void;
  /** false: no legend inside the canvas (a page that shows one legend for several charts, e.g. the RL page). */
  legend?: boolean;
}

export const SeriesChart = forwardRef<SeriesChartHandle, Props>(function SeriesChart({ series, x, y, logToggle, height = 260, title, testId, onDrawn, legend = true }, ref) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const chartRef = useRef<Chart<'line'> | null>(null);
  const buffers = useRef(new Map<string, SeriesBuffer>());
  /** Per series: the decimated view, reused from redraw to redraw. */
  const decimated = useRef(new Map<string, Points>());
  const zoomed = useRef(false);
  const drawMs = useRef(0);
  const [logY, setLogY] = useState(false);
  const [readout, setReadout] = useState<string | null>(null);
  const specs = useRef(series);
  specs.current = series;
  const xScale = x.scale ?? 1;
  const yScale = y.scale ?? 1;
  // What a redraw reads, current at every render: the redraw itself is created once.
  const view = useRef({ logY, xScale, yScale, yLabel: y.label, onDrawn });
  view.current = { logY, xScale, yScale, yLabel: y.label, onDrawn };

  const buffer = (id: string): SeriesBuffer => {
    let b = buffers.current.get(id);
    if (!b) buffers.current.set(id, (b = new SeriesBuffer()));
    return b;
  };

  const redraw = useRef<Draw>((frameTime) => {
    const chart = chartRef.current;
    if (!chart) return;
    const started = performance.now();
    const { logY, xScale, yScale, onDrawn } = view.current;
    const width = Math.max(50, chart.chartArea?.width ?? chart.width);
    let range = fullRange(buffers.current);
    if (zoomed.current) {
      const s = chart.scales.x;
      if (s) range = [s.min / xScale, s.max / xScale];
    }
    chart.data.datasets.forEach((ds, k) => {
      const spec = specs.current[k];
      const b = spec ? buffers.current.get(spec.id) : undefined;
      const data = ds.data as { x: number; y: number }[];
      if (!spec || !b || !range) {
        data.length = 0;
        return;
      }
      let pts = decimated.current.get(spec.id);
      if (!pts) decimated.current.set(spec.id, (pts = new Points()));
      decimateMinMax(b.x, b.y, range[0], range[1], Math.ceil(width), pts, spec.style === 'points' ? 'points' : 'line');
      // The point objects chart.js reads are kept and overwritten: no allocation per point per frame.
      const m = pts.length;
      if (data.length > m) data.length = m;
      for (let i = 0; i < m; i++) {
        const xv = pts.x[i]! * xScale;
        const raw = pts.y[i]! * yScale;
        const yv = logY && !(raw > 0) ? NaN : raw;
        const p = data[i];
        if (p) {
          p.x = xv;
          p.y = yv;
        } else data[i] = { x: xv, y: yv };
      }
    });
    if (!zoomed.current) {
      const s = chart.options.scales!.x!;
      s.min = range ? range[0] * xScale : undefined;
      s.max = range ? range[1] * xScale : undefined;
    }
    chart.update('none');
    // The x ticks drawn, for the page's tests (#19: a bound label such as 99.01 pushed 90 out).
    chart.canvas.dataset.xTicks = (chart.scales.x?.ticks ?? []).map((t) => String(t.label)).join('|');
    drawMs.current = performance.now() - started;
    onDrawn?.(drawMs.current, frameTime);
  }).current;

  const schedule = useCallback(() => requestDraw(redraw), [redraw]);
  /** Zoomed or not, also on the canvas (data-zoomed) for the page's tests. */
  const setZoomed = useCallback(
    (on: boolean) => {
      zoomed.current = on;
      if (canvasRef.current) canvasRef.current.dataset.zoomed = String(on);
      schedule();
    },
    [schedule],
  );
  /** Back to all the data. The zoom plugin reports its reset as a zoom: only then is the view unzoomed. */
  const resetView = () => {
    chartRef.current?.resetZoom('none');
    setZoomed(false);
  };

  useEffect(() => {
    ensureChartSetup();
    const canvas = canvasRef.current!;
    const text = cssVar('--text', '#222');
    const grid = cssVar('--border', '#ddd');
    const chart = new Chart<'line'>(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        normalized: true,
        spanGaps: false,
        events: ['mousemove', 'mouseout', 'click', 'touchstart', 'touchmove'],
        interaction: { mode: 'nearest', intersect: false, axis: 'x' },
        scales: {
          // No labels at the data's own bounds (0.01, 99.01): they crowd out the round ticks beside them (#19).
          x: { type: 'linear', title: { display: true, text: '', color: text }, ticks: { color: text, maxRotation: 0, includeBounds: false }, grid: { color: grid } },
          y: {
            type: 'linear',
            title: { display: true, text: '', color: text },
            // A log axis writes every label the same way, with an SI prefix (#19: "1e-6" beside "0.000002"); a linear one as chart.js does.
            ticks: {
              color: text,
              callback(v, k, ticks) {
                if (this.type !== 'logarithmic') return Ticks.formatters.numeric.call(this, Number(v), k, ticks);
                const { yLabel, yScale } = view.current;
                return logAxis(yLabel, yScale).tick(Number(v), ticks[0]?.value ?? Number(v), ticks.at(-1)?.value ?? Number(v));
              },
            },
            // Grid lines at labelled ticks only: a log axis keeps a tick at every 1…9 it does not label.
            grid: { color: (c) => (c.tick && (c.tick.label === '' || c.tick.label === undefined) ? 'transparent' : grid) },
          },
        },
        plugins: {
          legend: { display: false, labels: { color: text, boxWidth: 14 } },
          tooltip: { enabled: false },
          zoom: {
            // The wheel scrolls the page unless Ctrl is held (#19): zoom is Ctrl+wheel, pinch or shift-drag.
            zoom: { wheel: { enabled: true, modifierKey: 'ctrl' }, pinch: { enabled: true }, drag: { enabled: true, modifierKey: 'shift' }, mode: 'xy', onZoomComplete: () => setZoomed(true) },
            pan: { enabled: true, mode: 'xy', onPanComplete: () => setZoomed(true) },
          },
        },
      },
    });
    chartRef.current = chart;
    (chart as unknown as { $crosshair: CrosshairState }).$crosshair = { px: null };
    return () => {
      cancelDraw(redraw);
      chart.destroy();
      chartRef.current = null;
    };
    // The chart is created once (redraw, schedule and setZoomed are stable); what changes is applied by the effects below.
  }, [redraw, schedule, setZoomed]);

  // Axis titles follow the props (a unit prefix or a log axis can change them).
  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    chart.options.scales!.x!.title!.text = x.label;
    chart.options.scales!.y!.title!.text = logY ? logAxis(y.label).title : y.label;
    schedule();
  }, [x.label, y.label, logY, schedule]);

  // Datasets follow the series specs (order, colour, style).
  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    const index = new Map(series.map((s, k) => [s.id, k]));
    chart.data.datasets = series.map((s) => {
      const color = colorFor(s.colorKey ?? s.id);
      const fillIndex = s.fillTo !== undefined ? index.get(s.fillTo) : undefined;
      return {
        label: s.label,
        data: [],
        hidden: s.hidden ?? false,
        borderColor: fillIndex !== undefined ? 'transparent' : color,
        backgroundColor: fillIndex !== undefined ? withAlpha(color, 0.18) : color,
        borderWidth: 1.5,
        borderDash: dashFor(s.colorKey ?? s.id),
        pointRadius: s.style === 'points' ? 2 : 0,
        showLine: s.style !== 'points',
        stepped: s.style === 'steps' ? 'before' : false,
        fill: fillIndex !== undefined ? fillIndex : false,
      };
    });
    chart.options.plugins!.legend!.display = legend && series.filter((s) => s.fillTo === undefined).length > 1;
    chart.options.plugins!.legend!.labels!.filter = (item) => series[item.datasetIndex ?? 0]?.fillTo === undefined;
    schedule();
  }, [series, schedule, legend]);

  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    chart.options.scales!.y!.type = logY ? 'logarithmic' : 'linear';
    // A log axis labels few of its ticks itself (ticks.ts); chart.js's skipping would drop those.
    chart.options.scales!.y!.ticks!.autoSkip = !logY;
    schedule();
  }, [logY, schedule]);

  useImperativeHandle(
    ref,
    (): SeriesChartHandle => ({
      setData(id, xs, ys) {
        buffer(id).set(xs, ys);
        requestDraw(redraw, true);
      },
      append(id, xs, ys) {
        buffer(id).append(xs, ys);
        schedule();
      },
      clear() {
        for (const b of buffers.current.values()) b.clear();
        resetView();
      },
      resetZoom: resetView,
      exportPng(filename) {
        const chart = chartRef.current;
        if (!chart) return;
        chart.canvas.toBlob((blob) => blob && download(filename, blob), 'image/png');
      },
      exportCsv(filename) {
        const rows = specs.current.map((s) => ({ label: s.label, x: buffer(s.id).x, y: buffer(s.id).y }));
        download(filename, seriesToCsv(rows, siHeader(x.label), siHeader(y.label)));
      },
      pointCount: (id) => buffers.current.get(id)?.length ?? 0,
      lastDrawMs: () => drawMs.current,
    }),
  );

  const onMove = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const chart = chartRef.current;
    if (!chart) return;
    const px = e.nativeEvent.offsetX;
    (chart as unknown as { $crosshair: CrosshairState }).$crosshair.px = px;
    const xv = chart.scales.x!.getValueForPixel(px);
    if (xv === undefined) return;
    const parts: string[] = [`${fmt(xv)}`];
    for (const s of specs.current) {
      if (s.fillTo !== undefined || s.hidden) continue;
      const b = buffers.current.get(s.id);
      if (!b || b.length === 0) continue;
      const k = Math.min(b.length - 1, lowerBound(b.x, xv / xScale));
      parts.push(`${s.label}: ${fmt(b.y[k]! * yScale)}`);
    }
    setReadout(parts.join(' · '));
    chart.draw();
  };
  const onLeave = () => {
    const chart = chartRef.current;
    if (chart) (chart as unknown as { $crosshair: CrosshairState }).$crosshair.px = null;
    chart?.draw();
    setReadout(null);
  };

  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return (
    <figure className="chart" data-testid={testId}>
      <ChartToolbar
        title={title}
        status={readout}
        log={logToggle ? { label: 'log', checked: logY, onChange: setLogY } : undefined}
        onReset={resetView}
        onPng={() => chartRef.current && chartRef.current.canvas.toBlob((b) => b && download(`${slug}.png`, b), 'image/png')}
        onCsv={() => download(`${slug}.csv`, seriesToCsv(specs.current.map((s) => ({ label: s.label, x: buffer(s.id).x, y: buffer(s.id).y })), siHeader(x.label), siHeader(y.label)))}
      />
      <div className="chart-canvas" style={{ height }}>
        <canvas ref={canvasRef} data-zoomed="false" role="img" aria-label={`${title}: ${y.label} against ${x.label}`} onMouseMove={onMove} onMouseLeave={onLeave} />
      </div>
    </figure>
  );
});

/** The x range all series span together, or null when they hold nothing. */
function fullRange(buffers: ReadonlyMap<string, SeriesBuffer>): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const b of buffers.values()) {
    if (b.length === 0) continue;
    lo = Math.min(lo, b.x[0]!);
    hi = Math.max(hi, b.x[b.length - 1]!);
  }
  return lo <= hi ? [lo, hi] : null;
}


function fmt(v: number): string {
  if (!Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e5 || a < 1e-3) ? v.toExponential(3) : v.toPrecision(4);
}
