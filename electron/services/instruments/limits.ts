import { DEFAULT_LIMITS, type SafetyLimits } from '../../../shared/protocol/limits';
import { formatSI } from '../../../shared/units';
import { InstrumentError } from './errors';

/**
 * The safety limits an instrument enforces. They are checked here before any byte of an operation
 * is sent, and mirrored to the instrument's own protections (compliance, over-voltage) when it is
 * configured, so a bug above this layer still cannot exceed them.
 */
export interface InstrumentLimits {
  /** Largest |V| of any pulse or read (V). */
  maxVoltage: number;
  /** Compliance current during pulses (A); set on the instrument before its output goes on. */
  compliance: number;
  /** Longest pulse (s). */
  maxWidth: number;
  /**
   * Compliance current during reads (A). Reads are at small voltages, so a lab may want a tighter
   * limit there; defaults to `compliance`.
   */
  readCompliance?: number;
}

/** Ours (SCIENCE.md and shared/protocol): 5 V, 1 mA, 1 s. */
export const DEFAULT_INSTRUMENT_LIMITS: Readonly<Required<InstrumentLimits>> = Object.freeze({
  maxVoltage: DEFAULT_LIMITS.maxVoltage,
  compliance: DEFAULT_LIMITS.compliance,
  maxWidth: DEFAULT_LIMITS.maxWidth,
  readCompliance: DEFAULT_LIMITS.compliance,
});

/** The part of the workbench's limits (Settings) an instrument enforces and mirrors to its protections. */
export function instrumentLimitsFrom(limits: SafetyLimits): Partial<InstrumentLimits> {
  return { maxVoltage: limits.maxVoltage, compliance: limits.compliance, maxWidth: limits.maxWidth };
}

/** Defaults with the given values over them; anything not a positive finite number is refused. */
export function resolveLimits(given: Partial<InstrumentLimits> = {}): Required<InstrumentLimits> {
  const out = { ...DEFAULT_INSTRUMENT_LIMITS, readCompliance: given.readCompliance ?? given.compliance ?? DEFAULT_INSTRUMENT_LIMITS.compliance };
  for (const key of ['maxVoltage', 'compliance', 'maxWidth', 'readCompliance'] as const) {
    const v = given[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      throw new InstrumentError('unsafe', `the limit ${key} must be a positive number (got ${String(v)})`);
    }
    out[key] = v;
  }
  return out;
}

/** Refuses a pulse outside the limits (or with a non-finite value) before anything is sent. */
export function assertPulseSafe(amplitude: number, width: number, limits: Required<InstrumentLimits>): void {
  if (!Number.isFinite(amplitude) || !Number.isFinite(width)) {
    throw new InstrumentError('unsafe', `refused a pulse of ${amplitude} V, ${width} s: amplitude and width must be finite numbers`);
  }
  if (!(width > 0)) throw new InstrumentError('unsafe', `refused a pulse of width ${formatSI(width, 's')}: the width must be positive`);
  if (Math.abs(amplitude) > limits.maxVoltage) {
    throw new InstrumentError(
      'unsafe',
      `refused a pulse of ${formatSI(amplitude, 'V')}: it exceeds the limit of ${formatSI(limits.maxVoltage, 'V')} (max |V|)`,
    );
  }
  if (width > limits.maxWidth) {
    throw new InstrumentError(
      'unsafe',
      `refused a pulse of width ${formatSI(width, 's')}: it exceeds the limit of ${formatSI(limits.maxWidth, 's')} (max width)`,
    );
  }
}

export function assertReadSafe(voltage: number, limits: Required<InstrumentLimits>): void {
  if (!Number.isFinite(voltage)) throw new InstrumentError('unsafe', `refused a read at ${voltage} V: the voltage must be a finite number`);
  if (voltage === 0) throw new InstrumentError('unsafe', 'refused a read at 0 V: a conductance needs a non-zero read voltage');
  if (Math.abs(voltage) > limits.maxVoltage) {
    throw new InstrumentError(
      'unsafe',
      `refused a read at ${formatSI(voltage, 'V')}: it exceeds the limit of ${formatSI(limits.maxVoltage, 'V')} (max |V|)`,
    );
  }
}

/**
 * Refuses a sweep step's compliance before anything is sent: a positive, finite current within the
 * compliance limit (Settings, mirrored to the instrument). A compliance of 0 would leave no current
 * to measure; one above the limit would let the source drive more than the lab allows.
 */
export function assertComplianceSafe(compliance: number, limits: Required<InstrumentLimits>): void {
  if (!Number.isFinite(compliance) || !(compliance > 0)) {
    throw new InstrumentError('unsafe', `refused a compliance of ${Number.isFinite(compliance) ? formatSI(compliance, 'A') : String(compliance)}: a sweep step's compliance must be a positive current`);
  }
  if (compliance > limits.compliance * (1 + 1e-9)) {
    throw new InstrumentError(
      'unsafe',
      `refused a compliance of ${formatSI(compliance, 'A')}: it exceeds the limit of ${formatSI(limits.compliance, 'A')} (compliance current)`,
    );
  }
}
