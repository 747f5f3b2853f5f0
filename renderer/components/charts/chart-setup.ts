import {
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  type Plugin,
} from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';

/** chart.js with only what the workbench draws (tree-shaken), plus zoom/pan and two small plugins. */
let registered = false;

/** Fills the canvas with the surface colour, so an exported PNG has the background you saw. */
const background: Plugin = {
  id: 'wbBackground',
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.fillStyle = cssVar('--surface', '#ffffff');
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

/** A vertical crosshair at the pointer; the readout itself is HTML drawn by the component. */
export interface CrosshairState {
  px: number | null;
}
const crosshair: Plugin = {
  id: 'wbCrosshair',
  afterDatasetsDraw(chart) {
    const state = (chart as unknown as { $crosshair?: CrosshairState }).$crosshair;
    if (!state || state.px === null) return;
    const { ctx, chartArea } = chart;
    if (state.px < chartArea.left || state.px > chartArea.right) return;
    ctx.save();
    ctx.strokeStyle = cssVar('--muted', '#888');
    ctx.setLineDash([3, 3]);
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(state.px, chartArea.top);
    ctx.lineTo(state.px, chartArea.bottom);
    ctx.stroke();
    ctx.restore();
  },
};

export function ensureChartSetup(): void {
  if (registered) return;
  registered = true;
  Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, LogarithmicScale, Filler, Legend, zoomPlugin, background, crosshair);
}

export function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

export { Chart };
