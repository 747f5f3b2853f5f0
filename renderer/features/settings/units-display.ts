import type { UnitsDisplay } from '../../../shared/contract/areas/settings';
import { formatSI } from '../../../shared/units';

/**
 * A value as Settings → Units display asks: with an SI prefix ('10.00 µS') or in exponent form
 * ('1.000e-5 S'), to the chosen significant figures. For readouts and tables.
 */
export function formatQuantity(value: number, unit: string, display: UnitsDisplay): string {
  if (display.prefixes) return formatSI(value, unit, { digits: display.digits });
  if (!Number.isFinite(value)) return unit ? `${value} ${unit}` : String(value);
  const text = value.toExponential(Math.max(0, display.digits - 1));
  return unit ? `${text} ${unit}` : text;
}
