import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { test, expect, openPage } from './fixtures';

/** Rows per run and the distinct devices of a Parquet file, read by DuckDB (an independent reader). */
async function parquetSummary(file: string): Promise<{ rows: number; runs: number; devices: number; units: string | null }> {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    const [row] = (await c.runAndReadAll(`SELECT count(*)::INTEGER AS n, count(DISTINCT run_id)::INTEGER AS runs, count(DISTINCT device_id)::INTEGER AS devices FROM read_parquet('${file}')`)).getRowObjectsJS();
    const kv = (await c.runAndReadAll(`SELECT decode(value) AS value FROM parquet_kv_metadata('${file}') WHERE decode(key) = 'units'`)).getRowObjectsJS();
    return { rows: row!.n as number, runs: row!.runs as number, devices: row!.devices as number, units: (kv[0]?.value as string | undefined) ?? null };
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

// #14: the device-centric archive, as a user goes through it: a sample and a crossbar chip made on
// the Samples page, two devices on it, a run on each chosen on the Live page (remembered), then the
// device's timeline, the chip's heat map (a cell opens its device) and a cumulative distribution.

test('create a sample and a chip, run on two devices, open the timeline and the chip map, plot a CDF', async ({ page, workbench }) => {
  await openPage(page, workbench, 'samples');
  await expect(page.getByRole('heading', { level: 1, name: 'Samples' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Start with a sample' })).toBeVisible();

  const sampleForm = page.getByTestId('new-sample');
  await page.getByText('New sample…').click();
  await sampleForm.getByLabel('Name').fill('Wafer 7');
  await sampleForm.getByLabel('Material stack').fill('Pt/HfO2/TiN');
  await sampleForm.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByTestId('sample-tree')).toContainText('Wafer 7');

  const chipForm = page.getByTestId('new-chip');
  await page.getByText('New chip…').click();
  await chipForm.getByLabel('Name').fill('X1');
  await chipForm.getByLabel('Word lines').fill('2');
  await chipForm.getByLabel('Bit lines').fill('3');
  await chipForm.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('heading', { name: 'Wafer 7 / X1' })).toBeVisible();

  const deviceForm = page.getByTestId('new-device');
  await page.getByText('New device on X1…').click();
  await deviceForm.getByLabel('Word line').fill('0');
  await deviceForm.getByLabel('Bit line').fill('1');
  await deviceForm.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByTestId('chip-cell-WL0/BL1')).toBeVisible();
  // the same crossing again is refused, in a sentence
  await deviceForm.getByRole('button', { name: 'Create' }).click();
  await expect(deviceForm.getByRole('alert')).toContainText('Word line 0, bit line 1 of chip "X1" already holds device "WL0/BL1"');
  // outside the crossbar: the form says why before anything is sent
  await deviceForm.getByLabel('Word line').fill('2');
  await expect(deviceForm.getByText('The word line is 0 to 1.')).toBeVisible();
  await expect(deviceForm.getByRole('button', { name: 'Create' })).toBeDisabled();
  await deviceForm.getByLabel('Word line').fill('1');
  await deviceForm.getByLabel('Bit line').fill('2');
  await deviceForm.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByTestId('chip-cell-WL1/BL2')).toBeVisible();

  // A run on each device, chosen on the Live page.
  await openPage(page, workbench, 'live');
  await page.getByLabel('Protocol').selectOption({ label: 'I–V hysteresis' });
  await page.getByRole('combobox', { name: 'Preset', exact: true }).selectOption('bipolar-oxide');
  await page.getByRole('radio', { name: 'Fast' }).check();
  for (const device of ['WL0/BL1', 'WL1/BL2']) {
    await page.getByTestId('device-picker').selectOption({ label: `${device} (WL${device[2]}, BL${device[6]})` });
    await page.getByLabel('Run name').fill(`Loops on ${device}`);
    await page.getByRole('button', { name: '▶ Run' }).click();
    await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 30_000 });
  }
  // The choice is remembered.
  await openPage(page, workbench, 'help');
  await openPage(page, workbench, 'live');
  await expect(page.getByTestId('device-picker').locator('option:checked')).toHaveText('WL1/BL2 (WL1, BL2)');

  // The chip map: both devices have a run; a cell opens its device's timeline.
  await openPage(page, workbench, 'samples');
  await page.getByRole('link', { name: 'X1' }).click();
  await page.getByTestId('chip-metric').selectOption('pulses');
  await expect(page.getByTestId('chip-cell-WL0/BL1')).not.toHaveText('0');
  await expect(page.getByTestId('chip-cell-WL0/BL1')).not.toHaveText('—');
  await page.getByTestId('chip-cell-WL0/BL1').click();
  await expect(page.getByTestId('device-title')).toContainText('Wafer 7 / X1 / WL0/BL1');
  const timeline = page.getByTestId('device-timeline');
  await expect(timeline.locator('tbody tr')).toHaveCount(1);
  await expect(timeline).toContainText('Loops on WL0/BL1');
  await expect(timeline).toContainText('formed');

  // Every run of the device as one Parquet file, read back by DuckDB with its units.
  const parquet = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export runs (Parquet)' }).click();
  const saved = path.join(test.info().outputDir, 'device.parquet');
  await (await parquet).saveAs(saved);
  expect((await parquet).suggestedFilename()).toMatch(/wafer-7-x1-wl0bl1.*\.parquet$/);
  const summary = await parquetSummary(saved);
  expect(summary).toMatchObject({ runs: 1, devices: 1 });
  expect(summary.rows).toBeGreaterThan(100);
  expect(JSON.parse(summary.units!)).toMatchObject({ t_s: 's', v_V: 'V', i_A: 'A' });

  // A cumulative distribution of the device's LRS, cycle to cycle, with its Weibull fit.
  const panel = page.getByTestId('variability-panel');
  await page.getByTestId('variability-quantity').selectOption('lrs');
  await expect(panel).not.toHaveAttribute('data-points', '0');
  await expect(page.getByTestId('variability-cdf').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('variability-table')).toContainText('LRS');
  await expect(page.getByTestId('weibull-fit')).toContainText('shape β');

  // Deleting a device with runs is refused: archive it instead.
  await page.getByRole('button', { name: 'Delete…' }).click();
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('a device with runs is not deleted — archive it instead');

  // The run opens from the timeline.
  await timeline.getByRole('link', { name: 'Loops on WL0/BL1' }).click();
  await expect(page).toHaveURL(/#\/archive\?run=/);
  // …and exports alone as Parquet: the same rows as the device's file, which holds only this run.
  const one = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export Parquet' }).click();
  const runFile = path.join(test.info().outputDir, 'run.parquet');
  await (await one).saveAs(runFile);
  expect((await one).suggestedFilename()).toMatch(/loops-on-wl0bl1.*\.parquet$/);
  expect(await parquetSummary(runFile)).toMatchObject({ rows: summary.rows, runs: 1, devices: 1 });
});
