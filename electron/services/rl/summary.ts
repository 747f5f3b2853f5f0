import type { RlBand, RlComparison, RlReduction } from '../../../shared/contract/areas/rl';
import { compareResults, reductionPercent, type EnvironmentComparison, type EpisodeTrace, type Experiment, type Figures, type Reduction, type RunResult } from '../../../shared/rl';
import type { RlJobSummary } from '../store';
import { quantileOfSorted } from '../../../shared/stats';

/**
 * What the RL area reports, computed from stored jobs: the comparison table (shared/rl's
 * compareResults, plus what the page shows beside it) and per-episode median / IQR curves.
 */

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** A result's traces when only its figures are wanted (a comparison from stored jobs, a tuning sweep). */
export const EMPTY_TRACE: EpisodeTrace = {
  steps: new Int32Array(0),
  returns: new Float64Array(0),
  alpha: new Float64Array(0),
  conductance: new Float64Array(0),
  success: new Uint8Array(0),
  tdErrorMean: new Float64Array(0),
  greedyLength: new Int32Array(0),
};

/** The comparison over the jobs given (all of a finished run, or those done so far). */
export function comparisonOf(experiment: Experiment, jobs: readonly Pick<RlJobSummary, 'environmentId' | 'strategyId' | 'seed' | 'trainingIterations' | 'converged' | 'phases'>[]): RlComparison[] {
  // compareResults reads the job identity, training iterations and convergence; the traces stay in the store.
  // The headline figures are sums over the stored phases; a job stored before they existed has NaN.
  const sum = (j: (typeof jobs)[number], key: 'settleIterations' | 'regret') => j.phases.reduce((s, p) => s + (p[key] ?? Number.NaN), 0);
  const results: RunResult[] = jobs.map((j) => ({
    environmentId: j.environmentId,
    strategyId: j.strategyId,
    seed: j.seed,
    trainingIterations: j.trainingIterations,
    converged: j.converged,
    settleIterations: sum(j, 'settleIterations'),
    settled: j.phases.every((p) => p.settled === true),
    regret: sum(j, 'regret'),
    phases: j.phases,
    episodes: EMPTY_TRACE,
  }));
  return presentComparison(experiment, compareResults(experiment, results));
}

/** compareResults' comparison as the RL area shows it: no non-finite numbers, the verdict, the paper's figure. */
export function presentComparison(experiment: Experiment, comparison: readonly EnvironmentComparison[]): RlComparison[] {
  return comparison.map((c) => {
    const env = experiment.environments.find((e) => e.id === c.environmentId);
    const primary = c.rows.find((r) => r.id === c.primary.id)!;
    const baseline = c.rows.find((r) => r.id === c.baseline.id)!;
    const p = primary.median;
    const b = c.bestOther.median;
    const verdict = !Number.isFinite(p) || !Number.isFinite(b) || c.bestOther.id === c.primary.id ? 'unknown' : p < b ? 'wins' : p === b ? 'ties' : 'loses';
    return {
      environmentId: c.environmentId,
      title: c.title,
      rows: c.rows.map((r) => ({
        id: r.id,
        name: r.name,
        kind: r.kind,
        family: r.family,
        median: finite(r.median),
        q1: finite(r.q1),
        q3: finite(r.q3),
        seeds: r.seeds,
        unconverged: r.firstK.unconverged,
        censored: r.censored,
        medianCensored: r.medianCensored,
        firstK: figuresOf(r.firstK),
        regret: figuresOf(r.regret),
        vsBaselinePercent: r.id === baseline.id ? null : finite(reductionPercent(r.median, baseline.median)),
      })),
      primary: c.primary,
      baseline: c.baseline,
      metric: c.metric,
      reductionPercent: finite(c.reductionPercent),
      vsBaseline: reductionOf(c.vsBaseline),
      bestConstant: c.bestConstant && { ...c.bestConstant, median: finite(c.bestConstant.median) },
      vsBestConstant: c.vsBestConstant && reductionOf(c.vsBestConstant),
      bestDecay: c.bestDecay && { ...c.bestDecay, median: finite(c.bestDecay.median) },
      vsBestDecay: c.vsBestDecay && reductionOf(c.vsBestDecay),
      bestOther: { id: c.bestOther.id, name: c.bestOther.name, median: finite(c.bestOther.median) },
      reductionVsBestPercent: finite(c.reductionVsBestPercent),
      beatenBy: c.beatenBy,
      verdict,
      reportedReductionPercent: env?.reportedReductionPercent ?? null,
    };
  });
}

const figuresOf = (f: Figures) => ({ median: finite(f.median), q1: finite(f.q1), q3: finite(f.q3) });
const reductionOf = (r: Reduction): RlReduction => ({ percent: finite(r.percent), ci95: r.ci95, bound: r.bound });

/** Median and quartiles (type 7, shared/stats' quantile) across seeds, per episode. */
export function bandOf(columns: readonly ArrayLike<number>[], length: number): RlBand {
  const median = new Float64Array(length);
  const q1 = new Float64Array(length);
  const q3 = new Float64Array(length);
  const values = new Float64Array(columns.length);
  for (let e = 0; e < length; e++) {
    let n = 0;
    for (const c of columns) {
      const v = c[e];
      if (v !== undefined && !Number.isNaN(v)) values[n++] = v;
    }
    if (n === 0) {
      median[e] = q1[e] = q3[e] = Number.NaN;
      continue;
    }
    const sorted = values.subarray(0, n).sort();
    median[e] = quantileOfSorted(sorted, 0.5);
    q1[e] = quantileOfSorted(sorted, 0.25);
    q3[e] = quantileOfSorted(sorted, 0.75);
  }
  return { median, q1, q3 };
}

/** Fraction of traces whose episode reached the goal, per episode. */
export function successRateOf(traces: readonly EpisodeTrace[], length: number): Float64Array {
  const out = new Float64Array(length);
  if (traces.length === 0) return out.fill(Number.NaN);
  for (const t of traces) for (let e = 0; e < length && e < t.success.length; e++) out[e]! += t.success[e]!;
  for (let e = 0; e < length; e++) out[e]! /= traces.length;
  return out;
}
