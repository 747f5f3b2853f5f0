import { createDevice, intrinsicGradientPreset } from '../../shared/device';
import { measuredCsv } from './measured-trace';
import { compileProtocol, simulateProtocol } from '../../shared/protocol';
import { openStore } from '../../electron/services/store';
import { expect, openPage, test } from './fixtures';
import type { Page } from '@playwright/test';

/** The figure under the charts: ΔG after the spike train of the edited preset. */
const trainDelta = (page: Page) => page.getByTestId('summary-train-primary');
/** A parameter's field in the editor (the fit panel's checkboxes carry the same labels). */
const param = (page: Page, label: string) => page.getByTestId('param-editor').getByLabel(label, { exact: true });
const kd = (page: Page) => param(page, 'Depression rate k_d');

test('changing k_d recomputes the curves as you type', async ({ page, workbench }) => {
  await openPage(page, workbench, 'devices');
  await expect(page.getByRole('heading', { level: 1, name: 'Devices' })).toBeVisible();
  // The shipped default, and the calibration it was made for: 100 spikes take G down by ~98.1 %.
  await expect(kd(page)).toHaveValue('0.0475');
  await expect(trainDelta(page)).toHaveText('-98.10 %');
  await expect(page.getByTestId('ours-note')).toContainText('11 of 11 parameters are the workbench’s own calibration');
  await expect(page.getByLabel('Source of Depression rate k_d')).toHaveValue('ours');

  const chart = page.getByTestId('chart-train').locator('canvas');
  const before = await chart.screenshot();
  await kd(page).fill('0.01');
  await expect(trainDelta(page)).not.toHaveText('-98.10 %');
  const weaker = Number((await trainDelta(page).textContent())!.replace(/[^\d.+-]/g, ''));
  expect(weaker).toBeGreaterThan(-98.1);
  expect(weaker).toBeLessThan(-50);
  await expect.poll(async () => Buffer.compare(await chart.screenshot(), before)).not.toBe(0);
  // An edited value is no longer the workbench's calibration.
  await expect(page.getByLabel('Source of Depression rate k_d')).toHaveValue('measured');
  await expect(page.getByTestId('ours-note')).toContainText('10 of 11 parameters');
  await expect(page.getByRole('rowheader', { name: 'intrinsic-gradient (edited)' })).toBeVisible();

  // SI prefixes are read: 300 s written as 5 min relaxes like 300 s.
  await param(page, 'Conductance relaxation τ_g (s)').fill('5 min');
  const minutes = await page.getByTestId('curve-summary').locator('tbody tr').first().textContent();
  await param(page, 'Conductance relaxation τ_g (s)').fill('300 s');
  await expect(page.getByTestId('curve-summary').locator('tbody tr').first()).toHaveText(minutes!);

  await page.getByRole('button', { name: 'Revert' }).click();
  await expect(trainDelta(page)).toHaveText('-98.10 %');
  await expect(kd(page)).toHaveValue('0.0475');
});

test('an out-of-range value shows its problem at the field, in a sentence', async ({ page, workbench }) => {
  await openPage(page, workbench, 'devices');
  await kd(page).fill('1.5');
  await expect(kd(page)).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#dev-field-params-kD-error')).toHaveText('kD must be in (0, 1] (got 1.5).');
  await expect(page.getByText('A parameter has a problem: the curves show the last valid parameters.')).toBeVisible();
  // The curves stay at the last valid values; nothing can be saved, and the buttons say why.
  await expect(trainDelta(page)).toHaveText('-98.10 %');
  await page.getByRole('button', { name: 'Save as…' }).click();
  await expect(page.getByRole('button', { name: 'Save preset' })).toBeDisabled();
  await expect(page.getByText('A parameter has a problem (shown at its field).')).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();

  await kd(page).fill('fast');
  await expect(page.locator('#dev-field-params-kD-error')).toHaveText("expected a number such as '0.5' or '50 %', got 'fast'.");
  const tauG = param(page, 'Conductance relaxation τ_g (s)');
  await tauG.fill('10 uS');
  await expect(page.locator('#dev-field-params-tauG-error')).toContainText('that is a conductance; seconds are a lowercase s');
  await tauG.fill('-5 s');
  await expect(page.locator('#dev-field-params-tauG-error')).toHaveText('tauG must be a positive number of seconds (got -5).');
  await tauG.fill('');
  await expect(page.locator('#dev-field-params-tauG-error')).toHaveText('tauG is missing: it must be a positive number of seconds.');
  // A problem between two fields is told at the one it names.
  await kd(page).fill('0.0475');
  await tauG.fill('150 s');
  await param(page, 'Recovery deficit ρ').fill('0.995');
  await expect(page.locator('#dev-field-params-rho-error')).toContainText('rho must be in [0, 1 − gMin] = [0, 0.99]');
  await param(page, 'Threshold voltage V_th (V)').fill('50 mV');
  await expect(page.locator('#dev-field-readVoltage-error')).toContainText('readVoltage must be below the threshold vTh = 0.05 V');
});

test('the page survives whatever is typed into it', async ({ page, workbench }) => {
  await openPage(page, workbench, 'devices');
  const inputs = page.getByTestId('param-editor').locator('input');
  await expect(inputs).toHaveCount(15);
  const count = await inputs.count();
  const junk = ['', '-', '1e400', 'NaN', '∞', '٣', '0x10', '1,5', '   ', '2 V V', '10 µS', '🙂', '1e-320', '9'.repeat(400)];
  for (let k = 0; k < count; k++) await inputs.nth(k).fill(junk[k % junk.length]!);
  for (const field of ['Amplitude', 'Width', 'Period', 'Spikes']) await page.getByRole('group', { name: 'Spike train' }).getByLabel(field).fill('-1e999');
  await expect(page.getByRole('heading', { level: 1, name: 'Devices' })).toBeVisible();
  await expect(page.getByTestId('curve-summary')).toBeVisible();
  await expect(page.locator('.dev-field-error').first()).toBeVisible();
  // Extreme but valid values still draw.
  await page.getByRole('button', { name: 'Revert' }).click();
  await kd(page).fill('1');
  await param(page, 'Conductance relaxation τ_g (s)').fill('1e-12');
  await page.getByRole('group', { name: 'Spike train' }).getByLabel('Spikes').fill('10000');
  await page.getByRole('group', { name: 'Spike train' }).getByLabel('Amplitude').fill('2 V');
  await page.getByRole('group', { name: 'Spike train' }).getByLabel('Width').fill('10 ms');
  await page.getByRole('group', { name: 'Spike train' }).getByLabel('Period').fill('1 s');
  await expect(page.getByRole('alert').filter({ hasText: 'could not be computed' })).toHaveCount(0);
  await expect(trainDelta(page)).toHaveText(/%$/);
});

test('filamentary and ideal models overlay the curves, up to three models', async ({ page, workbench }) => {
  await openPage(page, workbench, 'devices');
  const compare = page.getByLabel('Compare with another model');
  await compare.selectOption('shipped:filamentary');
  await expect(page.getByTestId('overlay-filamentary')).toBeVisible();
  const rows = page.getByTestId('curve-summary').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1).getByRole('rowheader')).toHaveText('filamentary');
  // The filamentary device relaxes in about a second: nearly nothing of its train's depression stays volatile.
  await compare.selectOption('shipped:ideal');
  await expect(rows).toHaveCount(3);
  await expect(compare).toBeDisabled();
  // The ideal device has no memory: its paired-pulse index is 1 and nothing decays; the
  // intrinsic-gradient device's second state shows (index 1.250, half-decay 277 s: `workbench characterize`).
  await expect(rows.nth(2).locator('[data-testid^="summary-index-"]')).toHaveText('1.000');
  await expect(rows.nth(2).locator('[data-testid^="summary-half-decay-"]')).toHaveText('none');
  await expect(rows.nth(0).locator('[data-testid^="summary-index-"]')).toHaveText('1.250');
  await expect(rows.nth(0).locator('[data-testid^="summary-half-decay-"]')).toHaveText('277.2 s');
  await page.getByRole('button', { name: 'Stop comparing with filamentary' }).click();
  await expect(rows).toHaveCount(2);
  await expect(compare).toBeEnabled();
});

test('a preset saved under a new name is there after a reload, and can be deleted', async ({ page, workbench }) => {
  await openPage(page, workbench, 'devices');
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toHaveAttribute('title', 'Shipped presets are read-only: use “Save as…”.');
  await kd(page).fill('0.05');
  await page.getByLabel('Source of Conductance relaxation τ_g').selectOption('literature');
  await page.getByRole('button', { name: 'Save as…' }).click();
  const name = page.getByLabel('Name', { exact: true });
  await name.fill('Cell 4');
  await expect(page.locator('#dev-save-name-error')).toContainText('name must be a short identifier of lower-case letters, digits and dashes');
  await name.fill('ideal');
  await expect(page.locator('#dev-save-name-error')).toContainText('shipped preset, which is read-only');
  await name.fill('cell-4');
  await page.getByLabel('Title', { exact: true }).fill('Cell 4, wafer B');
  await page.getByRole('button', { name: 'Save preset' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved as “cell-4”.' })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Devices' })).toBeVisible();
  const picker = page.getByLabel('Device preset');
  await expect(picker.locator('option[value="saved:cell-4"]')).toHaveCount(1);
  await picker.selectOption('saved:cell-4');
  await expect(kd(page)).toHaveValue('0.05');
  await expect(page.getByLabel('Source of Depression rate k_d')).toHaveValue('measured');
  await expect(page.getByLabel('Source of Conductance relaxation τ_g')).toHaveValue('literature');
  await expect(page.getByLabel('Source of Barrier build-up k_s')).toHaveValue('ours');

  // A saved preset saves in place (Ctrl+S), and a second save under its name must be asked for.
  await kd(page).fill('0.04');
  await page.keyboard.press('Control+s');
  await expect(page.getByRole('status').filter({ hasText: 'Saved as “cell-4”.' })).toBeVisible();
  await page.reload();
  await page.getByLabel('Device preset').selectOption('saved:cell-4');
  await expect(kd(page)).toHaveValue('0.04');

  await page.getByRole('button', { name: 'Delete…' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Delete the saved preset “cell-4”?' })).toBeVisible();
  await page.getByRole('button', { name: 'Delete “cell-4”' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Deleted the saved preset “cell-4”.' })).toBeVisible();
  await expect(page.getByLabel('Device preset')).toHaveValue('shipped:intrinsic-gradient');
  await expect(page.getByLabel('Device preset').locator('option[value="saved:cell-4"]')).toHaveCount(0);
});

test('unsaved changes are not lost silently when another preset is opened', async ({ page, workbench }) => {
  await openPage(page, workbench, 'devices');
  await kd(page).fill('0.03');
  await page.getByLabel('Device preset').selectOption('shipped:ideal');
  await expect(page.getByRole('alert').filter({ hasText: 'are not saved' })).toBeVisible();
  await page.getByRole('button', { name: 'Keep editing' }).click();
  await expect(kd(page)).toHaveValue('0.03');
  await page.getByLabel('Device preset').selectOption('shipped:ideal');
  await page.getByRole('button', { name: 'Discard and open' }).click();
  await expect(param(page, 'Step per spike k_d')).toHaveValue('0.0459');
});

test('a fit to an uploaded CSV shows the fitted values, the curve over the data, and opens as a preset', async ({ page, workbench }) => {
  await openPage(page, workbench, 'devices');
  const fit = page.getByRole('button', { name: 'Fit', exact: true });
  await expect(fit).toBeDisabled();
  await expect(page.getByText('Choose a CSV file with the trace to fit.')).toBeVisible();

  // A bad file is checked in the browser, line by line, before anything is sent.
  const file = page.getByLabel('Trace (CSV: t, v, i, g, kind[, width] in SI units)');
  await file.setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('t,v,i,g,kind\n0,0.1,1e-6,,read\nsoon,2,,,pulse\n') });
  await expect(page.getByTestId('fit-csv-errors')).toContainText('line 3, column 1 (t): t must be a number of seconds (got "soon").');
  await expect(fit).toBeDisabled();

  await file.setInputFiles({ name: 'cell-5.csv', mimeType: 'text/csv', buffer: Buffer.from(measuredCsv(0.045, 220)) });
  await expect(page.getByTestId('fit-csv-summary')).toHaveText('cell-5.csv: 100 pulses, 161 reads');
  await expect(fit).toBeEnabled();
  await fit.click();
  const values = page.getByTestId('fit-values');
  await expect(values).toBeVisible();
  const valueOf = async (key: string) => Number((await values.locator(`tr[data-param="${key}"] td`).first().textContent())!.replace(/[^\d.e+-]/g, ''));
  expect(Math.abs((await valueOf('kD')) / 0.045 - 1)).toBeLessThan(0.05);
  expect(Math.abs((await valueOf('tauG')) / 220 - 1)).toBeLessThan(0.05);
  await expect(values.locator('tr[data-param="kD"] td').nth(1)).toHaveText(/^± /);
  const rms = Number((await page.getByTestId('fit-rms-relative').textContent())!.replace(/[^\d.]/g, ''));
  expect(rms).toBeGreaterThan(0.7);
  expect(rms).toBeLessThan(1.3);
  await expect(page.getByTestId('chart-fit')).toBeVisible();
  await expect(page.getByTestId('chart-residuals')).toBeVisible();

  await page.getByRole('button', { name: 'Open the fitted preset in the editor' }).click();
  await expect(page.getByLabel('Device preset')).toHaveValue('new:intrinsic-gradient-fitted');
  await expect(page.getByLabel('Source of Depression rate k_d')).toHaveValue('fitted');
  await expect(page.getByLabel('Source of Barrier build-up k_s')).toHaveValue('ours');
  await expect(page.getByTestId('ours-note')).toContainText('6 of 11 parameters');
  await page.getByRole('button', { name: 'Save as…' }).click();
  await page.getByLabel('Name', { exact: true }).fill('cell-5');
  await page.getByRole('button', { name: 'Save preset' }).click();
  await expect(page.getByLabel('Device preset')).toHaveValue('saved:cell-5');
  await expect(page.getByLabel('Device preset').locator('option[value="saved:cell-5"]')).toHaveText('cell-5 (fitted)');
});

test('a stored run can be fitted, its pulse widths taken from its protocol', async ({ page, workbench }) => {
  // A run as the run engine stores it: the protocol snapshot, then pulse and read samples.
  const protocol = {
    format: 'memristor-workbench/protocol',
    version: 1,
    name: 'train and rest',
    blocks: [
      { kind: 'read' },
      { kind: 'train', count: 80, amplitude: '2 V', width: '20 ms', period: '1 s', read: true },
      { kind: 'wait', duration: '300 s', readEvery: '10 s' },
    ],
  };
  const compiled = compileProtocol(protocol);
  if (!compiled.ok) throw new Error('protocol');
  const device = createDevice({ ...intrinsicGradientPreset, params: { ...intrinsicGradientPreset.params, kD: 0.04, tauG: 180 }, variation: { c2c: 0, d2d: 0, read: 0.01 } }, { seed: 9 });
  const store = openStore(workbench.dataDir, { appVersion: 'e2e' });
  try {
    const run = store.runs.create({ experimentName: 'Cells', name: 'cell 9 train', status: 'running', protocol });
    store.openWriter(run.id).append(simulateProtocol(compiled.program, device));
    store.runs.setStatus(run.id, 'completed');
  } finally {
    store.close();
  }

  await openPage(page, workbench, 'devices');
  await page.getByRole('radio', { name: 'Stored run' }).check();
  const option = page.getByLabel('Run', { exact: true }).locator('option', { hasText: 'cell 9 train' });
  await expect(option).toContainText('cell 9 train — Cells, 191 samples');
  await page.getByLabel('Run', { exact: true }).selectOption((await option.getAttribute('value'))!);
  await page.getByRole('button', { name: 'Fit', exact: true }).click();
  await expect(page.getByTestId('fit-result')).toContainText('run "cell 9 train"');
  await expect(page.getByTestId('fit-result')).toContainText('80 pulses, 111 reads, pulse widths from its protocol');
  const kdText = await page.getByTestId('fit-values').locator('tr[data-param="kD"] td').first().textContent();
  expect(Math.abs(Number(kdText) / 0.04 - 1)).toBeLessThan(0.05);
});
