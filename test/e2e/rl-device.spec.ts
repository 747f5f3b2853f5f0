import path from 'node:path';
import type { Locator } from '@playwright/test';
import Database from 'better-sqlite3';
import { expect, openPage, test } from './fixtures';
import { api } from './host-api';
import { connectVirtual, stopVirtuals } from './virtual-instrument';

/**
 * RL with the device in the loop, from the RL page (#12): the virtual Keithley 2400 connected on
 * the Instruments page, the device-driven strategy put on it (the constant schedule stays in
 * simulation), the plan checked before the start (pulses against the limits, wall time), live α and
 * G while it runs, stopped, resumed from the Archive, finished; the stored run names the instrument.
 */
async function setField(scope: Locator, label: string, value: string): Promise<void> {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await scope.getByLabel(new RegExp(`^${escaped}(\\s|$)`)).fill(value);
}

/** What the store holds for each episode on the device (read from the data folder's SQLite file). */
function deviceEpisodes(dataDir: string, runId: string): { seed: number; episode: number; alpha: number; g_before: number; started_at: string }[] {
  const db = new Database(path.join(dataDir, 'workbench.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT seed, episode, alpha, g_before, started_at FROM rl_device_episodes WHERE run_id = ? ORDER BY seed, episode').all(runId) as never;
  } finally {
    db.close();
  }
}

const DEVICE = 'Device-driven (intrinsic-gradient)';
const KEEP = [DEVICE, 'Constant α = 0.269'];

test('a device-driven RL run on the virtual 2400: planned, started, watched, stopped, resumed from the Archive, finished', async ({ page, workbench }) => {
  test.setTimeout(180_000);
  const host = await api(workbench);
  try {
    const idn = await connectVirtual(page, workbench);
    await openPage(page, workbench, 'rl');
    const setup = page.getByRole('complementary', { name: 'Set-up' });

    // A small static maze, 40 episodes, one seed, two strategies; 0.2 s of device time per episode.
    const dynamicEnv = setup.getByRole('region', { name: /^Environment Dynamic maze/ });
    await dynamicEnv.locator('input[type=checkbox]').first().uncheck();
    const staticEnv = setup.getByRole('region', { name: /^Environment Static maze/ });
    await staticEnv.getByLabel(/^Rows of/).fill('4');
    await staticEnv.getByLabel(/^Columns of/).fill('4');
    await setField(staticEnv, 'Episodes', '40');
    const strategies = setup.getByTestId('rl-setup-strategies');
    const boxes = strategies.locator('.rl-strategy-head input[type=checkbox]');
    for (let k = 0; k < (await boxes.count()); k++) {
      const name = (await strategies.locator('.rl-strategy-name').nth(k).textContent()) ?? '';
      if (!KEEP.includes(name)) await boxes.nth(k).uncheck();
    }
    await strategies.getByLabel(/^Baseline/).selectOption({ label: 'Constant α = 0.269' });
    await strategies.getByRole('button', { name: `Edit the parameters of ${DEVICE}` }).click();
    await setField(strategies, 'Time per episode', '0.2');
    const seeds = setup.getByTestId('rl-setup-seeds');
    await setField(seeds, 'Seeds', '1');
    await setField(seeds, 'Convergence window K', '5');

    // Put the device strategy on the instrument: the plan appears before anything starts.
    const hardware = setup.getByTestId('rl-setup-hardware');
    await hardware.locator('summary').click();
    await hardware.getByLabel('Strategy on the instrument').selectOption({ label: DEVICE });
    await expect(hardware.getByTestId('rl-hardware-instrument')).toContainText('MODEL 2400');
    const plan = hardware.getByTestId('rl-plan');
    await expect(plan).toContainText('Wall time');
    await expect(plan).toContainText('40 episodes (40 × 1 seed)');
    await expect(plan).toContainText('measured overhead');
    await expect(plan).toContainText('Within the safety limits in force');
    await expect(plan.getByTestId('rl-plan-g0')).toContainText('the device reads');

    // A pulse beyond the safety limits is refused, with the path of the field.
    await setField(strategies, 'Pulse amplitude', '40');
    await expect(plan.getByTestId('rl-plan-problems')).toContainText('strategies[0].pulse.amplitude');
    await setField(strategies, 'Pulse amplitude', '2');
    await expect(plan).toContainText('Within the safety limits in force');

    await page.getByRole('button', { name: 'Run comparison (one strategy on the instrument)' }).click();
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
