import { formatPercent, formatSI, parseQuantity, type UnitSymbol } from '../../../shared/units';

/** How a unit-aware field reads and writes its value. */
export interface QuantitySpec {
  unit: UnitSymbol;
  /** 'ratio': shown as a percentage; 'count': a whole number without separators. */
  kind?: 'si' | 'ratio' | 'count';
}

export type FieldCheck = { ok: true; value: number } | { ok: false; message: string };

/** The shortest SI text that parses back to exactly `value` ('5 V', '1 mA', '1.23456 V'). */
export function exactText(value: number, spec: QuantitySpec): string {
  if (spec.kind === 'count') return String(value);
  if (spec.kind === 'ratio') {
    const pct = formatPercent(value);
    const back = parseQuantity(pct, '');
    return back.ok && back.value === value ? pct : String(value);
  }
  for (let digits = 1; digits <= 17; digits++) {
    const fixed = formatSI(value, spec.unit, { digits });
    const text = fixed.replace(/^(-?\d+\.\d*?)0+(?=\s|e|$)/, '$1').replace(/\.(?=\s|e|$)/, '');
    const back = parseQuantity(text, spec.unit);
    if (back.ok && back.value === value) return text;
  }
  return `${value} ${spec.unit}`.trim();
}

/** Reads a field's text: the unit parse first, then `check` (the setting's own rule), as one sentence. */
export function readField(text: string, spec: QuantitySpec, check: (value: number) => string | null): FieldCheck {
  if (text.trim() === '') return { ok: false, message: 'needs a value' };
  const parsed = parseQuantity(text, spec.unit);
  if (!parsed.ok) return { ok: false, message: parsed.message };
  if (spec.kind === 'count' && !Number.isInteger(parsed.value)) return { ok: false, message: `must be a whole number, got ${parsed.value}` };
  const problem = check(parsed.value);
  return problem === null ? { ok: true, value: parsed.value } : { ok: false, message: problem };
}
