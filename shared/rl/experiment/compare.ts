import { pairedReductionInterval } from '../metrics/bootstrap';
import { quartiles, reductionPercent } from '../metrics/stats';
import type { RunResult } from './run';
import type { Experiment, StrategySpec } from './schema';
import { DECAY_FAMILIES, strategyFamily } from './families';

/**
 * The comparison table: per environment, each strategy's figures over seeds, and what the
 * strategy under test gains over the conventional baseline, over the best tuned constant α and
 * over the best tuned decay that is not told of changes — each best computed from the rows, never
 * written by hand. The headline is the stability-aware metric (metrics/convergence.ts); the first-K
 * metric and the regret stand beside it.
 */
export const HEADLINE_METRIC = 'episodes-to-stable-optimal';
export const HEADLINE_METRIC_TITLE = 'episodes until the greedy policy is optimal and stays optimal to the end of each phase (summed over phases)';

/** How far a reduction can be trusted when censored seeds reach a median. */
export type Bound = 'exact' | 'at-least' | 'at-most' | 'unknown';

export interface Figures {
  median: number;
  q1: number;
  q3: number;
}

export interface StrategyRow extends Figures {
  id: string;
  name: string;
  kind: string;
  family: string;
  color?: string | undefined;
  /** Seeds that ran. */
  seeds: number;
  /** Seeds in which some phase never settled (charged its length: a lower bound). */
  censored: number;
  /** A censored seed sits at or below the median, so the true median may be larger. */
  medianCensored: boolean;
  /** The secondary metric: episodes to the first K consecutive optimal episodes. */
  firstK: Figures & { unconverged: number };
  /** Steps beyond the optimum, summed over the run. */
  regret: Figures;
}

export interface Reference {
  id: string;
  name: string;
  median: number;
}

export interface Reduction {
  /** % fewer episodes (median, headline metric) than the reference; negative: more. */
  percent: number;
  /** Paired bootstrap 95 % interval over seeds; null when it cannot be computed. */
  ci95: [number, number] | null;
  bound: Bound;
}

export interface EnvironmentComparison {
  environmentId: string;
  title: string;
  metric: string;
  /** One row per strategy, in the experiment's order. */
  rows: StrategyRow[];
  primary: { id: string; name: string };
  baseline: { id: string; name: string };
  /** Primary vs baseline, % fewer (median, headline metric). */
  reductionPercent: number;
  vsBaseline: Reduction;
  /** The best (lowest-median) constant α other than the primary; null when there is none. */
  bestConstant: Reference | null;
  vsBestConstant: Reduction | null;
  /** The best decay not told of changes; null when there is none. */
  bestDecay: Reference | null;
  vsBestDecay: Reduction | null;
  /** The strategy other than the primary with the lowest median, whatever its family (oracles included). */
  bestOther: Reference;
  reductionVsBestPercent: number;
  /** Strategies whose median is lower than the primary's (empty when the primary wins). */
  beatenBy: string[];
}

interface Series {
  headline: number[];
  censored: boolean[];
}

/** A job's headline figure and whether it is censored (runs stored before the metric existed: NaN). */
function headlineOf(r: RunResult): { value: number; censored: boolean } {
  if (r.settleIterations !== undefined && Number.isFinite(r.settleIterations)) return { value: r.settleIterations, censored: !r.settled };
  if (r.phases.every((p) => p.settleIterations !== undefined)) {
    return { value: r.phases.reduce((s, p) => s + p.settleIterations!, 0), censored: !r.phases.every((p) => p.settled) };
  }
  return { value: Number.NaN, censored: false };
}

function figures(values: readonly number[]): Figures {
  const finite = values.filter(Number.isFinite);
  return quartiles(finite);
}

function boundOf(primary: StrategyRow, reference: StrategyRow): Bound {
  if (primary.medianCensored && reference.medianCensored) return 'unknown';
  if (reference.medianCensored) return 'at-least';
  if (primary.medianCensored) return 'at-most';
  return 'exact';
}

/** Per environment: each strategy's figures over seeds, and the primary's reductions. */
export function compareResults(experiment: Experiment, results: readonly RunResult[]): EnvironmentComparison[] {
  const { primary, baseline } = experiment.comparison;
  return experiment.environments.map((env) => {
    const series = new Map<string, Series & { seeds: number[] }>();
    const rows = experiment.strategies.map((s): StrategyRow => {
      const runs = results.filter((r) => r.environmentId === env.id && r.strategyId === s.id).sort((a, b) => a.seed - b.seed);
      const h = runs.map(headlineOf);
      const headline = h.map((x) => x.value);
      const censored = h.map((x) => x.censored);
      series.set(s.id, { headline, censored, seeds: runs.map((r) => r.seed) });
      const q = figures(headline);
      return {
        id: s.id,
        name: s.name,
        kind: s.kind,
        family: strategyFamily(s),
        color: s.color,
        ...q,
        seeds: runs.length,
        censored: censored.filter(Boolean).length,
        medianCensored: headline.some((v, k) => censored[k] && v <= q.median),
        firstK: { ...figures(runs.map((r) => r.trainingIterations)), unconverged: runs.filter((r) => !r.converged).length },
        regret: figures(runs.map((r) => r.regret ?? r.phases.reduce((sum, p) => sum + (p.regret ?? Number.NaN), 0))),
      };
    });
    const row = (id: string) => rows.find((r) => r.id === id)!;
    const p = row(primary);
    const b = row(baseline);
    const reduction = (ref: StrategyRow): Reduction => ({
      percent: reductionPercent(p.median, ref.median),
      ci95: pairedInterval(series.get(p.id)!, series.get(ref.id)!),
      bound: boundOf(p, ref),
    });
    const others = rows.filter((r) => r.id !== primary);
    const lowest = (list: readonly StrategyRow[]) => list.filter((r) => Number.isFinite(r.median)).reduce<StrategyRow | null>((a, r) => (a === null || r.median < a.median ? r : a), null);
    const specOf = (id: string) => experiment.strategies.find((s) => s.id === id)!;
    const bestConstant = lowest(others.filter((r) => r.kind === 'constant'));
    const bestDecay = lowest(others.filter((r) => isPlainDecay(specOf(r.id))));
    const best = lowest(others) ?? others[0] ?? p;
    const ref = (r: StrategyRow | null): Reference | null => (r === null ? null : { id: r.id, name: r.name, median: r.median });
    return {
      environmentId: env.id,
      title: env.title,
      metric: HEADLINE_METRIC,
      rows,
      primary: { id: p.id, name: p.name },
      baseline: { id: b.id, name: b.name },
      reductionPercent: reductionPercent(p.median, b.median),
      vsBaseline: reduction(b),
      bestConstant: ref(bestConstant),
      vsBestConstant: bestConstant === null ? null : reduction(bestConstant),
      bestDecay: ref(bestDecay),
      vsBestDecay: bestDecay === null ? null : reduction(bestDecay),
      bestOther: { id: best.id, name: best.name, median: best.median },
      reductionVsBestPercent: reductionPercent(p.median, best.median),
      beatenBy: others.filter((r) => r.median < p.median).map((r) => r.name),
    };
  });
}

/** A decay schedule that is not told of changes (the restarted ones are oracles). */
function isPlainDecay(s: StrategySpec): boolean {
  return (DECAY_FAMILIES as readonly string[]).includes(s.kind) && !('restart' in s && s.restart === 'at-change');
}

/** Paired over the seeds both ran (common random numbers); unpaired seeds are left out. */
function pairedInterval(a: Series & { seeds: number[] }, b: Series & { seeds: number[] }): [number, number] | null {
  const index = new Map(b.seeds.map((seed, k) => [seed, k]));
  const x: number[] = [];
  const y: number[] = [];
  a.seeds.forEach((seed, k) => {
    const j = index.get(seed);
    if (j === undefined || !Number.isFinite(a.headline[k]!) || !Number.isFinite(b.headline[j]!)) return;
    x.push(a.headline[k]!);
    y.push(b.headline[j]!);
  });
  return pairedReductionInterval(x, y);
}
