import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { test, expect, openPage, type Workbench } from './fixtures';

/**
 * #13: an I–V protocol built in the editor runs on the simulated bipolar-oxide device; the loop is
 * seen live in linear and log|I|; the Archive shows the run with its extracted switching figures.
 * The @screenshots tests (excluded from `npm test`) refresh the README's I–V and endurance pictures.
 */
const blockOfKind = (page: Page, kind: string) => page.locator(`li.pe-block[data-kind="${kind}"]`);
const field = (block: Locator, label: string) => block.locator('.pe-block-form').first().getByLabel(label, { exact: true });
const settle = (page: Page) => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

/** Builds "forming sweep + 5 loops" in the editor, saves it and starts it on the Live page (bipolar-oxide, seed 3). */
async function buildAndRun(page: Page, workbench: Workbench, name: string, cycles: number): Promise<void> {
  await openPage(page, workbench, 'protocols');
  await page.getByLabel('Name', { exact: true }).fill(name);
  // The device is virgin: a first sweep to 3.5 V under 100 µA forms it; then the loops.
  await page.getByRole('button', { name: 'Add an I–V sweep block' }).click();
  await page.getByRole('button', { name: 'Add an I–V sweep block' }).click();
  const sweeps = blockOfKind(page, 'iv-sweep');
  await expect(sweeps).toHaveCount(2);
  const forming = sweeps.nth(0);
  await field(forming, 'Points (0 → +V → 0 → −V → 0) (V, separated by commas)').fill('0 V, 3.5 V, 0 V');
  await field(forming, 'Step (V)').fill('50 mV');
  await field(forming, 'Compliance, V ≥ 0 (A)').fill('100 µA');
  const loops = sweeps.nth(1);
  await field(loops, 'Cycles').fill(String(cycles));
  await field(loops, 'Compliance, V ≥ 0 (A)').fill('500 µA');
  await expect(page.getByTestId('limit-badge')).toHaveText(/Within the limits/);
  // Previewed on the bipolar device, which Run takes to the Live page with the protocol.
  await page.getByLabel('Device preset for the preview').selectOption('bipolar-oxide');
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-state')).toHaveText('Saved · version 1');
  await page.getByRole('button', { name: '▶ Run' }).click();
  await expect(page).toHaveURL(/#\/live/);
  await expect(page.getByLabel('Preset')).toHaveValue('bipolar-oxide');
  await page.getByLabel('Seed').fill('3');
  await page.getByLabel('Run name').fill(name);
  await page.getByRole('button', { name: '▶ Run' }).click();
  await expect(page.getByTestId('run-summary')).toBeVisible({ timeout: 60_000 });
}

test('an I–V protocol built in the editor runs, its loop shows live in linear and log|I|, and the Archive has its switching figures', async ({ page, workbench }) => {
  test.setTimeout(120_000);
  await buildAndRun(page, workbench, 'I–V loops (e2e)', 5);
  const live = page.getByTestId('live-switching');
  await expect(live).toHaveAttribute('data-cycles', '5');
  // An I–V run has no reads: its empty G and read-current charts say why, live and in the replay.
  await expect(page.getByTestId('live-no-reads')).toContainText('No reads in this run so far');
  const iv = page.getByTestId('live-chart-iv');
  await expect(iv).toHaveAttribute('data-log', 'false');
  await expect(iv.locator('.chart-title')).toHaveText('I–V per cycle');
  await expect(iv.getByRole('img')).toHaveAttribute('aria-label', /Current I \((m|µ)A\) against Voltage V \(V\)/);
  // The loops span the sweep: −1.5 V … 1.5 V.
  const canvas = iv.locator('canvas');
  // The forming sweep (to 3.5 V, 71 steps) and five loops of 301 steps: every point is drawn.
  await expect(canvas).toHaveAttribute('data-points', String(141 + 5 * 301));
  const [x0, x1] = ((await canvas.getAttribute('data-x-range')) ?? '').split('|').map(Number);
  expect(x0).toBeLessThanOrEqual(-1.5);
  expect(x1).toBeGreaterThanOrEqual(3.5);
  await iv.getByLabel('log|I|').check();
  await expect(iv).toHaveAttribute('data-log', 'true');
  // One format on the log|I| axis (#19: "1e-6" beside "0.000002"): round currents with an SI prefix.
  await expect(canvas).toHaveAttribute('data-y-ticks', /A/);
  const currents = ((await canvas.getAttribute('data-y-ticks')) ?? '').split('|');
  expect(currents.length).toBeGreaterThanOrEqual(2);
  for (const label of currents) expect(label).toMatch(/^[125]0{0,2} [fpnµm]?A$/);
  await iv.screenshot({ path: test.info().outputPath('iv-log.png') });
  await iv.getByLabel('log|I|').uncheck();
  await expect(iv).toHaveAttribute('data-log', 'false');
  await expect(page.getByTestId('live-chart-states')).toBeVisible();
  // Its log axes label round ticks only (1, 2, 5 a decade): none at the axes' own bounds.
  const states = page.getByTestId('live-chart-states').locator('canvas');
  await expect(states).toHaveAttribute('data-x-ticks', '1|2|5');
  for (const axis of ['data-x-ticks', 'data-y-ticks']) {
    for (const label of ((await states.getAttribute(axis)) ?? '').split('|')) expect(label, `${axis}: ${label}`).toMatch(/^[125]0{0,2}(k?| [kMG]?Ω)$/);
  }
  await expect(page.getByTestId('live-switching-summary')).toContainText('5 cycles');

  await openPage(page, workbench, 'archive');
  await page.getByRole('table', { name: 'Runs' }).getByText('I–V loops (e2e)').first().click();
  const figures = page.getByTestId('run-analysis');
  await expect(figures).toBeVisible({ timeout: 30_000 });
  await expect(figures).toContainText('Stored with the run.');
  const rows = figures.getByLabel('Figures per cycle').locator('tbody tr');
  await expect(rows).toHaveCount(5);
  // V_set of the first cycle: a positive voltage in mV or V; LRS below HRS.
  await expect(rows.first().locator('td').nth(1)).toHaveText(/^\d+(\.\d+)? m?V$/);
  await expect(figures.getByTestId('archive-switching-summary')).toContainText('on/off median');
  const download = page.waitForEvent('download');
  await figures.getByRole('button', { name: 'Export cycles CSV' }).click();
  expect((await download).suggestedFilename()).toMatch(/cycles\.csv$/);
  // The replay of the stored run draws the same loops.
  await expect(page.getByTestId('replay-switching')).toHaveAttribute('data-cycles', '5', { timeout: 30_000 });
  await expect(page.getByTestId('replay-no-reads')).toBeVisible();

  // At 1024×700 every chart and the figures stay inside their panel (UI.md).
  await page.setViewportSize({ width: 1024, height: 700 });
  await settle(page);
  const overflow = await page.evaluate(() => {
    const bad: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('[data-testid="run-analysis"], [data-testid="replay-switching"] .chart, .switching-summary')) {
      const parent = el.parentElement!.getBoundingClientRect();
      const box = el.getBoundingClientRect();
      if (box.left < parent.left - 1 || box.right > parent.right + 1) bad.push(`${el.className || el.dataset.testid}: ${box.left}–${box.right} outside ${parent.left}–${parent.right}`);
    }
    return bad;
  });
  expect(overflow).toEqual([]);
});

const out = path.resolve(import.meta.dirname, '..', '..', 'resources', 'help', 'screenshots');

test('@screenshots I–V loops live in log|I|', async ({ page, workbench }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1366, height: 1600 });
  await page.emulateMedia({ colorScheme: 'light' });
  await buildAndRun(page, workbench, 'I–V loops', 10);
  const sw = page.getByTestId('live-switching');
  await expect(sw).toHaveAttribute('data-cycles', '10');
  await page.getByTestId('live-chart-iv').getByLabel('log|I|').check();
  await sw.scrollIntoViewIfNeeded();
  await settle(page);
  await sw.screenshot({ path: path.join(out, 'iv-live.png') });
});

test('@screenshots endurance: 200 cycles in the Archive', async ({ page, workbench }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1366, height: 1600 });
  await page.emulateMedia({ colorScheme: 'light' });
  await buildAndRun(page, workbench, 'Endurance, 200 cycles', 200);
  await openPage(page, workbench, 'archive');
  await page.getByRole('table', { name: 'Runs' }).getByText('Endurance, 200 cycles').first().click();
  await expect(page.getByTestId('run-analysis')).toContainText('Stored with the run.', { timeout: 60_000 });
  const sw = page.getByTestId('replay-switching');
  await expect(sw).toHaveAttribute('data-cycles', '200', { timeout: 60_000 });
  await page.getByTestId('run-analysis').scrollIntoViewIfNeeded();
  await settle(page);
  await page.getByTestId('run-analysis').screenshot({ path: path.join(out, 'endurance-figures.png') });
  await sw.scrollIntoViewIfNeeded();
  await settle(page);
  await sw.screenshot({ path: path.join(out, 'endurance-charts.png') });
});

test('the SET/RESET endurance template, previewed on the bipolar device, runs on it; its pulsed cycles say why V_set and V_reset are —', async ({ page, workbench }) => {
  test.setTimeout(120_000);
  await openPage(page, workbench, 'protocols');
  await page.getByRole('button', { name: 'SET/RESET endurance template' }).click();
  await page.getByLabel('Device preset for the preview').selectOption('bipolar-oxide');
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-state')).toHaveText('Saved · version 1');
  await page.getByRole('button', { name: '▶ Run' }).click();
  await expect(page.getByLabel('Preset')).toHaveValue('bipolar-oxide');
  await page.getByRole('button', { name: '▶ Run' }).click();
  await expect(page.getByTestId('run-summary')).toBeVisible({ timeout: 60_000 });
  // A forming block may stop early: the total was an upper bound, and the finished run's is exact.
  await expect(page.getByTestId('run-progress')).toHaveText(/^100 % · [\d,]+ \/ [\d,]+$/);
  await expect(page.getByTestId('live-switching-summary')).toContainText('100 cycles');
  await expect(page.getByTestId('live-no-switching-voltages')).toContainText('this run’s SET and RESET are pulses');
});
