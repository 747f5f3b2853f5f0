import { useEffect, useRef, useState } from 'react';
import { Chart, cssVar, ensureChartSetup } from '../../components/charts/chart-setup';
import { ChartToolbar } from '../../components/charts/ChartToolbar';
import type { Scale } from 'chart.js';
import { download, seriesToCsv } from '../../components/charts/csv';
import { simplifyPolyline } from '../../components/charts/simplify';
import { formatTick, logAxis, siHeader } from '../../components/charts/ticks';

/**
 * A chart of x–y curves that need not be ordered in x (an I–V loop goes out and back), one
 * dataset per curve: the I–V, R–V, HRS/LRS-against-cycle and distribution charts of the switching
 * analysis. SeriesChart, the workbench's time-series chart, decimates along a monotonic x and
 * cannot draw a loop; this one hands chart.js the points as they are (a few hundred thousand at
 * most: 100 cycles of 400 steps is 40,000).
 *
 * A curve drawn as a line is simplified to what the canvas can show: points without which the line
 * would move by less than SIMPLIFY_PX on screen are not handed to chart.js (simplify.ts), and a
 * zoom or pan simplifies again for the new scale, so nothing visible is lost at any zoom while a
 * smooth stretch costs a few points instead of hundreds. Points drawn as points are all drawn.
 *
 * Values stay in SI; `scale` multiplies them for display (1e6 for µA). A log toggle (`logToggle`)
 * puts y on a log axis, plotting |y| when `absWhenLog` (log|I|); points ≤ 0 are left out of a log axis.
 * Zoom: Ctrl+wheel or shift-drag, pan by dragging, with a reset; PNG and CSV (SI) export.
 */
export interface XYSeries {
  label: string;
  color: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  style?: 'line' | 'points';
  dash?: number[];
}

export interface XYAxis {
  label: string;
  /** Label on a log axis (e.g. "|Current| |I| (A)"); defaults to `label`. */
  logLabel?: string;
  scale?: number;
  log?: boolean;
}

interface Props {
  title: string;
  testId?: string;
  series: readonly XYSeries[];
  x: XYAxis;
  y: XYAxis;
  /** Offer a linear / log toggle for y. */
  logToggle?: boolean;
  /** With the toggle on, plot |y| (log|I|). */
  absWhenLog?: boolean;
  /** Text of the toggle (default "log"). */
  toggleLabel?: string;
  /** Show chart.js's legend (a few series); a chart coloured by cycle shows its own key instead. */
  legend?: boolean;
  /** A line under the title (e.g. which cycles are drawn). */
  note?: string;
  height?: number;
  /** Called after each redraw with how long it took (ms), for the benchmark. */
  onDrawn?: (ms: number) => void;
}

type Pt = { x: number; y: number };

/** How far (px) a simplified line may pass from a point it leaves out (ours): well under its 1.2 px width. */
export const SIMPLIFY_PX = 0.5;

/** The data range a chart shows (display units), for simplifying to its pixels. */
interface View {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export function XYChart({ title, testId, series, x, y, logToggle, absWhenLog, toggleLabel = 'log', legend = false, note, height = 240, onDrawn }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const chartRef = useRef<Chart<'scatter', Pt[]> | null>(null);
  const [logY, setLogY] = useState(y.log ?? false);
  const drawn = useRef(onDrawn);
  drawn.current = onDrawn;
  // The axes as they are now, for the tick labels (the chart and its callbacks are made once).
  const axes = useRef({ x, y });
  axes.current = { x, y };

  useEffect(() => {
    ensureChartSetup();
    const text = cssVar('--text', '#222');
    const grid = cssVar('--border', '#ddd');
    // A log axis labels its round ticks only (chart.js puts one at every 1…9 and at its bounds, which crowd together).
    const tick = function (this: Scale, v: number | string, k: number, ticks: { value: number }[]) {
      if (this.type !== 'logarithmic') return formatTick(Number(v));
      const a = axes.current[this.id === 'x' ? 'x' : 'y'];
      return logAxis(a.logLabel ?? a.label, a.scale).tick(Number(v), ticks[0]?.value ?? Number(v), ticks.at(-1)?.value ?? Number(v));
    };
    // Grid lines at labelled ticks only: a log axis keeps a tick at every 1…9 it does not label.
    const gridAt = (c: { tick?: { label?: unknown } }) => (c.tick && (c.tick.label === '' || c.tick.label === undefined) ? 'transparent' : grid);
    const chart = new Chart<'scatter', Pt[]>(canvasRef.current!, {
      type: 'scatter',
      data: { datasets: [] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        normalized: false,
        events: ['mousemove', 'mouseout', 'click', 'touchstart', 'touchmove'],
        // A canvas that grows (or is first laid out) has finer pixels: simplify for them.
        onResize: () => resimplifyRef.current(),
        scales: {
          x: { type: 'linear', title: { display: true, text: '', color: text }, ticks: { color: text, maxRotation: 0, callback: tick, includeBounds: false }, grid: { color: gridAt } },
          y: { type: 'linear', title: { display: true, text: '', color: text }, ticks: { color: text, callback: tick, includeBounds: false }, grid: { color: gridAt } },
        },
        plugins: {
          legend: { display: false, labels: { color: text, boxWidth: 14 } },
          tooltip: { enabled: false },
          zoom: {
            zoom: { wheel: { enabled: true, modifierKey: 'ctrl' }, pinch: { enabled: true }, drag: { enabled: true, modifierKey: 'shift' }, mode: 'xy', onZoomComplete: () => resimplifyRef.current() },
            pan: { enabled: true, mode: 'xy', onPanComplete: () => resimplifyRef.current() },
          },
        },
      },
    });
    chartRef.current = chart;
    return () => {
      chart.destroy();
      chartRef.current = null;
    };
  }, []);

  /** How the series are drawn now (for simplifying again on zoom, pan and resize). */
  const shown = useRef<Drawing | null>(null);

  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    const started = performance.now();
    const logX = x.log ?? false;
    const drawing = toDisplay(series, x.scale ?? 1, y.scale ?? 1, logX, logY, logY && (absWhenLog ?? false));
    const range = dataRange(drawing);
    const sx = chart.options.scales!.x!;
    const sy = chart.options.scales!.y!;
    sx.type = logX ? 'logarithmic' : 'linear';
    sy.type = logY ? 'logarithmic' : 'linear';
    // A log axis labels few of its ticks itself (ticks.ts); chart.js's skipping would drop those.
    sx.ticks!.autoSkip = !logX;
    sy.ticks!.autoSkip = !logY;
    // The axes span the data as drawn now (chart.js kept the range of an earlier, smaller data set).
    const [x0, x1] = padded(range.x0, range.x1, logX);
    const [y0, y1] = padded(range.y0, range.y1, logY);
    Object.assign(sx, { min: x0, max: x1 });
    Object.assign(sy, { min: y0, max: y1 });
    shown.current = drawing;
    chart.data.datasets = datasets(drawing, { x0: x0 ?? 0, x1: x1 ?? 1, y0: y0 ?? 0, y1: y1 ?? 1 }, chart.canvas);
    (sx as { title: { text: string } }).title.text = logX ? logAxis(x.logLabel ?? x.label).title : x.label;
    (sy as { title: { text: string } }).title.text = logY ? logAxis(y.logLabel ?? y.label).title : y.label;
    chart.options.plugins!.legend!.display = legend && series.length > 1;
    chart.update('none');
    // What was drawn, for the page's tests: the axes' ranges, the points of the data and those handed to chart.js.
    const el = chart.canvas.dataset;
    el.xRange = `${chart.scales.x?.min}|${chart.scales.x?.max}`;
    el.yRange = `${chart.scales.y?.min}|${chart.scales.y?.max}`;
    el.xTicks = labelsOf(chart.scales.x);
    el.yTicks = labelsOf(chart.scales.y);
    el.points = String(series.reduce((n, d) => n + Math.min(d.x.length, d.y.length), 0));
    el.drawnPoints = String(chart.data.datasets.reduce((n, d) => n + d.data.length, 0));
    const ms = performance.now() - started;
    // The benchmark (electron/bench/analysis.bench.ts) reads each draw's time here: data built, laid out and drawn.
    el.drawMs = String(ms);
    el.draws = String(Number(el.draws ?? 0) + 1);
    drawn.current?.(ms);
  }, [series, x.scale, x.log, x.label, x.logLabel, y.scale, y.label, y.logLabel, logY, absWhenLog, legend]);

  /** After a zoom or pan: the lines simplified again for the range now shown. */
  const resimplify = () => {
    const chart = chartRef.current;
    const now = shown.current;
    const sx = chart?.scales.x;
    const sy = chart?.scales.y;
    if (!chart || !now || !sx || !sy) return;
    chart.data.datasets = datasets(now, { x0: sx.min, x1: sx.max, y0: sy.min, y1: sy.max }, chart.canvas);
    chart.update('none');
    chart.canvas.dataset.drawnPoints = String(chart.data.datasets.reduce((n, d) => n + d.data.length, 0));
  };
  const resimplifyRef = useRef(resimplify);
  resimplifyRef.current = resimplify;

  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const csv = () => download(`${slug}.csv`, seriesToCsv(series, siHeader(x.label), siHeader(y.label)));
  return (
    <figure className="chart" data-testid={testId} data-log={String(logY)}>
      <ChartToolbar
        title={title}
        status={note}
        log={logToggle ? { label: toggleLabel, checked: logY, onChange: setLogY } : undefined}
        onReset={() => {
          chartRef.current?.resetZoom('none');
          resimplifyRef.current();
        }}
        onPng={() => chartRef.current?.canvas.toBlob((b) => b && download(`${slug}.png`, b), 'image/png')}
        onCsv={csv}
      />
      <div className="chart-canvas" style={{ height }}>
        <canvas ref={canvasRef} role="img" aria-label={`${title}: ${y.label} against ${x.label}`} />
      </div>
    </figure>
  );
}

/** The series in display units as chart.js takes them, each line simplified for `view` on this canvas. */
/** What is drawn: the series, each in display units (NaN where a log axis has no place), and the axes' kinds. */
interface Drawing {
  series: readonly XYSeries[];
  x: Float64Array[];
  y: Float64Array[];
  logX: boolean;
  logY: boolean;
}

/**
 * The series in display units: scaled, |y| when `abs`, and NaN where a log axis has no place for a
 * value (0 or below: the line breaks there). Plain loops, no call per point: a run opens with this
 * code still cold.
 */
function toDisplay(series: readonly XYSeries[], xs: number, ys: number, logX: boolean, logY: boolean, abs: boolean): Drawing {
  const d: Drawing = { series, x: [], y: [], logX, logY };
  for (const s of series) {
    const n = Math.min(s.x.length, s.y.length);
    const dx = new Float64Array(n);
    const dy = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const xv = s.x[k]! * xs;
      let yv = s.y[k]! * ys;
      if (abs && yv < 0) yv = -yv;
      dx[k] = logX && !(xv > 0) ? NaN : xv;
      dy[k] = logY && !(yv > 0) ? NaN : yv;
    }
    d.x.push(dx);
    d.y.push(dy);
  }
  return d;
}

/** The range of the points drawn (display units). */
function dataRange(d: Drawing): View {
  const r = { x0: Infinity, x1: -Infinity, y0: Infinity, y1: -Infinity };
  for (let j = 0; j < d.x.length; j++) {
    const dx = d.x[j]!;
    const dy = d.y[j]!;
    for (let k = 0; k < dx.length; k++) {
      const px = dx[k]!;
      const py = dy[k]!;
      if (px === px && py === py) {
        if (px < r.x0) r.x0 = px;
        if (px > r.x1) r.x1 = px;
        if (py < r.y0) r.y0 = py;
        if (py > r.y1) r.y1 = py;
      }
    }
  }
  return r;
}

/**
 * The series as chart.js takes them, each line simplified for `view` on this canvas: only the points
 * kept become chart points.
 */
function datasets(d: Drawing, view: View, canvas: HTMLCanvasElement) {
  // The canvas bounds the plot area, so its pixels are at least as fine as the plot's own.
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  const ax = d.logX ? Math.log10(view.x0) : view.x0;
  const ay = d.logY ? Math.log10(view.y0) : view.y0;
  const kx = w / ((d.logX ? Math.log10(view.x1) : view.x1) - ax);
  const ky = h / ((d.logY ? Math.log10(view.y1) : view.y1) - ay);
  // A canvas not laid out yet (hidden) or a range of nothing has no pixels to simplify to: draw everything.
  const simplify = kx > 0 && ky > 0 && Number.isFinite(kx) && Number.isFinite(ky) && w >= 2 && h >= 2;
  let sx = new Float64Array(0);
  let sy = new Float64Array(0);
  return d.series.map((s, j) => {
    const dx = d.x[j]!;
    const dy = d.y[j]!;
    const n = dx.length;
    const pointsOnly = s.style === 'points';
    const data: Pt[] = [];
    if (simplify && !pointsOnly && n > 2) {
      if (sx.length < n) {
        sx = new Float64Array(n);
        sy = new Float64Array(n);
      }
      for (let k = 0; k < n; k++) {
        sx[k] = ((d.logX ? Math.log10(dx[k]!) : dx[k]!) - ax) * kx;
        sy[k] = ((d.logY ? Math.log10(dy[k]!) : dy[k]!) - ay) * ky;
      }
      const keep = simplifyPolyline(sx.subarray(0, n), sy.subarray(0, n), SIMPLIFY_PX);
      for (let k = 0; k < n; k++) if (keep[k] === 1) data.push({ x: dx[k]!, y: dy[k]! });
    } else {
      for (let k = 0; k < n; k++) data.push({ x: dx[k]!, y: dy[k]! });
    }
    return { label: s.label, data, borderColor: s.color, backgroundColor: s.color, borderWidth: 1.2, borderDash: s.dash ?? [], pointRadius: pointsOnly ? 2 : 0, showLine: !pointsOnly, spanGaps: false };
  });
}

/** A data range with a 2 % margin (a factor on a log axis); undefined bounds (chart.js's own) when there is no data. */
function padded(lo: number, hi: number, log: boolean): [number | undefined, number | undefined] {
  if (!(lo <= hi)) return [undefined, undefined];
  if (log) return lo === hi ? [lo / 2, hi * 2] : [lo / 1.2, hi * 1.2];
  const m = hi > lo ? 0.02 * (hi - lo) : Math.abs(lo) * 0.1 || 1;
  return [lo - m, hi + m];
}


/** The labels a scale drew (empty ones left out), for the page's tests. */
function labelsOf(scale: Scale | undefined): string {
  return (scale?.ticks ?? []).map((t) => String(t.label ?? '')).filter((l) => l !== '').join('|');
}
