import path from 'node:path';
import { test, openPage } from './fixtures';

/**
 * Not a check: `npm run screenshots` refreshes the pictures in the README and the user guide
 * (resources/help/screenshots). Excluded from `npm test` by its @screenshots tag.
 */
const out = path.resolve(import.meta.dirname, '..', '..', 'resources', 'help', 'screenshots');

for (const scheme of ['light', 'dark'] as const) {
  test(`@screenshots shell in ${scheme}`, async ({ page, workbench }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openPage(page, workbench, 'archive');
    await page.screenshot({ path: path.join(out, `archive-${scheme}.png`) });
  });
}
