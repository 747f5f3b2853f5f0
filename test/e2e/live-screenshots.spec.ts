import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openPage, test, type Workbench } from './fixtures';

/**
 * Not a check: refreshes the Live and Archive pictures of the user guide (resources/help/screenshots)
 * at 1366×768. Run with `--grep @screenshots live`; excluded from `npm test` by its tag.
 */
const out = path.resolve(import.meta.dirname, '..', '..', 'resources', 'help', 'screenshots');

async function openSettled(page: Page, workbench: Workbench, route: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await openPage(page, workbench, route);
    try {
      await expect(page.getByText('Connecting to the host…')).toHaveCount(0, { timeout: 3000 });
      return;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}
const settle = (page: Page) => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

test('@screenshots live in light', async ({ page, workbench }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await openSettled(page, workbench, 'live');
  await page.getByLabel('Protocol').selectOption({ label: 'Paper spike train' });
  await page.getByLabel('Seed').fill('1');
  await page.getByLabel('Run name').fill('Paper spike train, seed 1');
  await page.getByRole('button', { name: '▶ Run' }).click();
  await expect(page.getByTestId('run-summary')).toBeVisible({ timeout: 30_000 });
  // The page from its top, as it opens: the focused ▶ Run button had scrolled it.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.locator('#main-content').evaluate((m) => m.scrollTo({ top: 0 }));
  await settle(page);
  await page.screenshot({ path: path.join(out, 'live-light.png') });
});

for (const scheme of ['light', 'dark'] as const) {
  test(`@screenshots archive in ${scheme}`, async ({ page, workbench }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openSettled(page, workbench, 'archive');
    await page.getByRole('button', { name: 'Load the sample experiment' }).click();
    const rows = page.getByRole('table', { name: 'Runs' }).locator('tbody tr');
    await expect(rows.first()).toBeVisible();
    const boxes = page.getByRole('table', { name: 'Runs' }).getByRole('checkbox');
    const n = Math.min(3, await boxes.count());
    for (let k = 0; k < n; k++) await boxes.nth(k).check();
    await page.getByRole('button', { name: /^Compare \d+ runs$/ }).click();
    await expect(page.getByTestId('compare')).toHaveAttribute('data-loaded', String(n));
    await page.getByRole('radio', { name: 'Normalised to G0' }).check();
    await expect(page.getByTestId('compare')).toHaveAttribute('data-loaded', String(n));
    await page.getByTestId('compare').scrollIntoViewIfNeeded();
    await settle(page);
    await page.screenshot({ path: path.join(out, `archive-${scheme}.png`) });
  });
}
