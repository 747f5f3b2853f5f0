import { PROTOCOL_BOUNDS } from '../contract/limits';
import { formatCount, formatDuration } from '../units';
import type { SweepParameter } from './document';
import type { ProblemList } from './fields';

/**
 * What a part of a document does, for the limits that apply to the whole: pulses, reads,
 * operations and protocol time (upper bounds when an until may stop early or a sweep varies a
 * value), whether it reads at all, and which sweep parameters it took from enclosing sweeps.
 *
 * An operation is a pulse, a read or a wait; every block counts at least one each time it runs
 * (a wait that reads counts its reads), so a body that only waits, or reads nothing in 0 s, still
 * adds up. Sums and products may overflow to Infinity: that is over every bound, never a pass.
 */
export interface Tally {
  pulses: number;
  reads: number;
  operations: number;
  /** Protocol time (s), at most. */
  duration: number;
  exact: boolean;
  hasRead: boolean;
  uses: Set<SweepParameter>;
  /** A bound was already reported inside this part: the parts around it do not repeat it. */
  overBound: boolean;
}

export function emptyTally(): Tally {
  return { pulses: 0, reads: 0, operations: 0, duration: 0, exact: true, hasRead: false, uses: new Set(), overBound: false };
}

export function addTally(into: Tally, part: Tally, times = 1): void {
  into.pulses += times * part.pulses;
  into.reads += times * part.reads;
  into.operations += times * part.operations;
  into.duration += times * part.duration;
  into.exact &&= part.exact;
  into.hasRead ||= part.hasRead;
  into.overBound ||= part.overBound;
  for (const p of part.uses) into.uses.add(p);
}

/** "1,000 pulses" / "up to 1,000 pulses", for the limit messages on the whole document. */
export function describeTotal(n: number, exact: boolean, noun: string): string {
  if (!Number.isFinite(n)) return `more ${noun} than can be counted`;
  return `${exact ? '' : 'up to '}${count(n)} ${noun}`;
}

/** 1,000,000 as such; past a million billion, a power of ten (never "1e+300"). */
function count(n: number): string {
  return n < 1e15 ? formatCount(n) : `about 10^${Math.floor(Math.log10(n))}`;
}

const DAY = 86_400;
const YEAR = 365.25 * DAY;

function describeTime(seconds: number, exact: boolean): string {
  if (!Number.isFinite(seconds)) return 'longer than can be counted';
  const days = seconds / DAY;
  const text = days < 1000 ? `${formatDuration(seconds)}${days >= 1 ? ` (${formatCount(days)} days)` : ''}` : `${count(seconds / YEAR)} years`;
  return `${exact ? '' : 'up to '}${text}`;
}

/** NaN and Infinity are over: a bound is a promise that the protocol ends. */
const over = (value: number, bound: number) => !(value <= bound);

/**
 * Reports, at `path`, the workbench's bounds this part of the document breaks (PROTOCOL_BOUNDS:
 * duration, operations, samples), unless a part inside it already did. `what` names the part:
 * 'this repeat block', 'the protocol'.
 */
export function checkBounds(problems: ProblemList, tally: Tally, path: string, what: string): void {
  if (tally.overBound) return;
  const { maxDurationS, maxOperations, maxSamples } = PROTOCOL_BOUNDS;
  const found: string[] = [];
  if (over(tally.duration, maxDurationS)) found.push(`lasts ${describeTime(tally.duration, tally.exact)}, more than the limit of ${formatDuration(maxDurationS)} (${maxDurationS / 86_400} days) of protocol time`);
  if (over(tally.operations, maxOperations)) found.push(`runs ${describeTotal(tally.operations, tally.exact, 'operations')}, more than the limit of ${formatCount(maxOperations)} operations`);
  const samples = tally.pulses + tally.reads;
  if (over(samples, maxSamples)) found.push(`records ${describeTotal(samples, tally.exact, 'samples')}, more than the limit of ${formatCount(maxSamples)} samples`);
  if (found.length === 0) return;
  tally.overBound = true;
  problems.add(path, 'limit', `${what} ${found.join('; it ')}`);
}
