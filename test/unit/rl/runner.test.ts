import { describe, expect, it } from 'vitest';
import {
  compareResults,
  jobSeeds,
  parseExperiment,
  runJob,
  type Experiment,
  type ExperimentInput,
  type RunResult,
} from '../../../shared/rl';
import { paperJson } from './helpers';

function experiment(edit: (doc: ExperimentInput) => void = () => {}): Experiment {
  const doc = paperJson();
  edit(doc);
  const r = parseExperiment(doc);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.experiment;
}

const paper = experiment();
const device = 'device-intrinsic-gradient';

describe('the pure runner', () => {
  it('gives identical results for identical seeds, and different ones for different seeds', () => {
    for (const environmentId of ['static', 'dynamic']) {
      const a = runJob(paper, { environmentId, strategyId: device, seed: 3 });
      const b = runJob(paper, { environmentId, strategyId: device, seed: 3 });
      expect(b).toEqual(a);
      const c = runJob(paper, { environmentId, strategyId: device, seed: 4 });
      expect(c.episodes.steps).not.toEqual(a.episodes.steps);
    }
  });

  it('derives separate environment, agent and device seeds from the job seed', () => {
    const s = jobSeeds(1);
    expect(new Set([s.environment, s.agent, s.device]).size).toBe(3);
    expect(jobSeeds(1)).toEqual(s);
    expect(jobSeeds(2)).not.toEqual(s);
  });

  it('records per-episode traces and sums training iterations over phases', () => {
    const r = runJob(paper, { environmentId: 'dynamic', strategyId: device, seed: 0 });
    expect(r.episodes.alpha).toHaveLength(1200);
    expect(r.phases.map((p) => [p.start, p.length, p.optimalLength])).toEqual([
      [0, 300, 18],
      [300, 300, 13],
      [600, 300, 18],
      [900, 300, 13],
    ]);
    expect(r.trainingIterations).toBe(r.phases.reduce((s, p) => s + p.iterations, 0));
    // Every converged phase really does start a run of K optimal greedy walks at that point.
    for (const p of r.phases.filter((q) => q.converged)) {
      const first = p.start + p.iterations - 1;
      const streak = Array.from(r.episodes.greedyLength.subarray(first, first + paper.convergenceWindow));
      expect(streak).toEqual(new Array(paper.convergenceWindow).fill(p.optimalLength));
      // … and no earlier episode of the phase does.
      const K = paper.convergenceWindow;
      for (let e = p.start; e < first; e++) {
        expect(Array.from(r.episodes.greedyLength.subarray(e, e + K)).every((g) => g === p.optimalLength)).toBe(false);
      }
    }
    // Schedules carry no conductance; the device does.
    expect(Number.isNaN(runJob(paper, { environmentId: 'static', strategyId: 'constant-0.1', seed: 0 }).episodes.conductance[0])).toBe(true);
    expect(r.episodes.conductance[0]).toBeGreaterThan(0);
  });

  it('a constant learning rate is exactly that constant in the trace', () => {
    const r = runJob(paper, { environmentId: 'static', strategyId: 'constant-0.1', seed: 1 });
    expect(new Set(r.episodes.alpha)).toEqual(new Set([0.1]));
  });
});

describe('success gating in the dynamic maze', () => {
  /** Mean α over the 40 episodes before and after each change (means, so read noise averages out). */
  function aroundChanges(x: Experiment, seed: number) {
    const r = runJob(x, { environmentId: 'dynamic', strategyId: device, seed });
    const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
    return r.phases.slice(1).map((p) => {
      const before = mean(r.episodes.alpha.subarray(p.start - 40, p.start));
      const after = mean(r.episodes.alpha.subarray(p.start, p.start + 40));
      const successBefore = r.episodes.success.subarray(p.start - 40, p.start).reduce((s, v) => s + v, 0);
      const successAfter = r.episodes.success.subarray(p.start, p.start + 40).reduce((s, v) => s + v, 0);
      return { before, after, successBefore, successAfter };
    });
  }

  it('makes α rise by itself after a change: failures stop the spikes and the device relaxes', () => {
    for (const seed of [0, 1, 2]) {
      for (const c of aroundChanges(paper, seed)) {
        expect(c.successAfter).toBeLessThan(c.successBefore);
        expect(c.after - c.before).toBeGreaterThan(0.03);
      }
    }
  });

  it('does not when the device is spiked after every episode regardless of success', () => {
    const everyEpisode = experiment((doc) => {
      const s = doc.strategies.find((q) => q.id === device) as { spike: unknown };
      s.spike = { kind: 'every-episode' };
    });
    for (const seed of [0, 1, 2]) {
      for (const c of aroundChanges(everyEpisode, seed)) expect(c.after - c.before).toBeLessThan(0.01);
    }
  });
});

describe('comparison', () => {
  /** Jobs whose headline and first-K figures are both `iterations`; the first `unconverged` seeds are censored. */
  const fake = (environmentId: string, strategyId: string, iterations: number[], unconverged = 0): RunResult[] =>
    iterations.map((trainingIterations, seed) => ({
      environmentId,
      strategyId,
      seed,
      trainingIterations,
      converged: seed >= unconverged,
      settleIterations: trainingIterations,
      settled: seed >= unconverged,
      regret: 0,
      phases: [],
      episodes: {} as RunResult['episodes'],
    }));

  it('computes medians, quartiles and the primary’s reductions vs the baseline and the best other strategy', () => {
    const x = experiment((doc) => {
      doc.environments = doc.environments.slice(0, 1);
      doc.strategies = doc.strategies.filter((s) => [device, 'constant-0.1', 'constant'].includes(s.id));
    });
    const results = [
      ...fake('static', device, [30, 40, 31.25, 20]),
      ...fake('static', 'constant-0.1', [100, 90, 110, 100], 1),
      ...fake('static', 'constant', [40, 50, 45, 35]),
    ];
    const [c] = compareResults(x, results);
    expect(c!.rows.map((r) => [r.id, r.median, r.q1, r.q3, r.seeds, r.censored])).toEqual([
      [device, 30.625, 27.5, 33.4375, 4, 0],
      ['constant-0.1', 100, 97.5, 102.5, 4, 1],
      ['constant', 42.5, 38.75, 46.25, 4, 0],
    ]);
    expect(c!.reductionPercent).toBeCloseTo(69.375, 10);
    expect(c!.bestOther.id).toBe('constant');
    expect(c!.reductionVsBestPercent).toBeCloseTo((1 - 30.625 / 42.5) * 100, 10);
    expect(c!.beatenBy).toEqual([]);
    const [worse] = compareResults(x, [...fake('static', device, [60, 60]), ...fake('static', 'constant-0.1', [100]), ...fake('static', 'constant', [40])]);
    expect(worse!.beatenBy).toEqual(['Constant α = 0.269']);
    expect(worse!.reductionVsBestPercent).toBeCloseTo(-50, 10);
  });
});

describe('censored seeds in the comparison', () => {
  const x = experiment((doc) => {
    doc.environments = doc.environments.slice(0, 1);
    doc.strategies = doc.strategies.filter((s) => ['device-intrinsic-gradient', 'constant-0.1', 'constant'].includes(s.id));
  });
  const job = (strategyId: string, seed: number, value: number, settled: boolean): RunResult => ({
    environmentId: 'static',
    strategyId,
    seed,
    trainingIterations: value,
    converged: true,
    settleIterations: value,
    settled,
    regret: 0,
    phases: [],
    episodes: {} as RunResult['episodes'],
  });

  it('are counted, mark a median they reach, and turn a reduction into a bound — never a plain "% more" from a cap', () => {
    const results = [
      ...[50, 60, 70].map((v, seed) => job('device-intrinsic-gradient', seed, v, true)),
      // Two of three seeds never settled: charged the phase length (600), a lower bound.
      ...[100, 600, 600].map((v, seed) => job('constant-0.1', seed, v, v < 600)),
      // One censored seed above the median does not reach it.
      ...[80, 90, 600].map((v, seed) => job('constant', seed, v, v < 600)),
    ];
    const [c] = compareResults(x, results);
    const row = (id: string) => c!.rows.find((r) => r.id === id)!;
    expect([row('constant-0.1').censored, row('constant-0.1').medianCensored]).toEqual([2, true]);
    expect([row('constant').censored, row('constant').medianCensored]).toEqual([1, false]);
    expect(c!.vsBaseline.bound).toBe('at-least');
    expect(c!.bestConstant!.id).toBe('constant');
    expect(c!.vsBestConstant!.bound).toBe('exact');
    // The primary's own censoring makes its reduction an upper bound.
    const [d] = compareResults(x, [...[600, 600, 50].map((v, seed) => job('device-intrinsic-gradient', seed, v, v < 600)), ...results.slice(3)]);
    expect(d!.vsBestConstant!.bound).toBe('at-most');
  });

  it('are the same for the same seeds: the comparison and its intervals are deterministic', () => {
    const results = [30, 40, 50, 60].flatMap((v, seed) => [job('device-intrinsic-gradient', seed, v, true), job('constant-0.1', seed, 2 * v, true), job('constant', seed, v + 5, true)]);
    expect(compareResults(x, results)).toEqual(compareResults(x, [...results].reverse()));
  });
});
