/**
 * What an instrument driver can make, stated by the driver and carried by the contract: the
 * shortest and longest pulse, the source and measure ranges, whether it sweeps in hardware, how
 * it makes a pulse, and the transports it is reached over. The run-time program check refuses a
 * protocol outside them before a byte is sent; the Live page (and any editor) show them and
 * narrow the workbench's limits to them with `limitsWithin`.
 */
import { formatSI } from '../units';
import type { DriverName } from './drivers';
import type { ResourceKind } from './resource';

/** How a pulse is made: a native pulse mode, a one-point list sweep with auto output-off, the output switched around a measurement, a script function, or the board's own command. */
export type PulseMethod = 'pulse-mode' | 'list-sweep' | 'output-switched' | 'script' | 'board';

export interface DriverCapabilities {
  /** Shortest pulse (s); null when the driver knows no minimum. */
  minPulseWidth: number | null;
  /** Longest pulse (s); null when the driver knows no maximum. */
  maxPulseWidth: number | null;
  /** Source voltage ranges (V), ascending; the last is the largest |V| it can source. */
  voltageRanges: number[];
  /** Current measure and limit ranges (A), ascending; the last is the largest compliance. */
  currentRanges: number[];
  /** Whether it runs list or linear sweeps in hardware (a sweep block could become one command). */
  sweep: boolean;
  pulse: PulseMethod;
  /** 'SCPI', 'TSP', or the workbench's pulse-board line protocol. */
  commandSet: string;
  /** The transports this instrument has (what a resource string may name for it). */
  transports: ResourceKind[];
  /** What the user must set on the instrument, or null. */
  note: string | null;
}

export interface DriverDescription {
  name: DriverName;
  title: string;
  capabilities: DriverCapabilities;
}

/** The largest |V| the instrument can source (its largest range), or null when it states none. */
export function maxSourceVoltage(c: DriverCapabilities): number | null {
  return c.voltageRanges.length > 0 ? c.voltageRanges[c.voltageRanges.length - 1]! : null;
}

export function maxCurrent(c: DriverCapabilities): number | null {
  return c.currentRanges.length > 0 ? c.currentRanges[c.currentRanges.length - 1]! : null;
}

/**
 * The workbench's limits narrowed to what the instrument can make: max |V| no larger than its
 * largest source range, compliance no larger than its largest current range, max width no longer
 * than its longest pulse; and the shortest pulse it can make.
 */
export function limitsWithin<L extends { maxVoltage: number; compliance: number; maxWidth: number }>(limits: L, c: DriverCapabilities): L & { minWidth: number | null } {
  const v = maxSourceVoltage(c);
  const i = maxCurrent(c);
  return {
    ...limits,
    maxVoltage: v === null ? limits.maxVoltage : Math.min(limits.maxVoltage, v),
    compliance: i === null ? limits.compliance : Math.min(limits.compliance, i),
    maxWidth: c.maxPulseWidth === null ? limits.maxWidth : Math.min(limits.maxWidth, c.maxPulseWidth),
    minWidth: c.minPulseWidth,
  };
}

/** Why the instrument cannot make this pulse (its ranges and widths), in a sentence, or null. */
export function pulseBeyondCapabilities(amplitude: number, width: number, c: DriverCapabilities, title: string): string | null {
  const v = maxSourceVoltage(c);
  if (v !== null && Math.abs(amplitude) > v) return `refused a pulse of ${formatSI(amplitude, 'V')}: a ${title} sources at most ${formatSI(v, 'V')}`;
  if (c.minPulseWidth !== null && width < c.minPulseWidth * (1 - 1e-9)) {
    return `refused a pulse of width ${formatSI(width, 's')}: a ${title} cannot make a pulse shorter than ${formatSI(c.minPulseWidth, 's')}`;
  }
  if (c.maxPulseWidth !== null && width > c.maxPulseWidth * (1 + 1e-9)) {
    return `refused a pulse of width ${formatSI(width, 's')}: a ${title} cannot make a pulse longer than ${formatSI(c.maxPulseWidth, 's')}`;
  }
  return null;
}

/** Why the instrument cannot read at this voltage, or null. */
export function readBeyondCapabilities(voltage: number, c: DriverCapabilities, title: string): string | null {
  const v = maxSourceVoltage(c);
  return v !== null && Math.abs(voltage) > v ? `refused a read at ${formatSI(voltage, 'V')}: a ${title} sources at most ${formatSI(v, 'V')}` : null;
}

/** Why the instrument cannot hold a sweep step's current compliance (its largest current range), or null. */
export function complianceBeyondCapabilities(compliance: number, c: DriverCapabilities, title: string): string | null {
  const i = maxCurrent(c);
  return i !== null && compliance > i * (1 + 1e-9) ? `refused a compliance of ${formatSI(compliance, 'A')}: a ${title} limits the current to at most ${formatSI(i, 'A')}` : null;
}
