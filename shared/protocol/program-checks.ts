/**
 * The checks the interpreter makes of a compiled program before it runs anything (its shape and
 * limits) and of each pulse and sweep step as it goes: a program is data, and a hand-made or
 * tampered one must fail here, not at the instrument.
 */
import { PROTOCOL_BOUNDS } from '../contract/limits';
import { formatCount, formatPercent, formatSI } from '../units';
import { exceeds, TOLERANCE } from './defaults';
import { describeLimit, LIMIT_NAMES, type LimitName } from './limits';
import type { Program } from './program';

/** The program asked for something its own limits forbid (a hand-made or tampered program). */
export class SafetyLimitError extends Error {
  override readonly name = 'SafetyLimitError';
}

/** The program is not one the compiler could have produced. */
export class ProgramError extends Error {
  override readonly name = 'ProgramError';
}

/** A program without proper limits would pass every check below (x > NaN is false): refuse it. */
export function checkShape(program: Program): void {
  if (typeof program !== 'object' || program === null || !Array.isArray(program.instructions)) throw new ProgramError('not a compiled program');
  const limits: Partial<Record<LimitName, unknown>> = typeof program.limits === 'object' && program.limits !== null ? program.limits : {};
  for (const name of LIMIT_NAMES) {
    const v = limits[name];
    if (typeof v !== 'number' || !(v > 0)) throw new ProgramError(`the program's limits.${name} is not a positive number`);
  }
}

export function checkPulse(program: Program, amplitude: number, width: number, period: number | undefined, n: number): void {
  const { limits } = program;
  if (!Number.isFinite(amplitude) || exceeds(Math.abs(amplitude), limits.maxVoltage)) {
    throw new SafetyLimitError(`pulse amplitude ${formatSI(amplitude, 'V')} exceeds ${describeLimit('maxVoltage', limits.maxVoltage)}`);
  }
  if (!(width > 0) || exceeds(width, limits.maxWidth)) throw new SafetyLimitError(`pulse width ${formatSI(width, 's')} is outside (0, ${formatSI(limits.maxWidth, 's')}]`);
  if (period !== undefined && (!(period > 0) || exceeds(width / period, limits.maxDutyCycle))) {
    throw new SafetyLimitError(`duty cycle ${formatPercent(width / period)} exceeds ${describeLimit('maxDutyCycle', limits.maxDutyCycle)}`);
  }
  if (n > limits.maxPulses) throw new SafetyLimitError(`pulse ${formatCount(n)} exceeds ${describeLimit('maxPulses', limits.maxPulses)}`);
}

/** True when checkStep lets the step through. */
export function stepPasses(program: Program, voltage: number, dwell: number, compliance: number, n: number): boolean {
  const { limits } = program;
  return (
    Number.isFinite(voltage) &&
    !exceeds(Math.abs(voltage), limits.maxVoltage) &&
    dwell > 0 &&
    !exceeds(dwell, limits.maxWidth) &&
    compliance > 0 &&
    !exceeds(compliance, limits.compliance) &&
    !(n > limits.maxPulses)
  );
}

/** A sweep step counts as a pulse (max pulse count, max |V|, its dwell within max width); its compliance may not exceed the program's. */
export function checkStep(program: Program, voltage: number, dwell: number, compliance: number, n: number): void {
  const { limits } = program;
  if (!Number.isFinite(voltage) || exceeds(Math.abs(voltage), limits.maxVoltage)) {
    throw new SafetyLimitError(`sweep step at ${formatSI(voltage, 'V')} exceeds ${describeLimit('maxVoltage', limits.maxVoltage)}`);
  }
  if (!(dwell > 0) || exceeds(dwell, limits.maxWidth)) throw new SafetyLimitError(`sweep dwell ${formatSI(dwell, 's')} is outside (0, ${formatSI(limits.maxWidth, 's')}]`);
  if (!(compliance > 0) || exceeds(compliance, limits.compliance)) {
    throw new SafetyLimitError(`sweep compliance ${formatSI(compliance, 'A')} is not a positive current within ${describeLimit('compliance', limits.compliance)}`);
  }
  if (n > limits.maxPulses) throw new SafetyLimitError(`sweep step ${formatCount(n)} exceeds ${describeLimit('maxPulses', limits.maxPulses)} (sweep steps count as pulses)`);
}

/**
 * How many of the `most` steps from voltages[first] pass, one after the other, every check the
 * one-at-a-time path makes before a step (its own, and the workbench's bounds), from the counts
 * `at` the first. (A plain function: its loop compiles without boxing a number per step.)
 */
export function passingSteps(
  program: Program,
  voltages: readonly number[],
  first: number,
  most: number,
  dwell: number,
  compliance: { positive: number; negative: number },
  at: { now: number; pulses: number; reads: number; operations: number },
): number {
  const { pulses, reads, operations } = at;
  let t = at.now;
  let count = 0;
  for (; count < most; count++) {
    const v = voltages[first + count] as number;
    if (!stepPasses(program, v, dwell, v < 0 ? compliance.negative : compliance.positive, pulses + count + 1)) break;
    if (operations + count + 1 > PROTOCOL_BOUNDS.maxOperations || !(t <= PROTOCOL_BOUNDS.maxDurationS * (1 + TOLERANCE)) || pulses + count + 1 + reads > PROTOCOL_BOUNDS.maxSamples) break;
    t += dwell;
  }
  return count;
}
