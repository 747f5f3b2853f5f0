import { formatCount, formatPercent, formatSI, type UnitSymbol } from '../units';

/**
 * Safety limits. Every compiled program respects them, the interpreter re-checks them before it
 * yields an operation, and an instrument driver mirrors them to the instrument's own protections.
 */
export interface SafetyLimits {
  /** Largest |V| of any pulse or read (V). */
  maxVoltage: number;
  /** Compliance current (A): for the instrument to set before the output goes on. */
  compliance: number;
  /** Longest pulse (s). */
  maxWidth: number;
  /** Largest width/period of a train or ramp (0–1). */
  maxDutyCycle: number;
  /** Most pulses one protocol may apply (an upper bound when an `until` may stop early). */
  maxPulses: number;
  /** Most reads one protocol may take; keeps runs and their archives a sane size. */
  maxReads: number;
}

export type LimitName = keyof SafetyLimits;

/** Ours, chosen for thin-film devices on a benchtop SMU; Settings may change them. */
export const DEFAULT_LIMITS: Readonly<SafetyLimits> = Object.freeze({
  maxVoltage: 5,
  compliance: 1e-3,
  maxWidth: 1,
  maxDutyCycle: 0.5,
  maxPulses: 1_000_000,
  maxReads: 10_000_000,
});

type LimitUnit = UnitSymbol | 'ratio' | 'count';

export const LIMIT_INFO: Readonly<Record<LimitName, { title: string; unit: LimitUnit }>> = {
  maxVoltage: { title: 'max |V|', unit: 'V' },
  compliance: { title: 'compliance current', unit: 'A' },
  maxWidth: { title: 'max width', unit: 's' },
  maxDutyCycle: { title: 'max duty cycle', unit: 'ratio' },
  maxPulses: { title: 'max pulse count', unit: 'count' },
  maxReads: { title: 'max read count', unit: 'count' },
};

export const LIMIT_NAMES = Object.keys(LIMIT_INFO) as LimitName[];

export function formatLimit(name: LimitName, value: number): string {
  const { unit } = LIMIT_INFO[name];
  if (unit === 'ratio') return formatPercent(value);
  if (unit === 'count') return formatCount(value);
  return formatSI(value, unit);
}

/** "the limit of 3 V (max |V|)", the tail of every limit message. */
export function describeLimit(name: LimitName, value: number): string {
  return `the limit of ${formatLimit(name, value)} (${LIMIT_INFO[name].title})`;
}

/**
 * The workbench's limits: DEFAULT_LIMITS with the given values over them. Values that are not
 * positive finite numbers are ignored rather than trusted, since they come from settings files.
 */
export function workbenchLimits(overrides: Partial<SafetyLimits> = {}): SafetyLimits {
  const out: SafetyLimits = { ...DEFAULT_LIMITS };
  for (const name of LIMIT_NAMES) {
    const v = (overrides as Record<string, unknown>)[name];
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) out[name] = name === 'maxDutyCycle' ? Math.min(1, v) : v;
  }
  return out;
}
