import { describe, expect, it } from 'vitest';
import { phaseIterations, quantile, quartiles, reductionPercent } from '../../../shared/rl';

const flags = (...bits: number[]) => Uint8Array.from(bits);

describe('training iterations of a phase', () => {
  it('counts the episodes up to and including the first of K consecutive optimal ones', () => {
    expect(phaseIterations(flags(0, 0, 1, 1, 1), 0, 5, 3)).toEqual({ converged: true, iterations: 3 });
    expect(phaseIterations(flags(1, 1, 1, 1), 0, 4, 3)).toEqual({ converged: true, iterations: 1 });
    // A broken streak starts over.
    expect(phaseIterations(flags(1, 1, 0, 1, 1, 1, 0), 0, 7, 3)).toEqual({ converged: true, iterations: 4 });
    expect(phaseIterations(flags(1, 0, 1, 0, 1, 1), 0, 6, 1)).toEqual({ converged: true, iterations: 1 });
  });

  it('counts from the start of the phase and looks only inside it', () => {
    const f = flags(1, 1, 1, 1, 1, 0, 1, 1, 1, 0);
    expect(phaseIterations(f, 5, 5, 3)).toEqual({ converged: true, iterations: 2 });
    // The streak before the phase does not count for it.
    expect(phaseIterations(flags(1, 1, 1, 0, 1), 3, 2, 2)).toEqual({ converged: false, iterations: 2 });
  });

  it('charges an unconverged phase its full length, including a streak cut short by the phase end', () => {
    expect(phaseIterations(flags(0, 0, 0, 0), 0, 4, 2)).toEqual({ converged: false, iterations: 4 });
    expect(phaseIterations(flags(0, 0, 1, 1, 1, 1), 0, 4, 3)).toEqual({ converged: false, iterations: 4 });
  });
});

describe('statistics', () => {
  it('computes quantiles by linear interpolation (numpy’s default)', () => {
    expect(quartiles([4, 1, 3, 2])).toEqual({ q1: 1.75, median: 2.5, q3: 3.25 });
    expect(quartiles([7])).toEqual({ q1: 7, median: 7, q3: 7 });
    expect(quantile([10, 20, 30, 40, 50], 0.5)).toBe(30);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('expresses a reduction in % of the reference', () => {
    expect(reductionPercent(31.25, 100)).toBeCloseTo(68.75, 12);
    expect(reductionPercent(120, 100)).toBeCloseTo(-20, 12);
  });
});
