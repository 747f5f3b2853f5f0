/**
 * RL runs as the Archive lists them, through the real router on a real SQLite file: search, status
 * and experiment filters done in the store, pages with the total, rename (validated) and delete.
 */
import { describe, expect, it } from 'vitest';
import type { AppServices } from '../../../electron/app/app-services';
import type { RequestInput, RequestOutput } from '../../../shared/contract';
import { runJob } from '../../../shared/rl';
import { services, smallExperiment } from './helpers';

const x = smallExperiment();

async function list(s: AppServices, input: RequestInput<'rl.list'>): Promise<RequestOutput<'rl.list'>> {
  const r = await s.router.call('rl.list', input);
  if (!r.ok) throw new Error(`rl.list: ${r.error.message}`);
  return r.value as RequestOutput<'rl.list'>;
}

/** Runs named after their index, every third one in the experiment, statuses mixed; ids newest first. */
function seed(s: AppServices, n: number): { ids: string[]; experimentId: string } {
  const experimentId = s.store.experiments.create({ name: 'Maze study' }).id;
  const made: { id: string; createdAt: string }[] = [];
  for (let i = 0; i < n; i++) {
    const run = s.store.rlRuns.create({ name: `maze run ${i}${i % 5 === 0 ? ' (slip 0.1%)' : ''}`, config: x, seeds: [0], jobsTotal: 1, ...(i % 3 === 0 ? { experimentId } : {}) });
    if (i % 4 !== 3) {
      s.store.rlRuns.addJob(run.id, runJob(x, { environmentId: 'static', strategyId: 'device', seed: 0 }));
      s.store.rlRuns.finish(run.id, i % 4 === 2 ? 'cancelled' : 'completed', { comparison: [] });
    }
    made.push({ id: run.id, createdAt: run.createdAt });
  }
  made.sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? 1 : -1));
  return { ids: made.map((m) => m.id), experimentId };
}

describe('RL runs in the Archive', () => {
  it('lists with search, status and experiment filters, one page at a time with the total', async () => {
    const s = services();
    const { ids, experimentId } = seed(s, 23);
    const byId = new Map(ids.map((id) => [id, s.store.rlRuns.get(id)]));

    const all = await list(s, {});
    expect(all.runs.map((r) => r.id)).toEqual(ids);
    expect(all.total).toBe(23);

    // Pages of 5: the same runs in the same order, the total on every page.
    const paged: string[] = [];
    for (let offset = 0; offset < 30; offset += 5) {
      const page = await list(s, { limit: 5, offset });
      expect(page.total).toBe(23);
      paged.push(...page.runs.map((r) => r.id));
    }
    expect(paged).toEqual(ids);

    const expect_ = async (input: RequestInput<'rl.list'>, keep: (id: string) => boolean) => {
      const want = ids.filter(keep);
      const got = await list(s, input);
      expect(got.runs.map((r) => r.id), JSON.stringify(input)).toEqual(want);
      expect(got.total, JSON.stringify(input)).toBe(want.length);
      return want.length;
    };
    // Search: a piece of the name, case-insensitive, literal (% and _ are not wildcards); or the definition's name or title.
    expect(await expect_({ search: 'RUN 1' }, (id) => byId.get(id)!.name.startsWith('maze run 1'))).toBe(11);
    expect(await expect_({ search: '0.1%' }, (id) => byId.get(id)!.name.includes('0.1%'))).toBe(5);
    expect(await expect_({ search: '_' }, () => false)).toBe(0);
    expect(await expect_({ search: 'small comparison' }, () => true)).toBe(23);
    expect(await expect_({ search: '   ' }, () => true)).toBe(23);
    expect(await expect_({ status: 'running' }, (id) => byId.get(id)!.status === 'running')).toBe(5);
    expect(await expect_({ status: 'cancelled' }, (id) => byId.get(id)!.status === 'cancelled')).toBe(6);
    expect(await expect_({ experimentId }, (id) => byId.get(id)!.experimentId === experimentId)).toBe(8);
    expect(await expect_({ experimentId, status: 'completed', search: 'maze' }, (id) => byId.get(id)!.experimentId === experimentId && byId.get(id)!.status === 'completed')).toBe(4);
    // A filtered page: the total is the filter's, not the page's.
    const page = await list(s, { status: 'completed', limit: 3, offset: 3 });
    expect(page.total).toBe(12);
    expect(page.runs.map((r) => r.id)).toEqual(ids.filter((id) => byId.get(id)!.status === 'completed').slice(3, 6));
  });

  it('refuses bad list filters with the field named', async () => {
    const s = services();
    for (const [input, field] of [
      [{ status: 'done' }, 'status'],
      [{ search: 'x'.repeat(201) }, 'search'],
      [{ offset: -1 }, 'offset'],
      [{ limit: 0 }, 'limit'],
      [{ tag: 'x' }, 'tag'],
    ] as const) {
      const r = await s.router.call('rl.list', input);
      expect(r.ok, JSON.stringify(input)).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('invalid_request');
        expect(r.error.message).toContain(field);
      }
    }
  });

  it('renames a run (running or not), refusing an empty or overlong name and an unknown id, and deletes one', async () => {
    const s = services();
    const { ids } = seed(s, 4);
    const [running, done] = [ids.find((id) => s.store.rlRuns.get(id).status === 'running')!, ids.find((id) => s.store.rlRuns.get(id).status === 'completed')!];
    for (const id of [running, done]) {
      const r = await s.router.call('rl.rename', { id, name: '  Static maze, slip 5 %  ' });
      expect(r.ok).toBe(true);
      expect(r.ok && (r.value as { name: string }).name).toBe('Static maze, slip 5 %');
      expect(s.store.rlRuns.get(id).name).toBe('Static maze, slip 5 %');
    }
    const before = s.store.rlRuns.get(done);
    for (const [input, code, message] of [
      [{ id: done, name: '   ' }, 'invalid_request', /name: must not be empty/],
      [{ id: done, name: 'x'.repeat(201) }, 'invalid_request', /name: must be at most 200 characters/],
      [{ id: done }, 'invalid_request', /name/],
      [{ id: 'nope', name: 'x' }, 'invalid_request', /id: must be a UUID/],
      [{ id: '6f1c1d8e-2f3a-4b5c-8d9e-0a1b2c3d4e5f', name: 'x' }, 'not_found', /no RL run/],
    ] as const) {
      const r = await s.router.call('rl.rename', input);
      expect(r.ok, JSON.stringify(input)).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe(code);
        expect(r.error.message).toMatch(message);
      }
    }
    expect(s.store.rlRuns.get(done)).toEqual(before);

    expect((await s.router.call('rl.delete', { id: done })).ok).toBe(true);
    expect((await list(s, {})).total).toBe(3);
  });
});
