import { test, expect, openPage } from './fixtures';

// #19: a newcomer's first screen (a fresh data folder, the app's default page) shows no error
// before any input, and offers the templates and the sample experiment in one step each.

test('the first screen shows no problem before input and says where to begin', async ({ page, workbench }) => {
  await openPage(page, workbench);
  const start = page.getByTestId('start-card');
  await expect(start).toBeVisible();
  // Where Help's first run begins comes first: the paper's spike train, then the rest by name.
  await expect(start.locator('.pe-start-templates button').first()).toHaveText('Paper spike train');
  await expect(page.locator('.pe-field-errors, .error-text, [aria-invalid="true"]')).toHaveCount(0);
  await expect(page.getByText('at least one block')).toHaveCount(0);
  await expect(page.getByText('Preview paused')).toHaveCount(0);
  await expect(page.getByText('Nothing to preview yet')).toBeVisible();
  await expect(page.getByTestId('limit-badge')).toHaveText('Empty protocol');
  await expect(page.getByTestId('run-reason')).toHaveText('Nothing to run yet: add blocks or open a template, then save.');
  await expect(page.getByTestId('run-reason')).toHaveClass(/muted/);

  // The first edit brings the checking back, as it should.
  await page.getByRole('button', { name: 'Add a pulse block' }).click();
  await expect(start).toHaveCount(0);
});

test('a template opens in one click from the first screen, ready to preview', async ({ page, workbench }) => {
  await openPage(page, workbench);
  await page.getByTestId('start-card').getByRole('button', { name: 'Paper spike train' }).click();
  await expect(page.getByTestId('start-card')).toHaveCount(0);
  await expect(page.getByText('A copy of the template “Paper spike train” is open.')).toBeVisible();
  await expect(page.getByTestId('limit-badge')).toHaveText('✓ Within the limits');
});

test('the sample experiment loads in one click from the first screen and opens in the Archive', async ({ page, workbench }) => {
  await openPage(page, workbench);
  await page.getByTestId('start-card').getByRole('button', { name: 'Load the sample experiment' }).click();
  await expect(page).toHaveURL(/#\/archive/);
  await expect(page.locator('table tbody tr').first()).toBeVisible();
  await expect(page.getByText('No runs in the archive yet')).toHaveCount(0);
});
