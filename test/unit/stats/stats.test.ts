import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cumulative, cvPercent, ecdf, finiteSorted, mean, median, minMax, quantile, quantileOfSorted, standardDeviation } from '../../../shared/stats';

const values = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 60 });
const positive = fc.array(fc.double({ min: 1e-3, max: 1e6, noNaN: true }), { minLength: 0, maxLength: 60 });
/** Lists with holes: what a column of per-cycle figures looks like (a cycle without a read has no HRS). */
const withHoles = fc.array(fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(null, undefined, Number.NaN, Infinity, -Infinity)), { maxLength: 60 });

describe('descriptive statistics by hand', () => {
  it('median: the middle value, the mean of the two middle ones for an even count; non-finite values left out', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([3, null, 1, 2])).toBe(2);
    expect(median([4, 1, null, 2, 3])).toBe(2.5);
    expect(median([])).toBeNull();
    expect(median([null])).toBeNull();
    expect(median([null, Number.NaN, 5, Infinity])).toBe(5);
    // Any iterable, not only arrays.
    expect(median(new Set([10, 30, 20]))).toBe(20);
  });

  it('standard deviation with n − 1 and CV % = 100·s/|mean|', () => {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, Σ(x−μ)² = 32, s = √(32/7), CV = 100·s/5.
    expect(mean([2, 4, 4, 4, 5, 5, 7, 9])).toBe(5);
    expect(standardDeviation([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 14);
    expect(cvPercent([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo((100 * Math.sqrt(32 / 7)) / 5, 12);
    // A negative mean: CV over |mean| (V_reset is negative).
    expect(cvPercent([-2, -4])).toBeCloseTo((100 * Math.sqrt(2)) / 3, 12);
    expect(standardDeviation([1])).toBeNull();
    expect(cvPercent([1])).toBeNull();
    expect(cvPercent([-1, 1])).toBeNull();
    // A large common offset does not cancel the spread (two-pass).
    expect(standardDeviation([1e9 + 1, 1e9 + 2, 1e9 + 3])).toBe(1);
  });

  it('quantile: linear interpolation between order statistics (type 7, numpy and R)', () => {
    // numpy.quantile([1, 2, 3, 4], [0.25, 0.5, 0.75]) = [1.75, 2.5, 3.25]
    expect([0.25, 0.5, 0.75].map((p) => quantile([4, 1, 3, 2], p))).toEqual([1.75, 2.5, 3.25]);
    expect(quantile([7], 0.9)).toBe(7);
    expect(quantile([], 0.5)).toBeNaN();
    expect(quantileOfSorted(new Float64Array([1, 2, 4]), 0.75)).toBe(3);
  });

  it('the empirical CDF steps at each distinct value; cumulative keeps one point per value', () => {
    expect(ecdf([2, 1, 2, 3])).toEqual([
      { x: 1, f: 0.25 },
      { x: 2, f: 0.75 },
      { x: 3, f: 1 },
    ]);
    expect(ecdf([])).toEqual([]);
    expect(cumulative([2, null, 1, 2, 3])).toEqual([
      { x: 1, p: 0.25 },
      { x: 2, p: 0.5 },
      { x: 2, p: 0.75 },
      { x: 3, p: 1 },
    ]);
    expect(minMax([3, null, -1, Number.NaN, 2])).toEqual({ min: -1, max: 3 });
    expect(minMax([null])).toBeNull();
  });
});

describe('descriptive statistics, properties', () => {
  it('finiteSorted gives, bit for bit, the finite values in the order a stable sort by a − b gives (−0 and +0 included)', () => {
    const entry = fc.oneof(fc.double(), fc.constantFrom(0, -0, 1, -1, Number.NaN, Number.POSITIVE_INFINITY, null, undefined));
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 40 }), (xs) => {
        const want = xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
        const got = finiteSorted(xs);
        return Array.isArray(got) && got.length === want.length && got.every((x, k) => Object.is(x, want[k]));
      }),
    );
  });

  it('the ECDF is increasing in x and f, ends at 1, and counts every value', () => {
    fc.assert(
      fc.property(values, (xs) => {
        const c = ecdf(xs);
        if (xs.length === 0) return c.length === 0;
        for (let i = 1; i < c.length; i++) if (!((c[i] as { x: number }).x > (c[i - 1] as { x: number }).x && c[i]!.f > c[i - 1]!.f)) return false;
        const below = xs.filter((x) => x <= c[0]!.x).length;
        return c[c.length - 1]!.f === 1 && Math.abs(c[0]!.f - below / xs.length) < 1e-12;
      }),
    );
  });

  it('the median has at least half the values on each side and lies within the range', () => {
    fc.assert(
      fc.property(values, (xs) => {
        const m = median(xs);
        if (xs.length === 0) return m === null;
        const le = xs.filter((x) => x <= m!).length;
        const ge = xs.filter((x) => x >= m!).length;
        return le * 2 >= xs.length && ge * 2 >= xs.length && m! >= Math.min(...xs) && m! <= Math.max(...xs);
      }),
    );
  });

  it('the 0.5 quantile is the median; quantiles grow with p within the range', () => {
    fc.assert(
      fc.property(values, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (xs, p, r) => {
        if (xs.length === 0) return Number.isNaN(quantile(xs, p)) && median(xs) === null;
        const [lo, hi] = p <= r ? [p, r] : [r, p];
        const a = quantile(xs, lo);
        const b = quantile(xs, hi);
        const tol = 1e-9 * Math.max(1, ...xs.map(Math.abs));
        return Math.abs(quantile(xs, 0.5) - median(xs)!) <= tol && a <= b + tol && a >= Math.min(...xs) - tol && b <= Math.max(...xs) + tol;
      }),
    );
  });

  it('holes change nothing: every statistic equals that of the finite values alone', () => {
    fc.assert(
      fc.property(withHoles, (xs) => {
        const finite = xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
        return median(xs) === median(finite) && cvPercent(xs) === cvPercent(finite) && mean(xs) === mean(finite) && JSON.stringify(minMax(xs)) === JSON.stringify(minMax(finite));
      }),
    );
  });

  it('CV % is exactly 100·standardDeviation/|mean| of the same values (sorted once, summed alike), and a lone value is its own median', () => {
    fc.assert(
      fc.property(withHoles, (xs) => {
        const mu = mean(xs);
        const sd = standardDeviation(xs);
        const expected = mu === null || sd === null || mu === 0 ? null : (100 * sd) / Math.abs(mu);
        const lone = xs.slice(0, 1);
        const finiteLone = lone.filter((x) => typeof x === 'number' && Number.isFinite(x));
        return cvPercent(xs) === expected && median(lone) === (finiteLone.length === 1 ? finiteLone[0] : null);
      }),
    );
  });

  it('CV % does not change when every value is scaled by a positive factor', () => {
    fc.assert(
      fc.property(positive, fc.double({ min: 1e-3, max: 1e3, noNaN: true }), (xs, k) => {
        const a = cvPercent(xs);
        const b = cvPercent(xs.map((x) => x * k));
        if (a === null) return b === null;
        return b !== null && Math.abs(a - b) <= 1e-7 * Math.max(1, a);
      }),
    );
  });
});
