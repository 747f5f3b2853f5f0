import path from 'node:path';
import { expect, openPage, test } from './fixtures';
import { api } from './host-api';
import { setUpDeviceRun } from './rl-device-setup';
import { connectVirtual, stopVirtuals } from './virtual-instrument';

/**
 * Not a check: refreshes the pictures of RL with the device in the loop (resources/help/screenshots):
 * the set-up with the plan on the virtual 2400, and the run while it runs (live α and G, the
 * device's curves, the instrument console). Run with `--grep @screenshots rl-device`.
 */
const out = path.resolve(import.meta.dirname, '..', '..', 'resources', 'help', 'screenshots');

test('@screenshots rl-device in light', async ({ page, workbench }) => {
  test.setTimeout(180_000);
  const host = await api(workbench);
  try {
    await connectVirtual(page, workbench);
    await openPage(page, workbench, 'rl');
    const { hardware, plan } = await setUpDeviceRun(page, 300);
    await expect(plan).toContainText('Within the safety limits in force');
    await hardware.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(out, 'rl-device-plan-light.png') });

    await expect(page.getByTestId('rl-on-instrument')).toContainText('runs on the connected instrument');
    await page.getByRole('button', { name: 'Run comparison' }).click();
    const device = page.getByTestId('rl-device');
    await expect(device.getByTestId('rl-device-alpha')).toHaveText(/^0\.\d{4}$/, { timeout: 30_000 });
    // Enough episodes for the curves to show the device depressing and α falling with it.
    await expect(device.getByTestId('rl-device-readout')).toContainText(/· (6\d|[7-9]\d|\d{3})\/300/, { timeout: 60_000 });
    await page.evaluate(() => document.querySelector('.content')?.scrollTo(0, 0));
    await page.screenshot({ path: path.join(out, 'rl-device-live-light.png') });
    await device.getByRole('button', { name: 'Stop' }).click();
    await expect(page.getByTestId('rl-run-status')).toHaveText('cancelled', { timeout: 30_000 });
  } finally {
    await stopVirtuals(host);
  }
});
