import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openPage, test } from './fixtures';
import { api } from './host-api';

/**
 * Not a check: `npm run screenshots` refreshes the pictures in the README and the user guide
 * (resources/help/screenshots). This file: the Instruments page connected over the LAN to a
 * virtual Keithley 2450, its console with the reply to *IDN?.
 */
const out = path.resolve(import.meta.dirname, '..', '..', 'resources', 'help', 'screenshots');
const settle = (page: Page) => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

test('@screenshots the Instruments page connected over the LAN, the console with a reply', async ({ page, workbench }) => {
  test.setTimeout(90_000);
  await page.emulateMedia({ colorScheme: 'light' });
  const host = await api(workbench);
  try {
    await openPage(page, workbench, 'instruments');
    await page.getByLabel('Virtual').selectOption('keithley2450');
    await page.getByLabel('Link').selectOption('tcp');
    await page.getByRole('button', { name: 'Start virtual instrument' }).click();
    await expect(page.getByLabel('Address', { exact: true })).toHaveValue(/^TCPIP::/);
    await page.getByLabel('Driver').selectOption('auto');
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect(page.getByTestId('instrument-state')).toHaveText('connected');
    const command = page.getByTestId('console-command');
    await command.fill('*IDN?');
    await command.press('Enter');
    await expect(page.getByTestId('console-reply')).toContainText('MODEL 2450');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.evaluate(() => document.querySelector('.content')?.scrollTo(0, 0));
    await settle(page);
    await page.screenshot({ path: path.join(out, 'instruments-lan-light.png') });
    await page.getByTestId('instrument-capabilities').scrollIntoViewIfNeeded();
    await settle(page);
    await page.screenshot({ path: path.join(out, 'instruments-capabilities-light.png') });
  } finally {
    for (const v of await host.value<{ id: string }[]>('instruments.virtuals')) await host.value('instruments.stopVirtual', { id: v.id });
    host.close();
  }
});
