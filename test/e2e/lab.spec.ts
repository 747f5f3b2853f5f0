/**
 * The lab archive in the app (#16): two data folders ("PCs") publish to one PostgreSQL; the web
 * host of the first, pointed at the lab with WORKBENCH_LAB_URL, shows the second PC's runs in the
 * Archive's Lab view — with that PC and user, the same samples (hash), replay, compare and export
 * — and its own runs as published; and the second PC's RL run with the crossbar device it ran on,
 * opened read-only with its comparison and curves, an episode replayed as that PC replays it, and
 * its per-episode CSV downloaded.
 */
import { test, expect, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { startServe, type ServeProcess } from './serve-process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { samplesHash } from '../../electron/services/lab/samples-copy';
import { EPISODE_CSV_HEADER, replayEpisode } from '../../electron/services/rl';
import { pgUnavailableReason, startPgCluster, type PgCluster } from '../fixtures/pg-cluster';
import { addCrossbarWork, addRuns, withStore } from '../integration/lab/lab-data';

const root = path.resolve(import.meta.dirname, '..', '..');
const bin = path.join(root, 'electron', 'bin', 'workbench.js');
/** Ours: this spec's own host port, inside the e2e harness's range. */
const SERVE_PORT = Number(process.env.WORKBENCH_E2E_HARNESS_PORT ?? 47670) + 1;
/** Ours; WORKBENCH_E2E_LAB_PG_PORT moves it where several checkouts run their e2e side by side. */
const PG_PORT = Number(process.env.WORKBENCH_E2E_LAB_PG_PORT ?? 55472);

const unavailable = pgUnavailableReason();

test.describe('lab archive', () => {
  let cluster: PgCluster;
  let url = '';
  let serve: ServeProcess | null = null;
  let appUrl = '';
  const dirs: string[] = [];
  let idsA: string[] = [];
  let idsB: string[] = [];
  let refused = '';
  let publishedA = 0;
  let workA: ReturnType<typeof addCrossbarWork>;
  let workB: ReturnType<typeof addCrossbarWork>;
  const hashB = new Map<string, string>();

  test.beforeAll(async () => {
    // The lab specs run against a real PostgreSQL cluster or fail saying why; they never skip (.ci/run installs PostgreSQL).
    if (unavailable !== null) throw new Error(`these lab tests need a PostgreSQL test cluster, and none can start here: ${unavailable}`);
    test.setTimeout(120_000);
    cluster = await startPgCluster({ port: PG_PORT });
    url = await cluster.createDatabase('lab_e2e');
    const [a, b] = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'wb-lab-e2e-')));
    dirs.push(a!, b!);
    idsA = withStore(a!, (s) => addRuns(s, 2, 3000, 'alpha'));
    // One run the lab refuses (PostgreSQL holds no NUL character): it shows as failed, with the reason.
    refused = withStore(a!, (s) => {
      const [id] = addRuns(s, 1, 10, 'refused');
      s.runs.setNotes(id!, 'nul \u0000 here');
      return id!;
    });
    idsB = withStore(b!, (s) => addRuns(s, 2, 4000, 'bravo'));
    // The second PC also has a 4 × 4 crossbar, a run on its device at word line 2, bit line 1 and an RL run on (1, 1).
    workB = withStore(b!, (s) => addCrossbarWork(s, 'bravo', 4));
    workA = withStore(a!, (s) => addCrossbarWork(s, 'alpha', 3));
    // What the first PC publishes: its three good runs, its RL run and its device hierarchy.
    publishedA = withStore(a!, (s) => 4 + s.lab.listSamples().length + s.lab.listChips().length + s.lab.listDevices({ includeArchived: true }).length);
    withStore(b!, (s) => idsB.forEach((id) => hashB.set(id, samplesHash(s.readSamples(id)))));
    for (const [dir, pc] of [[a!, 'pc-alpha'], [b!, 'pc-bravo']] as const) {
      const r = spawnSync(process.execPath, [bin, 'publish', '--data-dir', dir], {
        env: { ...process.env, WORKBENCH_LAB_URL: url, WORKBENCH_LAB_PC_NAME: pc, WORKBENCH_LAB_USER: `${pc}-user` },
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(dir === a ? 1 : 0);
    }
    serve = await startServe(bin, ['--port', String(SERVE_PORT), '--data-dir', a!], { WORKBENCH_LAB_URL: url, WORKBENCH_LAB_PC_NAME: 'pc-alpha' });
    appUrl = serve.url;
  });

  test.afterAll(async () => {
    await serve?.stop();
    await cluster?.destroy();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  function watch(page: Page): string[] {
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    return problems;
  }

  test('each PC sees the other’s runs and RL runs in the Lab view, with PC, user, device and identical samples', async ({ page }) => {
    const problems = watch(page);
    await page.goto(`${appUrl}#/archive`);
    // This PC's runs were published by `workbench publish`: each row says so.
    const bar = page.getByTestId('lab-bar');
    await expect(bar).toContainText('postgres://postgres@127.0.0.1');
    await expect(bar).not.toContainText(cluster.password);
    await expect(page.getByTestId('lab-counts')).toContainText(`0 pending · ${publishedA} published · 1 failed`);
    const failed = page.locator(`tr[data-run-id="${refused}"] [data-lab-state]`);
    await expect(failed).toHaveAttribute('data-lab-state', 'failed');
    await expect(failed).toHaveAttribute('title', /^failed: .*cannot be converted to text/);
    for (const id of idsA) await expect(page.locator(`tr[data-run-id="${id}"] [data-lab-state]`)).toHaveAttribute('data-lab-state', 'published');
    // So were its RL run and its devices.
    await page.getByRole('tab', { name: /RL experiments/ }).click();
    await expect(page.locator(`tr[data-rl-run="${workA.rlId}"] [data-lab-state]`)).toHaveAttribute('data-lab-state', 'published');
    await page.goto(`${appUrl}#/samples?device=${workA.deviceIds[4]}`);
    await expect(page.getByTestId('device-title')).toContainText('W-alpha / X-alpha');
    await expect(page.locator('.lab-title [data-lab-state]')).toHaveAttribute('data-lab-state', 'published');
    await page.goto(`${appUrl}#/archive`);

    await page.screenshot({ path: path.join(root, 'test-results', 'lab-this-pc.png'), fullPage: true });

    await page.getByRole('tab', { name: 'Lab' }).click();
    await expect(page).toHaveURL(/source=lab/);
    const table = page.getByRole('table', { name: 'Lab runs' });
    for (const id of [...idsA, ...idsB, workA.runId, workB.runId]) await expect(table.locator(`tr[data-lab-run-id="${id}"]`)).toBeVisible();
    const rowB = table.locator(`tr[data-lab-run-id="${idsB[0]}"]`);
    await expect(rowB).toContainText('pc-bravo');
    await expect(rowB).toContainText('pc-bravo-user');

    await rowB.getByRole('link').click();
    const detail = page.getByTestId('lab-run-detail');
    await expect(detail.getByTestId('lab-run-pc')).toHaveText('pc-bravo');
    await expect(detail.getByTestId('lab-run-user')).toHaveText('pc-bravo-user');
    await expect(detail.getByTestId('lab-run-hash')).toHaveText(hashB.get(idsB[0]!)!);
    await expect(detail).toContainText('read-only');
    await expect(detail.getByTestId('replay-scrubber')).toBeEnabled();
    await page.screenshot({ path: path.join(root, 'test-results', 'lab-archive.png'), fullPage: true });

    const download = page.waitForEvent('download');
    await detail.getByRole('button', { name: 'Export CSV' }).click();
    expect((await download).suggestedFilename()).toMatch(/\.csv$/);

    await table.locator(`tr[data-lab-run-id="${idsB[0]}"]`).getByRole('checkbox').check();
    await table.locator(`tr[data-lab-run-id="${idsA[0]}"]`).getByRole('checkbox').check();
    await page.getByRole('button', { name: /Compare 2 runs/ }).click();
    await expect(page.getByTestId('compare')).toHaveAttribute('data-loaded', '2');

    // The other PC's run on its crossbar says where it was measured.
    const onDevice = table.locator(`tr[data-lab-run-id="${workB.runId}"]`);
    await expect(onDevice).toContainText('W-bravo › X-bravo › WL2/BL1');
    await onDevice.getByRole('link').click();
    await expect(page.getByTestId('lab-run-detail').getByTestId('lab-run-device')).toHaveText('W-bravo › X-bravo (4×4) › WL2/BL1 (word line 2, bit line 1)');

    // Its RL run, in the Lab's RL experiments: PC, user, device; opened read-only with comparison and curves.
    await page.getByRole('tab', { name: /RL experiments/ }).click();
    await expect(page).toHaveURL(/source=lab/);
    await expect(page).toHaveURL(/view=rl/);
    const rlRow = page.getByRole('table', { name: 'Lab RL runs' }).locator(`tr[data-lab-rl-run-id="${workB.rlId}"]`);
    await expect(rlRow).toContainText('pc-bravo');
    await expect(rlRow).toContainText('pc-bravo-user');
    await expect(rlRow).toContainText('W-bravo › X-bravo › WL1/BL1');
    await rlRow.getByRole('link').click();
    const rl = page.getByTestId('lab-rl-run-detail');
    await expect(rl).toContainText('read-only: made on pc-bravo by pc-bravo-user');
    await expect(rl.getByTestId('lab-run-device')).toHaveText('W-bravo › X-bravo (4×4) › WL1/BL1 (word line 1, bit line 1)');
    await expect(rl.getByTestId('rl-comparison-static')).toBeVisible();
    await expect(rl.getByTestId('rl-charts')).toHaveAttribute('data-seeds', '3');
    await rl.getByRole('tab', { name: 'Dynamic' }).click();
    await expect(rl.getByTestId('rl-comparison-dynamic')).toBeVisible();

    // An episode of the other PC's run replays here as it replays on that PC: the path of the replay
    // over the α that PC stored (a dynamic maze after its goal moved).
    const replay = rl.getByTestId('rl-replay');
    await replay.getByLabel('Strategy to replay').selectOption('device');
    await replay.getByLabel('Seed to replay').selectOption('2');
    await replay.getByRole('slider', { name: 'Episode' }).fill('41');
    await expect(replay.getByTestId('rl-episode')).toHaveText('41');
    const onBravo = withStore(dirs[1]!, (s) => replayEpisode(s.rlRuns.get(workB.rlId).config, { environmentId: 'dynamic', strategyId: 'device', seed: 2 }, s.rlRuns.traces(workB.rlId, 'dynamic', 'device', 2)[0]!.trace, 41));
    expect(onBravo.matchesStored).toBe(true);
    await expect(replay.getByTestId('rl-path-steps')).toHaveText(String(onBravo.steps));
    await expect(replay.getByTestId('rl-replay-stats')).toHaveAttribute('data-path', Array.from(onBravo.path).join(','));
    await expect(replay.getByTestId('rl-replay-maze')).toBeVisible();
    await replay.getByRole('button', { name: 'Next episode' }).click();
    await expect(replay.getByTestId('rl-episode')).toHaveText('42');

    // Its per-episode data, downloaded: one header line, a row per stored episode, the stored values.
    const episodesCsv = page.waitForEvent('download');
    await rl.getByRole('button', { name: 'Episodes (CSV)' }).click();
    const csv = await episodesCsv;
    expect(csv.suggestedFilename()).toBe(`bravo-rl-episodes-${workB.rlId.slice(0, 8)}.csv`);
    const lines = fs.readFileSync(await csv.path(), 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe(EPISODE_CSV_HEADER);
    expect(lines.filter((l) => l === EPISODE_CSV_HEADER)).toHaveLength(1);
    expect(lines).toHaveLength(1 + 18 * 60);
    const row = lines.find((l) => l.startsWith('dynamic,device,2,41,'))!.split(',');
    const stored = withStore(dirs[1]!, (s) => s.rlRuns.traces(workB.rlId, 'dynamic', 'device', 2)[0]!.trace);
    expect(row.slice(4).map(Number)).toEqual([stored.steps[41], stored.returns[41], stored.alpha[41], stored.conductance[41], stored.success[41], stored.greedyLength[41]]);
    await page.screenshot({ path: path.join(root, 'test-results', 'lab-rl.png'), fullPage: true });

    // Settings says where the lab is and how it was configured, never the password.
    await page.goto(`${appUrl}#/settings`);
    const status = page.getByTestId('lab-settings-status');
    await expect(status).toContainText('from the WORKBENCH_LAB_URL environment variable');
    await expect(status).not.toContainText(cluster.password);
    await page.getByRole('heading', { name: 'Lab archive' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(root, 'test-results', 'lab-settings.png') });
    expect(problems).toEqual([]);
  });

  /**
   * Not a check: refreshes the user guide's picture of the Lab view (resources/help/screenshots):
   * the other PC's RL run with its crossbar device, opened read-only, and an episode of it replayed. Run with
   * `--grep @screenshots lab`; excluded from `npm test` by its tag.
   */
  test('@screenshots lab: another PC’s RL run and its device', async ({ page }) => {
    await page.goto(`${appUrl}#/archive?source=lab&view=rl`);
    await page.getByRole('table', { name: 'Lab RL runs' }).locator(`tr[data-lab-rl-run-id="${workB.rlId}"]`).getByRole('link').click();
    const rl = page.getByTestId('lab-rl-run-detail');
    await expect(rl.getByTestId('rl-charts')).toHaveAttribute('data-seeds', '3');
    await page.screenshot({ path: path.join(root, 'resources', 'help', 'screenshots', 'lab-rl-light.png') });
    // Its replay: the device-driven agent in the dynamic maze, after the goal moved.
    await rl.getByRole('tab', { name: 'Dynamic' }).click();
    const replay = rl.getByTestId('rl-replay');
    await replay.getByLabel('Strategy to replay').selectOption('device');
    await replay.getByRole('slider', { name: 'Episode' }).fill('45');
    await expect(replay.getByTestId('rl-episode')).toHaveText('45');
    await expect(replay.getByTestId('rl-replay-maze')).toBeVisible();
    // The environment tabs at the top: the comparison, the replay beside it and the first curves in view.
    await rl.getByRole('tablist', { name: 'Environment' }).evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: path.join(root, 'resources', 'help', 'screenshots', 'lab-rl-replay-light.png') });
  });
});
