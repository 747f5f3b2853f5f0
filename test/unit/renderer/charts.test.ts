import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimateMinMax, lowerBound } from '../../../renderer/components/charts/decimate';
import { SeriesBuffer } from '../../../renderer/components/charts/series-buffer';
import { seriesToCsv } from '../../../renderer/components/charts/csv';

describe('min–max decimation', () => {
  it('keeps every extreme of every bucket, in x order, within a bounded count', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 3000 }), fc.integer({ min: 1, max: 200 }), (ys, buckets) => {
        const x = Float64Array.from(ys, (_, k) => k);
        const y = Float64Array.from(ys);
        const out = decimateMinMax(x, y, 0, ys.length - 1, buckets);
        expect(out.x.length).toBeLessThanOrEqual(Math.max(ys.length, buckets * 5 + 5));
        for (let k = 1; k < out.x.length; k++) expect(out.x[k]!).toBeGreaterThanOrEqual(out.x[k - 1]!);
        // The global extremes are never lost.
        expect(Math.max(...out.y)).toBe(Math.max(...ys));
        expect(Math.min(...out.y)).toBe(Math.min(...ys));
      }),
    );
  });

  it('reduces a million points to a few per pixel', () => {
    const n = 1_000_000;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      x[k] = k * 1e-3;
      y[k] = Math.sin(k / 1000) + (k === 500_000 ? 10 : 0);
    }
    const out = decimateMinMax(x, y, 0, x[n - 1]!, 1000);
    expect(out.x.length).toBeLessThanOrEqual(4000 + 2);
    expect(out.y).toContain(y[500_000]); // a one-sample spike survives
  });

  it('returns only the visible window (plus one point each side)', () => {
    const x = Float64Array.from({ length: 100 }, (_, k) => k);
    const out = decimateMinMax(x, x, 40, 50, 1000);
    expect(out.x[0]).toBe(39);
    expect(out.x[out.x.length - 1]).toBe(51);
  });

  it('lowerBound finds the first index not below the value', () => {
    const x = [0, 1, 1, 2, 5];
    expect(lowerBound(x, 1)).toBe(1);
    expect(lowerBound(x, 3)).toBe(4);
    expect(lowerBound(x, 9)).toBe(5);
  });
});

describe('series buffer', () => {
  it('appends batches and drops the oldest half beyond its maximum', () => {
    const b = new SeriesBuffer(4, 100);
    for (let k = 0; k < 30; k++) b.append([k * 3, k * 3 + 1, k * 3 + 2], [1, 2, 3]);
    expect(b.length).toBeLessThanOrEqual(100);
    expect(b.length + b.dropped).toBe(90);
    expect(b.x[b.length - 1]).toBe(89);
    for (let k = 1; k < b.length; k++) expect(b.x[k]).toBe(b.x[k - 1]! + 1);
  });
});

describe('chart CSV', () => {
  it('writes one row per point with quoted labels and blanks for non-finite values', () => {
    const csv = seriesToCsv([{ label: 'run "a", seed 1', x: [0, 1], y: [1e-5, NaN] }], 'Time t (s)', 'Conductance G (S)');
    expect(csv).toBe('series,Time t (s),Conductance G (S)\n"run ""a"", seed 1",0,0.00001\n"run ""a"", seed 1",1,\n');
  });
});
