import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as plain, type Page } from '@playwright/test';
import { expect, openPage, test } from './fixtures';
import { clippedControls } from './layout-checks';
import { startServe } from './serve-process';

/**
 * #19 (a first week's walk): text cut off inside form controls — the chosen “Run on” of Submit to
 * the lab, the device preset on Live and in the Protocols preview, RL's Under test and Baseline.
 * Every control on these pages shows its whole text at 1280×800 and 1024×768.
 */
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1024, height: 768 },
];

async function settle(page: Page): Promise<void> {
  await expect(page.getByText('Connecting to the host…')).toHaveCount(0);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

for (const size of SIZES) {
  test(`Live, RL, Protocols and Instruments show every control’s text whole at ${size.width}×${size.height}`, async ({ page, workbench }) => {
    await page.setViewportSize(size);
    await openPage(page, workbench, 'live');
    // The longest built-in preset title is the one chosen first.
    await expect(page.getByRole('combobox', { name: /^Preset/ })).toHaveValue('intrinsic-gradient');
    await settle(page);
    expect(await clippedControls(page), 'Live').toEqual([]);

    await openPage(page, workbench, 'rl');
    await expect(page.getByRole('heading', { level: 1, name: 'Reinforcement learning' })).toBeVisible();
    await expect(page.getByLabel(/^Under test/)).toBeVisible();
    await settle(page);
    expect(await clippedControls(page), 'RL').toEqual([]);
    // A user's strategy name longer than the select is whole in its tooltip.
    await expect(page.getByLabel(/^Under test/)).toHaveAttribute('title', 'Device-driven (intrinsic-gradient)');

    await openPage(page, workbench, 'protocols');
    await page.getByTestId('start-card').getByRole('button', { name: 'Paper spike train' }).click();
    await expect(page.getByLabel('Device preset for the preview')).toBeVisible();
    await settle(page);
    expect(await clippedControls(page), 'Protocols').toEqual([]);

    await openPage(page, workbench, 'instruments');
    await settle(page);
    expect(await clippedControls(page), 'Instruments').toEqual([]);
  });
}

plain.describe('Submit to the lab', () => {
  // A lab whose server does not answer: enough for the form to show (its instruments cannot be listed, which it says).
  let serve: Awaited<ReturnType<typeof startServe>> | null = null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-form-fit-'));
  plain.beforeAll(async () => {
    serve = await startServe(path.resolve(import.meta.dirname, '..', '..', 'electron', 'bin', 'workbench.js'), ['--port', '0', '--data-dir', dir], { WORKBENCH_LAB_URL: 'postgres://wb:secret@127.0.0.1:9/nolab' });
  });
  plain.afterAll(async () => {
    await serve?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const size of SIZES) {
    plain(`its “Run on” shows the chosen queue whole at ${size.width}×${size.height}`, async ({ page }) => {
      await page.setViewportSize(size);
      await page.goto(`${serve!.url}#/rl`);
      await page.getByRole('button', { name: 'Submit to the lab…' }).click();
      await expect(page.getByLabel('Where the lab sweep runs')).toBeVisible();
      await expect(page.getByTestId('rl-lab-instrument')).toContainText('Could not list the lab’s instruments');
      await settle(page);
      expect(await clippedControls(page, '.rl-lab-submit')).toEqual([]);
    });
  }
});
