/** Tick labels of the analysis charts (XYChart). */

/**
 * A log axis's tick label. chart.js puts a tick at every 1…9 of each decade and at the axis's
 * bounds (0.833, 1250), which crowd the round ones, so only these are labelled: 1, 2 and 5 of each
 * decade; only the powers of ten on an axis spanning more than four decades; every whole
 * significand when that would leave fewer than three labels (an axis within about a decade).
 */
export function logTickLabel(v: number, min: number, max: number): string {
  if (!(v > 0) || !Number.isFinite(v)) return '';
  const m = v / 10 ** Math.floor(Math.log10(v));
  if (Math.abs(m - Math.round(m)) > 1e-6 * m) return '';
  // log10 may land just below a whole power (999.99… → 9.99… × 10²): that is 1 of the next decade.
  const whole = Math.round(m) === 10 ? 1 : Math.round(m);
  const steps = Math.log10(max / min) > 4 ? [1] : [1, 2, 5];
  if (roundValuesWithin(steps, min, max) < 3) return formatTick(v);
  return steps.includes(whole) ? formatTick(v) : '';
}

/** How many values s·10ᵉ (s in steps) lie within [min, max]. */
function roundValuesWithin(steps: readonly number[], min: number, max: number): number {
  if (!(min > 0) || !(max >= min)) return 0;
  let n = 0;
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
    for (const s of steps) {
      const v = s * 10 ** e;
      if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) n++;
    }
  }
  return n;
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
