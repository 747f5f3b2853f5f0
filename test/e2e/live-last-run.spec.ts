import { test, expect, openPage } from './fixtures';
import { api } from './host-api';

// #19: the Live page shows what the last run of the chosen protocol on the chosen device gave,
// from the archive, with a link that opens it there.

test('after a fast simulated run, the Live page shows it as the last run of that protocol on that device, and the link opens it', async ({ page, workbench }) => {
  // Runs that must not count: the same protocol on another device, another protocol on this device.
  const host = await api(workbench);
  const others = [
    await host.value<{ runId: string }>('runs.start', { protocol: 'paper-spike-train', device: { kind: 'simulated', preset: 'filamentary', seed: 1 }, name: 'On the filamentary device' }),
    await host.value<{ runId: string }>('runs.start', { protocol: 'paired-pulse', device: { kind: 'simulated', preset: 'intrinsic-gradient', seed: 1 }, name: 'Another protocol' }),
  ];
  for (const { runId } of others) await expect.poll(async () => (await host.value<{ status: string }>('runs.detail', { id: runId })).status).toBe('completed');
  host.close();

  await openPage(page, workbench, 'live');
  await page.getByLabel('Protocol').selectOption({ label: 'Paper spike train' });
  await page.getByLabel('Preset').selectOption('intrinsic-gradient');
  const last = page.getByTestId('last-run');
  await expect(last.getByRole('heading', { name: 'Last run of this protocol on this device' })).toBeVisible();
  await expect(last).toContainText('“Paper spike train” on simulated intrinsic-gradient');
  await expect(last.getByTestId('last-run-none')).toHaveText('None yet: this protocol has not run on this device.');

  // The other device's run is that device's last run.
  await page.getByLabel('Preset').selectOption('filamentary');
  await expect(last.getByTestId('last-run-name')).toHaveText('On the filamentary device');
  await page.getByLabel('Preset').selectOption('intrinsic-gradient');
  await expect(last.getByTestId('last-run-none')).toBeVisible();

  await page.getByLabel('Seed').fill('7');
  await page.getByRole('radio', { name: 'Fast' }).check();
  await page.getByLabel('Run name').fill('Spikes seed 7');
  await page.getByRole('button', { name: '▶ Run' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 30_000 });

  // The card now shows this run: name, status, ΔG (the same as the run's own summary) and when.
  await expect(last.getByTestId('last-run-name')).toHaveText('Spikes seed 7');
  await expect(last.getByTestId('last-run-status')).toHaveText('completed');
  const dg = (await page.getByTestId('summary-dg').textContent())!;
  expect(dg).toMatch(/^−?-?\d+\.\d %$/);
  await expect(last.getByTestId('last-run-dg')).toHaveText(dg);
  const stamp = await last.getByTestId('last-run-date').getAttribute('title');
  expect(Number.isNaN(Date.parse(stamp!))).toBe(false);
  await expect(last.getByTestId('last-run-date')).not.toBeEmpty();

  // The card is the archive's, not the page's memory: it is there after leaving and coming back.
  await openPage(page, workbench, 'help');
  await openPage(page, workbench, 'live');
  await expect(last.getByTestId('last-run-name')).toHaveText('Spikes seed 7');

  await last.getByRole('link', { name: 'Open it in the Archive' }).click();
  await expect(page).toHaveURL(/#\/archive\?run=[0-9a-f-]{36}$/);
  await expect(page.getByTestId('run-detail')).toHaveAttribute('aria-label', 'Run Spikes seed 7');
});

test('while a run goes, the card shows the run before it; once stopped, the stopped run is the last', async ({ page, workbench }) => {
  const host = await api(workbench);
  const { runId } = await host.value<{ runId: string }>('runs.start', { protocol: 'paper-spike-train', device: { kind: 'simulated', preset: 'intrinsic-gradient', seed: 2 }, name: 'Earlier' });
  await expect.poll(async () => (await host.value<{ status: string }>('runs.detail', { id: runId })).status).toBe('completed');
  host.close();

  await openPage(page, workbench, 'live');
  await page.getByLabel('Protocol').selectOption({ label: 'Paper spike train' });
  await page.getByLabel('Preset').selectOption('intrinsic-gradient');
  const last = page.getByTestId('last-run');
  await expect(last.getByTestId('last-run-name')).toHaveText('Earlier');
  await page.getByRole('radio', { name: 'Real time' }).check();
  await page.getByLabel('Run name').fill('Paced');
  await page.getByRole('button', { name: '▶ Run' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('running');
  await expect(last.getByTestId('last-run-name')).toHaveText('Earlier');
  await expect(last.getByTestId('last-run-status')).toHaveText('completed');

  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('stopped');
  await expect(last.getByTestId('last-run-name')).toHaveText('Paced');
  await expect(last.getByTestId('last-run-status')).toHaveText('stopped');
  await expect(last).toContainText('(the newest of 2)');
});
