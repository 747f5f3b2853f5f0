import { prefixExponent } from './prefixes';
import { UNITS, UNIT_SYMBOLS, describeExpected, type Scale, type UnitSymbol } from './units';

export type ParseResult = { ok: true; value: number } | { ok: false; message: string };

// A decimal number, then whatever follows (the prefix and unit). '−' is the Unicode minus sign
// that word processors and PDFs produce.
const NUMBER = /^([+\-−]?)(\d+\.?\d*|\.\d+)(?:[eE]([+\-−]?\d+))?\s*(.*)$/su;

/**
 * Reads a value with an optional SI prefix and unit, returning it in the SI base unit:
 * "10u" → 1e-5, "1.5 V", "100 ms", "10 kHz", "-0.5 V", "1e-3 s", "10 µS" or "10 uS", "1 min" → 60.
 *
 * A bare number is taken in the base unit ("0.01" as a time is 10 ms). A bare prefix is allowed
 * ("10m" is 10 milli-whatever is expected). Time also reads 'sec', 'min' (60 s) and 'h' (3600 s);
 * a plain number also reads a percentage ("50 %" → 0.5). Never throws.
 */
export function parseQuantity(text: string, expectedUnit: UnitSymbol): ParseResult {
  const unit: UnitSymbol = Object.prototype.hasOwnProperty.call(UNITS, expectedUnit) ? expectedUnit : '';
  if (typeof text !== 'string') return { ok: false, message: `expected ${describeExpected(unit)}, got a ${typeof text}` };
  const match = NUMBER.exec(text.trim());
  if (!match) return fail(unit, text, commaHint(text));
  const [, sign = '', mantissa = '', exponentText = '0', suffixText = ''] = match;
  const suffix = suffixText.trim();
  const scale = scaleFor(suffix, unit);
  if (scale === undefined) return fail(unit, text, mismatchHint(suffix, unit) || commaHint(text));
  const exponent = Number(exponentText.replace('−', '-')) + scale.exponent;
  // Building the decimal string and converting once keeps "10u" exactly 1e-5 (10 * 1e-6 is not).
  const negative = sign === '-' || sign === '−';
  const value = Number(`${negative ? '-' : ''}${mantissa}e${exponent}`) * scale.factor;
  if (!Number.isFinite(value)) return { ok: false, message: `'${shorten(text.trim())}' is too large for ${UNITS[unit].described}` };
  return { ok: true, value };
}

function scaleFor(suffix: string, unit: UnitSymbol): Scale | undefined {
  if (suffix === '') return { exponent: 0, factor: 1 };
  const info = UNITS[unit];
  if (Object.prototype.hasOwnProperty.call(info.plain, suffix)) return info.plain[suffix];
  if (info.prefixable.includes(suffix)) return { exponent: 0, factor: 1 };
  const bare = prefixExponent(suffix);
  if (bare !== undefined) return { exponent: bare, factor: 1 };
  const [first = '', ...rest] = Array.from(suffix);
  const prefixed = prefixExponent(first);
  if (prefixed !== undefined && info.prefixable.includes(rest.join(''))) return { exponent: prefixed, factor: 1 };
  return undefined;
}

/** Which unit a suffix belongs to, when it is a known one. */
function unitOfSuffix(suffix: string): UnitSymbol | undefined {
  return UNIT_SYMBOLS.find((u) => u !== '' && scaleFor(suffix, u) !== undefined);
}

function mismatchHint(suffix: string, expected: UnitSymbol): string {
  const actual = unitOfSuffix(suffix);
  if (actual === undefined) return '';
  if (expected === 'S' && actual === 's') return ` (that is a time; siemens is a capital S)`;
  if (expected === 's' && actual === 'S') return ` (that is a conductance; seconds are a lowercase s)`;
  if (expected === 's' && actual === 'Hz') return ` (that is a frequency; write the period, e.g. '1 s' for 1 Hz)`;
  return ` (that is ${UNITS[actual].described})`;
}

function commaHint(text: string): string {
  return /^\s*[+\-−]?\d+,\d/u.test(text) ? ' (use a decimal point, not a comma)' : '';
}

function fail(unit: UnitSymbol, text: string, hint = ''): ParseResult {
  return { ok: false, message: `expected ${describeExpected(unit)}, got '${shorten(text)}'${hint}` };
}

function shorten(text: string): string {
  const chars = Array.from(text);
  return chars.length > 40 ? `${chars.slice(0, 37).join('')}…` : text;
}
