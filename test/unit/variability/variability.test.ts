import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cvPercent,
  deviceSwitches,
  ecdf,
  median,
  onOffWindow,
  summarize,
  variabilityReport,
  weibullFit,
  weibullPlot,
  yieldOf,
} from '../../../shared/variability';

const values = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 60 });
const positive = fc.array(fc.double({ min: 1e-3, max: 1e6, noNaN: true }), { minLength: 0, maxLength: 60 });

describe('variability statistics by hand', () => {
  it('median, CV % and the summary of a small set (non-finite values left out)', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
    expect(median([null, Number.NaN, 5, Infinity])).toBe(5);
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, Σ(x−μ)² = 32, s = √(32/7), CV = 100·s/5.
    expect(cvPercent([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo((100 * Math.sqrt(32 / 7)) / 5, 12);
    expect(cvPercent([1])).toBeNull();
    expect(cvPercent([-1, 1])).toBeNull();
    expect(summarize([10, null, 30, 20])).toEqual({ n: 3, median: 20, cv: 50, mean: 20, min: 10, max: 30 });
  });

  it('the empirical CDF steps at each distinct value', () => {
    expect(ecdf([2, 1, 2, 3])).toEqual([
      { x: 1, f: 0.25 },
      { x: 2, f: 0.75 },
      { x: 3, f: 1 },
    ]);
    expect(ecdf([])).toEqual([]);
  });

  it('Weibull plot positions are Bernard median ranks, and a fit recovers an exact Weibull sample', () => {
    const pts = weibullPlot([20, 10, -1, 0]);
    expect(pts.map((p) => p.value)).toEqual([10, 20]);
    expect(pts[0]?.f).toBeCloseTo(0.7 / 2.4, 15);
    expect(pts[1]?.y).toBeCloseTo(Math.log(-Math.log(1 - 1.7 / 2.4)), 15);
    // Quantiles of a Weibull(β = 2.5, η = 1000) at the plotting positions lie exactly on its line.
    const n = 25;
    const sample = Array.from({ length: n }, (_, i) => 1000 * (-Math.log(1 - (i + 0.7) / (n + 0.4))) ** (1 / 2.5));
    const fit = weibullFit(sample);
    expect(fit?.shape).toBeCloseTo(2.5, 10);
    expect(fit?.scale).toBeCloseTo(1000, 7);
    expect(fit?.r2).toBeCloseTo(1, 12);
    expect(weibullFit([5])).toBeNull();
    expect(weibullFit([5, 5, 5])).toBeNull();
    // Equal but for their last digits: no slope to fit (it would be rounding noise).
    expect(weibullFit([0.001, 0.0010000000000000009])).toBeNull();
  });

  it('on/off window and yield', () => {
    expect(onOffWindow([1e5, 2e5, 3e5], [1e3, 2e3])).toEqual({ medianRatio: 2e5 / 1.5e3, worstCaseRatio: 1e5 / 2e3 });
    expect(onOffWindow([], [1])).toEqual({ medianRatio: null, worstCaseRatio: null });
    expect(deviceSwitches([3000], [1000])).toBe(true);
    expect(deviceSwitches([1500, 2500], [1000, null])).toBe(true);
    expect(deviceSwitches([1500], [1000])).toBe(false);
    expect(deviceSwitches([], [1000])).toBe(false);
    expect(variabilityReport({ mode: 'd2d', hrs: [4e3, 6e3], lrs: [1e3, 1e3], vSet: [1], vReset: [-1, -2] }, [true, false, true, true])).toMatchObject({
      devices: 4,
      yield: 0.75,
      hrs: { n: 2, median: 5e3, cv: (100 * Math.sqrt(2e6)) / 5e3 },
      lrs: { median: 1e3, cv: 0 },
      vSet: { median: 1, cv: null },
      vReset: { median: -1.5 },
      onOff: { medianRatio: 5, worstCaseRatio: 4 },
    });
    expect(yieldOf([true, false, true, true])).toBe(0.75);
    expect(yieldOf([])).toBeNull();
  });
});

describe('variability statistics, properties', () => {
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

  it('Weibull plot y increases with the value; scaling values by k scales η by k and keeps β', () => {
    fc.assert(
      fc.property(positive, fc.double({ min: 1e-2, max: 1e2, noNaN: true }), (xs, k) => {
        const pts = weibullPlot(xs);
        for (let i = 1; i < pts.length; i++) if (!(pts[i]!.y > pts[i - 1]!.y)) return false;
        const a = weibullFit(xs);
        const b = weibullFit(xs.map((x) => x * k));
        if (a === null) return true;
        if (b === null) return false;
        return Math.abs(a.shape - b.shape) <= 1e-6 * Math.max(1, Math.abs(a.shape)) && Math.abs(b.scale / (a.scale * k) - 1) <= 1e-6;
      }),
    );
  });

  it('the median on/off ratio is at least the worst-case ratio, and yield is a fraction', () => {
    fc.assert(
      fc.property(positive, positive, fc.array(fc.boolean()), (h, l, passes) => {
        const w = onOffWindow(h, l);
        const y = yieldOf(passes);
        const yOk = passes.length === 0 ? y === null : y !== null && y >= 0 && y <= 1;
        if (w.medianRatio === null) return yOk && w.worstCaseRatio === null;
        return yOk && w.medianRatio >= w.worstCaseRatio! * (1 - 1e-12);
      }),
    );
  });
});
