/**
 * Presence flags for a double column whose NaN means "no value" (the store's current not measured):
 * what a nullable Parquet column needs, found without a flag per row when there is no NaN at all.
 *
 * Each long loop is alone in a function whose only code after it is its return. V8 compiles a hot
 * loop in the middle of a call (on-stack replacement), before the code after it has ever run; that
 * code then lacked type feedback and threw the compiled code away on the way out — on every
 * column, for the first rounds of an export (measured: 65 deoptimizations a 1M-sample export, an
 * export twice as slow until the fourth).
 */

/** Presence flags where a value is NaN, written into `flags`; undefined when none is. */
export function nanAsNull(values: Float64Array, rows: number, flags: Uint8Array): Uint8Array | undefined {
  const k = firstNaN(values, rows);
  if (k === rows) return undefined;
  // Rows before the first NaN have values, rows after the last value none; a column of NaN only
  // (no width in a run without pulses) is filled at once.
  const last = lastValue(values, k, rows);
  flags.fill(1, 0, k);
  flags.fill(0, last + 1, rows);
  flagValues(values, flags, k, last + 1);
  return flags;
}

/**
 * The index of the first NaN among the first `rows` values, or `rows`. Most columns have none, and
 * this scan of every value is most of what they cost: eight at a time, a sum is NaN when one of
 * them is (or when +∞ and −∞ meet, which the value-by-value look then settles).
 */
function firstNaN(values: Float64Array, rows: number): number {
  const whole = rows - (rows & 7);
  let k = 0;
  while (k < whole) {
    k = firstNaNBlock(values, k, whole);
    if (k === whole) break;
    const at = firstNaNIn(values, k, k + 8);
    if (at < k + 8) return at;
    k += 8;
  }
  return firstNaNIn(values, whole, rows);
}

/** The first block of eight in [from, to) whose sum is NaN, or `to`. */
function firstNaNBlock(values: Float64Array, from: number, to: number): number {
  for (let k = from; k < to; k += 8) {
    const sum = values[k]! + values[k + 1]! + values[k + 2]! + values[k + 3]! + values[k + 4]! + values[k + 5]! + values[k + 6]! + values[k + 7]!;
    if (sum !== sum) return k;
  }
  return to;
}

/** The first NaN in [from, to), or `to`. */
function firstNaNIn(values: Float64Array, from: number, to: number): number {
  for (let k = from; k < to; k++) if (values[k] !== values[k]) return k;
  return to;
}

/** The last value (not NaN) in [from, to), or `from` when there is none after it. */
function lastValue(values: Float64Array, from: number, to: number): number {
  let last = to - 1;
  while (last > from && values[last] !== values[last]) last--;
  return last;
}

function flagValues(values: Float64Array, flags: Uint8Array, from: number, to: number): void {
  for (let r = from; r < to; r++) flags[r] = values[r] === values[r] ? 1 : 0;
}
