import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openPage, test, type Workbench } from './fixtures';

/**
 * Not a check: refreshes the Devices pictures of the user guide (resources/help/screenshots) at the
 * lab-PC size the config sets (1366×768). Run with `--grep @screenshots devices`; excluded from
 * `npm test` by its tag.
 */
const out = path.resolve(import.meta.dirname, '..', '..', 'resources', 'help', 'screenshots');

/**
 * Opens the page with the status bar settled. renderer/app/StatusBar.tsx reads the connection state
 * when it renders and subscribes in an effect, so an 'open' in between is missed and "Connecting to
 * the host…" stays on screen (reported); a picture must not show that, so load again.
 */
async function openSettled(page: Page, workbench: Workbench): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await openPage(page, workbench, 'devices');
    const stuck = page.getByText('Connecting to the host…');
    try {
      await expect(stuck).toHaveCount(0, { timeout: 3000 });
      return;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}

for (const scheme of ['light', 'dark'] as const) {
  test(`@screenshots devices in ${scheme}`, async ({ page, workbench }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openSettled(page, workbench);
    await expect(page.getByRole('heading', { level: 1, name: 'Devices' })).toBeVisible();
    // The paper's device compared with the two comparison models, as a reader would first look at it.
    await page.getByLabel('Compare with another model').selectOption('shipped:filamentary');
    await expect(page.getByTestId('overlay-filamentary')).toBeVisible();
    await page.getByLabel('Compare with another model').selectOption('shipped:ideal');
    await expect(page.getByTestId('overlay-ideal')).toBeVisible();
    await expect(page.getByTestId('curve-summary').locator('tbody tr')).toHaveCount(3);
    // Let the charts draw (they redraw on the next animation frame).
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await page.screenshot({ path: path.join(out, `devices-${scheme}.png`) });
  });
}
