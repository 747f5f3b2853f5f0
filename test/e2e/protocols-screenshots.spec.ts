import path from 'node:path';
import { test, expect, openPage } from './fixtures';

/**
 * Not a check: refreshes the Protocols pictures of the user guide (resources/help/screenshots),
 * the editor with the paper spike train open and its preview drawn. Tagged @screenshots, so
 * `npm test` leaves it out; run with `--grep @screenshots protocols`.
 */
const out = path.resolve(import.meta.dirname, '..', '..', 'resources', 'help', 'screenshots');

for (const scheme of ['light', 'dark'] as const) {
  test(`@screenshots protocols editor in ${scheme}`, async ({ page, workbench }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openPage(page, workbench, 'protocols');
    await page.getByTestId('template-list').getByRole('button', { name: /Paper spike train/ }).click();
    await page.keyboard.press('Control+s');
    await expect(page.getByTestId('save-state')).toHaveText(/Saved · version 1/);
    await expect(page.getByTestId('protocol-preview')).toHaveAttribute('data-pulses', '100');
    await expect(page.getByTestId('estimate-pulses')).toHaveText('100');
    await page.getByTestId('notice').getByRole('button', { name: 'Dismiss' }).click();
    await page.locator('[data-block-head]').first().click();
    await page.mouse.move(0, 0);
    // Let the charts finish their frame.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.screenshot({ path: path.join(out, `protocols-${scheme}.png`) });
  });
}

test('@screenshots the first screen of a new workbench (Start here)', async ({ page, workbench }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await openPage(page, workbench);
  await expect(page.getByTestId('start-card').getByRole('button', { name: 'Paper spike train' })).toBeVisible();
  await page.mouse.move(0, 0);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.screenshot({ path: path.join(out, 'first-start-light.png') });
});
