import { describe, expect, it } from 'vitest';
import type { EventName } from '../../../shared/contract';
import type { RlComparison, RlEpisodes, RlPath, RlProgress, RlRunSummary } from '../../../shared/contract/areas/rl';
import { compareResults, experimentJobs, runJob, type RunResult } from '../../../shared/rl';
import { quantile } from '../../../shared/stats';
import type { AppServices } from '../../../electron/app/app-services';
import { services, smallExperiment, smallExperimentJson, tempDir } from './helpers';
import { EventBus } from '../../../electron/router';
import { memoryLogger } from '../../../electron/services/logs';
import { RlManager } from '../../../electron/services/rl';
import { openStore } from '../../../electron/services/store';
import { virtualClock } from '../../fixtures/virtual-clock';

async function call<T>(s: AppServices, method: string, params: unknown): Promise<T> {
  const r = await s.router.call(method, params);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code, details: r.error.details });
  return r.value as T;
}

async function fails(s: AppServices, method: string, params: unknown): Promise<{ code: string; message: string; details?: unknown }> {
  const r = await s.router.call(method, params);
  if (r.ok) throw new Error(`${method} succeeded`);
  return r.error;
}

function record(s: AppServices): RlProgress[] {
  const events: RlProgress[] = [];
  s.bus.subscribe((name: EventName, payload: unknown) => {
    if (name === 'rl.progress') events.push(payload as RlProgress);
  });
  return events;
}

async function until(s: AppServices, id: string, timeoutMs = 60_000): Promise<RlRunSummary> {
  const start = Date.now();
  for (;;) {
    const { run } = await call<{ run: RlRunSummary }>(s, 'rl.get', { id });
    if (run.status !== 'running') return run;
    if (Date.now() - start > timeoutMs) throw new Error('the RL run did not end');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const x = smallExperiment();
const reference: RunResult[] = experimentJobs(x).map((job) => runJob(x, job));

describe('RL runs through the contract', () => {
  it('rejects an invalid experiment with every problem and its path', async () => {
    const s = services();
    const bad = smallExperimentJson() as Record<string, unknown>;
    (bad.strategies as Record<string, unknown>[])[1]!.alpha = 2;
    bad.convergenceWindow = 0;
    const err = await fails(s, 'rl.start', { experiment: bad });
    expect(err.code).toBe('invalid_request');
    expect(err.message).toMatch(/^rl\.start: /);
    const problems = (err.details as { problems: { path: string; message: string }[] }).problems;
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(['experiment.strategies[1].alpha', 'experiment.convergenceWindow']));
    expect(problems.find((p) => p.path === 'experiment.strategies[1].alpha')!.message).toMatch(/alpha must be in \(0, 1\] \(got 2\)/);
    // Nothing was stored.
    expect((await call<{ runs: unknown[] }>(s, 'rl.list', {})).runs).toEqual([]);
    // Unknown fields of the request itself are refused by the router (strict inputs).
    expect((await fails(s, 'rl.start', { experiment: smallExperimentJson(), seed: 3 })).code).toBe('invalid_request');
  });

  it('refuses a run over the work bound (RL_BOUNDS, ours) at its seeds, whether the experiment or the request asks for them; nothing is stored', async () => {
    const s = services();
    const paper = (await call<{ experiment: Record<string, unknown> }[]>(s, 'rl.presets', {}))[0]!.experiment;
    // 10,000 seeds × 15 strategies × 360,000 steps a job = 54,000,000,000 agent steps.
    const inFile = await fails(s, 'rl.start', { experiment: { ...paper, seeds: 10_000 } });
    expect(inFile.code).toBe('invalid_request');
    const problems = (inFile.details as { problems: { path: string; message: string }[] }).problems;
    expect(problems).toEqual([{ path: 'experiment.seeds', message: expect.stringMatching(/up to 54,000,000,000 agent steps .* over the bound of 50,000,000,000 per request \(ours\): reduce seeds to at most 9,259$/) }]);
    const asked = await fails(s, 'rl.start', { experiment: paper, seeds: 10_000 });
    expect(asked.code).toBe('invalid_request');
    expect(asked.message).toMatch(/seeds: this asks for up to 54,000,000,000 agent steps .* reduce seeds to at most 9,259/);
    expect((await call<{ runs: unknown[] }>(s, 'rl.list', {})).runs).toEqual([]);
  });

  it('runs a comparison, stores it as it goes, publishes throttled progress, and gives what the single-thread runner gives', async () => {
    const s = services();
    const events = record(s) as (RlProgress & { at: number })[];
    const { rlRunId: id } = await call<{ rlRunId: string }>(s, 'rl.start', { experiment: smallExperimentJson(), name: 'small run' });
    // Only one at a time.
    expect((await fails(s, 'rl.start', { experiment: smallExperimentJson() })).code).toBe('conflict');
    const run = await until(s, id);
    expect(run).toMatchObject({ name: 'small run', status: 'completed', jobsDone: 18, jobsTotal: 18, seeds: [0, 1, 2], hardware: false });
    expect(run.wallSeconds).toBeGreaterThan(0);

    // Progress: starts at 0, ends 'completed' at 18/18, counts never go back (the rate: the next test).
    expect(events[0]).toMatchObject({ id, status: 'running', done: 0, total: 18, etaS: null });
    expect(events.at(-1)).toMatchObject({ id, status: 'completed', done: 18, total: 18 });
    for (let k = 1; k < events.length; k++) expect(events[k]!.done).toBeGreaterThanOrEqual(events[k - 1]!.done);
    const running = events.filter((e) => e.status === 'running');
    expect(running.slice(1).every((e) => e.etaS !== null && e.etaS >= 0)).toBe(true);

    // Every stored trace is the single-thread runner's.
    for (const r of reference) {
      const one = await call<Extract<RlEpisodes, { kind: 'seed' }>>(s, 'rl.episodes', { id, environment: r.environmentId, strategy: r.strategyId, seed: r.seed });
      expect(one.steps).toEqual(r.episodes.steps);
      expect(one.alpha).toEqual(r.episodes.alpha);
      expect(one.conductance).toEqual(r.episodes.conductance);
      expect(one.returns).toEqual(r.episodes.returns);
    }

    // The comparison is shared/rl's, with the verdict and the published figure beside it.
    const got = await call<{ comparison: RlComparison[]; partial: boolean; jobs: unknown[]; experiment: unknown }>(s, 'rl.get', { id });
    expect(got.partial).toBe(false);
    expect(got.jobs).toHaveLength(18);
    expect(got.experiment).toEqual(x);
    const expected = compareResults(x, reference);
    for (const [k, c] of got.comparison.entries()) {
      const e = expected[k]!;
      expect(c.environmentId).toBe(e.environmentId);
      expect(c.rows.map((r) => [r.id, r.median, r.q1, r.q3, r.seeds, r.unconverged, r.censored])).toEqual(e.rows.map((r) => [r.id, r.median, r.q1, r.q3, r.seeds, r.firstK.unconverged, r.censored]));
      expect(c.vsBestConstant?.ci95).toEqual(e.vsBestConstant?.ci95);
      expect(c.reductionPercent).toBeCloseTo(e.reductionPercent, 12);
      expect(c.bestOther.id).toBe(e.bestOther.id);
      const p = e.rows.find((r) => r.id === 'device')!.median;
      expect(c.verdict).toBe(p < e.bestOther.median ? 'wins' : p === e.bestOther.median ? 'ties' : 'loses');
      expect(c.rows.find((r) => r.id === 'constant')!.vsBaselinePercent).toBeNull();
    }
    expect(got.comparison.map((c) => c.reportedReductionPercent)).toEqual([null, 35.65]);
    // The list carries the stored comparison.
    const listed = (await call<{ runs: RlRunSummary[] }>(s, 'rl.list', {})).runs;
    expect(listed.map((r) => r.id)).toEqual([id]);
    expect(listed[0]!.comparison).toEqual(got.comparison);
  });

  it('gives median and IQR per episode across seeds, and the agent’s replayed path in any episode', async () => {
    const dir = tempDir();
    const s = services(dir);
    // The service directly (the handler path is covered above).
    const { id, finished } = s.rl.start({ experiment: x });
    expect((await finished).status).toBe('completed');

    const agg = await call<Extract<RlEpisodes, { kind: 'aggregate' }>>(s, 'rl.episodes', { id, environment: 'dynamic', strategy: 'device' });
    expect(agg.kind).toBe('aggregate');
    expect(agg.seeds).toEqual([0, 1, 2]);
    expect(agg.length).toBe(60);
    const runs = reference.filter((r) => r.environmentId === 'dynamic' && r.strategyId === 'device');
    for (const e of [0, 10, 29, 30, 59]) {
      const steps = runs.map((r) => r.episodes.steps[e]!);
      expect(agg.steps.median[e]).toBe(quantile(steps, 0.5));
      expect(agg.steps.q1[e]).toBe(quantile(steps, 0.25));
      expect(agg.steps.q3[e]).toBe(quantile(steps, 0.75));
      expect(agg.conductance.median[e]).toBe(quantile(runs.map((r) => r.episodes.conductance[e]!), 0.5));
      expect(agg.successRate[e]).toBeCloseTo(runs.filter((r) => r.episodes.success[e] === 1).length / 3, 12);
    }
    // A schedule has no conductance: its band is NaN (drawn as a gap), its α band is the schedule.
    const constant = await call<Extract<RlEpisodes, { kind: 'aggregate' }>>(s, 'rl.episodes', { id, environment: 'static', strategy: 'constant' });
    expect(Number.isNaN(constant.conductance.median[0]!)).toBe(true);
    expect([...constant.alpha.median]).toEqual(new Array(60).fill(0.1));

    // Paths: the replay reproduces every stored episode of a job (steps, return, success).
    const job = reference.find((r) => r.environmentId === 'dynamic' && r.strategyId === 'device' && r.seed === 1)!;
    const paths: RlPath[] = [];
    for (let e = 0; e < 60; e++) {
      const p = await call<RlPath>(s, 'rl.path', { id, environment: 'dynamic', strategy: 'device', seed: 1, episode: e });
      expect(p.matchesStored).toBe(true);
      expect(p.steps).toBe(job.episodes.steps[e]);
      expect(p.return).toBe(job.episodes.returns[e]);
      expect(p.path.length).toBe(p.steps + 1);
      expect(p.path[0]).toBe(0); // the start, top left
      expect(p.alpha).toBe(job.episodes.alpha[e]);
      expect(p.conductance).toBe(job.episodes.conductance[e]);
      paths.push(p);
    }
    // The goal moves to [0, 4] at episode 30: the path ends there when it succeeds.
    const before = paths[29]!;
    const after = paths[45]!;
    expect(before.phase).toBe(0);
    expect(before.layout[3]).toBe('...#G');
    expect(after.phase).toBe(1);
    expect(after.layout[0]).toBe('S..#G');
    if (before.success) expect(before.path.at(-1)).toBe(3 * 5 + 4);
    if (after.success) expect(after.path.at(-1)).toBe(4);
    // Greedy arrows: -1 on walls; a walk that reaches the goal when the stored greedy length says so.
    expect(after.greedy[3]).toBe(-1);
    expect(after.greedyReachesGoal).toBe(job.episodes.greedyLength[45]! >= 0);
    if (after.greedyReachesGoal) expect(after.greedyPath.length - 1).toBe(job.episodes.greedyLength[45]);
    // Episodes differ: the path changes as the agent learns.
    expect(new Set(paths.map((p) => Array.from(p.path).join(','))).size).toBeGreaterThan(5);

    // Out of range, unknown ids.
    expect((await fails(s, 'rl.path', { id, environment: 'dynamic', strategy: 'device', seed: 1, episode: 60 })).code).toBe('invalid_request');
    expect((await fails(s, 'rl.path', { id, environment: 'nowhere', strategy: 'device', seed: 1, episode: 0 })).code).toBe('not_found');
    expect((await fails(s, 'rl.episodes', { id, environment: 'static', strategy: 'device', seed: 9 })).code).toBe('not_found');

    // Replayable: the same answers from a fresh process on the same data folder.
    const compared = await call<{ comparison: RlComparison[] }>(s, 'rl.get', { id });
    await s.close();
    const again = services(dir);
    expect((await call<{ comparison: RlComparison[] }>(again, 'rl.get', { id })).comparison).toEqual(compared.comparison);
    const replayed = await call<RlPath>(again, 'rl.path', { id, environment: 'dynamic', strategy: 'device', seed: 1, episode: 45 });
    expect(replayed).toEqual(after);
  });

  it('cancels a run, keeping the jobs it finished, and marks a run cut off by closing as interrupted', async () => {
    const s = services();
    const events = record(s);
    const many = { ...smallExperimentJson(), episodes: 300, environments: [smallExperimentJson().environments[0]] };
    const { rlRunId: id } = await call<{ rlRunId: string }>(s, 'rl.start', { experiment: many, seeds: 400 });
    expect((await call<{ progress: RlProgress | null }>(s, 'rl.active', {})).progress).toMatchObject({ id, status: 'running', total: 1200 });
    while (!events.some((e) => e.done > 0)) await new Promise((r) => setTimeout(r, 10));
    const cancelled = await call<{ id: string; status: string }>(s, 'rl.cancel', { id });
    expect(cancelled).toEqual({ id, status: 'cancelled' });
    const got = await call<{ run: RlRunSummary; jobs: unknown[]; partial: boolean; comparison: RlComparison[] }>(s, 'rl.get', { id });
    expect(got.run.status).toBe('cancelled');
    expect(got.run.message).toMatch(/cancelled/);
    expect(got.partial).toBe(true);
    expect(got.jobs.length).toBe(got.run.jobsDone);
    expect(got.jobs.length).toBeGreaterThan(0);
    expect(got.jobs.length).toBeLessThan(1200);
    expect(got.comparison[0]!.rows.reduce((n, r) => n + r.seeds, 0)).toBe(got.jobs.length);
    expect(events.at(-1)).toMatchObject({ id, status: 'cancelled' });
    expect((await call<{ run: unknown }>(s, 'rl.active', {})).run).toBeNull();
    expect((await fails(s, 'rl.cancel', { id })).code).toBe('conflict');

    // Closing the workbench mid-run: the run is 'interrupted', not left 'running'.
    const { rlRunId: second } = await call<{ rlRunId: string }>(s, 'rl.start', { experiment: many, seeds: 400 });
    await s.close();
    const again = services(s.info.dataDir);
    const after = await call<{ run: RlRunSummary }>(again, 'rl.get', { id: second });
    expect(after.run.status).toBe('interrupted');
    // Delete: asks nothing here (the page asks), removes the run.
    await call(again, 'rl.delete', { id: second });
    expect((await fails(again, 'rl.get', { id: second })).code).toBe('not_found');
  });

  it('batches progress: at most 10 events a second of its clock however fast jobs finish', async () => {
    // The manager itself, on a virtual clock: the rate is counted on the clock it throttled by.
    const clock = virtualClock();
    const store = openStore(tempDir(), { appVersion: 'test' });
    const bus = new EventBus();
    const events: (RlProgress & { at: number })[] = [];
    bus.subscribe((name: EventName, payload: unknown) => {
      if (name === 'rl.progress') events.push({ ...(payload as RlProgress), at: clock.nowMs() });
    });
    const manager = new RlManager({ store, bus, logger: memoryLogger(), clock: clock.now, timers: clock.timers });
    try {
      const many = { ...smallExperiment(), episodes: 200, environments: [smallExperiment().environments[0]!] };
      const run = await manager.start({ experiment: many, seeds: 150 }).finished;
      expect(run.jobsDone).toBe(450);
      const running = events.filter((e) => e.status === 'running');
      expect(running.length).toBeGreaterThan(2);
      for (let k = 1; k < running.length; k++) expect(running[k]!.at - running[k - 1]!.at).toBeGreaterThanOrEqual(100);
      expect(events.length).toBeLessThanOrEqual(Math.ceil(clock.now() * 10) + 2);
      expect(events.at(-1)).toMatchObject({ status: 'completed', done: 450, etaS: 0 });
    } finally {
      await manager.shutdown();
      store.close();
    }
  });

  it('offers the shipped experiments, the paper first, as written', async () => {
    const s = services();
    const presets = await call<{ file: string; name: string; provenance: string; experiment: Record<string, unknown> }[]>(s, 'rl.presets', {});
    expect(presets[0]!.name).toBe('paper');
    expect(presets[0]!.provenance).toMatch(/all parameters .* are the Memristor Workbench's own/);
    expect((presets[0]!.experiment.strategies as { id: string }[]).map((x) => x.id)).toContain('success-gated');
  });
});
