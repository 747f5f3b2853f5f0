import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applySettings, candidateSettings, chooseBest, type Dimension, type ScoredCandidate } from '../../../shared/rl';

describe('tuning candidates', () => {
  it('a one-dimensional space is an even grid in its own scale', () => {
    expect(candidateSettings({ alpha: { linear: [0, 1] } }, 4).map((c) => c.alpha)).toEqual([0.125, 0.375, 0.625, 0.875]);
    expect(candidateSettings({ alpha: { log: [0.01, 1] } }, 2).map((c) => c.alpha)).toEqual([0.0316, 0.316]);
  });

  it('every candidate lies in its space, there are exactly `budget` of them, and the same space gives the same ones (property)', () => {
    const dim: fc.Arbitrary<Dimension> = fc.oneof(
      fc.tuple(fc.double({ min: 1e-4, max: 10, noNaN: true }), fc.double({ min: 1.01, max: 100, noNaN: true })).map(([a, f]) => ({ log: [a, a * f] as [number, number] })),
      fc.tuple(fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: 0.1, max: 10, noNaN: true })).map(([a, w]) => ({ linear: [a, a + w] as [number, number] })),
      fc.constant<Dimension>({ oneMinusLog: [0.9, 0.9999] }),
      fc.constant<Dimension>({ choice: ['linear', 'log'] }),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('a', 'b.c', 'd', 'e', 'f'), dim, { minKeys: 1 }), fc.integer({ min: 1, max: 80 }), (space, budget) => {
        const candidates = candidateSettings(space, budget);
        if (candidates.length !== budget) return false;
        expect(candidateSettings(space, budget)).toEqual(candidates);
        for (const c of candidates) {
          for (const [path, d] of Object.entries(space)) {
            const v = c[path]!;
            if ('choice' in d) expect(d.choice).toContain(v);
            else {
              const [lo, hi] = 'log' in d ? d.log : 'linear' in d ? d.linear : d.oneMinusLog;
              // Three significant digits of rounding may step just past an end.
              const slack = Math.max(Math.abs(lo), Math.abs(hi)) * 5e-3;
              expect(v as number).toBeGreaterThanOrEqual(lo - slack);
              expect(v as number).toBeLessThanOrEqual(hi + slack);
            }
          }
        }
        return true;
      }),
    );
  });

  it('writes settings into nested fields of a copy', () => {
    const base = { id: 'd', name: 'D', kind: 'device', pulse: { amplitude: 1, width: 0.01 } } as const;
    const tuned = applySettings(base as never, { 'pulse.amplitude': 1.5, secondsPerEpisode: 8 }) as unknown as typeof base & { secondsPerEpisode: number };
    expect(tuned.pulse).toEqual({ amplitude: 1.5, width: 0.01 });
    expect(tuned.secondsPerEpisode).toBe(8);
    expect(base.pulse.amplitude).toBe(1);
  });

  it('chooses the lowest score per tuned strategy, ties to the earlier candidate', () => {
    const c = (strategyId: string, index: number, score: number): ScoredCandidate => ({ strategyId, family: strategyId, index, settings: {}, environments: {}, score });
    expect(chooseBest([c('a', 0, 5), c('a', 1, 3), c('a', 2, 3), c('b', 0, 9)]).map((x) => [x.strategyId, x.index])).toEqual([
      ['a', 1],
      ['b', 0],
    ]);
  });
});
