/** Tick labels of the analysis charts (XYChart). */

/**
 * A log axis's tick label: 1, 2 and 5 of each decade (every whole significand on an axis spanning
 * less than a decade), nothing for the other ticks and the axis's own bounds (0.833, 1250).
 */
export function logTickLabel(v: number, min: number, max: number): string {
  if (!(v > 0) || !Number.isFinite(v)) return '';
  const m = v / 10 ** Math.floor(Math.log10(v));
  // log10 may land just below a whole power (999.99… → 9.99… × 10²): that is 1 of the next decade.
  const whole = Math.round(m) === 10 ? 1 : Math.round(m);
  if (Math.abs(m - Math.round(m)) > 1e-6 * m) return '';
  const withinDecade = max / min < 10;
  return withinDecade || whole === 1 || whole === 2 || whole === 5 ? formatTick(v) : '';
}

/** Tick labels: plain decimals in a readable range, else 1e-6 style (a log current axis spans decades). */
export function formatTick(v: number): string {
  if (!Number.isFinite(v)) return '';
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e4 || a < 1e-2) {
    const e = Math.floor(Math.log10(a));
    const m = v / 10 ** e;
    return Math.abs(Math.abs(m) - 1) < 1e-9 ? `${m < 0 ? '−' : ''}1e${e}` : `${Number(m.toPrecision(2))}e${e}`;
  }
  return String(Number(v.toPrecision(3)));
}
