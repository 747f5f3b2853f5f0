import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatCount, formatDeltaG, formatDuration, formatPercent, formatSI } from '../../../shared/units';

describe('formatSI', () => {
  it.each([
    [0.00001, 'S', undefined, '10 µS'],
    [2, 'V', 3, '2.00 V'],
    [2, 'V', undefined, '2 V'],
    [-0.5, 'V', undefined, '-500 mV'],
    [0.1, 's', undefined, '100 ms'],
    [1 / 3, 's', undefined, '333.3 ms'],
    [1 / 3, 's', 2, '330 ms'],
    [999.96, 's', undefined, '1 ks'],
    [999.96, 'Hz', 6, '999.960 Hz'],
    [12_345_678, 'Hz', undefined, '12.35 MHz'],
    [1e-3, 'A', undefined, '1 mA'],
    [0, 'V', undefined, '0 V'],
    [-0, 'V', undefined, '0 V'],
    [0, 'V', 3, '0.00 V'],
    [1.5e-18, 'S', undefined, '1.5e-18 S'],
    [2e15, 'Hz', undefined, '2e15 Hz'],
    [0.01, '', undefined, '10 m'],
    [5, '', undefined, '5'],
    [1, 'V', 1, '1 V'],
    [10, 'V', 1, '10 V'],
  ] as const)('formatSI(%d, %s, digits %s) → %s', (value, unit, digits, text) => {
    expect(formatSI(value, unit, digits === undefined ? {} : { digits })).toBe(text);
  });

  it('writes non-finite values without throwing', () => {
    expect(formatSI(Number.NaN, 'V')).toBe('NaN V');
    expect(formatSI(Number.POSITIVE_INFINITY, 's')).toBe('Infinity s');
  });
});

describe('formatCount, formatPercent, formatDuration', () => {
  it('groups thousands', () => {
    expect(formatCount(1_000_000)).toBe('1,000,000');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(-12345)).toBe('-12,345');
  });

  it('writes ratios as percentages', () => {
    expect(formatPercent(0.5)).toBe('50 %');
    expect(formatPercent(2 / 3)).toBe('66.7 %');
  });

  it('writes long durations in minutes and hours', () => {
    expect(formatDuration(100)).toBe('100 s');
    expect(formatDuration(700)).toBe('11 min 40 s');
    expect(formatDuration(600)).toBe('10 min');
    expect(formatDuration(9380)).toBe('2 h 36 min');
    expect(formatDuration(0.01)).toBe('10 ms');
  });
});

describe('formatDeltaG', () => {
  it('writes ΔG in per cent up to ±1000 %, and as the ratio of the last G to the first past it (#19: forming showed +1e6 %)', () => {
    expect(formatDeltaG(-98.104)).toBe('-98.1 %');
    expect(formatDeltaG(-98.104, { decimals: 2 })).toBe('-98.10 %');
    expect(formatDeltaG(12.5, { decimals: 2, sign: true })).toBe('+12.50 %');
    expect(formatDeltaG(1000)).toBe('1000.0 %');
    expect(formatDeltaG(2000)).toBe('×21');
    expect(formatDeltaG(1e6)).toBe('×1.0·10⁴');
    expect(formatDeltaG((3.2e4 - 1) * 100, { sign: true })).toBe('×3.2·10⁴');
    expect(formatDeltaG(99_900)).toBe('×1.0·10³');
    expect(formatDeltaG(1e14)).toBe('×1.0·10¹²');
    expect(formatDeltaG(Number.NaN)).toBe('—');
  });

  it('never writes an exponent in e-notation nor more than ten characters for a G that can happen (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -100, max: 1e15, noNaN: true }), (percent) => {
        const text = formatDeltaG(percent);
        expect(text).not.toMatch(/e/);
        expect(text.length).toBeLessThanOrEqual(10);
        if (text.startsWith('×')) expect(Math.abs(percent)).toBeGreaterThan(1000);
      }),
    );
  });
});
