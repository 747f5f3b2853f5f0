import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openPage, test } from './fixtures';
import { api } from './host-api';

/**
 * Not a check: `npm run screenshots` refreshes the pictures in the README and the user guide
 * (resources/help/screenshots). Excluded from `npm test` by its @screenshots tag. This file: the
 * Instruments page connected to a virtual Keithley 2400, the Live page running a protocol on it,
 * and the Archive's RL view.
 */
const out = path.resolve(import.meta.dirname, '..', '..', 'resources', 'help', 'screenshots');
const settle = (page: Page) => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

test('@screenshots instruments and a run on the virtual instrument, in light', async ({ page, workbench }) => {
  test.setTimeout(120_000);
  await page.emulateMedia({ colorScheme: 'light' });
  const host = await api(workbench);
  try {
    const name = 'Spike train on the 2400';
    await host.value('protocols.save', {
      name,
      description: 'Sixty 2 V, 10 ms spikes (the paper’s), a read after each',
      tags: [],
      document: { format: 'memristor-workbench/protocol', version: 1, name, blocks: [{ kind: 'train', count: 60, amplitude: '2 V', width: '10 ms', period: '100 ms', read: true }] },
    });
    await openPage(page, workbench, 'instruments');
    await page.getByLabel('Virtual').selectOption('keithley2400');
    await page.getByRole('button', { name: 'Start virtual instrument' }).click();
    await expect(page.getByTestId('port-select')).not.toHaveValue('');
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect(page.getByTestId('instrument-state')).toHaveText('connected');
    await expect(page.getByTestId('instrument-idn')).toContainText('MODEL 2400');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.evaluate(() => document.querySelector('.content')?.scrollTo(0, 0));
    await settle(page);
    await page.screenshot({ path: path.join(out, 'instruments-light.png') });

    await openPage(page, workbench, 'live');
    await page.getByLabel('Protocol').selectOption({ label: `${name} (v1)` });
    await page.getByRole('radio', { name: /^Instrument/ }).check();
    await page.getByLabel('Run name').fill(name);
    await page.getByRole('button', { name: '▶ Run' }).click();
    await expect.poll(async () => Number(await page.getByTestId('live-charts').getAttribute('data-samples')), { timeout: 30_000 }).toBeGreaterThan(60);
    await settle(page);
    await page.screenshot({ path: path.join(out, 'live-instrument-light.png') });
    await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 60_000 });
  } finally {
    for (const v of await host.value<{ id: string }[]>('instruments.virtuals')) await host.value('instruments.stopVirtual', { id: v.id });
    host.close();
  }
});

test('@screenshots the archive’s RL view, in light', async ({ page, workbench }) => {
  test.setTimeout(120_000);
  await page.emulateMedia({ colorScheme: 'light' });
  await openPage(page, workbench, 'rl');
  await page.getByTestId('rl-setup-seeds').getByLabel(/^Seeds(\s|$)/).fill('10');
  await page.getByLabel('Run name').fill('Paper mazes, every strategy, 10 seeds');
  await page.getByRole('button', { name: 'Run comparison' }).click();
  await expect(page.getByTestId('rl-run')).toHaveAttribute('data-status', 'completed', { timeout: 100_000 });
  await openPage(page, workbench, 'archive?view=rl');
  await expect(page.getByRole('link', { name: 'Paper mazes, every strategy, 10 seeds' })).toBeVisible();
  await settle(page);
  await page.screenshot({ path: path.join(out, 'archive-rl-light.png') });
});
