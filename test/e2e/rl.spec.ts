import type { Locator, Page } from '@playwright/test';
import fs from 'node:fs';
import { expect, openPage, test, type Workbench } from './fixtures';
import { clippedControls } from './layout-checks';
import { api } from './host-api';

/**
 * The RL page end to end: configure a small comparison (small mazes, three strategies, three
 * seeds, few episodes), run it, see the table and the curves, reload, find the stored run in the
 * Archive's RL experiments, open it from there and step through its episodes; rename and delete it
 * from the Archive.
 */
const KEEP = ['Device-driven (intrinsic-gradient)', 'Constant α = 0.1 (conventional, untuned)', 'Constant α = 0.269'];

/** A field by the start of its label (labels end with whose value it is: "ours" or "edited"). */
async function setField(scope: Locator, label: string, value: string): Promise<void> {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await scope.getByLabel(new RegExp(`^${escaped}(\\s|$)`)).fill(value);
}

async function configureSmall(page: Page): Promise<void> {
  const setup = page.getByRole('complementary', { name: 'Set-up' });
  const staticEnv = setup.getByRole('region', { name: /^Environment Static maze/ });
  const dynamicEnv = setup.getByRole('region', { name: /^Environment Dynamic maze/ });
  // 5×5 mazes.
  for (const env of [staticEnv, dynamicEnv]) {
    await env.getByLabel(/^Rows of/).fill('5');
    await env.getByLabel(/^Columns of/).fill('5');
  }
  const staticMaze = page.getByTestId('maze-editor-static');
  await expect(staticMaze.getByRole('button')).toHaveCount(25);
  // Toggle a wall on and off, and drag the goal to another corner and back.
  const cell = staticMaze.getByRole('button', { name: 'Row 3, column 3: free' });
  await cell.click();
  await expect(staticMaze.getByRole('button', { name: 'Row 3, column 3: wall' })).toBeVisible();
  await staticMaze.getByRole('button', { name: 'Row 3, column 3: wall' }).click();
  await expect(staticMaze.getByRole('button', { name: 'Row 3, column 3: free' })).toBeVisible();
  await staticMaze.getByRole('button', { name: /: goal$/ }).dragTo(staticMaze.getByRole('button', { name: 'Row 1, column 5: free' }));
  await expect(staticMaze.getByRole('button', { name: 'Row 1, column 5: goal' })).toBeVisible();
  await staticMaze.getByRole('button', { name: 'Row 1, column 5: goal' }).dragTo(staticMaze.getByRole('button', { name: 'Row 5, column 5: free' }));
  await expect(staticMaze.getByRole('button', { name: 'Row 5, column 5: goal' })).toBeVisible();
  await setField(staticEnv, 'Episodes', '60');

  // The dynamic maze: the goal moves to the top right at episode 30 (change 1, edited on the grid).
  await setField(dynamicEnv, 'Episodes', '60');
  await setField(dynamicEnv, 'N (episodes)', '30');
  await dynamicEnv.getByRole('tab', { name: 'Change 1' }).click();
  await dynamicEnv.getByText('Goal G').click();
  const dynamicMaze = page.getByTestId('maze-editor-dynamic');
  await dynamicMaze.getByRole('button', { name: 'Row 1, column 5: free' }).click();
  await expect(dynamicMaze.getByRole('button', { name: 'Row 1, column 5: goal' })).toBeVisible();

  // Three strategies: the device-driven one, the conventional baseline and the best-tuned constant.
  const strategies = setup.getByTestId('rl-setup-strategies');
  const boxes = strategies.locator('.rl-strategy-head input[type=checkbox]');
  const count = await boxes.count();
  for (let k = 0; k < count; k++) {
    const name = (await strategies.locator('.rl-strategy-name').nth(k).textContent()) ?? '';
    if (!KEEP.includes(name)) await boxes.nth(k).uncheck();
  }
  await expect(boxes.and(page.locator(':checked'))).toHaveCount(3);

  const seeds = setup.getByTestId('rl-setup-seeds');
  await setField(seeds, 'Seeds', '3');
  await setField(seeds, 'Convergence window K', '5');
  await expect(seeds.getByText('edited').first()).toBeVisible();
}

test('configure a small comparison, run it, reload, replay the stored run', async ({ page, workbench }) => {
  await openPage(page, workbench, 'rl');
  await expect(page.getByRole('heading', { level: 1, name: 'Reinforcement learning' })).toBeVisible();
  // Every shipped value is the workbench's own, and says so.
  await expect(page.locator('.rl-ours').first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Run comparison' })).toBeEnabled();

  await configureSmall(page);
  // An invalid value is refused at its field, and the run says why it cannot start.
  const seeds = page.getByTestId('rl-setup-seeds');
  await setField(seeds, 'Seeds', '0');
  await expect(seeds.getByText(/Seeds must be an integer from 1 to 10000/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Run comparison' })).toBeDisabled();
  await expect(page.getByText(/Fix the problem shown in the set-up first/)).toBeVisible();
  await setField(seeds, 'Seeds', '3');

  await page.getByLabel('Run name').fill('e2e small');
  await page.getByRole('button', { name: 'Run comparison' }).click();
  await expect(page).toHaveURL(/#\/rl\?run=[0-9a-f-]{36}$/);
  const run = page.getByTestId('rl-run');
  await expect(run).toHaveAttribute('data-status', 'completed', { timeout: 30_000 });
  const runId = /run=([0-9a-f-]{36})/.exec(page.url())![1]!;

  // The table: three strategies over three seeds, the verdict stated.
  const table = page.getByTestId('rl-comparison-static');
  await expect(table.locator('tbody tr')).toHaveCount(3);
  for (const row of await table.locator('tbody tr').all()) await expect(row.getByTestId('rl-censored')).toHaveText(/^\d\/3$/);
  await expect(page.getByTestId('rl-verdict')).toHaveAttribute('data-verdict', /wins|ties|loses/);
  // The curves: medians over the three seeds.
  await expect(page.getByTestId('rl-charts')).toHaveAttribute('data-seeds', '3');
  await expect(page.getByTestId('rl-chart-steps').locator('canvas')).toBeVisible();
  const staticReduction = (await page.getByTestId('rl-reduction').textContent())!;
  // The dynamic maze has its own table.
  await page.getByRole('tab', { name: /^Dynamic maze/ }).click();
  await expect(page.getByTestId('rl-comparison-dynamic').locator('tbody tr')).toHaveCount(3);
  const reductions = [staticReduction, (await page.getByTestId('rl-reduction').textContent())!];

  // Reload: the run is stored. Close it; it is listed on the RL page and in the Archive.
  await page.reload();
  await expect(page.getByTestId('host-kind')).toHaveText('Web host');
  await expect(page.getByTestId('rl-run')).toHaveAttribute('data-status', 'completed');
  await page.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(page.getByTestId('rl-run')).toHaveCount(0);
  await expect(page.getByTestId('rl-stored-runs').locator(`tr[data-run="${runId}"]`)).toContainText('e2e small');

  // The Archive's RL experiments: the run with its strategies, environments, seeds and result.
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Archive', exact: true }).click();
  await page.getByRole('tab', { name: /^RL experiments/ }).click();
  await expect(page).toHaveURL(/#\/archive\?view=rl$/);
  await expect(page.getByRole('tab', { name: /^RL experiments/ })).toHaveAttribute('aria-selected', 'true');
  const rlRuns = page.getByRole('table', { name: 'RL runs' });
  const row = rlRuns.locator(`tr[data-rl-run="${runId}"]`);
  await expect(row).toContainText('e2e small');
  await expect(row).toContainText('completed');
  for (const name of KEEP) await expect(row).toContainText(name);
  await expect(row).toContainText('Static maze');
  await expect(row).toContainText('Dynamic maze');
  await expect(row.locator('td').nth(5)).toHaveText('3');
  // The headline results are the comparison's, as the RL page shows them.
  await expect(row.getByTestId('archive-rl-reduction')).toHaveText(reductions);
  await expect(page.getByTestId('archive-rl-range')).toHaveText('1–1 of 1');
  // Searchable, in the store.
  await page.getByRole('searchbox', { name: 'Search RL runs' }).fill('no such run');
  await expect(rlRuns).toContainText('No RL runs match these filters.');
  await expect(page.getByTestId('archive-rl-range')).toHaveText('0 of 0');
  await page.getByRole('searchbox', { name: 'Search RL runs' }).fill('E2E SMALL');
  await expect(row).toBeVisible();

  // Open replays it on the RL page.
  await row.getByRole('button', { name: 'Open e2e small' }).click();
  await expect(page).toHaveURL(new RegExp(`#/rl\\?run=${runId}$`));
  await expect(page.getByTestId('rl-run')).toHaveAttribute('data-status', 'completed');
  await expect(page.getByTestId('rl-comparison-static').locator('tbody tr')).toHaveCount(3);

  // Step through the episodes: the path changes.
  const replay = page.getByTestId('rl-replay');
  const stats = page.getByTestId('rl-replay-stats');
  await expect(page.getByTestId('rl-episode')).toHaveText('59');
  await expect(stats).toBeVisible();
  const last = await stats.getAttribute('data-path');
  await replay.getByLabel('Episode', { exact: true }).fill('0');
  await expect(page.getByTestId('rl-episode')).toHaveText('0');
  await expect(stats).not.toHaveAttribute('data-path', last!);
  const first = await stats.getAttribute('data-path');
  // The first episode wanders: a longer path than the learned one.
  expect(first!.split(',').length).toBeGreaterThan(last!.split(',').length);
  await replay.getByRole('button', { name: 'Next episode' }).click();
  await expect(page.getByTestId('rl-episode')).toHaveText('1');
  await expect(stats).not.toHaveAttribute('data-path', first!);
  await replay.getByRole('button', { name: 'Previous episode' }).click();
  await expect(stats).toHaveAttribute('data-path', first!);

  // Its per-episode data as a CSV: one header line, and the replayed episode's row says what the replay says.
  const download = page.waitForEvent('download');
  await page.getByTestId('rl-run').getByRole('button', { name: 'Episodes (CSV)' }).click();
  const csv = await download;
  expect(csv.suggestedFilename()).toBe(`e2e-small-episodes-${runId.slice(0, 8)}.csv`);
  const lines = fs.readFileSync(await csv.path(), 'utf8').trimEnd().split('\n');
  expect(lines[0]).toBe('environment,strategy,seed,episode,steps,return,learning_rate,conductance_S,reached_goal,greedy_steps');
  expect(lines.filter((l) => l.startsWith('environment,'))).toHaveLength(1);
  const strategy = await replay.getByLabel('Strategy to replay').inputValue();
  const seed = await replay.getByLabel('Seed to replay').inputValue();
  const episode0 = lines.find((l) => l.startsWith(`static,${strategy},${seed},0,`))!.split(',');
  await expect(page.getByTestId('rl-path-steps')).toHaveText(episode0[4]!);
  expect(Number(episode0[4])).toBe(first!.split(',').length - 1);
  // The path starts at the start (top left) and, when the goal is reached, ends at it (bottom right).
  expect(Number(first!.split(',')[0])).toBe(0);
  await expect(page.getByTestId('rl-replay-maze').locator('polyline')).toHaveCount(1);

  // Back in the Archive: rename it, then delete it after one question that names it.
  await page.goto(page.url().replace(/#.*$/, '') + '#/archive?view=rl');
  await row.getByRole('button', { name: 'Rename e2e small' }).click();
  await row.getByLabel('New name for e2e small').fill('   ');
  await expect(row.getByRole('button', { name: 'Save' })).toBeDisabled();
  await row.getByLabel('New name for e2e small').fill('small mazes, 3 seeds');
  await row.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('archive-rl-notice')).toHaveText('Renamed to “small mazes, 3 seeds”.');
  await expect(row.getByRole('link', { name: 'small mazes, 3 seeds' })).toHaveAttribute('href', `#/rl?run=${runId}`);
  await row.getByRole('button', { name: 'Delete small mazes, 3 seeds' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete “small mazes, 3 seeds”?' });
  await expect(dialog).toContainText('18 stored jobs');
  await dialog.getByRole('button', { name: 'Delete “small mazes, 3 seeds”' }).click();
  await expect(page.getByTestId('archive-rl-notice')).toHaveText('The RL run “small mazes, 3 seeds” was deleted.');
  await expect(page.getByText('No RL experiments in the archive yet.')).toBeVisible();
  await expect(page.getByRole('tab', { name: /^RL experiments/ })).toContainText('0');
});

test('a seed count whose total work is over the bound (ours) is refused at Seeds, with the seeds that fit, and nothing runs', async ({ page, workbench }) => {
  await openPage(page, workbench, 'rl');
  const run = page.getByRole('button', { name: 'Run comparison' });
  await expect(run).toBeEnabled();
  // The paper experiment as shipped (15 strategies, 360,000 steps a job at most) on 10,000 seeds:
  // each field within its own limit, the whole 54,000,000,000 agent steps.
  const seeds = page.getByTestId('rl-setup-seeds');
  await setField(seeds, 'Seeds', '10000');
  const field = seeds.getByLabel(/^Seeds(\s|$)/);
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  const errors = page.locator(`#${await field.getAttribute('aria-describedby')}`);
  await expect(errors).toContainText(/asks for up to 54,000,000,000 agent steps/);
  await expect(errors).toContainText('over the bound of 50,000,000,000 per request (ours): reduce seeds to at most 9,259');
  await expect(run).toBeDisabled();
  await expect(page.getByText(/Fix the problem shown in the set-up first/)).toBeVisible();
  // The seeds it names fit: the field is clear and the run may start (not started here).
  await setField(seeds, 'Seeds', '9259');
  await expect(field).not.toHaveAttribute('aria-invalid', 'true');
  await expect(run).toBeEnabled();
  await expect(page.getByTestId('rl-stored-runs').locator('tbody tr')).toHaveCount(0);
});

test('a long run shows its progress and ETA, and Cancel keeps what it finished', async ({ page, workbench }) => {
  await openPage(page, workbench, 'rl');
  // The paper experiment as shipped: every strategy, 50 seeds.
  await page.getByRole('button', { name: 'Run comparison' }).click();
  const progress = page.getByTestId('rl-progress');
  await expect(progress).toBeVisible();
  await expect(progress).toContainText(/\/1500 jobs/);
  await expect(progress).toContainText(/ETA \d/, { timeout: 20_000 });
  await expect(page.getByTestId('rl-run-status')).toHaveText('running');
  // Live: the table fills in while it runs.
  await expect(page.getByTestId('rl-comparison-static')).toContainText('partial', { timeout: 20_000 });
  await progress.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('rl-run')).toHaveAttribute('data-status', 'cancelled');
  await expect(page.getByTestId('rl-progress')).toHaveCount(0);
  await expect(page.getByText(/cancelled; the jobs it finished are kept/)).toBeVisible();
  // The set-up comes back with one click, and a new run can start.
  await page.getByRole('button', { name: 'Show set-up' }).click();
  await expect(page.getByRole('button', { name: 'Run comparison' })).toBeEnabled();
  await expect(page.getByTestId('rl-stored-runs').locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('rl-stored-runs')).toContainText('cancelled');
});

/** The paper experiment cut to its strategy under test and its baseline (2 seeds run in seconds), the baseline in `baselineColor` when given. */
async function startPaperPair(workbench: Workbench, baselineColor?: string): Promise<{ runId: string; primary: string; baseline: string }> {
  const paper = JSON.parse(fs.readFileSync('resources/experiments/paper.json', 'utf8')) as { strategies: { id: string; color?: string }[]; tuning?: unknown; comparison: { primary: string; baseline: string } };
  const { primary, baseline } = paper.comparison;
  delete paper.tuning;
  paper.strategies = paper.strategies.filter((s) => s.id === primary || s.id === baseline).map((s) => (s.id === baseline && baselineColor ? { ...s, color: baselineColor } : s));
  const host = await api(workbench);
  try {
    const { rlRunId } = await host.value<{ rlRunId: string }>('rl.start', { experiment: paper, seeds: 2, name: 'paper pair' });
    return { runId: rlRunId, primary, baseline };
  } finally {
    host.close();
  }
}

test('a strategy the experiment gives a colour is drawn in it: its swatches on the run page, while the others keep the palette', async ({ page, workbench }) => {
  const { runId, primary, baseline } = await startPaperPair(workbench, '#ff00ff');
  await openPage(page, workbench, `rl?run=${runId}`);
  await expect(page.getByTestId('rl-run')).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
  const swatch = (id: string) => page.locator(`tr[data-strategy="${id}"] .rl-swatch`).first();
  await expect(swatch(baseline)).toHaveCSS('background-color', 'rgb(255, 0, 255)');
  await expect(swatch(primary)).not.toHaveCSS('background-color', 'rgb(255, 0, 255)');
});

test('the replay panel shows the chosen strategy’s whole name at 1280×800 and 1024×768', async ({ page, workbench }) => {
  const { runId } = await startPaperPair(workbench);
  await openPage(page, workbench, `rl?run=${runId}`);
  await expect(page.getByTestId('rl-run')).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
  await expect(page.getByLabel('Strategy to replay')).toHaveValue('device-intrinsic-gradient');
  for (const size of [{ width: 1280, height: 800 }, { width: 1024, height: 768 }]) {
    await page.setViewportSize(size);
    await expect(page.getByTestId('rl-replay')).toBeVisible();
    expect(await clippedControls(page, '[data-testid="rl-replay"]'), `${size.width}×${size.height}`).toEqual([]);
  }
});
