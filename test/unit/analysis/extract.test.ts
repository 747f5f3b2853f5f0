import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeSwitching } from '../../../shared/analysis';
import { cvPercent, median } from '../../../shared/stats';
import { makeLoops, type LoopCycle } from './loops';

const STEP = 0.02;
const base: LoopCycle = { hrs: 1e5, lrs: 1e3, vSet: 0.9, vReset: -0.8 };

/** Ten cycles with thresholds and states that vary from cycle to cycle, as a device's do. */
function varied(n: number): LoopCycle[] {
  return Array.from({ length: n }, (_, k) => ({
    hrs: 1e5 * (1 + 0.1 * Math.sin(k)),
    lrs: 1e3 * (1 + 0.1 * Math.cos(k)),
    vSet: 0.8 + 0.02 * (k % 5),
    vReset: -0.7 - 0.02 * (k % 4),
  }));
}

describe('analyzeSwitching on a clean loop', () => {
  it('finds V_set, V_reset, HRS, LRS and the on/off ratio of each cycle', () => {
    const cycles = varied(10);
    const a = analyzeSwitching(makeLoops(cycles, { peak: 1.5, step: STEP }));
    expect(a.cycles).toHaveLength(10);
    expect(a.failed).toBe(0);
    expect(a.unpaired).toBe(0);
    a.cycles.forEach((c, k) => {
      expect(c.set && c.reset).toBe(true);
      // V_set: the first step at or above the threshold; V_reset: the last step before it.
      expect(c.vSet).toBeGreaterThanOrEqual(cycles[k]!.vSet - 1e-9);
      expect(c.vSet).toBeLessThan(cycles[k]!.vSet + STEP + 1e-9);
      expect(c.vReset).toBeGreaterThan(cycles[k]!.vReset - 1e-9);
      expect(c.vReset).toBeLessThanOrEqual(cycles[k]!.vReset + STEP + 1e-9);
      expect(c.lrs).toBeCloseTo(cycles[k]!.lrs, 6);
      expect(c.hrs).toBeCloseTo(cycles[k]!.hrs, 3);
      expect(c.onOff).toBeCloseTo(cycles[k]!.hrs / cycles[k]!.lrs, 6);
      expect(c.maxSetCurrent).toBeCloseTo(1.5 / cycles[k]!.lrs, 12);
    });
    expect(a.read).toEqual({ voltage: 0.1, from: 'sweep' });
    expect(a.median.lrs).toBeCloseTo(median(cycles.map((c) => c.lrs)) ?? 0, 6);
    expect(a.cv.hrs).toBeCloseTo(cvPercent(cycles.map((c) => c.hrs)) ?? 0, 6);
    expect(a.onOff.median).toBeCloseTo(median(cycles.map((c) => c.hrs / c.lrs)) ?? 0, 6);
  });

  it('takes the states from the reads when the run reads, and reports the read voltage', () => {
    const a = analyzeSwitching(makeLoops([base, base, base], { peak: 1.5, step: STEP, read: 0.2 }));
    expect(a.read).toEqual({ voltage: 0.2, from: 'reads' });
    for (const c of a.cycles) {
      expect(c.lrs).toBeCloseTo(1e3, 6);
      expect(c.hrs).toBeCloseTo(1e5, 3);
    }
  });

  it('leaves a forming sweep out of the cycles and counts it', () => {
    const a = analyzeSwitching(makeLoops([base, base], { peak: 1.5, step: STEP, formPeak: 3 }));
    expect(a.unpaired).toBe(1);
    expect(a.cycles).toHaveLength(2);
  });

  it('limits the SET current to the compliance and reports it from the flags, else from the caller', () => {
    const loops = makeLoops([base, base], { peak: 1.5, step: STEP, compliance: 5e-4 });
    const a = analyzeSwitching(loops);
    expect(a.complianceSet).toBeCloseTo(5e-4, 12);
    for (const c of a.cycles) {
      expect(c.maxSetCurrent).toBeCloseTo(5e-4, 12);
      expect(c.setInCompliance).toBe(true);
      expect(c.vSet).toBeCloseTo(0.9, 9);
    }
    const { compliance: _flags, ...noFlags } = loops;
    const b = analyzeSwitching(noFlags, { complianceSet: 1e-3 });
    expect(b.complianceSet).toBe(1e-3);
    expect(b.cycles[0]!.setInCompliance).toBeNull();
    expect(analyzeSwitching(noFlags).complianceSet).toBeNull();
  });
});

describe('pulsed SET/RESET cycles (an endurance run of pulses with reads)', () => {
  it('take HRS and LRS from the reads and give no V_set or V_reset: a pulse has only its amplitude', () => {
    const v: number[] = [];
    const i: number[] = [];
    const kind: number[] = [];
    const block: number[] = [];
    const add = (volts: number, amps: number, k: number, b: number) => (v.push(volts), i.push(amps), kind.push(k), block.push(b));
    for (let c = 0; c < 4; c++) {
      add(1.5, 5e-4, 1, 1);
      add(0.1, 0.1 / 1e3, 0, 1);
      add(-1.5, -1.5 / 1e3, 1, 2);
      add(0.1, 0.1 / 1e5, 0, 2);
    }
    const a = analyzeSwitching({ length: v.length, v, i, kind, block });
    expect(a.cycles).toHaveLength(4);
    for (const c of a.cycles.slice(1)) {
      expect([c.set, c.reset]).toEqual([true, true]);
      expect([c.vSet, c.vReset]).toEqual([null, null]);
      expect(c.lrs).toBeCloseTo(1e3, 6);
      expect(c.hrs).toBeCloseTo(1e5, 3);
    }
    expect(a.read).toEqual({ voltage: 0.1, from: 'reads' });
  });
});

describe('analyzeSwitching on a noisy loop', () => {
  it('finds each threshold within one step under 5 % current noise', () => {
    const cycles = varied(20);
    const a = analyzeSwitching(makeLoops(cycles, { peak: 1.5, step: STEP, noise: 0.05, seed: 7 }));
    expect(a.failed).toBe(0);
    a.cycles.forEach((c, k) => {
      expect(Math.abs((c.vSet ?? 0) - cycles[k]!.vSet)).toBeLessThanOrEqual(STEP + 1e-9);
      expect(Math.abs((c.vReset ?? 0) - cycles[k]!.vReset)).toBeLessThanOrEqual(2 * STEP + 1e-9);
      expect(Math.abs((c.lrs ?? 0) / cycles[k]!.lrs - 1)).toBeLessThan(0.05);
      expect(Math.abs((c.hrs ?? 0) / cycles[k]!.hrs - 1)).toBeLessThan(0.05);
    });
  });
});

describe('a cycle that fails to switch', () => {
  it('is reported as failed, with no V_set, V_reset or on/off ratio, and left out of the statistics', () => {
    const cycles = [base, { ...base, vSet: 2 }, base, base];
    const a = analyzeSwitching(makeLoops(cycles, { peak: 1.5, step: STEP }));
    expect(a.cycles).toHaveLength(4);
    expect(a.failed).toBe(1);
    const bad = a.cycles[1]!;
    expect(bad.set).toBe(false);
    expect(bad.reset).toBe(false);
    expect(bad.vSet).toBeNull();
    expect(bad.vReset).toBeNull();
    expect(bad.onOff).toBeNull();
    // The state it stayed in is still measured: the HRS, on both sides.
    expect(bad.lrs).toBeCloseTo(1e5, 3);
    expect(a.median.lrs).toBeCloseTo(1e3, 6);
    expect(a.onOff.median).toBeCloseTo(100, 6);
    expect(a.cv.vSet).toBeCloseTo(0, 9);
  });

  it('gives empty statistics, not numbers, when nothing switches', () => {
    const a = analyzeSwitching(makeLoops([{ ...base, vSet: 2 }, { ...base, vSet: 2 }], { peak: 1.5, step: STEP }));
    expect(a.failed).toBe(2);
    expect(a.median.vSet).toBeNull();
    expect(a.cv.vSet).toBeNull();
    expect(a.onOff).toEqual({ median: null, min: null, max: null });
  });

  it('finds no cycles in a run without bipolar lobes', () => {
    const a = analyzeSwitching({ length: 3, v: [0, 0.1, 0], i: [0, 1e-6, 0], kind: [1, 1, 1], block: [0, 0, 0] });
    expect(a.cycles).toEqual([]);
    expect(a.unpaired).toBe(1);
    expect(a.read).toEqual({ voltage: null, from: null });
  });

  it('rejects a read voltage or ratio that makes no sense', () => {
    const s = makeLoops([base], { peak: 1.5, step: STEP });
    expect(() => analyzeSwitching(s, { readVoltage: 0 })).toThrow(/readVoltage/);
    expect(() => analyzeSwitching(s, { minRatio: 1 })).toThrow(/minRatio/);
  });
});

/** Any HRS is at least 10× any LRS, so every SET (from the HRS the cycle before left) switches by more than 2×. */
const cycleArb = fc.record({
  hrs: fc.double({ min: 1e4, max: 1e7, noNaN: true }),
  lrs: fc.double({ min: 1e2, max: 1e3, noNaN: true }),
  vSet: fc.double({ min: 0.4, max: 1.3, noNaN: true }),
  vReset: fc.double({ min: -1.3, max: -0.4, noNaN: true }),
});

describe('properties', () => {
  it('finds every clean cycle, with its thresholds within one step', () => {
    fc.assert(
      fc.property(fc.array(cycleArb, { minLength: 1, maxLength: 6 }), (cycles) => {
        const a = analyzeSwitching(makeLoops(cycles, { peak: 1.5, step: STEP }));
        expect(a.cycles).toHaveLength(cycles.length);
        a.cycles.forEach((c, k) => {
          expect(c.vSet).not.toBeNull();
          expect(Math.abs((c.vSet ?? 0) - cycles[k]!.vSet)).toBeLessThanOrEqual(STEP + 1e-9);
          expect(Math.abs((c.vReset ?? 0) - cycles[k]!.vReset)).toBeLessThanOrEqual(STEP + 1e-9);
          expect((c.onOff ?? 0) / (cycles[k]!.hrs / cycles[k]!.lrs)).toBeCloseTo(1, 6);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('scaling every current by c scales resistances by 1/c and leaves voltages, on/off and CVs alone', () => {
    fc.assert(
      fc.property(fc.array(cycleArb, { minLength: 2, maxLength: 5 }), fc.double({ min: 1e-3, max: 1e3, noNaN: true }), (cycles, c) => {
        const s = makeLoops(cycles, { peak: 1.5, step: STEP, noise: 0.02 });
        const a = analyzeSwitching(s);
        const b = analyzeSwitching({ ...s, i: s.i.map((x) => x * c) });
        a.cycles.forEach((x, k) => {
          const y = b.cycles[k]!;
          expect(y.vSet).toBe(x.vSet);
          expect(y.vReset).toBe(x.vReset);
          expect((y.hrs ?? 0) * c).toBeCloseTo(x.hrs ?? 0, 3);
          expect((y.onOff ?? 0) / (x.onOff ?? 1)).toBeCloseTo(1, 9);
          expect((y.maxSetCurrent ?? 0) / c / (x.maxSetCurrent ?? 1)).toBeCloseTo(1, 9);
        });
        expect(b.cv.lrs ?? 0).toBeCloseTo(a.cv.lrs ?? 0, 6);
      }),
      { numRuns: 40 },
    );
  });

  it('per-cycle figures are local: a run analyses as the concatenation of its cycles', () => {
    fc.assert(
      fc.property(fc.array(cycleArb, { minLength: 2, maxLength: 5 }), (cycles) => {
        const whole = analyzeSwitching(makeLoops(cycles, { peak: 1.5, step: STEP }));
        cycles.forEach((cy, k) => {
          // Alone, each cycle starts from the HRS the one before it left.
          const start = k === 0 ? cy.hrs : cycles[k - 1]!.hrs;
          const alone = analyzeSwitching(makeLoops([{ ...cy, hrs: start }, cy].slice(k === 0 ? 1 : 0), { peak: 1.5, step: STEP }));
          const last = alone.cycles[alone.cycles.length - 1]!;
          expect(last.vSet).toBe(whole.cycles[k]!.vSet);
          expect(last.vReset).toBe(whole.cycles[k]!.vReset);
          expect(last.hrs).toBeCloseTo(whole.cycles[k]!.hrs ?? 0, 6);
        });
      }),
      { numRuns: 30 },
    );
  });
});
