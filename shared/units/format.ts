import { FORMAT_PREFIXES } from './prefixes';

export interface FormatOptions {
  /**
   * Significant figures, kept even when they are zeros ("2.00 V"). Without it, four significant
   * figures with trailing zeros dropped ("10 µS", "33.33 ms").
   */
  digits?: number;
}

const DEFAULT_DIGITS = 4;

/**
 * A value in an SI base unit written with an engineering prefix (f … T): formatSI(0.00001, 'S') →
 * '10 µS', formatSI(2, 'V', { digits: 3 }) → '2.00 V'. Outside the prefix range it falls back to
 * exponent notation ('1.5e-18 S'). parseQuantity reads everything this writes.
 */
export function formatSI(value: number, unit: string, options: FormatOptions = {}): string {
  const fixed = options.digits !== undefined;
  const digits = Math.min(15, Math.max(1, Math.round(options.digits ?? DEFAULT_DIGITS)));
  const withUnit = (number: string, prefix: string): string => (prefix + unit === '' ? number : `${number} ${prefix}${unit}`);
  if (!Number.isFinite(value)) return withUnit(String(value), '');
  if (value === 0) return withUnit(fixed ? (0).toPrecision(digits) : '0', '');
  // toExponential rounds in decimal, so 999.96 at four digits becomes 1.000e+3 and lands on 'k'.
  const [mantissa = '', exponentText = '0'] = value.toExponential(digits - 1).split('e');
  const exponent = Number(exponentText);
  const engineering = Math.floor(exponent / 3) * 3;
  const prefix = FORMAT_PREFIXES.find((p) => p.exponent === engineering);
  if (prefix === undefined) return withUnit(`${fixed ? mantissa : trimZeros(mantissa)}e${exponent}`, '');
  const shifted = shiftPoint(mantissa, exponent - engineering);
  return withUnit(fixed ? shifted : trimZeros(shifted), prefix.symbol);
}

/** Moves the decimal point of 'd.ddd' right by `places`, padding with zeros. */
function shiftPoint(mantissa: string, places: number): string {
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const whole = places + 1;
  const body = digits.length <= whole ? digits.padEnd(whole, '0') : `${digits.slice(0, whole)}.${digits.slice(whole)}`;
  return negative ? `-${body}` : body;
}

function trimZeros(number: string): string {
  return number.includes('.') ? number.replace(/\.?0+$/u, '') : number;
}

/** A count with thousands separators: 1000000 → '1,000,000'. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const text = String(Math.round(n));
  return /e/u.test(text) ? text : text.replace(/\B(?=(\d{3})+(?!\d))/gu, ',');
}

/** A ratio as a percentage with up to three significant figures: 0.5 → '50 %'. */
export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return `${ratio} %`;
  return `${Number((ratio * 100).toPrecision(3))} %`;
}

/** Past this |ΔG| (ours) a change of conductance reads better as a ratio: forming raises G by orders of magnitude (+1e6 %). */
export const DELTA_G_RATIO_ABOVE_PERCENT = 1000;

const SUPERSCRIPT: Readonly<Record<string, string>> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

/**
 * ΔG, the change of conductance in per cent of the first G, as every view writes it: '-98.1 %' with
 * `decimals` places; past ±1000 % the ratio of the last G to the first instead, '×21' or
 * '×3.2·10⁴' (two significant figures, a power of ten from a thousand on). `sign` puts a '+' on
 * an increase. '—' when there is no number.
 */
export function formatDeltaG(percent: number, options: { decimals?: number; sign?: boolean } = {}): string {
  if (!Number.isFinite(percent)) return '—';
  const ratio = 1 + percent / 100;
  if (!(Math.abs(percent) > DELTA_G_RATIO_ABOVE_PERCENT) || !(ratio > 0) || !Number.isFinite(ratio)) {
    return `${options.sign && percent > 0 ? '+' : ''}${percent.toFixed(options.decimals ?? 1)} %`;
  }
  const [mantissa = '', exponent = '0'] = ratio.toExponential(1).split('e');
  if (Number(exponent) < 3) return `×${Number(ratio.toPrecision(2))}`;
  return `×${mantissa}·10${Array.from(String(Number(exponent)), (c) => SUPERSCRIPT[c] ?? c).join('')}`;
}

/**
 * A duration the way a person reads it: '100 s', '11 min 40 s', '2 h 36 min'. For display only;
 * formatSI is the one to use where the text must parse back exactly.
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || Math.abs(seconds) < 120) return formatSI(seconds, 's');
  const sign = seconds < 0 ? '-' : '';
  const total = Math.round(Math.abs(seconds));
  if (total < 7200) {
    const s = total % 60;
    return `${sign}${Math.floor(total / 60)} min${s === 0 ? '' : ` ${s} s`}`;
  }
  const minutes = Math.round(total / 60);
  const m = minutes % 60;
  return `${sign}${Math.floor(minutes / 60)} h${m === 0 ? '' : ` ${m} min`}`;
}
