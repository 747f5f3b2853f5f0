import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE_NAME, RL_INTERRUPTED_MESSAGE, StoreError } from '../../../electron/services/store';
import { runJob, type RunResult } from '../../../shared/rl';
import { openTestStore, smallExperiment, tempDir } from './helpers';

const x = smallExperiment();

function results(): RunResult[] {
  return [
    runJob(x, { environmentId: 'static', strategyId: 'device', seed: 0 }),
    runJob(x, { environmentId: 'static', strategyId: 'device', seed: 1 }),
    runJob(x, { environmentId: 'dynamic', strategyId: 'constant', seed: 0 }),
  ];
}

describe('rl_runs and rl_episodes', () => {
  it('stores every trace as typed-array BLOBs and reads it back exactly', () => {
    const store = openTestStore();
    const run = store.rlRuns.create({ name: 'round trip', config: x, seeds: [0, 1], jobsTotal: 12 });
    expect(run.status).toBe('running');
    expect(run.config).toEqual(x);
    expect(run.owner?.pid).toBe(process.pid);
    const [a, b, c] = results();
    for (const r of [a!, b!, c!]) store.rlRuns.addJob(run.id, r);

    const back = store.rlRuns.traces(run.id, 'static', 'device');
    expect(back.map((t) => t.seed)).toEqual([0, 1]);
    for (const [k, r] of [a!, b!].entries()) {
      const t = back[k]!.trace;
      expect(t.steps).toEqual(r.episodes.steps);
      expect(t.returns).toEqual(r.episodes.returns);
      // α is stored exactly (paths are replayed from it); so is G, NaN-free for the device.
      expect(t.alpha).toEqual(r.episodes.alpha);
      expect(t.conductance).toEqual(r.episodes.conductance);
      expect(t.success).toEqual(r.episodes.success);
      expect(t.greedyLength).toEqual(r.episodes.greedyLength);
      // The TD error is kept at single precision (display only).
      for (let e = 0; e < t.tdErrorMean.length; e++) expect(t.tdErrorMean[e]).toBeCloseTo(r.episodes.tdErrorMean[e]!, 5);
      // Fresh, aligned memory: not a view on a driver buffer.
      expect(t.alpha.byteOffset).toBe(0);
    }
    // A schedule's conductance is NaN, and stays NaN.
    const constant = store.rlRuns.traces(run.id, 'dynamic', 'constant', 0)[0]!.trace;
    expect(Number.isNaN(constant.conductance[0]!)).toBe(true);

    const jobs = store.rlRuns.jobs(run.id);
    expect(jobs).toHaveLength(3);
    expect(jobs.find((j) => j.environmentId === 'dynamic')).toEqual({
      environmentId: 'dynamic',
      strategyId: 'constant',
      seed: 0,
      episodes: 60,
      trainingIterations: c!.trainingIterations,
      converged: c!.converged,
      phases: c!.phases,
    });
    expect(store.rlRuns.get(run.id).jobsDone).toBe(3);
  });

  it('stores one row per job, about 37 bytes per episode', () => {
    const store = openTestStore();
    const run = store.rlRuns.create({ name: 'size', config: x, seeds: [0], jobsTotal: 1 });
    store.rlRuns.addJob(run.id, results()[0]!);
    const db = new Database(store.file, { readonly: true });
    try {
      const row = db.prepare('SELECT count(*) AS n, sum(length(steps) + length(returns) + length(alpha) + length(conductance) + length(success) + length(td_error) + length(greedy_length)) AS bytes FROM rl_episodes').get() as { n: number; bytes: number };
      expect(row.n).toBe(1);
      expect(row.bytes).toBe(60 * (4 + 8 + 8 + 8 + 1 + 4 + 4));
    } finally {
      db.close();
    }
  });

  it('ends a run once, with its comparison, and takes no more jobs after', () => {
    const store = openTestStore();
    const run = store.rlRuns.create({ name: 'ends', config: x, seeds: [0], jobsTotal: 6 });
    store.rlRuns.addJob(run.id, results()[0]!);
    const ended = store.rlRuns.finish(run.id, 'cancelled', { comparison: [{ environmentId: 'static', median: Number.NaN }], message: 'cancelled', wallSeconds: 1.5 });
    expect(ended.status).toBe('cancelled');
    expect(ended.endedAt).not.toBeNull();
    expect(ended.owner).toBeNull();
    // NaN cannot be JSON: it is stored as null.
    expect(ended.comparison).toEqual([{ environmentId: 'static', median: null }]);
    expect(() => store.rlRuns.finish(run.id, 'completed')).toThrow(/already ended \(cancelled\)/);
    const err = (() => {
      try {
        store.rlRuns.addJob(run.id, results()[1]!);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).reason).toBe('conflict');
    expect(store.rlRuns.jobs(run.id)).toHaveLength(1);
  });

  it('refuses more jobs than planned, and the same job twice', () => {
    const store = openTestStore();
    const run = store.rlRuns.create({ name: 'full', config: x, seeds: [0], jobsTotal: 1 });
    const [a, b] = results();
    store.rlRuns.addJob(run.id, a!);
    expect(() => store.rlRuns.addJob(run.id, b!)).toThrow(/1 of 1 jobs/);
    const run2 = store.rlRuns.create({ name: 'dup', config: x, seeds: [0], jobsTotal: 5 });
    store.rlRuns.addJob(run2.id, a!);
    expect(() => store.rlRuns.addJob(run2.id, a!)).toThrow(/UNIQUE|PRIMARY KEY/);
    // The failed insert rolled back its count too.
    expect(store.rlRuns.get(run2.id).jobsDone).toBe(1);
  });

  it('lists newest first, by archive experiment, and deletes with the episodes', async () => {
    const store = openTestStore();
    const exp = store.experiments.create({ name: 'Maze study' });
    const first = store.rlRuns.create({ name: 'first', config: x, seeds: [0], jobsTotal: 1 });
    await new Promise((r) => setTimeout(r, 5));
    const second = store.rlRuns.create({ name: 'second', config: x, seeds: [0, 1], jobsTotal: 2, experimentId: exp.id });
    expect(store.rlRuns.list().map((r) => r.name)).toEqual(['second', 'first']);
    expect(store.rlRuns.list({ experimentId: exp.id }).map((r) => r.id)).toEqual([second.id]);
    expect(store.rlRuns.list()[0]).toMatchObject({
      definitionName: 'small',
      title: 'A small comparison',
      seeds: [0, 1],
      environments: [
        { id: 'static', title: 'Static', episodes: 60 },
        { id: 'dynamic', title: 'Dynamic', episodes: 60 },
      ],
      strategies: [
        { id: 'device', name: 'Device-driven', kind: 'device' },
        { id: 'constant', name: 'Constant 0.1', kind: 'constant' },
        { id: 'exp', name: 'Exponential', kind: 'exponential' },
      ],
    });
    // Running in this (live) process: refused.
    expect(() => store.rlRuns.delete(first.id)).toThrow(/cancel it before deleting/);
    store.rlRuns.addJob(first.id, results()[0]!);
    store.rlRuns.finish(first.id, 'completed');
    store.rlRuns.delete(first.id);
    expect(store.rlRuns.has(first.id)).toBe(false);
    const db = new Database(store.file, { readonly: true });
    try {
      expect((db.prepare('SELECT count(*) AS n FROM rl_episodes WHERE run_id = ?').get(first.id) as { n: number }).n).toBe(0);
    } finally {
      db.close();
    }
    // An experiment deleted from the archive leaves its RL runs, ungrouped.
    store.rlRuns.finish(second.id, 'completed');
    store.experiments.delete(exp.id);
    expect(store.rlRuns.get(second.id).experimentId).toBeNull();
    expect(() => store.rlRuns.get('00000000-0000-4000-8000-000000000000')).toThrow(/no RL run/);
  });

  it('marks runs left running by a dead process as interrupted, keeping their jobs; live ones are left alone', () => {
    const dir = tempDir();
    const store = openTestStore(dir);
    const dead = store.rlRuns.create({ name: 'crashed', config: x, seeds: [0], jobsTotal: 6 });
    const live = store.rlRuns.create({ name: 'live', config: x, seeds: [0], jobsTotal: 6 });
    store.rlRuns.addJob(dead.id, results()[0]!);
    store.close();
    // Pretend the first run's process has died: another pid on this host.
    const db = new Database(path.join(dir, DATABASE_FILE_NAME));
    db.prepare('UPDATE rl_runs SET owner_json = ? WHERE id = ?').run(JSON.stringify({ pid: 2 ** 22 + 12345, host: 'elsewhere-but-dead', processStartedAt: '', procStart: null }), dead.id);
    db.close();
    const again = openTestStore(dir);
    const marked = again.rlRuns.markInterrupted((owner) => (owner.host === 'elsewhere-but-dead' ? 'dead' : 'alive'));
    expect(marked).toBe(1);
    const d = again.rlRuns.get(dead.id);
    expect(d.status).toBe('interrupted');
    expect(d.message).toBe(RL_INTERRUPTED_MESSAGE);
    expect(again.rlRuns.jobs(dead.id)).toHaveLength(1);
    expect(again.rlRuns.get(live.id).status).toBe('running');
  });

  it('checks its input', () => {
    const store = openTestStore();
    expect(() => store.rlRuns.create({ name: ' ', config: x, seeds: [0], jobsTotal: 1 })).toThrow(/must not be empty/);
    expect(() => store.rlRuns.create({ name: 'x', config: x, seeds: [], jobsTotal: 1 })).toThrow(/at least one seed/);
    expect(() => store.rlRuns.create({ name: 'x', config: x, seeds: [0], jobsTotal: 1, experimentId: '00000000-0000-4000-8000-000000000000' })).toThrow(/no experiment/);
    const run = store.rlRuns.create({ name: 'x', config: x, seeds: [0], jobsTotal: 1 });
    const bad = results()[0]!;
    const broken = { ...bad, episodes: { ...bad.episodes, alpha: new Float64Array(3) } };
    expect(() => store.rlRuns.addJob(run.id, broken)).toThrow(/episodes.alpha holds 3 values/);
  });
});
