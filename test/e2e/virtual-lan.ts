import type { Locator, Page } from '@playwright/test';
import { expect, openPage, type Workbench } from './fixtures';
import type { HostApi } from './host-api';

/** Starts a virtual Keithley 2450 on a loopback LAN socket from the Instruments page; returns the Address field, filled with its resource string. */
export async function startVirtual2450OnLan(page: Page, workbench: Workbench): Promise<Locator> {
  await openPage(page, workbench, 'instruments');
  await page.getByLabel('Virtual').selectOption('keithley2450');
  await page.getByLabel('Link').selectOption('tcp');
  await page.getByRole('button', { name: 'Start virtual instrument' }).click();
  const address = page.getByLabel('Address', { exact: true });
  await expect(address).toHaveValue(/^TCPIP::127\.0\.0\.1::\d+::SOCKET$/);
  return address;
}

/** Stops every virtual instrument of the test's host (its close would too; this keeps ports free sooner). */
export async function stopVirtuals(host: HostApi): Promise<void> {
  try {
    for (const v of await host.value<{ id: string }[]>('instruments.virtuals')) await host.value('instruments.stopVirtual', { id: v.id });
  } catch {
    // the host's close stops them too
  }
}
