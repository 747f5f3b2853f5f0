import { test, expect } from './fixtures';
import { api } from './host-api';
import { startVirtual2450OnLan, stopVirtuals } from './virtual-lan';

// #19 item 3: Connect ignored the first click after typing an address (it stayed disabled until
// the field lost focus). Typed, then one click: connected.
test('an address typed by hand connects on the first click of Connect', async ({ page, workbench }) => {
  test.setTimeout(60_000);
  const host = await api(workbench);
  try {
    const address = await startVirtual2450OnLan(page, workbench);
    const resource = await address.inputValue();
    // Forget the chosen address, as on a fresh start, then type it.
    await address.fill('');
    await address.blur();
    const connect = page.getByRole('button', { name: 'Connect' });
    await expect(connect).toBeDisabled();
    await address.fill(resource);
    await expect(address).toBeFocused();
    await expect(connect).toBeEnabled();
    await connect.click();
    await expect(page.getByTestId('instrument-state')).toHaveText('connected');
    await expect(page.getByTestId('instrument-idn')).toContainText('MODEL 2450');
    await page.getByRole('button', { name: 'Disconnect' }).click();
    await expect(page.getByTestId('instrument-state')).toHaveText('disconnected');
  } finally {
    await stopVirtuals(host);
  }
});
