import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, openPage, test } from './fixtures';
import { api } from './host-api';
import { setField, setUpDeviceRun } from './rl-device-setup';
import { connectVirtual, stopVirtuals } from './virtual-instrument';

/**
 * RL with the device in the loop, from the RL page (#12): the virtual Keithley 2400 connected on
 * the Instruments page, the device-driven strategy put on it (the constant schedule stays in
 * simulation), the plan checked before the start (pulses against the limits, wall time), live α and
 * G while it runs, stopped, resumed from the Archive, finished; the stored run names the instrument.
 */

/** What the store holds for each episode on the device (read from the data folder's SQLite file). */
function deviceEpisodes(dataDir: string, runId: string): { seed: number; episode: number; alpha: number; g_before: number; started_at: string }[] {
  const db = new Database(path.join(dataDir, 'workbench.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT seed, episode, alpha, g_before, started_at FROM rl_device_episodes WHERE run_id = ? ORDER BY seed, episode').all(runId) as never;
  } finally {
    db.close();
  }
}

test('a device-driven RL run on the virtual 2400: planned, started, watched, stopped, resumed from the Archive, finished', async ({ page, workbench }) => {
  test.setTimeout(180_000);
  const host = await api(workbench);
  try {
    const idn = await connectVirtual(page, workbench);
    await openPage(page, workbench, 'rl');
    const { strategies, plan } = await setUpDeviceRun(page, 40);
    // A pulse beyond the safety limits is refused, with the path of the field.
    await setField(strategies, 'Pulse amplitude', '40');
    await expect(plan.getByTestId('rl-plan-problems')).toContainText('strategies[0].pulse.amplitude');
    await setField(strategies, 'Pulse amplitude', '1.58');
    await expect(plan).toContainText('Within the safety limits in force');

    await expect(page.getByTestId('rl-on-instrument')).toContainText('runs on the connected instrument');
    await page.getByRole('button', { name: 'Run comparison' }).click();
    const device = page.getByTestId('rl-device');
    await expect(device).toBeVisible();
    // Live α and G as read, episode after episode.
    await expect(device.getByTestId('rl-device-alpha')).toHaveText(/^0\.\d{4}$/, { timeout: 30_000 });
    await expect(device.getByTestId('rl-device-g')).toContainText('S');
    await expect(device.getByTestId('instrument-console')).toContainText(/READ\?|:READ|MEAS/);
    await expect(device.getByTestId('rl-device-state')).toHaveText('running');

    // Stopped after the episode in flight: cancelled, resumable.
    await device.getByRole('button', { name: 'Stop' }).click();
    await expect(page.getByTestId('rl-run-status')).toHaveText('cancelled', { timeout: 30_000 });
    const stopped = (await host.value<{ runs: { id: string; status: string }[] }>('rl.list', {})).runs[0]!;
    expect(stopped.status).toBe('cancelled');
    const before = deviceEpisodes(workbench.dataDir, stopped.id);
    const done = before.length;
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(40);

    // Resumed from the Archive's RL view; it finishes with every episode.
    await openPage(page, workbench, 'archive');
    await page.getByRole('tab', { name: /RL experiments/ }).click();
    const row = page.locator(`tr[data-rl-run="${stopped.id}"]`);
    await expect(row).toContainText('device in the loop');
    await row.getByRole('button', { name: /^Resume / }).click();
    await expect(page).toHaveURL(new RegExp(`#/rl\\?run=${stopped.id}`));
    await expect(page.getByTestId('rl-run-status')).toHaveText('completed', { timeout: 60_000 });
    const after = deviceEpisodes(workbench.dataDir, stopped.id);
    expect(after).toHaveLength(40);
    expect(after.slice(0, done)).toEqual(before);
    // The stored run names the instrument: its *IDN?, port and driver.
    const stored = await host.value<{ hardware: { identity: string; reopen: { port: string; driver: string } } }>('rl.get', { id: stopped.id });
    expect(stored.hardware.identity).toBe(idn);
    expect(stored.hardware.reopen.driver).toBe('keithley2400');
    await expect(page.getByTestId('rl-device-instrument')).toContainText('MODEL 2400');
    await expect(page.getByTestId('rl-device-instrument')).toContainText('driver keithley2400');
  } finally {
    await stopVirtuals(host);
  }
});
