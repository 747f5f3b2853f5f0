/**
 * A simulation sweep from the app (#16): in Archive → Lab → Sweeps, "New simulation sweep…" takes a
 * protocol, a preset, the seeds and a grid over the preset's parameters (with their units and
 * sources), refuses bad input at its field as you type, says how many jobs there will be, submits,
 * and opens the new sweep; `workbench worker --lab --drain` runs its jobs and the open sweep shows
 * its runs. The web host of a PC pointed at a real PostgreSQL (WORKBENCH_LAB_URL).
 */
import { test, expect, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pgUnavailableReason } from '../fixtures/pg-cluster';
import { startLabServe, workbenchBin as bin, type LabServe } from './lab-serve';
import { axe, overflow } from './layout-checks';

const root = path.resolve(import.meta.dirname, '..', '..');
/** This spec's own PostgreSQL port. The web host takes a free port (0). */
const PG_PORT = 55611;

const unavailable = pgUnavailableReason();

/** Opens the form with the paper's spike train on the intrinsic-gradient preset. */
async function openForm(page: Page, appUrl: string) {
  await page.goto(`${appUrl}#/archive?source=lab&view=sweeps`);
  await page.getByRole('button', { name: 'New simulation sweep…' }).click();
  const form = page.getByRole('form', { name: 'New simulation sweep' });
  await form.getByLabel('Protocol').selectOption({ label: 'Paper spike train' });
  await form.getByLabel('Device preset').selectOption('shipped:intrinsic-gradient');
  return form;
}

test.describe('simulation sweeps from the app', () => {
  // The layout test injects axe-core, which the app's CSP (script-src 'self') rightly refuses.
  test.use({ bypassCSP: true });
  let lab: LabServe | null = null;
  let url = '';
  let appUrl = '';

  test.beforeAll(async () => {
    // The lab specs run against a real PostgreSQL cluster or fail saying why; they never skip (.ci/run installs PostgreSQL).
    if (unavailable !== null) throw new Error(`these lab tests need a PostgreSQL test cluster, and none can start here: ${unavailable}`);
    test.setTimeout(120_000);
    lab = await startLabServe(PG_PORT, 'lab_simulation_e2e');
    ({ url, appUrl } = lab);
  });

  test.afterAll(async () => {
    await lab?.stop();
  });

  test('the form refuses bad input at its field, submits a tauG × seeds sweep, and shows its runs once a worker drained it', async ({ page }) => {
    test.setTimeout(300_000);
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));

    await page.goto(`${appUrl}#/archive?source=lab&view=sweeps`);
    await page.getByRole('button', { name: 'New simulation sweep…' }).click();
    const form = page.getByRole('form', { name: 'New simulation sweep' });
    const submit = form.getByRole('button', { name: /^Submit/ });
    // No protocol yet: refused, saying so.
    await expect(form).toContainText('choose a protocol: one from the library or a shipped template');
    await expect(submit).toBeDisabled();
    await form.getByLabel('Protocol').selectOption({ label: 'Paper spike train' });
    await form.getByLabel('Device preset').selectOption('shipped:intrinsic-gradient');

    const seeds = form.getByLabel('Seeds');
    await seeds.fill('0');
    await expect(form).toContainText('seeds as a count must be a whole number from 1 to 10000 (got 0)');
    await expect(submit).toBeDisabled();
    await seeds.fill('1, 2');
    await expect(form.getByTestId('lab-sim-jobs')).toHaveText('1 grid point × 2 seeds = 2 jobs');

    // A grid axis over τ_G: the preset's parameters with their units and sources ("ours").
    await form.getByRole('button', { name: 'Add a parameter to the grid' }).click();
    const grid = form.getByRole('table', { name: "Grid over the preset's parameters" });
    const parameter = grid.getByLabel('Grid parameter 1');
    await expect(parameter.locator('option', { hasText: 'params.tauG' })).toHaveText(/\(s\) · params\.tauG/);
    await parameter.selectOption('params.tauG');
    await expect(grid.locator('tbody tr').first()).toContainText('ours');
    const values = grid.getByRole('textbox');
    // A value out of range, then a value that is not a number: each refused at the axis.
    await values.fill('60, -5');
    await expect(grid).toContainText('at params.tauG = -5');
    await expect(submit).toBeDisabled();
    await values.fill('60, abc');
    await expect(grid).toContainText('"abc"');
    await values.fill('60 s, 400 s');
    await expect(form.getByTestId('lab-sim-jobs')).toHaveText('2 grid points × 2 seeds = 4 jobs');
    await form.getByLabel('Title').fill('tauG scan from the app');
    await expect(submit).toHaveText('Submit 4 jobs');
    await submit.click();

    // Straight to the sweep: its row and its panel.
    await expect(page.getByTestId('lab-sim-submitted')).toContainText('4 runs (2 grid points × 2 seeds)');
    await expect(page).toHaveURL(/source=lab&view=sweeps&sweep=[0-9a-f-]{36}/);
    const sweepId = /sweep=([0-9a-f-]{36})/.exec(page.url())![1]!;
    const row = page.getByRole('table', { name: 'Lab sweeps' }).locator(`tr[data-lab-sweep-id="${sweepId}"]`);
    await expect(row).toContainText('Simulation');
    await expect(row).toContainText('0/4');
    const detail = page.getByTestId('lab-sweep-detail');
    await expect(detail.getByRole('heading', { name: 'tauG scan from the app' })).toBeVisible();
    await expect(detail).toContainText('no job done yet');

    const worker = spawnSync(process.execPath, [bin, 'worker', '--lab', '--drain', '--name', 'pc-worker', '--poll-ms', '100', '--json'], { env: { ...process.env, WORKBENCH_LAB_URL: url }, encoding: 'utf8', timeout: 240_000 });
    expect(worker.status, worker.stderr).toBe(0);
    expect(JSON.parse(worker.stdout)).toMatchObject({ written: 4, failed: 0 });

    await expect(row).toContainText('4/4', { timeout: 15_000 });
    await expect(detail.getByTestId('lab-sweep-workers')).toHaveText('pc-worker: 4', { timeout: 15_000 });
    const runs = detail.getByRole('table', { name: 'Sweep runs' }).locator('tbody tr');
    await expect(runs).toHaveCount(4);
    await expect(runs.nth(0)).toContainText('params.tauG=60');
    await expect(runs.nth(3)).toContainText('params.tauG=400');
    expect(problems).toEqual([]);
  });

  test('an unknown parameter (a grid axis the new preset has not) is refused at its axis; the set-up outlives the page', async ({ page }) => {
    const form = await openForm(page, appUrl);
    await form.getByRole('button', { name: 'Add a parameter to the grid' }).click();
    const grid = form.getByRole('table', { name: "Grid over the preset's parameters" });
    await grid.getByLabel('Grid parameter 1').selectOption('params.tauG');
    await grid.getByRole('textbox').fill('60, 400');
    await form.getByLabel('Device preset').selectOption('shipped:ideal');
    await expect(grid).toContainText("the preset 'ideal' has no numeric field params.tauG");
    await expect(grid.getByLabel('Grid parameter 1')).toHaveValue('params.tauG');
    await expect(form.getByRole('button', { name: /^Submit/ })).toBeDisabled();

    // The set-up outlives the page: to Help and back, it is as it was.
    await page.getByRole('link', { name: 'Help' }).click();
    // Gone for real before coming back (a back within the same render would keep the page as it was).
    await expect(page.getByTestId('lab-sweeps')).toHaveCount(0);
    await page.goBack();
    await page.getByRole('button', { name: 'New simulation sweep…' }).click();
    await expect(form.getByLabel('Device preset')).toHaveValue('shipped:ideal');
    await expect(grid.getByRole('textbox')).toHaveValue('60, 400');
    await expect(grid).toContainText("the preset 'ideal' has no numeric field params.tauG");
  });

  test('Lab sweep… on the Protocols page opens the form with the saved protocol and submits it', async ({ page }) => {
    await page.goto(`${appUrl}#/protocols`);
    await page.getByTestId('template-list').getByRole('button', { name: /Depression and relaxation/ }).click();
    const labSweep = page.getByRole('button', { name: 'Lab sweep…' });
    await expect(labSweep).toHaveCount(0); // a template copy is not in the library yet
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByTestId('save-state')).toHaveText('Saved · version 1');
    await labSweep.click();
    await expect(page).toHaveURL(/source=lab&view=sweeps&simulate=library%3A[0-9a-f-]{36}/);
    const form = page.getByRole('form', { name: 'New simulation sweep' });
    await expect(form.getByLabel('Protocol').locator('option:checked')).toHaveText('Depression and relaxation (v1)');
    await expect(form.getByLabel('Title')).toHaveAttribute('placeholder', 'Depression and relaxation on intrinsic-gradient');
    await expect(form.getByTestId('lab-sim-jobs')).toHaveText('1 grid point × 3 seeds = 3 jobs');
    await form.getByRole('button', { name: 'Submit 3 jobs' }).click();
    await expect(page.getByTestId('lab-sweep-detail').getByRole('heading', { name: 'Depression and relaxation on intrinsic-gradient' })).toBeVisible();
  });

  for (const size of [{ width: 1366, height: 800 }, { width: 1024, height: 700 }] as const) {
    test(`the form at ${size.width}×${size.height}, light and dark, with a grid axis and a problem showing: contrast AA, nothing clipped or overflowing`, async ({ page }) => {
      await page.setViewportSize(size);
      const found: string[] = [];
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        // The form remembers its set-up for the session: each scheme starts afresh (about:blank has no storage).
        await page.evaluate(() => {
          try {
            window.sessionStorage.clear();
          } catch {
            // nothing stored yet
          }
        });
        const form = await openForm(page, appUrl);
        await form.getByRole('button', { name: 'Add a parameter to the grid' }).click();
        const grid = form.getByRole('table', { name: "Grid over the preset's parameters" });
        await grid.getByLabel('Grid parameter 1').selectOption('params.tauG');
        await grid.getByRole('textbox').fill('60 s, -5 s');
        await form.getByLabel('Seeds').fill('0');
        await expect(form).toContainText('at params.tauG = -5');
        await page.mouse.move(0, 0);
        await page.screenshot({ path: path.join(root, 'test-results', `lab-simulation-${size.width}-${scheme}.png`), fullPage: true });
        for (const v of [...(await axe(page)), ...(await overflow(page))]) found.push(`${scheme}: ${v}`);
      }
      expect(found).toEqual([]);
    });
  }

  /**
   * Not a check: refreshes the user guide's picture of the form (resources/help/screenshots). Run
   * with `--grep @screenshots`; excluded from `npm test` by its tag.
   */
  test('@screenshots lab: a new simulation sweep', async ({ page }) => {
    const form = await openForm(page, appUrl);
    await form.getByLabel('Seeds').fill('5');
    await form.getByRole('button', { name: 'Add a parameter to the grid' }).click();
    const grid = form.getByRole('table', { name: "Grid over the preset's parameters" });
    await grid.getByLabel('Grid parameter 1').selectOption('params.tauG');
    await grid.getByRole('textbox').fill('60 s, 150 s, 400 s');
    await expect(form.getByTestId('lab-sim-jobs')).toHaveText('3 grid points × 5 seeds = 15 jobs');
    await form.getByRole('heading', { name: 'New simulation sweep' }).click(); // no focus ring in the picture
    await page.screenshot({ path: path.join(root, 'resources', 'help', 'screenshots', 'lab-simulation-sweep-light.png') });
  });
});
