import { test, expect, openPage } from './fixtures';

/** The Live page as a person uses it: choose the paper spike train, run it on the simulated device, watch, control. */

test('run the paper spike train on the simulated device and watch G fall by about 98 %', async ({ page, workbench }) => {
  await openPage(page, workbench, 'live');
  await expect(page.getByRole('heading', { level: 1, name: 'Live' })).toBeVisible();
  await page.getByLabel('Protocol').selectOption({ label: 'Paper spike train' });
  await page.getByLabel('Preset').selectOption('intrinsic-gradient');
  await page.getByLabel('Seed').fill('abc');
  await expect(page.locator('#seed-msg')).toHaveText(/The seed must be a whole number/);
  await expect(page.getByRole('button', { name: '▶ Run' })).toBeDisabled();
  await page.getByLabel('Seed').fill('7');
  await page.getByRole('radio', { name: 'Fast' }).check();
  await expect(page.getByRole('radio', { name: /Instrument/ })).toBeDisabled();
  await page.getByLabel('Run name').fill('Spikes seed 7');
  await page.keyboard.press('Control+Enter');

  const summary = page.getByTestId('run-summary');
  await expect(summary).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('run-status')).toHaveText('completed');
  const dg = Number((await page.getByTestId('summary-dg').textContent())!.replace(/[^0-9.−-]/g, ''));
  expect(dg).toBeGreaterThan(-99.5);
  expect(dg).toBeLessThan(-96);
  await expect(page.getByTestId('summary-samples')).toHaveText('200');
  // Every sample reached the charts: 100 pulses and 100 reads.
  await expect(page.getByTestId('live-charts')).toHaveAttribute('data-samples', '200');
  await expect(page.getByTestId('live-charts')).toHaveAttribute('data-pulses', '100');
  await expect(page.getByTestId('live-chart-g')).toContainText('Conductance vs time');

  await summary.getByRole('link', { name: /in the Archive/ }).click();
  await expect(page).toHaveURL(/#\/archive\?run=/);
});

test('a real-time run shows progress and ETA everywhere; Pause/Resume are one click; Abort asks first', async ({ page, workbench }) => {
  await openPage(page, workbench, 'live');
  await page.getByLabel('Protocol').selectOption({ label: 'Paper spike train' });
  await page.getByRole('radio', { name: 'Real time' }).check();
  await page.getByRole('button', { name: '▶ Run' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('running');
  await expect(page.getByTestId('run-eta')).toContainText('ETA');
  await expect(page.getByTestId('status-run')).toContainText(/Running \d+ % · ETA/);

  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('paused');
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('running');

  // Notes are editable while the run goes on.
  await page.getByLabel('Run notes').fill('looked fine at the start');
  await page.getByRole('button', { name: 'Save notes' }).click();
  await expect(page.getByText('Notes saved.')).toBeVisible();

  // Abort is confirmed; cancelling keeps the run going.
  await page.getByRole('button', { name: 'Abort', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Abort this run?' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('running');
  await page.getByRole('button', { name: 'Abort', exact: true }).click();
  await dialog.getByRole('button', { name: 'Abort run' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('aborted');
  await expect(page.getByTestId('status-run')).toHaveCount(0);
  await expect(page.getByTestId('run-summary')).toBeVisible();
});

test('a protocol over a limit lowered in Settings is refused before it starts, each problem with its path', async ({ page, workbench }) => {
  await openPage(page, workbench, 'settings');
  await page.getByLabel('Max |V|').fill('1.5 V');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByTestId('save-status')).toHaveText('Settings saved.');

  await openPage(page, workbench, 'live');
  await page.getByLabel('Protocol').selectOption({ label: 'Paper spike train' });
  await page.getByRole('button', { name: '▶ Run' }).click();
  const refused = page.getByTestId('start-error');
  await expect(refused).toContainText('The run was not started');
  await expect(refused.locator('li')).toHaveText([/^protocol\.blocks\[0\]\.amplitude .*1\.5 V/]);
  await expect(page.getByTestId('run-panel')).toHaveCount(0);
});
