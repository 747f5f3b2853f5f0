/**
 * An RL sweep's episodes in the app (lab schema 6): a comparison submitted with `workbench submit`
 * and run by `workbench worker --lab` opens in Archive → Lab → Sweeps with the replay panel of the
 * lab's RL runs. An episode of a job replays there as the same job run locally (shared/rl's runJob,
 * what `workbench reproduce` runs) replays, and "Episodes (CSV)" downloads the job's stored
 * values. A job a worker older than schema 6 wrote (its traces cleared in the database) is said.
 */
import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { EPISODE_CSV_HEADER, replayEpisode } from '../../electron/services/rl';
import { parseExperiment, runJob } from '../../shared/rl';
import { pgUnavailableReason } from '../fixtures/pg-cluster';
import { startLabServe, workbenchBin as bin, type LabServe } from './lab-serve';
import { axe, overflow } from './layout-checks';

const root = path.resolve(import.meta.dirname, '..', '..');
/** This spec's own PostgreSQL port. The web host takes a free port (0). */
const PG_PORT = 55675;
const EPISODES = 80;

const unavailable = pgUnavailableReason();

/** The paper's experiment cut to two strategies and 80 episodes per maze (quick; the same code runs it). */
function experimentDoc(): Record<string, unknown> {
  const paper = JSON.parse(fs.readFileSync(path.join(root, 'resources', 'experiments', 'paper.json'), 'utf8')) as Record<string, unknown> & { strategies: { id: string }[]; environments: Record<string, unknown>[] };
  const { tuning: _tuning, ...rest } = paper;
  void _tuning;
  return {
    ...rest,
    name: 'sweep-replay-e2e',
    episodes: EPISODES,
    environments: paper.environments.map((e) => ({ ...e, episodes: EPISODES })),
    strategies: paper.strategies.filter((s) => ['device-intrinsic-gradient', 'constant-0.1'].includes(s.id)),
  };
}

test.describe('an RL sweep’s episodes in the app', () => {
  // The layout check injects axe-core, which the app's CSP (script-src 'self') rightly refuses.
  test.use({ bypassCSP: true });
  let lab: LabServe | null = null;
  let dir = '';

  test.beforeAll(async () => {
    // The lab specs run against a real PostgreSQL cluster or fail saying why; they never skip (.ci/run installs PostgreSQL).
    if (unavailable !== null) throw new Error(`these lab tests need a PostgreSQL test cluster, and none can start here: ${unavailable}`);
    test.setTimeout(120_000);
    lab = await startLabServe(PG_PORT, 'lab_sweep_replay_e2e');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-sweep-replay-e2e-'));
  });
  test.afterAll(async () => {
    await lab?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('replay one episode of a sweep job as its local run replays it, download the CSV, and see an older worker’s job said', async ({ page }) => {
    test.setTimeout(300_000);
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    const env = { ...process.env, WORKBENCH_LAB_URL: lab!.url };
    const doc = experimentDoc();
    const file = path.join(dir, 'experiment.json');
    fs.writeFileSync(file, JSON.stringify(doc, null, 2));
    const sub = spawnSync(process.execPath, [bin, 'submit', '--experiment', file, '--seeds', '2', '--json'], { env, encoding: 'utf8' });
    expect(sub.status, sub.stderr).toBe(0);
    const { sweepId, jobs } = JSON.parse(sub.stdout) as { sweepId: string; jobs: number };
    expect(jobs).toBe(8);
    const worker = spawnSync(process.execPath, [bin, 'worker', '--lab', '--drain', '--name', 'pc-worker', '--poll-ms', '100', '--json'], { env, encoding: 'utf8', timeout: 240_000 });
    expect(worker.status, worker.stderr).toBe(0);
    expect(JSON.parse(worker.stdout)).toMatchObject({ written: 8, failed: 0 });

    await page.goto(`${lab!.appUrl}#/archive?source=lab&view=sweeps&sweep=${sweepId}`);
    const detail = page.getByTestId('lab-sweep-detail');
    await expect(detail.getByTestId('lab-sweep-workers')).toHaveText('pc-worker: 8');
    const episodes = detail.getByTestId('lab-sweep-replay');
    await expect(episodes.getByTestId('lab-sweep-no-traces')).toHaveCount(0);
    await detail.getByRole('tab').nth(1).click();
    const tab = await detail.getByRole('tab', { selected: true }).textContent();
    const parsed = parseExperiment(doc);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const environment = parsed.experiment.environments.find((e) => e.title === tab)!;
    expect(environment).toBeDefined();

    // One episode of seed 1 of the device-driven strategy: the replay of the same job run here.
    const replay = episodes.getByTestId('rl-replay');
    await replay.getByLabel('Strategy to replay').selectOption('device-intrinsic-gradient');
    await replay.getByLabel('Seed to replay').selectOption('1');
    await replay.getByRole('slider', { name: 'Episode' }).fill('37');
    await expect(replay.getByTestId('rl-episode')).toHaveText('37');
    const job = { environmentId: environment.id, strategyId: 'device-intrinsic-gradient', seed: 1 };
    const here = replayEpisode(parsed.experiment, job, runJob(parsed.experiment, job).episodes, 37);
    expect(here.matchesStored).toBe(true);
    await expect(replay.getByTestId('rl-path-steps')).toHaveText(String(here.steps));
    await expect(replay.getByTestId('rl-replay-stats')).toHaveAttribute('data-path', Array.from(here.path).join(','));
    await expect(replay.getByTestId('rl-replay-maze')).toBeVisible();
    await replay.getByRole('button', { name: 'Next episode' }).click();
    await expect(replay.getByTestId('rl-episode')).toHaveText('38');
    // The user guide's picture (the environment tabs at the top, the comparison and the replay
    // beside it), for a person to look at: into test-results, or WB_E2E_SHOTS=resources/help/screenshots
    // to refresh the guide's, so a test run does not rewrite a tracked file.
    await detail.getByRole('tablist', { name: 'Environment' }).evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: path.resolve(root, process.env.WB_E2E_SHOTS ?? 'test-results', 'lab-sweep-replay-light.png') });
    // The panel beside the comparison: no accessibility violation, nothing sticking out (UI.md).
    expect([...(await axe(page)), ...(await overflow(page))]).toEqual([]);

    // Its per-episode data, downloaded: one header line, a row per episode of every job.
    const download = page.waitForEvent('download');
    await episodes.getByRole('button', { name: 'Episodes (CSV)' }).click();
    const csv = await download;
    // Named as rl.export names a run's: the sweep's title (the experiment's, cut when long) and its id.
    expect(csv.suggestedFilename()).toBe(`our-experiment-after-the-paper-a-device-driven-learning-rate-${sweepId.slice(0, 8)}.csv`);
    const lines = fs.readFileSync(await csv.path(), 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe(EPISODE_CSV_HEADER);
    expect(lines).toHaveLength(1 + 8 * EPISODES);
    const t = runJob(parsed.experiment, job).episodes;
    const row = lines.find((l) => l.startsWith(`${environment.id},device-intrinsic-gradient,1,37,`))!.split(',');
    expect(row.slice(4).map(Number)).toEqual([t.steps[37], t.returns[37], t.alpha[37], t.conductance[37], t.success[37], t.greedyLength[37]]);

    // As if an older worker had written seed 0's jobs: said above the panel and in its place; no CSV offered.
    const c = new pg.Client({ connectionString: lab!.url });
    await c.connect();
    await c.query('UPDATE lab_sweep_results SET traces = NULL WHERE sweep_id = $1 AND seed = 0', [sweepId]);
    await c.end();
    await page.reload();
    await expect(episodes.getByTestId('lab-sweep-no-traces')).toContainText('4 of this sweep’s 8 finished jobs were run by a worker older than lab schema 6');
    await expect(episodes.getByRole('button', { name: 'Episodes (CSV)' })).toHaveCount(0);
    await replay.getByLabel('Seed to replay').selectOption('0');
    await expect(replay.getByTestId('rl-replay-empty')).toHaveText('This job was run by a worker that kept no per-episode traces.');
    await replay.getByLabel('Seed to replay').selectOption('1');
    await expect(replay.getByTestId('rl-replay-maze')).toBeVisible();
    expect(problems).toEqual([]);
  });
});
