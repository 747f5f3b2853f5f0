import { describe, expect, it } from 'vitest';
import { parseQuantity, type UnitSymbol } from '../../../shared/units';

const ok = (text: string, unit: UnitSymbol): number => {
  const r = parseQuantity(text, unit);
  if (!r.ok) throw new Error(`'${text}' did not parse: ${r.message}`);
  return r.value;
};

describe('parseQuantity', () => {
  it.each([
    ['10u', '', 1e-5],
    ['1.5 V', 'V', 1.5],
    ['100 ms', 's', 0.1],
    ['10 kHz', 'Hz', 10_000],
    ['2V', 'V', 2],
    ['-0.5 V', 'V', -0.5],
    ['−0.5 V', 'V', -0.5],
    ['+3 V', 'V', 3],
    ['1e-3 s', 's', 1e-3],
    ['1E3 ms', 's', 1],
    ['10 µS', 'S', 1e-5],
    ['10 μS', 'S', 1e-5],
    ['10 uS', 'S', 1e-5],
    ['600 s', 's', 600],
    ['1 min', 's', 60],
    ['2 h', 's', 7200],
    ['1.5 sec', 's', 1.5],
    ['.5 V', 'V', 0.5],
    ['5. mV', 'V', 0.005],
    ['10m', 's', 0.01],
    ['0.01', 's', 0.01],
    ['  7 V  ', 'V', 7],
    ['10\u00a0kHz', 'Hz', 10_000],
    ['100 kΩ', 'Ω', 100_000],
    ['100 kohm', 'Ω', 100_000],
    ['1 mA', 'A', 1e-3],
    ['50 %', '', 0.5],
    ['50%', '', 0.5],
    ['10K', '', 10_000],
    ['1 MHz', 'Hz', 1e6],
  ] as const)('reads %s as %s → %d', (text, unit, value) => {
    expect(ok(text, unit)).toBe(value);
  });

  it('converts "10u" exactly, not as 10 × 1e-6', () => {
    expect(ok('10u', '')).toBe(0.00001);
    expect(ok('3 ms', 's')).toBe(0.003);
    expect(ok('70 %', '')).toBe(0.7);
  });

  it("distinguishes 'm' (milli) from 'M' (mega) and 'min' (minutes)", () => {
    expect(ok('1 ms', 's')).toBe(0.001);
    expect(ok('1 Ms', 's')).toBe(1e6);
    expect(ok('1 min', 's')).toBe(60);
  });

  it('answers garbage with a sentence naming what was expected and what was given', () => {
    expect(parseQuantity('abc', 's')).toEqual({ ok: false, message: "expected a time such as '10 ms', got 'abc'" });
    expect(parseQuantity('', 'V')).toEqual({ ok: false, message: "expected a voltage such as '1.5 V', got ''" });
  });

  it('says which quantity a wrong unit belongs to', () => {
    const wrong = parseQuantity('10 V', 's');
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.message).toBe("expected a time such as '10 ms', got '10 V' (that is a voltage)");
  });

  it('tells seconds and siemens apart by case, and says so', () => {
    const a = parseQuantity('10 mS', 's');
    const b = parseQuantity('10 ms', 'S');
    expect(a.ok || b.ok).toBe(false);
    if (!a.ok) expect(a.message).toContain('seconds are a lowercase s');
    if (!b.ok) expect(b.message).toContain('siemens is a capital S');
  });

  it('suggests writing a period when a frequency is given for a time', () => {
    const r = parseQuantity('1 Hz', 's');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain("write the period, e.g. '1 s' for 1 Hz");
  });

  it('hints at a decimal comma', () => {
    const r = parseQuantity('1,5 V', 'V');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('decimal point');
  });

  it('rejects values that overflow, prefixes on minutes, and trailing junk', () => {
    expect(parseQuantity('1e400 V', 'V').ok).toBe(false);
    expect(parseQuantity('1 kmin', 's').ok).toBe(false);
    expect(parseQuantity('1 V extra', 'V').ok).toBe(false);
    expect(parseQuantity('1 2 V', 'V').ok).toBe(false);
    expect(parseQuantity('Infinity', '').ok).toBe(false);
    expect(parseQuantity('NaN V', 'V').ok).toBe(false);
    expect(parseQuantity('--1 V', 'V').ok).toBe(false);
  });

  it('shortens a long echoed input', () => {
    const r = parseQuantity('x'.repeat(500), 's');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message.length).toBeLessThan(120);
  });

  it('answers a non-string at run time instead of throwing', () => {
    const r = parseQuantity(42 as unknown as string, 'V');
    expect(r.ok).toBe(false);
  });
});
