import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pairedReductionInterval, phaseIterations, phaseRegret, phaseSettle, ScheduleStrategy, SuccessGatedStrategy } from '../../../shared/rl';

/** Optimality flags from a string: '1' optimal, '0' not. */
const flags = (s: string) => Uint8Array.from(s, (c) => (c === '1' ? 1 : 0));

describe('the stability-aware metric on hand-made episode sequences (K = 3)', () => {
  it('settles: optimal from episode 4 to the end of the phase needs 5 episodes', () => {
    expect(phaseSettle(flags('0000111111'), 0, 10, 3)).toEqual({ settled: true, iterations: 5 });
    expect(phaseSettle(flags('1111111111'), 0, 10, 3)).toEqual({ settled: true, iterations: 1 });
  });

  it('settles late: a final stretch of exactly K optimal episodes still counts', () => {
    expect(phaseSettle(flags('0000000111'), 0, 10, 3)).toEqual({ settled: true, iterations: 8 });
  });

  it('never settles: a phase that ends non-optimal, or whose final stretch is shorter than K, is censored at its length', () => {
    expect(phaseSettle(flags('1111111110'), 0, 10, 3)).toEqual({ settled: false, iterations: 10 });
    expect(phaseSettle(flags('0000000011'), 0, 10, 3)).toEqual({ settled: false, iterations: 10 });
    expect(phaseSettle(flags('0000000000'), 0, 10, 3)).toEqual({ settled: false, iterations: 10 });
  });

  it('unsettles: touching the optimum for K episodes and wandering off counts only the last, stable stretch', () => {
    const seq = flags('0111000111');
    // The first-K metric is satisfied at episode 1 and says 2; the stability-aware one says 8.
    expect(phaseIterations(seq, 0, 10, 3)).toEqual({ converged: true, iterations: 2 });
    expect(phaseSettle(seq, 0, 10, 3)).toEqual({ settled: true, iterations: 8 });
  });

  it('works inside a phase of a longer run, and never looks past the phase', () => {
    const seq = flags('0000011111' + '0011111110');
    expect(phaseSettle(seq, 0, 10, 3)).toEqual({ settled: true, iterations: 6 });
    expect(phaseSettle(seq, 10, 10, 3)).toEqual({ settled: false, iterations: 10 });
  });

  it('is never smaller than the first-K figure when it settles, and is the phase length when it does not (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 10 }), (bits, k) => {
        const seq = Uint8Array.from(bits, (b) => (b ? 1 : 0));
        const settle = phaseSettle(seq, 0, seq.length, k);
        const firstK = phaseIterations(seq, 0, seq.length, k);
        if (!settle.settled) return settle.iterations === seq.length;
        return firstK.converged && settle.iterations >= firstK.iterations && seq.subarray(settle.iterations - 1).every((x) => x === 1);
      }),
    );
  });

  it('regret sums the steps beyond the shortest path, never negative', () => {
    expect(phaseRegret(Int32Array.from([20, 18, 18, 200, 17]), 0, 5, 18)).toBe(2 + 0 + 0 + 182 + 0);
    expect(phaseRegret(Int32Array.from([20, 18, 30]), 1, 2, 18)).toBe(12);
  });
});

describe('the paired bootstrap interval of a reduction', () => {
  it('on a known case: every seed 50 against every seed 100 is exactly 50 % fewer', () => {
    expect(pairedReductionInterval(Array(20).fill(50), Array(20).fill(100))).toEqual([50, 50]);
  });

  it('contains the point estimate, narrows with more seeds, and is the same for the same data', () => {
    const draw = (n: number, centre: number) => Array.from({ length: n }, (_, k) => centre + ((k * 7919) % 21) - 10);
    const small = pairedReductionInterval(draw(10, 50), draw(10, 100))!;
    const large = pairedReductionInterval(draw(200, 50), draw(200, 100))!;
    expect(small[0]).toBeLessThanOrEqual(50);
    expect(small[1]).toBeGreaterThanOrEqual(50);
    expect(large[1] - large[0]).toBeLessThan(small[1] - small[0]);
    expect(pairedReductionInterval(draw(10, 50), draw(10, 100))).toEqual(small);
  });

  it('has nothing to say about no seeds or unpaired lists', () => {
    expect(pairedReductionInterval([], [])).toBeNull();
    expect(pairedReductionInterval([1, 2], [1])).toBeNull();
  });
});

describe('the strategies the tuner compares', () => {
  const outcome = (success: boolean) => ({ episode: 0, success, steps: 10, return: 0, tdErrorMean: 0 });

  it('success-gated software schedule: successes lower α, and without them it relaxes back toward α_max', () => {
    const s = new SuccessGatedStrategy({ kind: 'success-gated', alphaMax: 0.9, alphaMin: 0.1, drop: 0.2, tau: 50 });
    expect(s.alpha()).toBeCloseTo(0.9, 12);
    for (let k = 0; k < 30; k++) s.afterEpisode(outcome(true));
    const low = s.alpha();
    expect(low).toBeLessThan(0.3);
    for (let k = 0; k < 100; k++) s.afterEpisode(outcome(false));
    expect(s.alpha()).toBeGreaterThan(0.75);
    expect(Number.isNaN(s.conductance())).toBe(true);
  });

  it('a decay restarted at each change (the oracle) starts again from α₀ there', () => {
    const config = { kind: 'exponential' as const, alpha0: 0.9, rate: 0.9, alphaMin: 0.01 };
    const plain = new ScheduleStrategy(config);
    const oracle = new ScheduleStrategy(config, [300, 600]);
    expect(oracle.alpha(299)).toBe(plain.alpha(299));
    expect(oracle.alpha(300)).toBe(0.9);
    expect(oracle.alpha(305)).toBe(plain.alpha(5));
    expect(oracle.alpha(601)).toBe(plain.alpha(1));
  });
});
