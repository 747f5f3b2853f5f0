import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSI, parseQuantity, UNIT_SYMBOLS, type UnitSymbol } from '../../../shared/units';

const unit = fc.constantFrom<UnitSymbol>(...UNIT_SYMBOLS);
// Up to 1e300: near the top of the double range, rounding to fewer digits overflows ("2e308"),
// which is not a value anyone measures.
const finite = fc.double({ min: -1e300, max: 1e300, noNaN: true });

/** Relative error allowed after rounding to `digits` significant figures (half a unit in the last place). */
const tolerance = (digits: number): number => 0.5 * 10 ** (1 - digits) * (1 + 1e-12);

function roundTrips(value: number, u: UnitSymbol, digits: number | undefined): void {
  const text = formatSI(value, u, digits === undefined ? {} : { digits });
  const parsed = parseQuantity(text, u);
  if (!parsed.ok) throw new Error(`'${text}' did not parse back: ${parsed.message}`);
  const error = Math.abs(parsed.value - value);
  // Subnormal doubles carry fewer significant digits than any text asks for.
  expect(error, `${value} → '${text}' → ${parsed.value}`).toBeLessThanOrEqual(tolerance(digits ?? 4) * Math.abs(value) + 1e-300);
}

describe('units properties', () => {
  it('format → parse round-trips within rounding, default digits', () => {
    fc.assert(fc.property(finite, unit, (v, u) => roundTrips(v, u, undefined)), { numRuns: 2000 });
  });

  it('format → parse round-trips within rounding, chosen digits', () => {
    fc.assert(fc.property(finite, unit, fc.integer({ min: 1, max: 15 }), (v, u, d) => roundTrips(v, u, d)), { numRuns: 2000 });
  });

  it('fifteen significant digits keep values to 1e-14', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 1e12, noNaN: true }), unit, (v, u) => {
        const parsed = parseQuantity(formatSI(v, u, { digits: 15 }), u);
        expect(parsed.ok && Math.abs(parsed.value - v) <= 1e-14 * Math.abs(v)).toBe(true);
      }),
    );
  });

  const fragments = fc.constantFrom('1', '0', '.', 'e', 'E', '-', '+', '−', ' ', 'µ', 'μ', 'u', 'm', 'M', 'k', 'V', 's', 'S', 'Hz', 'min', '%', 'Ω', ',', '1e999', '\u00a0');
  const nearMisses = fc.array(fragments, { maxLength: 8 }).map((parts) => parts.join(''));

  it('never throws on random strings, and always answers with a value or a sentence', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), nearMisses), unit, (text, u) => {
        const r = parseQuantity(text, u);
        if (r.ok) expect(Number.isFinite(r.value)).toBe(true);
        else expect(r.message).toMatch(/^expected .+, got '|is too large/u);
      }),
      { numRuns: 3000 },
    );
  });
});
