import path from 'node:path';
import { expect, openPage, test } from './fixtures';

/**
 * Not a check: refreshes the RL pictures of the user guide (resources/help/screenshots) at the
 * lab-PC size the config sets (1366×768), after a finished comparison on the paper's mazes: the
 * device-driven rate, the conventional baseline, the best tuned constant and decay of the dynamic
 * maze, the software success-gated schedule and the device with its second state frozen. Run with `--grep @screenshots rl`; excluded from `npm test` by its tag.
 */
const out = path.resolve(import.meta.dirname, '..', '..', 'resources', 'help', 'screenshots');
const KEEP = [
  'Device-driven (intrinsic-gradient)',
  'Constant α = 0.1 (conventional, untuned)',
  'Constant α = 0.269',
  'Linear 0.705 → 0.254 over 142 episodes',
  'Success-gated software α 0.867 → 0.0538 (drop 0.0195, τ 163 episodes)',
  'Device-driven (intrinsic-gradient, second state frozen)',
];

for (const scheme of ['light', 'dark'] as const) {
  test(`@screenshots rl in ${scheme}`, async ({ page, workbench }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: scheme });
    await openPage(page, workbench, 'rl');
    await expect(page.getByRole('heading', { level: 1, name: 'Reinforcement learning' })).toBeVisible();
    const strategies = page.getByTestId('rl-setup-strategies');
    const boxes = strategies.locator('.rl-strategy-head input[type=checkbox]');
    const count = await boxes.count();
    for (let k = 0; k < count; k++) {
      const name = (await strategies.locator('.rl-strategy-name').nth(k).textContent()) ?? '';
      if (!KEEP.includes(name)) await boxes.nth(k).uncheck();
    }
    await page.getByTestId('rl-setup-seeds').getByLabel(/^Seeds(\s|$)/).fill('50');
    await page.getByLabel('Run name').fill('Paper mazes, 6 strategies, 50 seeds');
    await page.getByRole('button', { name: 'Run comparison' }).click();
    await expect(page.getByTestId('rl-run')).toHaveAttribute('data-status', 'completed', { timeout: 90_000 });
    // Reopen the stored run as a reader would (the deep link survives a reload); the status bar's
    // link pill must have settled.
    for (let k = 0; k < 3; k++) {
      await page.reload();
      await expect(page.getByTestId('host-kind')).toHaveText('Web host');
      await expect(page.getByTestId('rl-run')).toHaveAttribute('data-status', 'completed');
      if ((await page.getByText('Connecting to the host…').count()) === 0) break;
    }
    await expect(page.getByTestId('rl-charts')).toHaveAttribute('data-seeds', '50');
    await expect(page.getByTestId('rl-replay-stats')).toBeVisible();
    // A mid-training episode: the path still wanders, the arrows mostly point the way.
    await page.getByTestId('rl-replay').getByLabel('Episode', { exact: true }).fill('40');
    await expect(page.getByTestId('rl-episode')).toHaveText('40');
    await expect(page.getByTestId('rl-replay-stats')).toBeVisible();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await page.screenshot({ path: path.join(out, `rl-${scheme}.png`) });
  });
}
