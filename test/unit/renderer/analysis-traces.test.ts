import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeSwitching } from '../../../shared/analysis';
import { cycleColor, distribution, ivTraces, resistanceOf, retention, statesByCycle, thinCycles } from '../../../renderer/features/analysis/traces';
import { makeLoops } from '../analysis/loops';

const cycle = { hrs: 1e5, lrs: 1e3, vSet: 0.9, vReset: -0.8 };

describe('switching chart data', () => {
  it('draws forming, every cycle and nothing else, each cycle with its own drive samples', () => {
    const s = makeLoops([cycle, cycle, cycle], { peak: 1.5, step: 0.05, formPeak: 3, read: 0.1 });
    const a = analyzeSwitching(s);
    const traces = ivTraces(s, a);
    expect(traces.map((t) => t.label)).toEqual(['Before cycle 1 (forming)', 'Cycle 1', 'Cycle 2', 'Cycle 3']);
    expect(traces.map((t) => t.position)).toEqual([null, 0, 0.5, 1]);
    // Reads are not part of the curves: every drive sample is drawn once.
    const drive = s.kind.filter((k) => k !== 0).length;
    expect(traces.reduce((n, t) => n + t.v.length, 0)).toBe(drive);
    const r = resistanceOf(traces[1]!);
    expect(r.filter((x) => Number.isFinite(x)).every((x) => x > 0)).toBe(true);
    expect(statesByCycle(a).n).toEqual(Float64Array.from([1, 2, 3]));
    expect(distribution(a, 'vReset').x.every((x) => x > 0)).toBe(true);
  });

  it('shows the cycle in progress after the last complete one', () => {
    const s = makeLoops([cycle, cycle], { peak: 1.5, step: 0.05 });
    // Cut inside the SET of cycle 2: its RESET has not started.
    const cut = { ...s, length: s.length - 70 };
    const traces = ivTraces(cut, analyzeSwitching(cut));
    expect(traces.at(-1)?.label).toBe('Cycle 2 (in progress)');
  });

  it('thins many cycles evenly, keeping the first and the last', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 2, max: 200 }), (n, max) => {
        const k = thinCycles(n, max);
        expect(k.length).toBe(Math.min(n, max));
        if (n > 0) expect([k[0], k.at(-1)]).toEqual([0, n - 1]);
        for (let j = 1; j < k.length; j++) expect(k[j]!).toBeGreaterThan(k[j - 1]!);
      }),
    );
  });

  it('colours cycles along viridis and takes retention from the reads', () => {
    expect(cycleColor(0)).toBe('rgb(68, 1, 84)');
    expect(cycleColor(1)).toBe('rgb(181, 222, 43)');
    const s = { length: 4, t: [0, 1, 10, 100], v: [2, 0.1, 0.1, 0.1], i: [1e-3, 1e-5, 1e-5, 1e-5], g: [0, 1e-4, 9e-5, 8e-5], kind: [1, 0, 0, 0], block: [0, 1, 1, 1] };
    expect(retention(s)).toEqual({ t: Float64Array.from([1, 10, 100]), g: Float64Array.from([1e-4, 9e-5, 8e-5]) });
    expect(retention({ ...s, length: 3 })).toBeNull();
  });
});
