import { pairCycles, splitLobes, type AnalysisSamples, type Lobe } from './lobes';
import { cvPercent, median, medianInPlace, minMax } from '../stats';

/**
 * Per-cycle extraction of bipolar switching figures from a run's samples (pure; no protocol
 * needed). How each figure is taken:
 *
 *  - Cycles: the driving samples (sweep steps, pulses; not reads) split into lobes — excursions
 *    of one polarity within one block — and a cycle is a positive lobe (the SET) followed at once
 *    by a negative lobe (the RESET). A lobe that does not pair, such as a forming sweep before
 *    the loops, is counted in `unpaired` and left out.
 *  - The state a lobe leaves (LRS after the SET, HRS after the RESET): the median of |V/I| of the
 *    reads that follow it, when the run reads there — the read voltage is then the reads' own.
 *    Without reads, from the sweep itself: the median chord resistance |V/I| of the lobe's return
 *    branch (from its largest |V| back to 0 V) over the steps with |V| within a factor of 2 of the
 *    read voltage (`readVoltage`, default 0.1 V, ours; the device preset's when the caller knows
 *    it), or interpolated between the two steps around it. The state before the SET likewise
 *    from the reads before it, else from the rising branch of the positive lobe.
 *  - Switched: the SET happened when the conductance after the positive lobe is at least
 *    `minRatio` (default 2, ours) times the conductance before it, the RESET when the conductance
 *    after the negative lobe is at most 1/minRatio of the LRS. A cycle that does not switch keeps
 *    its measured HRS and LRS but reports vSet / vReset / onOff as null, never a made-up number,
 *    and is counted in `failed`.
 *  - V_set: on the rising branch of the positive lobe (steps with |V| ≥ 10 % of the lobe's peak,
 *    ours), the voltage of the step after the largest rise of the chord conductance |I/V| between
 *    neighbouring steps — the abrupt jump of the SET (a current compliance only flattens what
 *    follows). Needs at least three steps: a single SET pulse has no V_set.
 *  - V_reset: on the rising (|V| increasing) branch of the negative lobe, the voltage of largest
 *    |I|, the onset of the RESET after which the current falls although |V| rises (negative);
 *    like V_set, none from a RESET pulse.
 *  - maxSetCurrent: the largest |I| of the positive lobe. With the in-compliance flag stored,
 *    `setInCompliance` says whether any SET step hit the compliance, and `complianceSet` is the
 *    median |I| of the positive steps in compliance (the compliance as measured); else it is the
 *    caller's (from the protocol), or null.
 *  - Statistics over the cycles where the value is a switching figure: vSet over cycles with a
 *    SET, vReset and hrs over cycles with a RESET, lrs over cycles with a SET, onOff = hrs/lrs
 *    over cycles that did both; CV % = 100·s/|mean| with the sample standard deviation.
 */
export interface CycleFigures {
  /** 0-based, in time order. */
  readonly index: number;
  /** The first sample of the SET lobe and one past the last sample of the RESET lobe (run indices). */
  readonly start: number;
  readonly end: number;
  readonly set: boolean;
  readonly reset: boolean;
  /** V, positive. */
  readonly vSet: number | null;
  /** V, negative. */
  readonly vReset: number | null;
  /** Ω, the state after the RESET. */
  readonly hrs: number | null;
  /** Ω, the state after the SET. */
  readonly lrs: number | null;
  readonly onOff: number | null;
  /** A, largest |I| of the SET lobe. */
  readonly maxSetCurrent: number | null;
  /** Any SET step in compliance; null when the run stored no compliance flags. */
  readonly setInCompliance: boolean | null;
}

export interface FigureStats {
  readonly vSet: number | null;
  readonly vReset: number | null;
  readonly hrs: number | null;
  readonly lrs: number | null;
}

export interface SwitchingAnalysis {
  readonly cycles: CycleFigures[];
  /** A, the SET compliance (measured, else the protocol's), or null when none is known. */
  readonly complianceSet: number | null;
  readonly onOff: { readonly median: number | null; readonly min: number | null; readonly max: number | null };
  /** Cycle-to-cycle CV % of each figure. */
  readonly cv: FigureStats;
  readonly median: FigureStats;
  /** The read voltage the states were taken at (V), and whether from the run's reads or from the sweep. */
  readonly read: { readonly voltage: number | null; readonly from: 'reads' | 'sweep' | 'mixed' | null };
  /** Cycles where the SET or the RESET was not seen. */
  readonly failed: number;
  /** Lobes that are not part of a SET/RESET cycle (a forming sweep, a lone pulse). */
  readonly unpaired: number;
}

export interface AnalysisOptions {
  /** V, for states taken from the sweep when the run does not read (default 0.1 V, ours). */
  readonly readVoltage?: number;
  /** Least conductance change that counts as a switch (default 2, ours). */
  readonly minRatio?: number;
  /** A, the SET compliance from the protocol, used when no sample was flagged in compliance. */
  readonly complianceSet?: number | null;
  /** A, the positive compliance of each block (the program's block index): the SET's, when no sample was flagged. */
  readonly positiveCompliance?: ReadonlyMap<number, number>;
}

export const DEFAULT_READ_VOLTAGE = 0.1;
export const DEFAULT_MIN_RATIO = 2;
/** Steps below this fraction of the lobe's peak |V| do not count for V_set (ours): chord conductances at tiny V are noise. */
const VSET_FLOOR = 0.1;

export function analyzeSwitching(s: AnalysisSamples, options: AnalysisOptions = {}): SwitchingAnalysis {
  const vr = options.readVoltage ?? DEFAULT_READ_VOLTAGE;
  const minRatio = options.minRatio ?? DEFAULT_MIN_RATIO;
  if (!(vr > 0) || !Number.isFinite(vr)) throw new RangeError(`readVoltage must be a positive voltage; got ${vr}`);
  if (!(minRatio > 1) || !Number.isFinite(minRatio)) throw new RangeError(`minRatio must be above 1; got ${minRatio}`);
  const { cycles: pairs, unpaired } = pairCycles(splitLobes(s));
  const sources = new Set<'reads' | 'sweep'>();
  const readVoltages: number[] = [];
  const stateAfter = (lobe: Lobe): number | null => {
    const fromReads = readsConductance(s, lobe.reads, readVoltages);
    if (fromReads !== null) {
      sources.add('reads');
      return fromReads;
    }
    const g = branchConductanceIn(s, lobe.drive, lobe.peak, lobe.drive.length, vr);
    if (g !== null) sources.add('sweep');
    return g;
  };
  const cycles: CycleFigures[] = pairs.map(([setLobe, resetLobe, before], index) => {
    const gBefore = (before !== null ? readsConductance(s, before.reads, readVoltages) : null) ?? branchConductanceIn(s, setLobe.drive, 0, setLobe.peak + 1, vr);
    const gLrs = stateAfter(setLobe);
    const gHrs = stateAfter(resetLobe);
    const set = gBefore !== null && gLrs !== null && gLrs >= minRatio * gBefore;
    const reset = gLrs !== null && gHrs !== null && gHrs * minRatio <= gLrs;
    const lrs = gLrs !== null && gLrs > 0 ? 1 / gLrs : null;
    const hrs = gHrs !== null && gHrs > 0 ? 1 / gHrs : null;
    return {
      index,
      start: setLobe.drive[0] ?? 0,
      end: (resetLobe.drive[resetLobe.drive.length - 1] ?? 0) + 1,
      set,
      reset,
      vSet: set ? setVoltage(s, setLobe) : null,
      vReset: reset ? resetVoltage(s, resetLobe) : null,
      hrs,
      lrs,
      onOff: set && reset && hrs !== null && lrs !== null ? hrs / lrs : null,
      maxSetCurrent: maxAbsCurrent(s, setLobe.drive),
      setInCompliance: s.compliance ? anyFlagged(s.compliance, setLobe.drive) : null,
    };
  });
  const pick = (f: (c: CycleFigures) => number | null, when: (c: CycleFigures) => boolean): (number | null)[] => cycles.filter(when).map(f);
  const series = {
    vSet: pick((c) => c.vSet, (c) => c.set),
    vReset: pick((c) => c.vReset, (c) => c.reset),
    hrs: pick((c) => c.hrs, (c) => c.reset),
    lrs: pick((c) => c.lrs, (c) => c.set),
  };
  const onOff = cycles.map((c) => c.onOff);
  const range = minMax(onOff);
  return {
    cycles,
    complianceSet: measuredCompliance(s, pairs.map(([p]) => p)) ?? median(pairs.map(([p]) => options.positiveCompliance?.get(p.block) ?? null)) ?? options.complianceSet ?? null,
    onOff: { median: median(onOff), min: range?.min ?? null, max: range?.max ?? null },
    cv: { vSet: cvPercent(series.vSet), vReset: cvPercent(series.vReset), hrs: cvPercent(series.hrs), lrs: cvPercent(series.lrs) },
    median: { vSet: median(series.vSet), vReset: median(series.vReset), hrs: median(series.hrs), lrs: median(series.lrs) },
    read: {
      voltage: sources.has('reads') ? median(readVoltages) : sources.size > 0 ? vr : null,
      from: sources.size === 0 ? null : sources.size === 2 ? 'mixed' : sources.has('reads') ? 'reads' : 'sweep',
    },
    failed: cycles.filter((c) => !c.set || !c.reset).length,
    unpaired,
  };
}

/** Median |I/V| of the reads with V ≠ 0 and a finite current; null when there are none. */
function readsConductance(s: AnalysisSamples, reads: ArrayLike<number>, voltages: number[]): number | null {
  const gs: number[] = [];
  for (let j = 0; j < reads.length; j++) {
    const k = reads[j] as number;
    const v = s.v[k] ?? 0;
    const i = s.i[k] ?? NaN;
    if (v !== 0 && Number.isFinite(v) && Number.isFinite(i)) {
      gs.push(Math.abs(i / v));
      voltages.push(Math.abs(v));
    }
  }
  return median(gs);
}

/** The voltage and current of sample k (NaN past the end, which never happens for indices from splitLobes). */
const V = (s: AnalysisSamples, k: number): number => s.v[k] ?? NaN;
const I = (s: AnalysisSamples, k: number): number => s.i[k] ?? NaN;

/**
 * The chord conductance |I/V| of a branch at |V| = vr: the median over steps with |V| in
 * [vr/2, 2·vr], else linear interpolation of |I| between the steps around vr; null when the branch
 * does not reach that far.
 */
export function branchConductance(s: AnalysisSamples, branch: ArrayLike<number>, vr: number): number | null {
  return branchConductanceIn(s, branch, 0, branch.length, vr);
}

/**
 * branchConductance of drive[from..to): the analysis takes each lobe's branches where they lie,
 * without copying them out (an endurance run has thousands of lobes).
 */
function branchConductanceIn(s: AnalysisSamples, drive: ArrayLike<number>, from: number, to: number, vr: number): number | null {
  const { v, i } = s;
  const window: number[] = [];
  for (let j = from; j < to; j++) {
    const k = drive[j] as number;
    const vk = v[k] ?? NaN;
    const ik = i[k] ?? NaN;
    const a = Math.abs(vk);
    if (a >= vr / 2 && a <= 2 * vr && Number.isFinite(ik)) window.push(Math.abs(ik / vk));
  }
  if (window.length > 0) return median(window);
  for (let j = from + 1; j < to; j++) {
    const p = drive[j - 1] ?? 0;
    const q = drive[j] ?? 0;
    const a0 = Math.abs(V(s, p));
    const a1 = Math.abs(V(s, q));
    if ((a0 - vr) * (a1 - vr) <= 0 && a0 !== a1) {
      const f = (vr - a0) / (a1 - a0);
      const i = Math.abs(I(s, p)) * (1 - f) + Math.abs(I(s, q)) * f;
      return Number.isFinite(i) ? i / vr : null;
    }
  }
  return null;
}

function setVoltage(s: AnalysisSamples, lobe: Lobe): number | null {
  const { drive, peak } = lobe;
  const { v, i } = s;
  const top = Math.abs(V(s, drive[peak] ?? 0));
  // The rising branch's steps that count (above the floor, a finite non-zero current), in one
  // pass: each one's log chord conductance against the one before it.
  let steps = 0;
  let before = NaN;
  let best = -Infinity;
  let at: number | null = null;
  for (let j = 0; j <= peak; j++) {
    const k = drive[j] as number;
    const vk = v[k] ?? NaN;
    const ik = i[k] ?? NaN;
    if (!(Math.abs(vk) >= VSET_FLOOR * top && ik !== 0 && Number.isFinite(ik))) continue;
    const logG = Math.log(Math.abs(ik / vk));
    if (steps++ > 0) {
      const jump = logG - before;
      if (jump > best) {
        best = jump;
        at = vk;
      }
    }
    before = logG;
  }
  if (steps < 3) return null;
  return best > 0 ? at : null;
}

function resetVoltage(s: AnalysisSamples, lobe: Lobe): number | null {
  // As for V_set: a RESET pulse (one step, or two) has no threshold to read, only its amplitude.
  if (lobe.peak + 1 < 3) return null;
  let best = -1;
  let at: number | null = null;
  const { drive, peak } = lobe;
  for (let j = 0; j <= peak; j++) {
    const k = drive[j] as number;
    const a = Math.abs(I(s, k));
    if (Number.isFinite(a) && a > best) {
      best = a;
      at = V(s, k);
    }
  }
  return at !== null && at < 0 ? at : null;
}

function maxAbsCurrent(s: AnalysisSamples, drive: ArrayLike<number>): number | null {
  let m = -1;
  for (let j = 0; j < drive.length; j++) {
    const a = Math.abs(I(s, drive[j] as number));
    if (Number.isFinite(a) && a > m) m = a;
  }
  return m >= 0 ? m : null;
}

/** Whether any of the samples `at` is flagged in compliance. */
function anyFlagged(flags: ArrayLike<number>, at: ArrayLike<number>): boolean {
  for (let j = 0; j < at.length; j++) if (flags[at[j] as number] === 1) return true;
  return false;
}

function measuredCompliance(s: AnalysisSamples, setLobes: readonly Lobe[]): number | null {
  const flags = s.compliance;
  if (!flags) return null;
  const { v, i } = s;
  // Gathered into a typed array (as long as every SET step), sorted in place: an endurance run has tens of thousands.
  let room = 0;
  for (const lobe of setLobes) room += lobe.drive.length;
  const currents = new Float64Array(room);
  let n = 0;
  for (const lobe of setLobes) {
    const { drive } = lobe;
    for (let j = 0; j < drive.length; j++) {
      const k = drive[j] as number;
      const ik = i[k] ?? NaN;
      if (flags[k] === 1 && (v[k] ?? NaN) > 0 && Number.isFinite(ik)) currents[n++] = Math.abs(ik);
    }
  }
  return medianInPlace(currents.subarray(0, n));
}
