import { describe, expect, it } from 'vitest';
import { createRng } from '../../../shared/random';
import {
  choleskySolve,
  invertSymmetric,
  levenbergMarquardt,
  nelderMead,
  nelderMeadLeastSquares,
  transformFor,
} from '../../../shared/fit';

describe('linear algebra', () => {
  it('solves and inverts a small SPD system', () => {
    const a = [
      [4, 2, 0.6],
      [2, 5, 1],
      [0.6, 1, 3],
    ];
    const x = choleskySolve(a, [1, 2, 3])!;
    a.forEach((row, i) => expect(row.reduce((s, v, j) => s + v * x[j]!, 0)).toBeCloseTo([1, 2, 3][i]!, 12));
    const inv = invertSymmetric(a)!;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const v = a[i]!.reduce((s, _, k) => s + a[i]![k]! * inv[k]![j]!, 0);
        expect(v).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    }
    expect(choleskySolve([[1, 2], [2, 1]], [1, 1])).toBeNull();
    expect(invertSymmetric([[1, 1], [1, 1]])).toBeNull();
  });

  it('inverts matrices whose entries differ by many orders of magnitude', () => {
    const a = [
      [1e-20, 1e-13],
      [1e-13, 1e4],
    ];
    const inv = invertSymmetric(a)!;
    const det = 1e-20 * 1e4 - 1e-26;
    expect(inv[0]![0]! / (1e4 / det)).toBeCloseTo(1, 10);
    expect(inv[1]![1]! / (1e-20 / det)).toBeCloseTo(1, 10);
    expect(inv[0]![1]! / (-1e-13 / det)).toBeCloseTo(1, 10);
  });
});

describe('bounded transforms', () => {
  it('map any internal value inside the bounds and round-trip interior values', () => {
    for (const bound of [
      [0, 1],
      [0, Infinity],
      [-Infinity, 5],
      [-Infinity, Infinity],
      [2, 3],
    ] as const) {
      const t = transformFor(bound);
      for (const u of [-50, -3, 0, 3, 50]) {
        const x = t.toExternal(u);
        expect(x).toBeGreaterThanOrEqual(bound[0]);
        expect(x).toBeLessThanOrEqual(bound[1]);
      }
      const interior = Number.isFinite(bound[0]) && Number.isFinite(bound[1]) ? (bound[0] + bound[1]) / 2 : Number.isFinite(bound[0]) ? bound[0] + 7 : Number.isFinite(bound[1]) ? bound[1] - 7 : 7;
      expect(t.toExternal(t.toInternal(interior))).toBeCloseTo(interior, 12);
    }
    expect(() => transformFor([1, 0])).toThrow(RangeError);
  });
});

describe('levenbergMarquardt', () => {
  it('recovers an exponential decay and reports standard errors that match the scatter', () => {
    const truth = [3, 0.7, 0.5];
    const ts = Array.from({ length: 60 }, (_, i) => i * 0.1);
    const sigma = 0.02;
    const estimates: number[][] = [];
    const reported: number[][] = [];
    for (let seed = 0; seed < 200; seed++) {
      const rng = createRng(seed);
      const ys = ts.map((t) => truth[0]! * Math.exp(-truth[1]! * t) + truth[2]! + sigma * rng.normal());
      const fit = levenbergMarquardt((p) => ts.map((t, i) => p[0]! * Math.exp(-p[1]! * t) + p[2]! - ys[i]!), [1, 0.1, 0]);
      expect(fit.converged).toBe(true);
      estimates.push(fit.values);
      reported.push(fit.standardErrors);
      expect(fit.residualRms).toBeGreaterThan(sigma * 0.7);
      expect(fit.residualRms).toBeLessThan(sigma * 1.3);
    }
    for (let j = 0; j < 3; j++) {
      const values = estimates.map((e) => e[j]!);
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
      const se = reported.reduce((s, e) => s + e[j]!, 0) / reported.length;
      expect(Math.abs(mean - truth[j]!)).toBeLessThan(3 * sd / Math.sqrt(values.length) + 1e-9);
      // The reported standard error matches the actual spread of the estimates.
      expect(se / sd).toBeGreaterThan(0.8);
      expect(se / sd).toBeLessThan(1.25);
    }
  });

  it('gives the textbook standard errors for a straight line', () => {
    const xs = [0, 1, 2, 3, 4, 5, 6, 7];
    const ys = [1.1, 2.9, 5.2, 7.1, 8.8, 11.2, 12.9, 15.1];
    const fit = levenbergMarquardt((p) => xs.map((x, i) => p[0]! + p[1]! * x - ys[i]!), [0, 0]);
    const n = xs.length;
    const mx = xs.reduce((s, x) => s + x, 0) / n;
    const my = ys.reduce((s, y) => s + y, 0) / n;
    const sxx = xs.reduce((s, x) => s + (x - mx) ** 2, 0);
    const slope = xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0) / sxx;
    const intercept = my - slope * mx;
    const s2 = xs.reduce((s, x, i) => s + (ys[i]! - intercept - slope * x) ** 2, 0) / (n - 2);
    expect(fit.values[1]).toBeCloseTo(slope, 8);
    expect(fit.values[0]).toBeCloseTo(intercept, 8);
    expect(fit.standardErrors[1]).toBeCloseTo(Math.sqrt(s2 / sxx), 6);
    expect(fit.standardErrors[0]).toBeCloseTo(Math.sqrt(s2 * (1 / n + (mx * mx) / sxx)), 6);
    expect(fit.covariance).not.toBeNull();
  });

  it('solves the Rosenbrock problem', () => {
    const fit = levenbergMarquardt((p) => [10 * (p[1]! - p[0]! ** 2), 1 - p[0]!], [-1.2, 1]);
    expect(fit.converged).toBe(true);
    expect(fit.values[0]).toBeCloseTo(1, 6);
    expect(fit.values[1]).toBeCloseTo(1, 6);
    expect(fit.iterations).toBeGreaterThan(1);
  });

  it('respects bounds: the optimum outside is approached from inside', () => {
    const fit = levenbergMarquardt((p) => [p[0]! - 5, p[1]! + 3], [0.5, 1], { bounds: [[0, 2], [0, Infinity]] });
    expect(fit.values[0]).toBeLessThanOrEqual(2);
    expect(fit.values[0]).toBeGreaterThan(1.99);
    expect(fit.values[1]).toBeGreaterThanOrEqual(0);
    expect(fit.values[1]).toBeLessThan(0.01);
  });

  it('works in the units of the problem, siemens next to seconds', () => {
    const ts = [0, 10, 20, 50, 100, 200, 400];
    const model = (g0: number, tau: number, t: number): number => g0 * (1 - 0.5 * Math.exp(-t / tau));
    const ys = ts.map((t) => model(1e-5, 150, t));
    const fit = levenbergMarquardt((p) => ts.map((t, i) => (model(p[0]!, p[1]!, t) - ys[i]!) / 1e-5), [2e-5, 40], {
      bounds: [[0, Infinity], [0, Infinity]],
    });
    expect(fit.values[0]! / 1e-5).toBeCloseTo(1, 8);
    expect(fit.values[1]! / 150).toBeCloseTo(1, 8);
  });

  it('fails cleanly when the residuals are not finite at the start, and stops at the iteration limit', () => {
    const bad = levenbergMarquardt(() => [NaN, 1], [1]);
    expect(bad.status).toBe('failed');
    expect(bad.converged).toBe(false);
    const limited = levenbergMarquardt((p) => [10 * (p[1]! - p[0]! ** 2), 1 - p[0]!], [-1.2, 1], { maxIterations: 2 });
    expect(limited.status).toBe('max-iterations');
    expect(limited.iterations).toBe(2);
  });
});

describe('nelderMead', () => {
  it('minimises the Rosenbrock function', () => {
    const result = nelderMead((p) => 100 * (p[1]! - p[0]! ** 2) ** 2 + (1 - p[0]!) ** 2, [-1.2, 1], { tolerance: 1e-14 });
    expect(result.converged).toBe(true);
    expect(result.values[0]).toBeCloseTo(1, 4);
    expect(result.values[1]).toBeCloseTo(1, 4);
  });

  it('fits least squares with the same uncertainty report as Levenberg–Marquardt', () => {
    const xs = [0, 1, 2, 3, 4, 5, 6, 7];
    const ys = [1.1, 2.9, 5.2, 7.1, 8.8, 11.2, 12.9, 15.1];
    const residuals = (p: readonly number[]): number[] => xs.map((x, i) => p[0]! + p[1]! * x - ys[i]!);
    const nm = nelderMeadLeastSquares(residuals, [0, 1]);
    const lm = levenbergMarquardt(residuals, [0, 1]);
    expect(nm.values[0]).toBeCloseTo(lm.values[0]!, 5);
    expect(nm.values[1]).toBeCloseTo(lm.values[1]!, 5);
    expect(nm.standardErrors[1]).toBeCloseTo(lm.standardErrors[1]!, 5);
    expect(nm.residualRms).toBeCloseTo(lm.residualRms, 8);
  });
});
