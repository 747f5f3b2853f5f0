import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseQuantity } from '../../../shared/units';
import { axisUnit, engineeringTick, logAxis, logTickLabel, siHeader } from '../../../renderer/components/charts/ticks';

describe('log-axis tick labels', () => {
  it('label 1, 2 and 5 of each decade on an axis spanning decades, and nothing else', () => {
    // An HRS/LRS axis from 1250 Ω to 66 kΩ: chart.js ticks at its bounds and at every 1…9 between.
    const ticks = [1250, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000, 20000, 30000, 40000, 50000, 60000, 66000];
    const labels = ticks.map((v) => logTickLabel(v, 1250, 66000, 'Ω')).filter((l) => l !== '');
    expect(labels).toEqual(['2 kΩ', '5 kΩ', '10 kΩ', '20 kΩ', '50 kΩ']);
    // The cycle axis of a 100-cycle run, from 0.833: no label at the bound, none crowding "1".
    expect([0.833, 1, 2, 3, 5, 8, 10, 20, 50, 100, 120].map((v) => logTickLabel(v, 0.833, 120)).filter(Boolean)).toEqual(['1', '2', '5', '10', '20', '50', '100']);
    expect([1000, 2000, 5000, 10000].map((v) => logTickLabel(v, 1000, 10000))).toEqual(['1k', '2k', '5k', '10k']);
  });

  it('label every whole significand where 1, 2 and 5 would leave fewer than three labels', () => {
    expect([3.3e4, 4e4, 5e4, 6e4, 6.6e4].map((v) => logTickLabel(v, 3.3e4, 6.6e4, 'Ω')).filter(Boolean)).toEqual(['40 kΩ', '50 kΩ', '60 kΩ']);
    // The cycle axis of a 5-cycle run, 0.833 … 6: 1, 2 and 5 are enough, and 0.9 stays unlabelled beside 1.
    expect([0.833, 0.9, 1, 2, 3, 4, 5, 6].map((v) => logTickLabel(v, 0.833, 6)).filter(Boolean)).toEqual(['1', '2', '5']);
  });

  it('label only the powers of ten on an axis spanning more than four decades (log|I|)', () => {
    expect([1e-12, 2e-12, 5e-12, 1e-9, 2e-9, 1e-6, 5e-6, 1e-3].map((v) => logTickLabel(v, 1e-12, 1e-3, 'A')).filter(Boolean)).toEqual(['1 pA', '1 nA', '1 µA', '1 mA']);
  });

  it('write every label of a current axis the same way, with an SI prefix (#19: "1e-6" beside "0.000002")', () => {
    // A read current between 0.7 µA and 6 µA, shown in µA (scale 1e6): chart.js's ticks, in display units.
    const axis = logAxis('Current I (µA)', 1e6);
    expect(axis.title).toBe('Current I (A)');
    const shown = [0.7, 0.8, 0.9, 1, 2, 3, 4, 5, 6].map((v) => axis.tick(v, 0.7, 6)).filter(Boolean);
    expect(shown).toEqual(['1 µA', '2 µA', '5 µA']);
    // Across decades, from 70 nA to 1 µA: one format, the prefix changing with the decade.
    const wide = [0.07, 0.1, 0.2, 0.5, 1].map((v) => axis.tick(v, 0.07, 1)).filter(Boolean);
    expect(wide).toEqual(['100 nA', '200 nA', '500 nA', '1 µA']);
    for (const label of [...shown, ...wide]) expect(label).toMatch(/^\d+ [nµ]A$/);
    // A title without a unit we know keeps its words; its ticks are plain numbers.
    expect(logAxis('Episode length (steps)').title).toBe('Episode length (steps)');
    expect(axisUnit('Conductance G (µS)')).toBe('S');
    expect(axisUnit('Resistance R = |V/I| (Ω)')).toBe('Ω');
    expect(axisUnit('Cycle n')).toBe('');
    expect(siHeader('Conductance G (µS)')).toBe('Conductance G (S)');
  });

  it('label a round value however log10 rounds it, one format for all, and never a value that is not round (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -12, max: 12 }), fc.constantFrom(1, 2, 5), fc.constantFrom('A', 'S', 'Ω'), (e, m, unit) => {
        const v = Number(`${m}e${e}`);
        const label = logTickLabel(v, v / 10, v * 10, unit);
        expect(label).toBe(engineeringTick(v, unit));
        expect(label).toMatch(new RegExp(`^${m}0{0,2} [pnµmkMGT]?${unit}$`));
      }),
    );
    fc.assert(
      fc.property(fc.double({ min: 1e-9, max: 1e9, noNaN: true }), (v) => {
        const label = logTickLabel(v, 1e-10, 1e10, 'S');
        if (label === '') return;
        const back = parseQuantity(label, 'S');
        expect(back.ok).toBe(true);
        if (back.ok) expect(back.value).toBeCloseTo(v, 6 - Math.floor(Math.log10(v)));
      }),
    );
    expect(logTickLabel(0, 1, 10)).toBe('');
    expect(logTickLabel(-1, 1, 10)).toBe('');
  });
});
