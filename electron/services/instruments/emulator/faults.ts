import type { Rng } from '../../../../shared/random';

/**
 * Fault switches of the virtual instrument, changeable while it runs.
 *
 * Garbling models line noise that breaks a reply: one character is replaced by a byte that cannot
 * occur in any valid reply of our protocols (no digit, letter, sign, point, comma, space or
 * tab), so a strict parser always notices. Noise that turns one valid digit into another is
 * undetectable without a checksum on any plain-text instrument line, so it is not simulated.
 */
export interface Faults {
  /** Fraction of replies corrupted (0–1). */
  garble: number;
  /** Every reply is delayed by this many milliseconds. */
  delayMs: number;
  /** After this many commands the instrument stops answering; null = never. */
  dropAfter: number | null;
}

export const GARBLE_JUNK = ['~', '^', '|', '`', '@', '$', '%', '&', '!', '\x7f', '\x1a'];

export function checkFaults(f: Faults): void {
  if (!(f.garble >= 0 && f.garble <= 1)) throw new RangeError(`garble must be a fraction from 0 to 1 (got ${f.garble})`);
  if (!(f.delayMs >= 0 && Number.isFinite(f.delayMs))) throw new RangeError(`delay must be ≥ 0 ms (got ${f.delayMs})`);
  if (f.dropAfter !== null && !(Number.isInteger(f.dropAfter) && f.dropAfter >= 0)) {
    throw new RangeError(`drop-after must be a whole number of commands ≥ 0 (got ${f.dropAfter})`);
  }
}

/** The line with one character replaced by junk. */
export function garbleLine(line: string, rng: Rng): string {
  if (line.length === 0) return GARBLE_JUNK[rng.int(GARBLE_JUNK.length)]!;
  const at = rng.int(line.length);
  let junk = GARBLE_JUNK[rng.int(GARBLE_JUNK.length)]!;
  if (junk === line[at]) junk = GARBLE_JUNK[(GARBLE_JUNK.indexOf(junk) + 1) % GARBLE_JUNK.length]!;
  return line.slice(0, at) + junk + line.slice(at + 1);
}
