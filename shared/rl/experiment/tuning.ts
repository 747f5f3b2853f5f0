import { z } from 'zod';
import { fieldError } from './messages';
import type { Experiment, StrategySpec } from './schema';
import { strategyFamily } from './families';

/**
 * Tuning in the repository (`workbench tune`): every tuned strategy of an experiment names a search
 * space, and every family gets the same budget of evaluated settings on the tuning seeds only —
 * never on the seeds the comparison reports. A candidate's score is the sum over environments of
 * its median headline figure (censored seeds at their charged length, which can only flatter a
 * candidate that fails to settle less than one that settles late); the lowest score wins, ties to
 * the earlier candidate.
 *
 * Candidates are deterministic: a one-dimensional space is an even grid (in its own scale); more
 * dimensions take the first `budget` points of a Halton sequence (bases 2, 3, 5, 7, 11, 13), so
 * every family's space is covered evenly without a random seed to argue about. Values are rounded
 * to three significant digits so the chosen settings read as written in the experiment file.
 */

/** One searched value: log- or linear-uniform in a range, 1 − x log-uniform (rates near 1), or a choice. */
const range = (name: string) =>
  z.tuple([z.number(), z.number()], { error: fieldError(name, 'a [low, high] pair of numbers') }).refine(([lo, hi]) => lo < hi, { error: `${name}: low must be below high` });

export const dimensionSchema = z.union(
  [
    z.strictObject({ log: range('log').refine(([lo]) => lo > 0, { error: 'log: the range must be positive' }), integer: z.boolean().optional() }),
    z.strictObject({ linear: range('linear'), integer: z.boolean().optional() }),
    z.strictObject({ oneMinusLog: range('oneMinusLog').refine(([lo, hi]) => lo > 0 && hi < 1, { error: 'oneMinusLog: the range must be inside (0, 1)' }) }),
    z.strictObject({ choice: z.array(z.union([z.number(), z.string()])).min(1, { error: 'choice: at least one value' }) }),
  ],
  { error: 'a searched value must be {"log": [lo, hi]}, {"linear": [lo, hi]}, {"oneMinusLog": [lo, hi]} or {"choice": [...]}' },
);
export type Dimension = z.infer<typeof dimensionSchema>;

export const tuningSchema = z.strictObject({
  firstSeed: z.number().int().nonnegative(),
  seeds: z.number().int().min(1).max(1000),
  /** Settings evaluated per family: the same for every family. */
  budget: z.number().int().min(1).max(1000),
  /** strategy id → { dotted field path → searched value }. */
  spaces: z.record(z.string(), z.record(z.string(), dimensionSchema)),
});
export type Tuning = z.infer<typeof tuningSchema>;

const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19];

function halton(index: number, base: number): number {
  let f = 1;
  let r = 0;
  for (let i = index; i > 0; i = Math.floor(i / base)) {
    f /= base;
    r += f * (i % base);
  }
  return r;
}

export function roundSignificant(x: number, digits = 3): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  return Number(x.toPrecision(digits));
}

function valueAt(d: Dimension, u: number): number | string {
  if ('choice' in d) return d.choice[Math.min(d.choice.length - 1, Math.floor(u * d.choice.length))]!;
  if ('oneMinusLog' in d) {
    const [lo, hi] = d.oneMinusLog;
    // 1 − x log-uniform between 1 − hi and 1 − lo: rates 0.99…0.9999 spread evenly by half-life.
    const q = Math.exp(Math.log(1 - hi) + u * (Math.log(1 - lo) - Math.log(1 - hi)));
    return roundSignificant(1 - roundSignificant(q, 2), 6);
  }
  const [lo, hi] = 'log' in d ? d.log : d.linear;
  const x = 'log' in d ? Math.exp(Math.log(lo) + u * (Math.log(hi) - Math.log(lo))) : lo + u * (hi - lo);
  return d.integer ? Math.round(x) : roundSignificant(x);
}

/** The `budget` settings of one space, each a map from field path to value. */
export function candidateSettings(space: Record<string, Dimension>, budget: number): Record<string, number | string>[] {
  const paths = Object.keys(space);
  return Array.from({ length: budget }, (_, k) => {
    const out: Record<string, number | string> = {};
    paths.forEach((path, d) => {
      const u = paths.length === 1 ? (k + 0.5) / budget : halton(k + 1, PRIMES[d % PRIMES.length]!);
      out[path] = valueAt(space[path]!, u);
    });
    return out;
  });
}

/** A copy of the strategy with the settings written into it (dotted paths create nested objects). */
export function applySettings<S extends StrategySpec>(strategy: S, settings: Record<string, number | string>): S {
  const copy = JSON.parse(JSON.stringify(strategy)) as Record<string, unknown>;
  for (const [path, value] of Object.entries(settings)) {
    const keys = path.split('.');
    let at = copy;
    for (const key of keys.slice(0, -1)) {
      if (typeof at[key] !== 'object' || at[key] === null) at[key] = {};
      at = at[key] as Record<string, unknown>;
    }
    at[keys.at(-1)!] = value;
  }
  return copy as S;
}

/** The value at a dotted path of a strategy (for checking the shipped experiment against a tuning). */
export function settingOf(strategy: StrategySpec, path: string): unknown {
  return path.split('.').reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), strategy);
}

export interface Candidate {
  /** The tuned strategy's id in the experiment. */
  strategyId: string;
  family: string;
  index: number;
  settings: Record<string, number | string>;
  spec: StrategySpec;
}

/** Every candidate of every tuned strategy, ids `<strategy>~<k>`. */
export function tuningCandidates(experiment: Experiment, tuning: Tuning): Candidate[] {
  return Object.entries(tuning.spaces).flatMap(([strategyId, space]) => {
    const base = experiment.strategies.find((s) => s.id === strategyId);
    if (!base) throw new RangeError(`tuning.spaces names '${strategyId}', which is not a strategy of the experiment`);
    return candidateSettings(space, tuning.budget).map((settings, index) => {
      const spec = { ...applySettings(base, settings), id: `${strategyId}~${index}`, name: `${base.name} #${index}` } as StrategySpec;
      return { strategyId, family: strategyFamily(base), index, settings, spec };
    });
  });
}

/** Tuning seeds that are also evaluation seeds: the tuner refuses them. */
export function overlappingSeeds(experiment: Experiment, tuning: Tuning): number[] {
  const out: number[] = [];
  for (let s = tuning.firstSeed; s < tuning.firstSeed + tuning.seeds; s++) if (s >= experiment.firstSeed && s < experiment.firstSeed + experiment.seeds) out.push(s);
  return out;
}

/** A schedule's name from its settings, so a tuned strategy's label cannot disagree with its values. */
export function describeStrategy(s: StrategySpec): string {
  const oracle = 'restart' in s && s.restart === 'at-change' ? ', restarted at each change (oracle)' : '';
  switch (s.kind) {
    case 'constant':
      return `Constant α = ${s.alpha}`;
    case 'exponential':
      return `Exponential decay ${s.alpha0}·${s.rate}ⁿ, floor ${s.alphaMin}${oracle}`;
    case 'inverse-time':
      return `Inverse time ${s.alpha0}/(1 + ${s.k}·n)${oracle}`;
    case 'polynomial':
      return `Polynomial ${s.alpha0}/(n + 1)^${s.omega}${oracle}`;
    case 'linear':
      return `Linear ${s.alpha0} → ${s.alphaEnd} over ${s.episodes} episodes${oracle}`;
    case 'success-gated':
      return `Success-gated software α ${s.alphaMax} → ${s.alphaMin} (drop ${s.drop}, τ ${s.tau} episodes)`;
    case 'device':
      return s.name;
  }
}

export interface ScoredCandidate {
  strategyId: string;
  family: string;
  index: number;
  settings: Record<string, number | string>;
  /** Per environment: the median headline figure and the censored seeds. */
  environments: Record<string, { median: number; censored: number }>;
  /** Σ over environments of the medians: lower is better. */
  score: number;
}

/** Scores candidates from a comparison over the tuning seeds; the rows carry the candidates' ids. */
export function scoreCandidates(candidates: readonly Candidate[], comparison: readonly { environmentId: string; rows: readonly { id: string; median: number; censored: number }[] }[]): ScoredCandidate[] {
  return candidates.map((c) => {
    const environments: ScoredCandidate['environments'] = {};
    let score = 0;
    for (const env of comparison) {
      const row = env.rows.find((r) => r.id === c.spec.id)!;
      environments[env.environmentId] = { median: row.median, censored: row.censored };
      score += row.median;
    }
    return { strategyId: c.strategyId, family: c.family, index: c.index, settings: c.settings, environments, score };
  });
}

/** The winner of each tuned strategy: lowest score, ties to the earlier candidate. */
export function chooseBest(scored: readonly ScoredCandidate[]): ScoredCandidate[] {
  const best = new Map<string, ScoredCandidate>();
  for (const c of scored) {
    const b = best.get(c.strategyId);
    if (!b || c.score < b.score) best.set(c.strategyId, c);
  }
  return [...best.values()];
}

/** The experiment with each tuned strategy set to its winner (and a schedule's name saying its values). */
export function applyChoices(experiment: Experiment, chosen: readonly ScoredCandidate[]): Experiment {
  return {
    ...experiment,
    strategies: experiment.strategies.map((s) => {
      const c = chosen.find((x) => x.strategyId === s.id);
      if (!c) return s;
      const tuned = applySettings(s, c.settings);
      return { ...tuned, name: s.kind === 'device' ? s.name : describeStrategy(tuned) };
    }),
  };
}

/** Problems of a tuning section against its experiment's strategies, with paths inside `tuning`. */
export function tuningProblems(strategies: readonly StrategySpec[], tuning: Tuning): { path: (string | number)[]; message: string }[] {
  const out: { path: (string | number)[]; message: string }[] = [];
  for (const [id, space] of Object.entries(tuning.spaces)) {
    const strategy = strategies.find((s) => s.id === id);
    // A space whose strategy was removed (a subset of the experiment, e.g. on the RL page) is not a
    // problem until someone tunes it: tuningCandidates refuses it then.
    if (!strategy) continue;
    for (const [field, d] of Object.entries(space)) {
      const current = settingOf(strategy, field);
      const type = typeof current;
      if (type !== 'number' && type !== 'string') {
        out.push({ path: ['spaces', id, field], message: `tuning.spaces.${id}: '${field}' is not a number or text field of that strategy` });
        continue;
      }
      if ('choice' in d) {
        d.choice.forEach((v, k) => {
          if (typeof v !== type) out.push({ path: ['spaces', id, field, 'choice', k], message: `choice[${k}] must be a ${type}, as ${field} is (got ${JSON.stringify(v)})` });
        });
      } else if (type !== 'number') out.push({ path: ['spaces', id, field], message: `${field} is a text: search it with {"choice": [...]}` });
    }
  }
  return out;
}
