import type { Locator, Page } from '@playwright/test';
import { expect, openPage, test } from './fixtures';

/**
 * #19 (a first week's walk): the chart headers of the Live and RL pages wrapped onto a second row
 * at 1280 px, two charts side by side. They hold one row now — title, log, a reset icon and one
 * Export menu — with the title whole; the Export menu still gives PNG and CSV.
 */

/** Each toolbar's height against its tallest control's, and whether its title is cut. */
async function toolbarRows(charts: Locator): Promise<{ title: string; rows: number; titleCut: boolean }[]> {
  return charts.locator('.chart-toolbar').evaluateAll((bars) =>
    bars.map((bar) => {
      const controls = Array.from(bar.querySelectorAll<HTMLElement>('button, label'));
      const tallest = Math.max(...controls.map((c) => c.getBoundingClientRect().height));
      const title = bar.querySelector<HTMLElement>('.chart-title')!;
      return { title: title.textContent ?? '', rows: Math.round((bar.getBoundingClientRect().height / tallest) * 10) / 10, titleCut: title.scrollWidth > title.clientWidth };
    }),
  );
}

async function expectOneRow(charts: Locator, count: number): Promise<void> {
  const bars = await toolbarRows(charts);
  expect(bars.length).toBe(count);
  for (const b of bars) {
    expect(b.rows, `${b.title}: the toolbar is one row of controls`).toBeLessThan(1.5);
    expect(b.titleCut, `${b.title}: the title is whole`).toBe(false);
  }
}

async function runSmallComparison(page: Page): Promise<void> {
  await page.getByTestId('rl-setup-seeds').getByLabel(/^Seeds(\s|$)/).fill('1');
  for (const env of ['Static maze', 'Dynamic maze']) {
    await page.getByRole('complementary', { name: 'Set-up' }).getByRole('region', { name: new RegExp(`^Environment ${env}`) }).getByLabel(/^Episodes(\s|$)/).fill('40');
  }
  await page.getByRole('button', { name: 'Run comparison' }).click();
  await expect(page.getByTestId('rl-run')).toHaveAttribute('data-status', 'completed', { timeout: 90_000 });
}

for (const theme of ['light', 'dark'] as const) {
  test(`the Live page’s chart toolbars are one row at 1280×800 (${theme})`, async ({ page, workbench }) => {
    await page.emulateMedia({ colorScheme: theme });
    await page.setViewportSize({ width: 1280, height: 800 });
    await openPage(page, workbench, 'live');
    await expect(page.locator('.live-charts .chart')).toHaveCount(4);
    await expectOneRow(page.locator('.live-charts'), 4);
  });
}

test('the RL page’s chart toolbars are one row at 1280×800, and its set-up names the preset mid-sentence', async ({ page, workbench }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await openPage(page, workbench, 'rl');
  // Not “Set-up from Our experiment”: the preset's title is a name inside the sentence.
  await expect(page.locator('.rl-setup-source')).toHaveText(/^Set-up from the preset “[^”]+”$/);
  await runSmallComparison(page);
  const charts = page.getByTestId('rl-charts');
  await expect(charts.locator('.chart').first()).toBeVisible();
  await expectOneRow(charts, await charts.locator('.chart').count());
});

test('Export gives the chart as PNG and its data as CSV; the reset icon is a named button; Escape closes the menu', async ({ page, workbench }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openPage(page, workbench, 'live');
  const chart = page.getByTestId('live-chart-g');
  await expect(chart.getByRole('button', { name: 'Reset zoom' })).toBeVisible();
  const exportButton = chart.getByRole('button', { name: 'Export' });
  await exportButton.click();
  await expect(chart.getByRole('menu')).toBeVisible();
  await expect(chart.getByRole('menuitem', { name: 'PNG image' })).toBeFocused();
  const png = page.waitForEvent('download');
  await chart.getByRole('menuitem', { name: 'PNG image' }).click();
  expect((await png).suggestedFilename()).toBe('conductance-vs-time.png');
  await expect(chart.getByRole('menu')).toHaveCount(0);

  await exportButton.press('Enter');
  await page.keyboard.press('ArrowDown');
  await expect(chart.getByRole('menuitem', { name: 'CSV data (SI units)' })).toBeFocused();
  const csv = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  expect((await csv).suggestedFilename()).toBe('conductance-vs-time.csv');

  await exportButton.click();
  await page.keyboard.press('Escape');
  await expect(chart.getByRole('menu')).toHaveCount(0);
  await expect(exportButton).toBeFocused();
});
