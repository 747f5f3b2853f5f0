import path from 'node:path';
import { test, expect, openPage } from './fixtures';

/**
 * Not a check: refreshes the Settings picture of the user guide (resources/help/screenshots).
 * Excluded from `npm test` by its @screenshots tag; `npm run screenshots` runs it.
 */
const out = path.resolve(import.meta.dirname, '..', '..', 'resources', 'help', 'screenshots');

test('@screenshots settings in light', async ({ page, workbench }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await openPage(page, workbench, 'settings');
  await expect(page.getByLabel('Max |V|')).toHaveValue('5 V');
  await page.getByRole('button', { name: 'Back up now' }).click();
  await expect(page.getByRole('table', { name: 'Backups' })).toBeVisible();
  await page.getByLabel('Max |V|').fill('3 V');
  await page.getByLabel('Compliance current').fill('100 uS');
  await expect(page.getByText('Compliance current: expected a current')).toBeVisible();
  await page.locator('main.content').evaluate((el) => el.scrollTo(0, 0));
  await expect(page.getByText('Connecting to the host')).toHaveCount(0);
  await page.screenshot({ path: path.join(out, 'settings-light.png') });
});
