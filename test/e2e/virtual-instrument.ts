import type { Page } from '@playwright/test';
import { expect, openPage, type Workbench } from './fixtures';
import type { HostApi } from './host-api';

/** The virtual instruments as a person uses them: started and connected on the Instruments page. */
/** Starts a virtual Keithley 2400 on the Instruments page and connects to it; answers its *IDN? reply. */
export async function connectVirtual(page: Page, workbench: Workbench): Promise<string> {
  await openPage(page, workbench, 'instruments');
  await page.getByLabel('Virtual').selectOption('keithley2400');
  await page.getByRole('button', { name: 'Start virtual instrument' }).click();
  await expect(page.getByTestId('port-select')).not.toHaveValue('');
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByTestId('instrument-state')).toHaveText('connected');
  const idn = page.getByTestId('instrument-idn');
  await expect(idn).toContainText('KEITHLEY INSTRUMENTS INC.,MODEL 2400');
  await expect(page.getByTestId('instrument-console').locator('.instr-in', { hasText: 'MODEL 2400' }).first()).toBeVisible();
  return (await idn.textContent())!.trim();
}

export async function stopVirtuals(host: HostApi): Promise<void> {
  try {
    for (const v of await host.value<{ id: string }[]>('instruments.virtuals')) await host.value('instruments.stopVirtual', { id: v.id });
  } catch {
    // the host's close stops them too
  }
}

