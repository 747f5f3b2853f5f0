import { quartiles, reductionPercent } from '../metrics/stats';
import type { RunResult } from './run';
import type { Experiment } from './schema';

export interface StrategyRow {
  id: string;
  name: string;
  kind: string;
  color?: string | undefined;
  median: number;
  q1: number;
  q3: number;
  /** Seeds that ran. */
  seeds: number;
  /** Seeds in which at least one phase never converged (charged its full length). */
  unconverged: number;
}

export interface EnvironmentComparison {
  environmentId: string;
  title: string;
  /** One row per strategy, in the experiment's order. */
  rows: StrategyRow[];
  primary: { id: string; name: string };
  baseline: { id: string; name: string };
  /** Median training iterations: primary vs baseline, in % of the baseline (positive = fewer). */
  reductionPercent: number;
  /** The strategy other than the primary with the lowest median: the best-tuned alternative. */
  bestOther: { id: string; name: string; median: number };
  reductionVsBestPercent: number;
  /** Strategies whose median is lower than the primary's (empty when the primary wins). */
  beatenBy: string[];
}

/** Per environment: each strategy's median and quartiles over seeds, and the primary's reductions. */
export function compareResults(experiment: Experiment, results: readonly RunResult[]): EnvironmentComparison[] {
  const { primary, baseline } = experiment.comparison;
  return experiment.environments.map((env) => {
    const rows = experiment.strategies.map((s): StrategyRow => {
      const runs = results.filter((r) => r.environmentId === env.id && r.strategyId === s.id);
      const q = quartiles(runs.map((r) => r.trainingIterations));
      return { id: s.id, name: s.name, kind: s.kind, color: s.color, ...q, seeds: runs.length, unconverged: runs.filter((r) => !r.converged).length };
    });
    const row = (id: string) => rows.find((r) => r.id === id)!;
    const p = row(primary);
    const b = row(baseline);
    const others = rows.filter((r) => r.id !== primary);
    const best = others.reduce((a, r) => (r.median < a.median ? r : a), others[0] ?? p);
    return {
      environmentId: env.id,
      title: env.title,
      rows,
      primary: { id: p.id, name: p.name },
      baseline: { id: b.id, name: b.name },
      reductionPercent: reductionPercent(p.median, b.median),
      bestOther: { id: best.id, name: best.name, median: best.median },
      reductionVsBestPercent: reductionPercent(p.median, best.median),
      beatenBy: others.filter((r) => r.median < p.median).map((r) => r.name),
    };
  });
}
