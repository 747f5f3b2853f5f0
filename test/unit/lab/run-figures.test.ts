/** A run's figures (shared/lab/run-figures.ts) against hand computations, and the forming rule. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formingAfter, medianOf, runFigures } from '../../../shared/lab/run-figures';

function samples(rows: [kind: 0 | 1, v: number, g: number][]) {
  return { length: rows.length, kind: rows.map((r) => r[0]), v: rows.map((r) => r[1]), g: rows.map((r) => r[2]) };
}

describe('runFigures', () => {
  it('counts pulses, stress in V·s and per-cycle HRS, LRS, V_set and V_reset', () => {
    // cycle 1: read 10 µS, set +1.2 V 1 ms → read 1 mS, reset −1.0 V 2 ms → read 20 µS
    // cycle 2: read 20 µS, set +1.4 V 1 ms → read 0.5 mS
    const s = samples([
      [0, 0.1, 1e-5],
      [1, 1.2, Number.NaN],
      [0, 0.1, 1e-3],
      [1, -1.0, Number.NaN],
      [0, 0.1, 2e-5],
      [0, 0.1, 2e-5],
      [1, 1.4, Number.NaN],
      [0, 0.1, 5e-4],
    ]);
    const width = [NaN, 1e-3, NaN, 2e-3, NaN, NaN, 1e-3, NaN];
    const cycle = [1, 1, 1, 1, 1, 2, 2, 2];
    const f = runFigures(s, width, cycle);
    expect(f.pulses).toBe(3);
    expect(f.stressVs).toBeCloseTo(1.2e-3 + 2e-3 + 1.4e-3, 12);
    expect(f.widthsKnown).toBe(true);
    expect(f.cycles).toHaveLength(2);
    expect(f.cycles[0]).toMatchObject({ cycle: 1, vSet: 1.2, vReset: -1.0 });
    expect(f.cycles[0]!.hrs).toBeCloseTo(1e5);
    expect(f.cycles[0]!.lrs).toBeCloseTo(1e3);
    expect(f.cycles[1]!.vReset).toBeNull();
    expect(f.hrs).toBeCloseTo(5e4);
    expect(f.lrs).toBeCloseTo(2e3);
    expect(f.vSet).toBeCloseTo(1.3);
    expect(f.vReset).toBe(-1);
  });

  it('counts no stress for a pulse of unknown width, and says so', () => {
    const f = runFigures(samples([[1, 2, 1e-4]]), [NaN], [-1]);
    expect(f).toMatchObject({ pulses: 1, stressVs: 0, widthsKnown: false });
  });

  it('stress is Σ|V|·width whatever the order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: 1e-9, max: 1, noNaN: true })), { maxLength: 50 }), (pulses) => {
        const s = samples(pulses.map(([v]) => [1, v, 1e-5]));
        const f = runFigures(s, pulses.map(([, w]) => w), pulses.map(() => 1));
        const want = pulses.reduce((a, [v, w]) => a + Math.abs(v) * w, 0);
        expect(f.pulses).toBe(pulses.length);
        expect(f.stressVs).toBeCloseTo(want, 9);
      }),
    );
  });
});

describe('medianOf and formingAfter', () => {
  it('medians skip missing values', () => {
    expect(medianOf([3, null, 1, 2])).toBe(2);
    expect(medianOf([4, 1, null, 2, 3])).toBe(2.5);
    expect(medianOf([null])).toBeNull();
  });
  it('forms on a tag, a tenfold rise or a switching cycle; stays formed', () => {
    const run = { pulses: 1, initialG: 1e-6, maxG: 2e-6, hrs: null, lrs: null, named: 'train', tags: [] as string[] };
    expect(formingAfter('pristine', { ...run, pulses: 0 })).toBe('pristine');
    expect(formingAfter('pristine', run)).toBe('unformed');
    expect(formingAfter('pristine', { ...run, tags: ['forming'] })).toBe('formed');
    expect(formingAfter('unformed', { ...run, maxG: 1e-5 })).toBe('formed');
    expect(formingAfter('unformed', { ...run, hrs: 1e5, lrs: 1e3 })).toBe('formed');
    expect(formingAfter('formed', run)).toBe('formed');
  });
});
