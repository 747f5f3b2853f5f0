// The presence flags of a nullable double column in the Parquet export: a NaN is a null, every
// other double (±∞, −0, the smallest subnormal) a value, wherever it sits among the eight-value
// blocks the scan sums — and values past `rows` are never looked at.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nanAsNull } from '../../../electron/services/files/parquet/nan-as-null';

const value = fc.oneof(fc.double(), fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 5e-324, 1.7976931348623157e308));

describe('nanAsNull', () => {
  it('flags exactly the rows that hold a value, and says "no nulls" only when there is no NaN', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 70 }), fc.array(value, { maxLength: 9 }), (rows, beyond) => {
        const values = Float64Array.from([...rows, ...beyond]);
        const flags = new Uint8Array(values.length).fill(7);
        const got = nanAsNull(values, rows.length, flags);
        const expected = rows.map((v) => (Number.isNaN(v) ? 0 : 1));
        if (!expected.includes(0)) expect(got).toBeUndefined();
        else expect(Array.from(got!.subarray(0, rows.length))).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('finds a lone NaN behind +∞ and −∞ in the same block of eight', () => {
    const values = Float64Array.of(Infinity, -Infinity, 1, 2, 3, 4, 5, 6, 7, 8, Number.NaN, 1);
    expect(Array.from(nanAsNull(values, values.length, new Uint8Array(12))!)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1]);
    expect(nanAsNull(Float64Array.of(Infinity, -Infinity, 1, 2, 3, 4, 5, 6, 7), 9, new Uint8Array(9))).toBeUndefined();
  });
});
