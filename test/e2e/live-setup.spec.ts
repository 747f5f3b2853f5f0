import { test, expect, openPage } from './fixtures';
import { api } from './host-api';

// #19 item 2: the Live page forgot its set-up on navigation (a user could start the wrong protocol).
test('the Live set-up is kept across navigation', async ({ page, workbench }) => {
  await openPage(page, workbench, 'live');
  await page.getByLabel('Protocol').selectOption({ label: 'Depression and relaxation' });
  await page.getByLabel('Real time').check();
  await page.getByLabel('Run name').fill('Relaxation, seed 3');
  await page.getByLabel('Seed').fill('3');
  await page.getByRole('link', { name: 'Help' }).click();
  await expect(page).toHaveURL(/#\/help/);
  await page.getByRole('link', { name: 'Live' }).click();
  await expect(page.getByLabel('Protocol').locator('option:checked')).toHaveText('Depression and relaxation');
  await expect(page.getByLabel('Real time')).toBeChecked();
  await expect(page.getByLabel('Run name')).toHaveValue('Relaxation, seed 3');
  await expect(page.getByLabel('Seed')).toHaveValue('3');
});

// #19 item 7: the Experiment select listed "Default" twice once a run had gone into it.
test('the Experiment select lists the default experiment once', async ({ page, workbench }) => {
  const host = await api(workbench);
  const { runId } = await host.value<{ runId: string }>('runs.start', { protocol: 'paper-spike-train', device: { kind: 'simulated', preset: 'ideal', seed: 1 } });
  // The run put the experiment "Default" in the archive; it has ended before the page opens.
  await expect.poll(async () => (await host.value<{ status: string }>('runs.detail', { id: runId })).status).toBe('completed');
  await openPage(page, workbench, 'live');
  const experiment = page.getByLabel('Experiment');
  await expect(experiment.locator('option', { hasText: 'New experiment…' })).toHaveCount(1);
  await expect(experiment.locator('option').filter({ hasText: /^Default$/ })).toHaveCount(1);
});
