import { SampleKind } from '../samples/columns';

/**
 * The columns the switching analysis reads. Any run's SampleColumns fit; tests may hand in plain
 * arrays. `compliance` (1 = the source was in compliance) is optional: runs stored before the store
 * kept it have none.
 */
export interface AnalysisSamples {
  readonly length: number;
  readonly v: ArrayLike<number>;
  readonly i: ArrayLike<number>;
  readonly kind: ArrayLike<number>;
  readonly block: ArrayLike<number>;
  readonly compliance?: ArrayLike<number>;
}

/**
 * One excursion of the applied voltage away from 0 V in one polarity: the driving samples (sweep
 * steps or pulses, never reads) from where the polarity starts to where it changes, the block
 * changes, or the samples end. 0 V samples belong to the excursion they follow (or, at the start of
 * a block, the one they precede). `reads` are the read samples taken after this excursion and before
 * the next one: the state the excursion left.
 */
export interface Lobe {
  readonly sign: 1 | -1;
  readonly block: number;
  /** Sample indices of the driving samples, in time order. */
  readonly drive: number[];
  /** Index into `drive` of the first sample of largest |V|: drive[0..peak] rise, drive[peak..] return. */
  peak: number;
  /** Sample indices of the reads that follow. */
  readonly reads: number[];
}

interface Building {
  sign: 0 | 1 | -1;
  block: number;
  drive: number[];
  reads: number[];
}

/**
 * Splits a run's samples into lobes, in time order. Reads before the first lobe, and driving
 * samples that never leave 0 V, belong to no lobe.
 */
export function splitLobes(s: AnalysisSamples): Lobe[] {
  const lobes: Lobe[] = [];
  let cur: Building | null = null;
  let last: Building | null = null;
  const { kind, v: volts, block } = s;
  for (let k = 0; k < s.length; k++) {
    if (kind[k] === SampleKind.read) {
      // A read belongs to the lobe before it; reads in the middle of a lobe (a pulse train with
      // reads) describe the state so far, so they count for that lobe too.
      const owner = cur !== null && cur.sign !== 0 ? cur : last;
      if (owner !== null) owner.reads.push(k);
      continue;
    }
    const v = volts[k] ?? 0;
    const blk = block[k] ?? -1;
    const sign = v > 0 ? 1 : v < 0 ? -1 : 0;
    const newBlock = cur !== null && cur.block !== blk;
    const flips = cur !== null && sign !== 0 && cur.sign !== 0 && sign !== cur.sign;
    if (cur !== null && (newBlock || flips)) {
      if (cur.sign !== 0) {
        lobes.push(finish(cur, s));
        last = cur;
      }
      cur = null;
    }
    const c: Building = cur ?? { sign: 0, block: blk, drive: [], reads: [] };
    cur = c;
    if (c.sign === 0 && sign !== 0) c.sign = sign;
    c.drive.push(k);
  }
  if (cur !== null && cur.sign !== 0) lobes.push(finish(cur, s));
  return lobes;
}

function finish(b: Building, s: AnalysisSamples): Lobe {
  let peak = 0;
  let top = -1;
  for (let j = 0; j < b.drive.length; j++) {
    const a = Math.abs(s.v[b.drive[j] ?? 0] ?? 0);
    if (a > top) {
      top = a;
      peak = j;
    }
  }
  return { sign: b.sign as 1 | -1, block: b.block, drive: b.drive, peak, reads: b.reads };
}

/**
 * Pairs lobes into SET/RESET cycles: a positive lobe followed at once by a negative one (SET at
 * V > 0, RESET at V < 0, the bipolar convention of the workbench). A lobe that does not pair (a
 * forming sweep before the loops, a lone RESET) is left out and counted.
 */
export function pairCycles(lobes: readonly Lobe[]): { cycles: [Lobe, Lobe, Lobe | null][]; unpaired: number } {
  const cycles: [Lobe, Lobe, Lobe | null][] = [];
  let unpaired = 0;
  let j = 0;
  while (j < lobes.length) {
    const a = lobes[j];
    const b = lobes[j + 1];
    if (a !== undefined && a.sign > 0 && b !== undefined && b.sign < 0) {
      // The third element is the lobe before the SET: its reads tell the state the SET started from.
      cycles.push([a, b, lobes[j - 1] ?? null]);
      j += 2;
    } else {
      unpaired++;
      j++;
    }
  }
  return { cycles, unpaired };
}
