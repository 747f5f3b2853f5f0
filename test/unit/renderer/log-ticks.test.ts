import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTick, logTickLabel } from '../../../renderer/features/analysis/ticks';

describe('log-axis tick labels', () => {
  it('label 1, 2 and 5 of each decade on an axis spanning decades, and nothing else', () => {
    // An HRS/LRS axis from 1250 Ω to 66 kΩ: chart.js ticks at its bounds and at every 1…9 between.
    const ticks = [1250, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000, 20000, 30000, 40000, 50000, 60000, 66000];
    const labels = ticks.map((v) => logTickLabel(v, 1250, 66000)).filter((l) => l !== '');
    expect(labels).toEqual(['2000', '5000', '1e4', '2e4', '5e4']);
    // The cycle axis of a 100-cycle run, from 0.833: no label at the bound, none crowding "1".
    expect([0.833, 1, 2, 3, 5, 8, 10, 20, 50, 100, 120].map((v) => logTickLabel(v, 0.833, 120)).filter(Boolean)).toEqual(['1', '2', '5', '10', '20', '50', '100']);
  });

  it('label every whole significand where 1, 2 and 5 would leave fewer than three labels', () => {
    expect([3.3e4, 4e4, 5e4, 6e4, 6.6e4].map((v) => logTickLabel(v, 3.3e4, 6.6e4)).filter(Boolean)).toEqual(['4e4', '5e4', '6e4']);
    // The cycle axis of a 5-cycle run, 0.833 … 6: 1, 2 and 5 are enough, and 0.9 stays unlabelled beside 1.
    expect([0.833, 0.9, 1, 2, 3, 4, 5, 6].map((v) => logTickLabel(v, 0.833, 6)).filter(Boolean)).toEqual(['1', '2', '5']);
  });

  it('label only the powers of ten on an axis spanning more than four decades (log|I|)', () => {
    expect([1e-12, 2e-12, 5e-12, 1e-9, 2e-9, 1e-6, 5e-6, 1e-3].map((v) => logTickLabel(v, 1e-12, 1e-3)).filter(Boolean)).toEqual(['1e-12', '1e-9', '1e-6', '1e-3']);
  });

  it('label a power of ten however log10 rounds it, and never a value that is not round', () => {
    fc.assert(
      fc.property(fc.integer({ min: -12, max: 12 }), fc.constantFrom(1, 2, 5), (e, m) => {
        const v = Number(`${m}e${e}`);
        expect(logTickLabel(v, v / 10, v * 10)).toBe(formatTick(v));
      }),
    );
    fc.assert(
      fc.property(fc.double({ min: 1e-9, max: 1e9, noNaN: true }), (v) => {
        const label = logTickLabel(v, 1e-10, 1e10);
        if (label !== '') expect(Number(label.replace('−', '-'))).toBeCloseTo(v, 6 - Math.floor(Math.log10(v)));
      }),
    );
    expect(logTickLabel(0, 1, 10)).toBe('');
    expect(logTickLabel(-1, 1, 10)).toBe('');
  });
});
