/** A run's figures (shared/lab/run-figures.ts) against hand computations, and the forming rule. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formingAfter, runFigures } from '../../../shared/lab/run-figures';

interface Row {
  kind: 0 | 1;
  v: number;
  i: number;
}
function samples(rows: Row[]) {
  return { length: rows.length, kind: rows.map((r) => r.kind), v: rows.map((r) => r.v), i: rows.map((r) => r.i), block: rows.map(() => 0) };
}

/**
 * One bipolar I–V loop in 0.1 V steps: 0 → +1 → 0 (SET at +0.6 V: 100 kΩ → 1 kΩ), 0 → −1 → 0
 * (RESET at −0.7 V: back to 100 kΩ). Each step's current is V/R of the state it is in.
 */
function loop(): Row[] {
  const rows: Row[] = [];
  let r = 1e5;
  const step = (v: number) => rows.push({ kind: 1, v, i: v / r });
  for (let k = 1; k <= 10; k++) {
    if (k / 10 >= 0.6 - 1e-9) r = 1e3;
    step(k / 10);
  }
  for (let k = 9; k >= 0; k--) step(k / 10);
  for (let k = 1; k <= 10; k++) {
    if (k / 10 >= 0.7 + 1e-9) r = 1e5;
    step(-k / 10);
  }
  for (let k = 9; k >= 0; k--) step(-k / 10);
  return rows;
}

describe('runFigures', () => {
  it('counts pulses and stress in V·s, and takes HRS, LRS, V_set and V_reset from shared/analysis per cycle', () => {
    const rows = [...loop(), ...loop()];
    const width = rows.map(() => 0.01);
    const f = runFigures(samples(rows), width);
    expect(f.pulses).toBe(rows.length);
    expect(f.stressVs).toBeCloseTo(rows.reduce((a, r) => a + Math.abs(r.v) * 0.01, 0), 12);
    expect(f.widthsKnown).toBe(true);
    expect(f.cycles).toHaveLength(2);
    for (const c of f.cycles) {
      expect(c.switched).toBe(true);
      expect(c.hrs).toBeCloseTo(1e5, -1);
      expect(c.lrs).toBeCloseTo(1e3, -1);
      expect(c.vSet).toBeCloseTo(0.6, 9);
    }
    expect(f.hrs).toBeCloseTo(1e5, -1);
    expect(f.vSet).toBeCloseTo(0.6, 9);
    expect(f.vReset).not.toBeNull();
    expect(f.vReset!).toBeLessThan(0);
  });

  it('a pulse train that never changes polarity has no switching cycle, and no made-up HRS/LRS', () => {
    const rows: Row[] = Array.from({ length: 10 }, (_, k) => ({ kind: (k % 2) as 0 | 1, v: k % 2 ? 1.5 : 0.1, i: 1e-6 }));
    const f = runFigures(samples(rows), rows.map(() => 1e-3));
    expect(f).toMatchObject({ pulses: 5, cycles: [], hrs: null, lrs: null, vSet: null, vReset: null });
  });

  it('counts no stress for a pulse of unknown width, and says so', () => {
    const f = runFigures(samples([{ kind: 1, v: 2, i: 1e-4 }]), [Number.NaN]);
    expect(f).toMatchObject({ pulses: 1, stressVs: 0, widthsKnown: false });
  });

  it('stress is Σ|V|·width over the pulses (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: 1e-9, max: 1, noNaN: true }), fc.boolean()), { maxLength: 50 }), (xs) => {
        const rows: Row[] = xs.map(([v, , pulse]) => ({ kind: pulse ? 1 : 0, v, i: 1e-6 }));
        const f = runFigures(samples(rows), xs.map(([, w]) => w));
        const want = xs.reduce((a, [v, w, pulse]) => a + (pulse ? Math.abs(v) * w : 0), 0);
        expect(f.pulses).toBe(xs.filter(([, , p]) => p).length);
        expect(f.stressVs).toBeCloseTo(want, 9);
      }),
    );
  });
});

describe('formingAfter', () => {
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
