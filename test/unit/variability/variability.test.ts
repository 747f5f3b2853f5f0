import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deviceSwitches,
  onOffWindow,
  summarize,
  variabilityReport,
  weibullFit,
  weibullPlot,
  yieldOf,
} from '../../../shared/variability';

const positive = fc.array(fc.double({ min: 1e-3, max: 1e6, noNaN: true }), { minLength: 0, maxLength: 60 });

describe('variability statistics by hand', () => {
  it('the summary of a small set (non-finite values left out)', () => {
    expect(summarize([10, null, 30, 20])).toEqual({ n: 3, median: 20, cv: 50, mean: 20, min: 10, max: 30 });
    expect(summarize([])).toEqual({ n: 0, median: null, cv: null, mean: null, min: null, max: null });
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
