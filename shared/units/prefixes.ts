/**
 * SI prefixes the workbench reads and writes. Parsing is case-sensitive where SI is ('m' is milli,
 * 'M' is mega); 'u' and both Unicode mu characters all mean micro, and 'K' is read as kilo because
 * "10K" is common lab shorthand and nothing else here could be meant by it.
 */
export interface Prefix {
  readonly symbol: string;
  readonly exponent: number;
}

/** The prefixes formatSI writes, smallest first (µ is U+00B5, the micro sign). */
export const FORMAT_PREFIXES: readonly Prefix[] = [
  { symbol: 'f', exponent: -15 },
  { symbol: 'p', exponent: -12 },
  { symbol: 'n', exponent: -9 },
  { symbol: 'µ', exponent: -6 },
  { symbol: 'm', exponent: -3 },
  { symbol: '', exponent: 0 },
  { symbol: 'k', exponent: 3 },
  { symbol: 'M', exponent: 6 },
  { symbol: 'G', exponent: 9 },
  { symbol: 'T', exponent: 12 },
];

const PARSE_PREFIXES: Readonly<Record<string, number>> = {
  f: -15,
  p: -12,
  n: -9,
  u: -6,
  'µ': -6, // U+00B5 micro sign
  'μ': -6, // U+03BC Greek small mu
  m: -3,
  k: 3,
  K: 3,
  M: 6,
  G: 9,
  T: 12,
};

/** The power of ten a prefix stands for, or undefined when the text is not a prefix. */
export function prefixExponent(symbol: string): number | undefined {
  return Object.prototype.hasOwnProperty.call(PARSE_PREFIXES, symbol) ? PARSE_PREFIXES[symbol] : undefined;
}

/** 10^exponent as the nearest double (Math.pow(10, -6) is not always). */
export function powerOfTen(exponent: number): number {
  return Number(`1e${exponent}`);
}
