/**
 * A run's figures for the device-centric archive: how many pulses the device received, the stress
 * they put on it, and per switching cycle its high- and low-resistance states and switching
 * voltages. Pure: the store computes them once from a run's samples (and the widths the protocol
 * replay gives) and keeps them, so a device's timeline, a chip's map and the variability
 * statistics are queries.
 *
 * - stress (ours — the workbench's reading of a run): Σ |V|·width over the run's pulses (an I–V
 *   sweep's steps included, their dwell as the width), in V·s, the voltage–time product the device
 *   took; a pulse whose width is unknown (its protocol does not replay) adds nothing, and
 *   `widthsKnown` says so.
 * - cycles: shared/analysis's per-cycle extraction (a SET lobe then a RESET lobe; HRS/LRS from the
 *   reads after each lobe or the sweep's return branch at the read voltage; V_set, V_reset). A
 *   cycle's HRS counts only when its RESET was seen, its LRS only when its SET was, as the
 *   analysis' own statistics do; `switched` is a cycle with both.
 */
import { analyzeSwitching, type AnalysisOptions, type AnalysisSamples } from '../analysis';
import { median } from '../stats';
import { DEFAULT_MIN_ON_OFF } from '../variability';

export interface CycleFigures {
  /** 1, 2, … */
  cycle: number;
  hrs: number | null;
  lrs: number | null;
  vSet: number | null;
  vReset: number | null;
  /** Both the SET and the RESET were seen. */
  switched: boolean;
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

export type FigureSamples = AnalysisSamples;

/** The figures of one run, from its samples and, per sample, the pulse width (s; NaN unknown). */
export function runFigures(s: FigureSamples, width: ArrayLike<number>, options: AnalysisOptions = {}): RunFigures {
  let pulses = 0;
  let stress = 0;
  let widthsKnown = true;
  for (let k = 0; k < s.length; k++) {
    if (s.kind[k] !== 1) continue;
    pulses++;
    const w = width[k] as number;
    const v = s.v[k] as number;
    if (Number.isFinite(w) && Number.isFinite(v)) stress += Math.abs(v) * w;
    else widthsKnown = false;
  }
  const analysis = analyzeSwitching(s, options);
  const list: CycleFigures[] = analysis.cycles.map((c) => ({
    cycle: c.index + 1,
    hrs: c.reset ? c.hrs : null,
    lrs: c.set ? c.lrs : null,
    vSet: c.vSet,
    vReset: c.vReset,
    switched: c.set && c.reset,
  }));
  const last = list[list.length - 1];
  return {
    pulses,
    stressVs: stress,
    widthsKnown,
    cycles: list,
    hrs: last?.hrs ?? null,
    lrs: last?.lrs ?? null,
    vSet: median(list.map((c) => c.vSet)),
    vReset: median(list.map((c) => c.vReset)),
  };
}

export type FormingState = 'pristine' | 'unformed' | 'formed';

/** Ratio of a run's highest to its first conductance that counts as forming (ours). */
export const FORMING_G_RATIO = 10;
/** On/off ratio (HRS/LRS) of a cycle that shows a device switches, so it was formed (ours). */
export const SWITCHING_ON_OFF = DEFAULT_MIN_ON_OFF;

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
