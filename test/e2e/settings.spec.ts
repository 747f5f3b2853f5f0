import { test, expect, openPage } from './fixtures';
import { api } from './host-api';

test('the data folder is shown with a working Copy button; opening it is for the desktop app only', async ({ page, workbench, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: workbench.origin });
  await openPage(page, workbench, 'settings');
  await expect(page.getByLabel('Data folder')).toHaveValue(workbench.dataDir);
  await expect(page.getByRole('button', { name: 'Open folder' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Copy path' }).click();
  await expect(page.getByText('Path copied.')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(workbench.dataDir);

  const host = await api(workbench);
  const open = await host.call('settings.openDataFolder');
  expect(open.ok).toBe(false);
  expect(open.error?.code).toBe('unavailable');
  host.close();
});

test('safety limits take units, are checked as typed, saved to the store and shown again after a reload', async ({ page, workbench }) => {
  await openPage(page, workbench, 'settings');
  const maxV = page.getByLabel('Max |V|');
  await expect(maxV).toHaveValue('5 V');
  await expect(page.getByLabel('Compliance current')).toHaveValue('1 mA');
  await expect(page.getByLabel('Max duty cycle')).toHaveValue('50 %');
  const save = page.getByRole('button', { name: 'Save changes' });
  await expect(save).toBeDisabled();

  await maxV.fill('3 S');
  await expect(page.getByText("Max |V|: expected a voltage such as '1.5 V', got '3 S' (that is a conductance).")).toBeVisible();
  await expect(maxV).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('save-status')).toHaveText('Fix the field marked in red to save.');
  await expect(save).toBeDisabled();

  await maxV.fill('250 V');
  await expect(page.getByText('Max |V|: must be at most 200 V.')).toBeVisible();
  await maxV.fill('2.5 V');
  await expect(maxV).toHaveAttribute('aria-invalid', 'false');
  await page.getByLabel('Compliance current').fill('10u');
  await page.getByLabel('Max pulse width').fill('500 µs');
  await page.getByLabel('Max duty cycle').fill('25 %');

  // The read voltage is checked against the voltage limit being typed.
  const read = page.getByLabel('Default read voltage');
  await read.fill('3 V');
  await expect(page.getByText('Default read voltage: must be within the voltage limit (max |V| = 2.5 V).')).toBeVisible();
  await read.fill('-200 mV');
  await expect(page.getByTestId('save-status')).toHaveText('5 unsaved changes.');
  await save.click();
  await expect(page.getByTestId('save-status')).toHaveText('Settings saved.');

  const host = await api(workbench);
  const stored = (await host.call('settings.get')).value as { limits: Record<string, number>; defaultReadVoltage: number };
  expect(stored.limits).toMatchObject({ maxVoltage: 2.5, compliance: 1e-5, maxWidth: 5e-4, maxDutyCycle: 0.25 });
  expect(stored.defaultReadVoltage).toBe(-0.2);
  host.close();

  await page.reload();
  await expect(page.getByLabel('Max |V|')).toHaveValue('2.5 V');
  await expect(page.getByLabel('Compliance current')).toHaveValue('10 µA');
  await expect(page.getByLabel('Max pulse width')).toHaveValue('500 µs');
  await expect(page.getByLabel('Max duty cycle')).toHaveValue('25 %');
  await expect(page.getByLabel('Default read voltage')).toHaveValue('-200 mV');
});

test('units display, auto-reconnect and the backup schedule are saved; the theme is stored too', async ({ page, workbench }) => {
  await openPage(page, workbench, 'settings');
  await expect(page.getByTestId('units-example')).toHaveText('Shown as 12.34 µS, 250.0 mV');
  await page.getByLabel('SI prefixes').uncheck();
  await page.getByLabel('Significant digits').selectOption('3');
  await expect(page.getByTestId('units-example')).toHaveText('Shown as 1.23e-5 S, 2.50e-1 V');
  await page.getByLabel('Reconnect to the same instrument after a disconnect').check();
  await page.getByLabel('Automatic backup').selectOption('hourly');
  await page.getByLabel('Keep the last').fill('0');
  await expect(page.getByText('Keep the last: must keep at least 1 backup.')).toBeVisible();
  await page.getByLabel('Keep the last').fill('3');
  await expect(page.getByText(/^Next automatic backup: /)).toBeVisible();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByTestId('save-status')).toHaveText('Settings saved.');
  await page.getByLabel('Automatic backup').selectOption('off');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Automatic backups are off.')).toBeVisible();
  await page.getByLabel('Automatic backup').selectOption('hourly');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText(/^Next automatic backup: /)).toBeVisible();
  await page.getByLabel('Theme').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');

  const host = await api(workbench);
  await expect
    .poll(async () => (await host.call('settings.get')).value)
    .toMatchObject({ units: { prefixes: false, digits: 3 }, autoReconnect: true, backups: { schedule: 'hourly', keep: 3 }, theme: 'dark' });
  host.close();
});

test('a backup made in Settings is restored after a confirmation that names it, and the archive is as it was', async ({ page, workbench }) => {
  const host = await api(workbench);
  expect((await host.call('experiments.create', { name: 'Kept' })).ok).toBe(true);
  await openPage(page, workbench, 'settings');
  await page.getByRole('button', { name: 'Back up now' }).click();
  const table = page.getByRole('table', { name: 'Backups' });
  await expect(table.getByRole('row')).toHaveCount(2);
  const listed = (await host.call('backups.list')).value as { backups: { name: string }[] };
  const name = listed.backups[0]!.name;
  await expect(table).toContainText(name);
  await expect(table).toContainText('Manual');

  expect((await host.call('experiments.create', { name: 'Added later' })).ok).toBe(true);

  // Cancel changes nothing.
  await page.getByRole('button', { name: `Restore ${name}` }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(name);
  await expect(dialog).toContainText('0 runs in 2 experiments');
  await expect(dialog).toContainText(`${workbench.dataDir}/workbench.sqlite`);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  expect(((await host.call('experiments.list')).value as { name: string }[]).map((e) => e.name).sort()).toEqual(['Added later', 'Kept']);

  await page.getByRole('button', { name: `Restore ${name}` }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Replace the archive with this backup' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Restored the backup of' })).toContainText('The archive as it was is kept as workbench-');
  expect(((await host.call('experiments.list')).value as { name: string }[]).map((e) => e.name)).toEqual(['Kept']);
  await expect(page.getByRole('table', { name: 'Backups' })).toContainText('Before a restore');
  host.close();
});

test('Help links to the Logs page (not in the rail), which filters by level and searches', async ({ page, workbench }) => {
  const host = await api(workbench);
  expect((await host.call('logs.report', { kind: 'error', message: 'probe report 7781' })).value).toEqual({ logged: true });
  await openPage(page, workbench, 'help');
  await expect(page.getByRole('navigation', { name: 'Pages', exact: true }).getByRole('link', { name: 'Help', exact: true })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Pages', exact: true }).getByRole('link', { name: 'Logs' })).toHaveCount(0);
  await page.getByRole('navigation', { name: 'Help pages' }).getByRole('link', { name: 'Logs' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Logs' })).toBeVisible();
  await expect(page).toHaveURL(/#\/logs$/);
  const rows = page.getByRole('table', { name: 'Log entries' }).getByRole('row');
  await expect(rows.filter({ hasText: 'opening the workbench (web' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'probe report 7781' })).toHaveCount(1);

  await page.getByLabel('Level').selectOption('error');
  await expect(rows.filter({ hasText: 'probe report 7781' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'opening the workbench' })).toHaveCount(0);

  await page.getByLabel('Level').selectOption('debug');
  await page.getByLabel('Search').fill('opening the work');
  await expect(rows.filter({ hasText: 'probe report 7781' })).toHaveCount(0);
  await expect(rows.filter({ hasText: 'opening the workbench' })).toHaveCount(1);

  // New entries appear on Refresh.
  await host.call('logs.report', { kind: 'unhandledrejection', message: 'opening the workbench second probe' });
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(rows.filter({ hasText: 'second probe' })).toHaveCount(1);
  host.close();
});

test('an uncaught error in the window is logged by the host and shown in a banner that can be dismissed', async ({ page, workbench, problems }) => {
  await openPage(page, workbench, 'archive');
  await page.evaluate(() => {
    setTimeout(() => {
      throw new Error('boom from the e2e test');
    }, 0);
  });
  const banner = page.getByTestId('error-banner');
  await expect(banner).toContainText('Something went wrong in this window.');
  await expect(banner).toContainText('boom from the e2e test');
  await page.evaluate(() => {
    void Promise.reject(new Error('rejected in the e2e test'));
  });
  await expect(banner).toContainText('rejected in the e2e test');
  await expect(banner).toContainText('(and 1 earlier)');

  const host = await api(workbench);
  await expect
    .poll(async () => ((await host.call('logs.tail', { search: 'e2e test', minLevel: 'error' })).value as { entries: { message: string; source: string; details?: { stack?: string; page?: string } }[] }).entries)
    .toEqual([
      expect.objectContaining({ source: 'renderer', message: 'uncaught error in the window: boom from the e2e test', details: expect.objectContaining({ page: 'archive', stack: expect.stringContaining('boom from the e2e test') }) }),
      expect.objectContaining({ source: 'renderer', message: 'unhandled rejection in the window: rejected in the e2e test' }),
    ]);
  host.close();

  await banner.getByRole('button', { name: 'Dismiss the error' }).click();
  await expect(banner).toBeHidden();
  // The two errors were provoked on purpose; the fixture saw them as page errors.
  expect(problems.filter((p) => p.startsWith('page error:'))).toHaveLength(2);
  problems.splice(0, problems.length, ...problems.filter((p) => !p.startsWith('page error:')));
});
