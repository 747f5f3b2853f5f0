import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RL_BOUNDS } from '../../../shared/contract/limits';
import { parseExperiment, parseExperimentText, tuningCandidates, tuningWorkProblem, worstCaseSteps, type Experiment } from '../../../shared/rl';
import { formatCount } from '../../../shared/units';
import { paperJson, repoRoot } from './helpers';

const BOUND = RL_BOUNDS.agentSteps;

interface Shape {
  seeds: number;
  strategies: number;
  /** Per environment kept (static first, then dynamic): its episode cap and step cap. */
  envs: { episodes: number; stepCap: number }[];
}

/** The paper experiment cut to `strategies` strategies and the environments given, as JSON. */
function experimentOf(s: Shape): Record<string, unknown> {
  const doc = paperJson() as unknown as { seeds: number; strategies: unknown[]; environments: { episodes?: number; maze: { stepCap: number } }[] };
  doc.seeds = s.seeds;
  doc.strategies = doc.strategies.slice(0, s.strategies);
  doc.environments = doc.environments.slice(0, s.envs.length);
  s.envs.forEach((e, k) => {
    doc.environments[k]!.episodes = e.episodes;
    doc.environments[k]!.maze.stepCap = e.stepCap;
  });
  return doc as unknown as Record<string, unknown>;
}

/** The worst case, exactly (BigInt: no rounding can move a case across the bound). */
function exactTotal(s: Shape): bigint {
  return BigInt(s.seeds) * BigInt(s.strategies) * s.envs.reduce((sum, e) => sum + BigInt(e.episodes) * BigInt(e.stepCap), 0n);
}

const env = fc.record({ episodes: fc.integer({ min: 10, max: 1_000_000 }), stepCap: fc.integer({ min: 1, max: 100_000 }) });
const shape = fc.record({ strategies: fc.integer({ min: 2, max: 15 }), envs: fc.array(env, { minLength: 1, maxLength: 2 }) });
/** Any seed count, and the seed counts either side of the bound (where a wrong comparison shows). */
const shapes: fc.Arbitrary<Shape> = fc.oneof(
  fc.tuple(shape, fc.integer({ min: 1, max: 10_000 })).map(([s, seeds]) => ({ ...s, seeds })),
  fc.tuple(shape, fc.integer({ min: 0, max: 1 })).map(([s, extra]) => {
    const perSeed = exactTotal({ ...s, seeds: 1 });
    const most = Number(BigInt(BOUND) / perSeed);
    return { ...s, seeds: Math.min(10_000, Math.max(1, most + extra)) };
  }),
);

describe('the bound on an RL experiment’s total work', () => {
  it('accepts exactly the experiments at or under the bound, and refuses the others at the factor to reduce, with the total and the bound', () => {
    fc.assert(
      fc.property(shapes, (s) => {
        const r = parseExperiment(experimentOf(s));
        const total = exactTotal(s);
        if (total <= BigInt(BOUND)) {
          expect(r.ok).toBe(true);
          return;
        }
        expect(r.ok).toBe(false);
        if (r.ok) return;
        expect(r.problems).toHaveLength(1);
        const [p] = r.problems;
        expect(p!.message).toContain(`up to ${formatCount(Number(total))} agent steps`);
        expect(p!.message).toContain(`over the bound of ${formatCount(BOUND)} per request (ours)`);
        const mostSeeds = BigInt(BOUND) / (total / BigInt(s.seeds));
        if (mostSeeds >= 1n) {
          expect(p!.path).toBe('seeds');
          expect(p!.message).toContain(`reduce seeds to at most ${formatCount(Number(mostSeeds))}`);
          // The advice holds: that many seeds is within the bound.
          expect(parseExperiment(experimentOf({ ...s, seeds: Number(mostSeeds) })).ok).toBe(true);
        } else {
          expect(p!.path).toMatch(/^environments\[\d\]\.(episodes|maze\.stepCap)$/);
          expect(p!.message).toContain('even one seed is over it');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('accepts an experiment at exactly the bound and refuses it with one seed more', () => {
    // 2 strategies × 50,000 episodes × 100 steps = 10,000,000 steps a seed; 5,000 seeds = the bound.
    const at: Shape = { seeds: 5_000, strategies: 2, envs: [{ episodes: 50_000, stepCap: 100 }] };
    expect(exactTotal(at)).toBe(BigInt(BOUND));
    expect(parseExperiment(experimentOf(at)).ok).toBe(true);
    const over = parseExperiment(experimentOf({ ...at, seeds: 5_001 }));
    expect(over.ok).toBe(false);
    if (!over.ok) expect(over.problems).toEqual([{ path: 'seeds', message: expect.stringMatching(/50,010,000,000 agent steps .* 50,000,000,000 .* reduce seeds to at most 5,000$/) }]);
  });

  it('leaves generous headroom above every shipped experiment and `workbench tune` with its shipped defaults (the figures limits.ts cites)', () => {
    const dir = path.join(repoRoot, 'resources', 'experiments');
    const shipped = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(shipped.length).toBeGreaterThan(0);
    const worst: Record<string, number> = {};
    let tune = 0;
    for (const f of shipped) {
      const r = parseExperimentText(readFileSync(path.join(dir, f), 'utf8'));
      expect(r.ok, f).toBe(true);
      if (!r.ok) continue;
      const x: Experiment = r.experiment;
      worst[f] = worstCaseSteps(x, x.seeds, x.strategies.length);
      if (x.tuning) {
        const candidates = tuningCandidates(x, x.tuning).length;
        tune = Math.max(tune, worstCaseSteps(x, x.tuning.seeds, candidates));
        expect(tuningWorkProblem(x, x.tuning)).toBeNull();
        // ~36,000 jobs: every candidate on every tuning seed and environment.
        expect(candidates * x.tuning.seeds * x.environments.length).toBe(35_840);
      }
    }
    expect(worst['paper.json']).toBe(270_000_000);
    expect(tune).toBe(6_451_200_000);
    const largest = Math.max(tune, ...Object.values(worst));
    expect(BOUND / largest).toBeGreaterThanOrEqual(5);
  });

  it('refuses a tuning over the bound, naming the budget that fits', () => {
    const r = parseExperiment(paperJson());
    if (!r.ok) throw new Error('the shipped experiment must parse');
    const x = r.experiment;
    const p = tuningWorkProblem(x, { ...x.tuning!, budget: 1000 });
    expect(p?.path).toEqual(['budget']);
    // 20 seeds × 14 tuned strategies × 360,000 steps a job: a budget of 496 fits, 497 does not.
    expect(p?.message).toContain('reduce the budget to at most 496');
    expect(tuningWorkProblem(x, { ...x.tuning!, budget: 496 })).toBeNull();
    expect(tuningWorkProblem(x, { ...x.tuning!, budget: 497 })).not.toBeNull();
  });
});
