/**
 * A run's figures for the device-centric archive: how many pulses the device received, the stress
 * they put on it, and per cycle its high- and low-resistance states and switching voltages. Pure:
 * the store computes them once from a run's samples (and the widths the protocol replay gives) and
 * keeps them, so a device's timeline, a chip's map and the variability statistics are queries.
 *
 * Definitions (ours — the workbench's reading of a run, not a paper's):
 * - stress: Σ |V|·width over the run's pulses, in V·s (the voltage–time product the device took);
 *   a pulse whose width is unknown (its protocol does not replay) adds nothing, and `widthsKnown`
 *   says so.
 * - a cycle: the replay's cycle number (the outermost repeat/sweep/until/I–V sweep iteration); a
 *   run with no such loop is one cycle.
 * - HRS / LRS of a cycle: 1/G of its lowest / highest read conductance (Ω); a cycle with no read
 *   has neither.
 * - V_set / V_reset of a cycle: the amplitude of the positive / negative pulse after which the read
 *   conductance rose / fell the most (the switching pulse); none when no pulse of that sign changed it.
 */
export interface CycleFigures {
  /** 1, 2, … */
  cycle: number;
  hrs: number | null;
  lrs: number | null;
  vSet: number | null;
  vReset: number | null;
}

export interface RunFigures {
  pulses: number;
  /** Σ |V|·width over pulses, V·s. */
  stressVs: number;
  /** false when some pulse's width was unknown (its stress is missing from stressVs). */
  widthsKnown: boolean;
  cycles: CycleFigures[];
  /** The last cycle's HRS and LRS (Ω), null when it had none. */
  hrs: number | null;
  lrs: number | null;
  /** Medians over the cycles that have one (V). */
  vSet: number | null;
  vReset: number | null;
}

export interface FigureSamples {
  readonly length: number;
  readonly v: ArrayLike<number>;
  readonly g: ArrayLike<number>;
  /** 0 read, 1 pulse. */
  readonly kind: ArrayLike<number>;
}

/** The median of the finite values, or null. */
export function medianOf(values: readonly (number | null)[]): number | null {
  const xs = values.filter((x): x is number => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const m = xs.length >> 1;
  return xs.length % 2 === 1 ? (xs[m] as number) : ((xs[m - 1] as number) + (xs[m] as number)) / 2;
}

interface Acc {
  cycle: number;
  gMin: number;
  gMax: number;
  bestUp: number;
  vSet: number | null;
  bestDown: number;
  vReset: number | null;
}

/** The figures of one run, from its samples and, per sample, the pulse width (s; NaN unknown) and cycle (−1 unknown). */
export function runFigures(s: FigureSamples, width: ArrayLike<number>, cycle: ArrayLike<number>): RunFigures {
  let pulses = 0;
  let stress = 0;
  let widthsKnown = true;
  const cycles = new Map<number, Acc>();
  let current: Acc | null = null;
  let lastReadG = Number.NaN;
  // Pulses since the last read: each is credited with the change the next read shows.
  let pending: number[] = [];
  for (let k = 0; k < s.length; k++) {
    const c = Math.max(1, (cycle[k] as number) | 0);
    if (current === null || current.cycle !== c) {
      current = cycles.get(c) ?? { cycle: c, gMin: Infinity, gMax: -Infinity, bestUp: 0, vSet: null, bestDown: 0, vReset: null };
      cycles.set(c, current);
    }
    const v = s.v[k] as number;
    if (s.kind[k] === 1) {
      pulses++;
      const w = width[k] as number;
      if (Number.isFinite(w) && Number.isFinite(v)) stress += Math.abs(v) * w;
      else widthsKnown = false;
      pending.push(v);
      continue;
    }
    const g = s.g[k] as number;
    if (!Number.isFinite(g) || g <= 0) continue;
    if (g < current.gMin) current.gMin = g;
    if (g > current.gMax) current.gMax = g;
    if (Number.isFinite(lastReadG) && pending.length > 0) {
      const dg = g - lastReadG;
      const last = pending[pending.length - 1] as number;
      if (dg > current.bestUp && last > 0) {
        current.bestUp = dg;
        current.vSet = last;
      } else if (-dg > current.bestDown && last < 0) {
        current.bestDown = -dg;
        current.vReset = last;
      }
    }
    pending = [];
    lastReadG = g;
  }
  const list: CycleFigures[] = [...cycles.values()]
    .sort((a, b) => a.cycle - b.cycle)
    .map((a) => ({
      cycle: a.cycle,
      hrs: Number.isFinite(a.gMin) ? 1 / a.gMin : null,
      lrs: Number.isFinite(a.gMax) ? 1 / a.gMax : null,
      vSet: a.vSet,
      vReset: a.vReset,
    }));
  const last = list[list.length - 1];
  return {
    pulses,
    stressVs: stress,
    widthsKnown,
    cycles: list,
    hrs: last?.hrs ?? null,
    lrs: last?.lrs ?? null,
    vSet: medianOf(list.map((c) => c.vSet)),
    vReset: medianOf(list.map((c) => c.vReset)),
  };
}

export type FormingState = 'pristine' | 'unformed' | 'formed';

/** Ratio of a run's highest to its first conductance that counts as forming (ours). */
export const FORMING_G_RATIO = 10;
/** On/off ratio (HRS/LRS) of a cycle that shows a device switches, so it was formed (ours). */
export const SWITCHING_ON_OFF = 2;

/**
 * The device's forming state after a run, given its state before: 'pristine' until a pulse,
 * 'formed' once a run is tagged or named "forming" and ended, or its conductance rose
 * FORMING_G_RATIO-fold, or a cycle switched (HRS/LRS ≥ SWITCHING_ON_OFF); 'unformed' in between.
 */
export function formingAfter(
  before: FormingState,
  run: { pulses: number; initialG: number | null; maxG: number | null; hrs: number | null; lrs: number | null; named: string; tags: readonly string[] },
): FormingState {
  if (before === 'formed') return 'formed';
  const tagged = run.tags.some((t) => /^form(ing|ed)?$/i.test(t)) || /\bforming\b/i.test(run.named);
  const rose = run.initialG !== null && run.maxG !== null && run.initialG > 0 && run.maxG / run.initialG >= FORMING_G_RATIO;
  const switched = run.hrs !== null && run.lrs !== null && run.lrs > 0 && run.hrs / run.lrs >= SWITCHING_ON_OFF;
  if (tagged || rose || switched) return 'formed';
  return before === 'pristine' && run.pulses === 0 ? 'pristine' : 'unformed';
}
