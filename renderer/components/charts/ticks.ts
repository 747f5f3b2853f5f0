/** Axis tick labels and titles, for both chart kinds (SeriesChart, XYChart). */
import { formatSI } from '../../../shared/units';

/**
 * A log axis's tick label. chart.js puts a tick at every 1…9 of each decade and at the axis's
 * bounds (0.833, 1250), which crowd the round ones, so only these are labelled: 1, 2 and 5 of each
 * decade; only the powers of ten on an axis spanning more than four decades; every whole
 * significand when that would leave fewer than three labels (an axis within about a decade).
 * Every label of the axis is written the same way (#19: "1e-6" stood beside "0.000002"): an
 * engineering number with an SI prefix and the axis's unit, '1 µA', '20 kΩ', or for an axis
 * without a unit '500', '2k'.
 */
export function logTickLabel(v: number, min: number, max: number, unit = ''): string {
  if (!(v > 0) || !Number.isFinite(v)) return '';
  const m = v / 10 ** Math.floor(Math.log10(v));
  if (Math.abs(m - Math.round(m)) > 1e-6 * m) return '';
  // log10 may land just below a whole power (999.99… → 9.99… × 10²): that is 1 of the next decade.
  const whole = Math.round(m) === 10 ? 1 : Math.round(m);
  const steps = Math.log10(max / min) > 4 ? [1] : [1, 2, 5];
  if (roundValuesWithin(steps, min, max) < 3) return engineeringTick(v, unit);
  return steps.includes(whole) ? engineeringTick(v, unit) : '';
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

/** A log tick's value with an SI prefix: '2 µA'; without a unit, the prefix closes up: '2k'. */
export function engineeringTick(v: number, unit: string): string {
  const text = formatSI(v, unit);
  return unit === '' ? text.replace(' ', '') : text;
}

/** The SI unit an axis title names, its prefix dropped: "Current I (µA)" → 'A'; '' when the title has none we know. */
export function axisUnit(label: string): string {
  const inner = /\(([^()]*)\)$/u.exec(label)?.[1] ?? '';
  const m = /^([pnµumkMG]?)(A|S|Ω|V|s|Hz|W|F)$/u.exec(inner);
  return m ? m[2]! : '';
}

/** An axis title in SI units whatever the display scale: "Conductance G (µS)" → "Conductance G (S)" (CSV headers, and log axes whose ticks carry the prefix). */
export function siHeader(label: string): string {
  return label.replace(/\((?:[pnµumkMG])([A-Za-zΩ]+)\)$/u, '($1)');
}

/**
 * A log axis as both chart kinds draw it: the title in SI units, since each tick carries its own
 * prefix ("Current I (A)" over 1 nA … 1 µA), and the tick labels, from values in display units
 * (SI × `scale`).
 */
export function logAxis(label: string, scale = 1): { title: string; tick: (v: number, min: number, max: number) => string } {
  const unit = axisUnit(label);
  return { title: unit === '' ? label : siHeader(label), tick: (v, min, max) => logTickLabel(v / scale, min / scale, max / scale, unit) };
}
