import { formatTraceCsv } from '../../shared/fit';
import { measuredTrace } from './measured-trace';
import { expect, openPage, test } from './fixtures';

/** A trace of a device with k_d = 0.045, as a German spreadsheet saves it: semicolons, decimal commas, its own column names. */
function germanCsv(): string {
  const [, ...rows] = formatTraceCsv(measuredTrace(0.045, 220)).trimEnd().split('\n');
  return ['Zeit (s);Spannung (V);Strom (A);Leitwert (S);Art;Pulsbreite (s)', ...rows.map((r) => r.replaceAll(',', ';').replaceAll('.', ','))].join('\r\n');
}

test('a foreign CSV (semicolons, decimal commas, own column names) is fitted after mapping its columns', async ({ page, workbench }) => {
  await openPage(page, workbench, 'devices');
  const fit = page.getByRole('button', { name: 'Fit', exact: true });
  await page.getByLabel('Trace (CSV: t, v, i, g, kind[, width] in SI units)').setInputFiles({ name: 'zelle-5.csv', mimeType: 'text/csv', buffer: Buffer.from(germanCsv()) });
  const mapping = page.getByTestId('fit-column-mapping');
  await expect(mapping).toBeVisible();
  await expect(page.getByLabel('Delimiter')).toHaveValue(';');
  await expect(page.getByLabel('Decimal mark')).toHaveValue(',');
  await expect(mapping.getByRole('table')).toContainText('Spannung (V)');
  await expect(page.getByTestId('fit-csv-errors')).toContainText('the header lacks the required columns t, v, kind');
  await expect(fit).toBeDisabled();
  await page.getByLabel('t — time (s)').selectOption({ label: 'Zeit (s)' });
  await page.getByLabel('v — voltage (V)').selectOption({ label: 'Spannung (V)' });
  await page.getByLabel('i — current (A), optional with g').selectOption({ label: 'Strom (A)' });
  await page.getByLabel('kind — read or pulse (0 or 1)').selectOption({ label: 'Art' });
  await page.getByLabel('width — pulse width (s), optional').selectOption({ label: 'Pulsbreite (s)' });
  await expect(page.getByTestId('fit-csv-summary')).toHaveText('zelle-5.csv: 100 pulses, 161 reads');
  await mapping.screenshot({ path: test.info().outputPath('column-mapping.png') });
  // A wrong decimal mark is caught before anything is sent.
  await page.getByLabel('Decimal mark').selectOption('.');
  await expect(page.getByTestId('fit-csv-errors')).toContainText('must be a number');
  await page.getByLabel('Decimal mark').selectOption(',');
  await expect(fit).toBeEnabled();
  await fit.click();
  const values = page.getByTestId('fit-values');
  await expect(values).toBeVisible();
  const kd = Number((await values.locator('tr[data-param="kD"] td').first().textContent())!.replace(/[^\d.e+-]/g, ''));
  expect(Math.abs(kd / 0.045 - 1)).toBeLessThan(0.05);
  await page.screenshot({ path: test.info().outputPath('fit-foreign.png'), fullPage: true });
});
