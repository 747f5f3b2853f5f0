/**
 * The units the workbench reads and writes, with the words a message needs to ask for one.
 * '' is a plain number (a ratio or a factor), which also accepts a percentage ("50 %").
 */
export type UnitSymbol = 'V' | 'A' | 's' | 'S' | 'Hz' | 'Ω' | 'J' | 'W' | 'V/s' | '';

export interface UnitInfo {
  readonly symbol: UnitSymbol;
  /** What the unit measures, for messages: "a time", "a voltage". */
  readonly described: string;
  /** A typical value as a user would type it. */
  readonly example: string;
  /** Spellings that take an SI prefix ("ms", "kHz"). */
  readonly prefixable: readonly string[];
  /** Spellings that take no prefix, with their scale to the SI base unit. */
  readonly plain: Readonly<Record<string, Scale>>;
}

/** value × 10^exponent × factor; powers of ten go in the exponent so that "70 %" is exactly 0.7. */
export interface Scale {
  readonly exponent: number;
  readonly factor: number;
}

export const UNITS: Readonly<Record<UnitSymbol, UnitInfo>> = {
  V: { symbol: 'V', described: 'a voltage', example: '1.5 V', prefixable: ['V', 'v'], plain: {} },
  A: { symbol: 'A', described: 'a current', example: '1 mA', prefixable: ['A'], plain: {} },
  // Minutes and hours because relaxation runs last hundreds of seconds; bare 'm' stays milli.
  s: { symbol: 's', described: 'a time', example: '10 ms', prefixable: ['s'], plain: { sec: { exponent: 0, factor: 1 }, min: { exponent: 0, factor: 60 }, h: { exponent: 0, factor: 3600 } } },
  S: { symbol: 'S', described: 'a conductance', example: '10 µS', prefixable: ['S'], plain: {} },
  Hz: { symbol: 'Hz', described: 'a frequency', example: '10 kHz', prefixable: ['Hz', 'hz', 'HZ'], plain: {} },
  'Ω': { symbol: 'Ω', described: 'a resistance', example: '100 kΩ', prefixable: ['Ω', '\u2126', 'ohm', 'Ohm'], plain: {} },
  J: { symbol: 'J', described: 'an energy', example: '2 µJ', prefixable: ['J'], plain: {} },
  W: { symbol: 'W', described: 'a power', example: '1 mW', prefixable: ['W'], plain: {} },
  // The sweep rate of an I–V sweep; "100 mV/s" reads as 0.1 V/s.
  'V/s': { symbol: 'V/s', described: 'a sweep rate', example: '1 V/s', prefixable: ['V/s', 'v/s'], plain: {} },
  '': { symbol: '', described: 'a number', example: '0.5', prefixable: [], plain: { '%': { exponent: -2, factor: 1 } } },
};

export const UNIT_SYMBOLS = Object.keys(UNITS) as UnitSymbol[];

export function isUnitSymbol(x: unknown): x is UnitSymbol {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(UNITS, x);
}

/** "a time such as '10 ms'", the phrase messages use to ask for a value of this unit. */
export function describeExpected(unit: UnitSymbol): string {
  const info = UNITS[unit];
  return unit === '' ? `${info.described} such as '0.5' or '50 %'` : `${info.described} such as '${info.example}'`;
}
