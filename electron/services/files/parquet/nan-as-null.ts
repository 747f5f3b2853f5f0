/**
 * Presence flags for a double column whose NaN means "no value" (the store's current not measured):
 * what a nullable Parquet column needs, found without a flag per row when there is no NaN at all.
 */

/** Presence flags where a value is NaN (the store's "not measured"), written into `flags`; undefined when none is. */
export function nanAsNull(values: Float64Array, rows: number, flags: Uint8Array): Uint8Array | undefined {
  const k = firstNaN(values, rows);
  if (k === rows) return undefined;
  // Rows before the first NaN have values; a column of NaN only (no width in a run without
  // pulses) is filled at once.
  flags.fill(1, 0, k);
  let last = rows - 1;
  while (last > k && values[last] !== values[last]) last--;
  flags.fill(0, last + 1, rows);
  for (let r = k; r <= last; r++) flags[r] = values[r] === values[r] ? 1 : 0;
  return flags;
}

/**
 * The index of the first NaN among the first `rows` values, or `rows`. Most columns have none, and
 * this scan of every value is most of what they cost: eight at a time, a sum is NaN when one of
 * them is (or when +∞ and −∞ meet, which the value-by-value look then settles).
 */
function firstNaN(values: Float64Array, rows: number): number {
  let k = 0;
  for (const end = rows - (rows & 7); k < end; k += 8) {
    const sum = values[k]! + values[k + 1]! + values[k + 2]! + values[k + 3]! + values[k + 4]! + values[k + 5]! + values[k + 6]! + values[k + 7]!;
    if (sum !== sum) break;
  }
  for (; k < rows; k++) if (values[k] !== values[k]) return k;
  return rows;
}
