export { parseQuantity, type ParseResult } from './parse';
export { formatSI, formatCount, formatPercent, formatDuration, formatDeltaG, DELTA_G_RATIO_ABOVE_PERCENT, type FormatOptions } from './format';
export { UNITS, UNIT_SYMBOLS, isUnitSymbol, describeExpected, type UnitSymbol, type UnitInfo, type Scale } from './units';
export { FORMAT_PREFIXES, prefixExponent, powerOfTen, type Prefix } from './prefixes';
