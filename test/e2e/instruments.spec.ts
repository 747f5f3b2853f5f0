import { test, expect, openPage } from './fixtures';
import { api } from './host-api';

/**
 * The Instruments page with a virtual instrument: started from the page, listed with the ports,
 * connected, its *IDN? reply shown and the status bar saying Connected; then a short protocol run on
 * it through the contract ('runs.start', as a script would; live-instrument.spec.ts runs one from
 * the Live page) completes and appears in the archive. The host's close (fixture teardown) stops
 * the emulator; the test also stops it itself, even on failure. And auto-reconnect: one setting,
 * changed on this page or in Settings.
 */
test('a virtual instrument started from the Instruments page connects, shows its IDN and runs a protocol', async ({ page, workbench }) => {
  test.setTimeout(90_000);
  const ws = await api(workbench);
  try {
    await openPage(page, workbench, 'instruments');
    await expect(page.getByRole('heading', { name: 'Instruments', level: 1 })).toBeVisible();
    await expect(page.locator('.status-bar').getByTestId('instrument-pill')).toHaveText('No instrument');
    await expect(page.getByTestId('instruments-page-pill')).toHaveText('Disconnected');
    // With nothing connected, the page says where to begin: yours under Connection, or a virtual one.
    const next = page.getByTestId('instrument-next-step');
    await expect(next).toContainText('No instrument connected');
    await expect(next).toContainText('Start virtual instrument');

    await page.getByLabel('Virtual').selectOption('keithley2400');
    await page.getByRole('button', { name: 'Start virtual instrument' }).click();
    const portSelect = page.getByTestId('port-select');
    await expect(portSelect.locator('option', { hasText: 'Virtual keithley2400 (emulator)' })).toHaveCount(1);
    // Listed as a virtual instrument too, with a Stop (stopping one is like pulling its cable).
    await expect(page.getByTestId('virtual-instruments').getByRole('listitem')).toHaveCount(1);
    // The page chose it: the path field holds its pseudo-terminal, the driver matches.
    await expect(portSelect).not.toHaveValue('');
    const path = await portSelect.inputValue();
    await expect(page.getByLabel('Address', { exact: true })).toHaveValue(path);
    await expect(page.getByLabel('Driver')).toHaveValue('keithley2400');

    // Started and chosen, not yet connected: the next step is Connect (below the fold at 1280×800).
    await expect(next).toHaveText(`The virtual instrument on ${path} is chosen under Connection: press Connect to use it.`);

    await page.getByRole('button', { name: 'Connect' }).click();
    await expect(page.getByTestId('instrument-state')).toHaveText('connected');
    await expect(next).toHaveCount(0);
    await expect(page.getByTestId('instrument-idn')).toContainText('KEITHLEY INSTRUMENTS INC.,MODEL 2400');
    await expect(page.locator('.status-bar').getByTestId('instrument-pill')).toHaveText('Connected');
    // Settings are locked while connected; the console shows the handshake with times and directions.
    await expect(page.getByLabel('Baud rate')).toBeDisabled();
    const console_ = page.getByTestId('instrument-console');
    await expect(console_.locator('.instr-out', { hasText: '*IDN?' }).first()).toBeVisible();
    await expect(console_.locator('.instr-in', { hasText: 'MODEL 2400' }).first()).toBeVisible();
    await expect(console_.locator('.instr-time').first()).toHaveText(/\d\d:\d\d:\d\d\.\d{3}/);

    // A short protocol on the connected instrument, through the contract.
    const protocol = { format: 'memristor-workbench/protocol', version: 1, name: 'instrument smoke', blocks: [{ kind: 'read', count: 5, interval: '20 ms', integration: '1 ms' }] };
    const started = await ws.value<{ runId: string }>('runs.start', {
      protocol,
      device: { kind: 'instrument', port: path, driver: 'keithley2400' },
      name: 'Hardware smoke run',
      experimentName: 'Instruments e2e',
    });
    await expect
      .poll(async () => (await ws.value<{ status: string }>('runs.get', { id: started.runId })).status, { timeout: 30_000 })
      .toBe('completed');
    const detail = await ws.value<{ instrumentIdn: string | null; sampleCount: number }>('runs.detail', { id: started.runId });
    expect(detail.instrumentIdn).toMatch(/MODEL 2400/);
    expect(detail.sampleCount).toBe(5);
    // The connection stays after the run.
    await expect(page.getByTestId('instrument-state')).toHaveText('connected');

    await openPage(page, workbench, 'archive');
    await expect(page.getByRole('cell', { name: 'Hardware smoke run', exact: true })).toBeVisible();

    // Disconnect from the page: back to disconnected, the console kept.
    await openPage(page, workbench, 'instruments');
    await page.getByRole('button', { name: 'Disconnect' }).click();
    await expect(page.getByTestId('instrument-state')).toHaveText('disconnected');
    await expect(page.locator('.status-bar').getByTestId('instrument-pill')).toHaveText('No instrument');
    await expect(console_.locator('.instr-note', { hasText: 'output off (disconnect)' }).first()).toBeVisible();

    // The port vanishes under a connection (the emulator stopped, as a pulled cable): the top of the
    // page says what happened and what to do; Connect to the vanished port says the port is not there.
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect(page.getByTestId('instrument-state')).toHaveText('connected');
    await page.getByTestId('virtual-instruments').getByRole('button', { name: /^Stop the virtual instrument/ }).click();
    await expect(page.getByTestId('instrument-state')).toHaveText('error', { timeout: 10_000 });
    await expect(next).toContainText('Not connected: the instrument disconnected');
    await expect(next).toContainText('then Connect again.');
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect(next).toContainText('the port is not there: plug the instrument in');
    // A new virtual instrument started after the failure is the next step, not the old port's error.
    await page.getByRole('button', { name: 'Start virtual instrument' }).click();
    await expect(next).toContainText('is chosen under Connection: press Connect to use it.');
  } finally {
    try {
      for (const v of await ws.value<{ id: string }[]>('instruments.virtuals', {})) await ws.value('instruments.stopVirtual', { id: v.id });
    } catch {
      // the host's close stops them too
    }
    ws.close();
  }
});

test('auto-reconnect is one setting: the Instruments page writes it, Settings shows it, and back', async ({ page, workbench }) => {
  const ws = await api(workbench);
  try {
    await openPage(page, workbench, 'instruments');
    const toggle = page.getByLabel('Auto-reconnect');
    await expect(toggle).not.toBeChecked();
    await toggle.check();
    await expect.poll(async () => (await ws.value<{ autoReconnect: boolean }>('settings.get', {})).autoReconnect).toBe(true);
    expect((await ws.value<{ autoReconnect: boolean }>('instruments.config', {})).autoReconnect).toBe(true);

    await openPage(page, workbench, 'settings');
    const setting = page.getByLabel('Reconnect to the same instrument after a disconnect');
    await expect(setting).toBeChecked();
    await setting.uncheck();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByTestId('save-status')).toHaveText('Settings saved.');

    await openPage(page, workbench, 'instruments');
    await expect(page.getByLabel('Auto-reconnect')).not.toBeChecked();
    // A change made elsewhere (another window, a script) shows here without a reload.
    await ws.value('settings.update', { autoReconnect: true });
    await expect(page.getByLabel('Auto-reconnect')).toBeChecked();
    // instruments.configure no longer takes it: one place to change it.
    await expect(ws.value('instruments.configure', { autoReconnect: false })).rejects.toThrow(/invalid_request.*autoReconnect/);
  } finally {
    ws.close();
  }
});
