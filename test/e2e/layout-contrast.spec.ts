import type { Page } from '@playwright/test';
import { test, expect, openPage } from './fixtures';
import { api } from './host-api';
import { axe, overflow } from './layout-checks';

/**
 * #19's page-by-page pass: every page at 1366×800 and 1024×700, light and dark, fails on text below
 * 4.5:1 (axe-core's color-contrast, the maintained checker, injected into the page), on missing
 * landmarks, and on any element that overflows the page or is clipped inside its own box.
 */
// The app's CSP (script-src 'self') rightly refuses the injected checker; this context lets it in.
test.use({ bypassCSP: true });

const PAGES = ['protocols', 'devices', 'live', 'rl', 'archive', 'samples', 'instruments', 'settings', 'help', 'logs'] as const;
const SIZES = [
  { width: 1366, height: 800 },
  { width: 1024, height: 700 },
] as const;

for (const size of SIZES) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`every page at ${size.width}×${size.height}, ${scheme}: contrast, landmarks, nothing overflowing`, async ({ page, workbench }) => {
      test.setTimeout(120_000);
      await page.setViewportSize(size);
      await page.emulateMedia({ colorScheme: scheme });
      // With data: the sample experiment's runs fill the Archive's table (#19: its ΔG and Created columns were clipped).
      await (await api(workbench)).value('archive.loadSample', {});
      const found: string[] = [];
      for (const id of PAGES) {
        await openPage(page, workbench, id);
        await page.locator('main h1').first().waitFor();
        await page.waitForLoadState('networkidle');
        await page.mouse.move(0, 0);
        for (const v of await axe(page)) found.push(`${id}: ${v}`);
        for (const o of await overflow(page)) found.push(`${id}: ${o}`);
      }
      expect(found).toEqual([]);
    });
  }
}

/** Names cut to "C…" in a table cell: text wider than its cell. */
async function truncatedNames(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('.rl-row-text, .rl-strategy-name'))
      .filter((el) => el instanceof HTMLElement && el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1)
      .map((el) => `"${(el.textContent ?? '').trim()}" is cut (${(el as HTMLElement).scrollWidth} > ${(el as HTMLElement).clientWidth})`),
  );
}

// #19 item 11: a finished comparison with the set-up open — names were cut to "C…", legends took
// half of each chart, and a hidden span made the whole document scroll under the nav rail.
for (const size of SIZES) {
  test(`RL page with a finished run and the set-up open at ${size.width}×${size.height}: whole names, no document scroll, nothing clipped`, async ({ page, workbench }) => {
    test.setTimeout(120_000);
    await page.setViewportSize(size);
    await openPage(page, workbench, 'rl');
    await page.getByTestId('rl-setup-seeds').getByLabel(/^Seeds(\s|$)/).fill('2');
    await page.getByRole('button', { name: 'Run comparison' }).click();
    await expect(page.getByTestId('rl-run')).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
    await page.getByRole('button', { name: 'Show set-up' }).click();
    await expect(page.getByRole('complementary', { name: 'Set-up' })).toBeVisible();
    await expect(page.getByTestId('rl-legend')).toBeVisible();
    const found = [...(await overflow(page)), ...(await truncatedNames(page))];
    const doc = await page.evaluate(() => ({ scroll: document.documentElement.scrollHeight, view: window.innerHeight }));
    if (doc.scroll > doc.view + 1) found.push(`the document scrolls (${doc.scroll} > ${doc.view}): the page, not its main area`);
    // One legend for the charts; each chart keeps its height for the curves.
    for (const chart of await page.getByTestId('rl-charts').locator('canvas').all()) expect((await chart.boundingBox())!.height).toBeGreaterThan(120);
    expect(found).toEqual([]);
  });
}
