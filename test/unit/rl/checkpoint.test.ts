import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../shared/random';
import { createStrategy, JobInProgress, parseExperimentText, runJob, type Experiment, type Job, type JobCheckpoint } from '../../../shared/rl';

const parsed = parseExperimentText(readFileSync(path.resolve(__dirname, '../../../resources/experiments/paper.json'), 'utf8'));
if (!parsed.ok) throw new Error('paper.json does not parse');
/** The paper's mazes, shortened: 120 episodes, a change every 40 in the dynamic one. */
const paper: Experiment = {
  ...parsed.experiment,
  environments: parsed.experiment.environments.map((e) => ({ ...e, episodes: 120, ...(e.kind === 'dynamic-maze' ? { schedule: { every: 40 } } : {}) })),
};

/** Runs `job` to episode `stop`, checkpoints through JSON, and finishes in a fresh JobInProgress. */
function interrupted(job: Job, stop: number) {
  const spec = paper.strategies.find((s) => s.id === job.strategyId)!;
  const first = new JobInProgress(paper, job);
  const strategy = createStrategy(spec, first.deviceSeed, { changes: first.changes });
  while (first.nextEpisode < stop) strategy.afterEpisode(first.episode(strategy.alpha(first.nextEpisode), strategy.conductance()));
  const saved = JSON.parse(JSON.stringify(first.snapshot())) as JobCheckpoint;
  const second = new JobInProgress(paper, job);
  second.restore(saved);
  while (!second.done) strategy.afterEpisode(second.episode(strategy.alpha(second.nextEpisode), strategy.conductance()));
  return second.result();
}

describe('a job checkpointed between episodes', () => {
  it('continues draw for draw: the finished job equals an uninterrupted one (any episode, any schedule, either maze)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('static', 'dynamic'),
        fc.constantFrom('constant', 'exponential', 'linear-restarted', 'success-gated'),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 120 }),
        (environmentId, strategyId, seed, stop) => {
          const job = { environmentId, strategyId, seed };
          expect(interrupted(job, stop)).toEqual(runJob(paper, job));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('refuses a checkpoint of another job, a bad counter, a truncated trace, a foreign Q table or a zero stream', () => {
    const job = { environmentId: 'static', strategyId: 'constant', seed: 1 };
    const run = new JobInProgress(paper, job);
    for (let k = 0; k < 5; k++) run.episode(0.5, Number.NaN);
    const good = run.snapshot();
    const fresh = () => new JobInProgress(paper, job);
    expect(() => fresh().restore({ ...good, job: { ...job, seed: 2 } })).toThrow(/not of this one/);
    expect(() => fresh().restore({ ...good, next: 500 })).toThrow(/episode counter must be 0 to 120/);
    expect(() => fresh().restore({ ...good, trace: { ...good.trace, steps: good.trace.steps.slice(1) } })).toThrow(/steps trace holds 4 episodes, not 5/);
    expect(() => fresh().restore({ ...good, agent: { ...good.agent, q: [1, 2, 3] } })).toThrow(/Q table has 3 values/);
    expect(() => fresh().restore({ ...good, env: { ...good.env, rng: { s: [0, 0, 0, 0], spare: null } } })).toThrow(/cannot be all zeros/);
  });

  it('a random stream restored from its snapshot draws what the original draws, normal() included', () => {
    const a = createRng(7);
    a.normal();
    const snap = a.snapshot();
    const b = createRng(99);
    b.restore(JSON.parse(JSON.stringify(snap)));
    expect([b.normal(), b.next(), b.int(10), b.normal()]).toEqual([a.normal(), a.next(), a.int(10), a.normal()]);
  });
});
