/**
 * Numbers on the wire. Replies are parsed strictly — the whole field must be a number and nothing
 * else — because a reply corrupted by line noise must fail loudly rather than read as a different
 * value. Commands carry JavaScript's shortest exact representation, so what is sent is exactly
 * what was asked for.
 */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number in `text`, or null when `text` is anything but exactly one decimal number. */
export function parseStrictNumber(text: string): number | null {
  if (!NUMBER.test(text)) return null;
  const x = Number(text);
  return Number.isFinite(x) ? x : null;
}

/** A value for a command: the shortest text that reads back as exactly this number. */
export function formatCommandNumber(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`cannot send the non-finite number ${x}`);
  return String(x);
}

/** Keithley 2400 ASCII reply format: +1.234567E-06 (7 significant digits, signed, 2-digit exponent). */
export function formatScpiNumber(x: number): string {
  return signedExponential(x, 6, 'E', true);
}

/** TSP print() format with the default ascii precision: 1.23457e-06. */
export function formatTspNumber(x: number): string {
  return signedExponential(x, 5, 'e', false);
}

function signedExponential(x: number, decimals: number, e: string, plus: boolean): string {
  const [mantissa = '0', exponent = '0'] = Math.abs(x).toExponential(decimals).split('e');
  const exp = Number(exponent);
  const expText = `${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  const sign = x < 0 || Object.is(x, -0) ? '-' : plus ? '+' : '';
  return `${sign}${mantissa}${e}${expText}`;
}

/** Whether `got` is `want` to within the resolution a reply format keeps (relative and absolute). */
export function closeTo(got: number, want: number, relative = 1e-5, absolute = 1e-12): boolean {
  return Math.abs(got - want) <= Math.max(absolute, relative * Math.abs(want));
}
