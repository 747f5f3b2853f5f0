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
  readonly drive: ArrayLike<number>;
  /** Index into `drive` of the first sample of largest |V|: drive[0..peak] rise, drive[peak..] return. */
  readonly peak: number;
  /** Sample indices of the reads that follow. */
  readonly reads: ArrayLike<number>;
}

/**
 * A lobe as the samples are walked. Driving samples go to the lobe being built, and reads to it or
 * the one before, so each lobe's samples are a run of consecutive entries in one list of all the
 * driving samples and one of all the reads: a lobe is where its runs start and end (views on the
 * two lists at the end), not arrays of its own (an endurance run has thousands of lobes).
 */
interface Building {
  sign: 0 | 1 | -1;
  block: number;
  driveFrom: number;
  driveTo: number;
  readsFrom: number;
  readsTo: number;
}

/**
 * Splits a run's samples into lobes, in time order. Reads before the first lobe, and driving
 * samples that never leave 0 V, belong to no lobe.
 */
export function splitLobes(s: AnalysisSamples): Lobe[] {
  const done: Building[] = [];
  const drives = new Int32Array(s.length);
  const reads = new Int32Array(s.length);
  let nDrive = 0;
  let nReads = 0;
  let cur: Building | null = null;
  let last: Building | null = null;
  const { kind, v: volts, block } = s;
  for (let k = 0; k < s.length; k++) {
    if (kind[k] === SampleKind.read) {
      // A read belongs to the lobe before it; reads in the middle of a lobe (a pulse train with
      // reads) describe the state so far, so they count for that lobe too.
      const owner = cur !== null && cur.sign !== 0 ? cur : last;
      if (owner !== null) {
        if (owner.readsTo === owner.readsFrom) owner.readsFrom = owner.readsTo = nReads;
        reads[nReads++] = k;
        owner.readsTo = nReads;
      }
      continue;
    }
    const v = volts[k] ?? 0;
    const blk = block[k] ?? -1;
    const sign = v > 0 ? 1 : v < 0 ? -1 : 0;
    const newBlock = cur !== null && cur.block !== blk;
    const flips = cur !== null && sign !== 0 && cur.sign !== 0 && sign !== cur.sign;
    if (cur !== null && (newBlock || flips)) {
      if (cur.sign !== 0) {
        done.push(cur);
        last = cur;
      }
      cur = null;
    }
    const c: Building = cur ?? { sign: 0, block: blk, driveFrom: nDrive, driveTo: nDrive, readsFrom: 0, readsTo: 0 };
    cur = c;
    if (c.sign === 0 && sign !== 0) c.sign = sign;
    drives[nDrive++] = k;
    c.driveTo = nDrive;
  }
  if (cur !== null && cur.sign !== 0) done.push(cur);
  return done.map((b) => finish(b, drives.subarray(b.driveFrom, b.driveTo), reads.subarray(b.readsFrom, b.readsTo), s));
}

function finish(b: Building, drive: Int32Array, reads: Int32Array, s: AnalysisSamples): Lobe {
  let peak = 0;
  let top = -1;
  for (let j = 0; j < drive.length; j++) {
    const a = Math.abs(s.v[drive[j] ?? 0] ?? 0);
    if (a > top) {
      top = a;
      peak = j;
    }
  }
  return { sign: b.sign as 1 | -1, block: b.block, drive, peak, reads };
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
