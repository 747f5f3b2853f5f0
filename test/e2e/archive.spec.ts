import { readFileSync } from 'node:fs';
import type { Download, Page } from '@playwright/test';
import { openStore } from '../../electron/services/store';
import { test, expect, openPage } from './fixtures';

/** The archive as a person uses it: runs from the Live page, found, replayed, compared, exported. */

async function runSpikeTrain(page: Page, seed: string, name: string): Promise<number> {
  await page.goto(page.url().replace(/#.*$/, '') + '#/live');
  await page.getByLabel('Protocol').selectOption({ label: 'Paper spike train' });
  await page.getByLabel('Seed').fill(seed);
  await page.getByRole('radio', { name: 'Fast' }).check();
  await page.getByLabel('Run name').fill(name);
  await page.getByRole('button', { name: '▶ Run' }).click();
  await expect(page.getByTestId('run-summary')).toBeVisible({ timeout: 30_000 });
  return Number((await page.getByTestId('summary-dg').textContent())!.replace(/[^0-9.-]/g, ''));
}

test('run the paper spike train twice, find, replay, compare and export from the archive', async ({ page, workbench }) => {
  await openPage(page, workbench, 'live');
  const dg1 = await runSpikeTrain(page, '1', 'Spikes seed 1');
  expect(dg1).toBeLessThan(-96);
  expect(dg1).toBeGreaterThan(-99.5);
  await page.getByTestId('run-summary').getByRole('link', { name: /in the Archive/ }).click();

  // The detail view shows the provenance of the run just made.
  const detail = page.getByTestId('run-detail');
  await expect(detail.getByRole('heading', { name: 'Spikes seed 1' })).toBeVisible();
  await expect(detail).toContainText('Paper spike train');
  await expect(detail).toContainText('seed 1');
  await expect(detail).toContainText('completed');

  // Replay at 1000×: the scrubber moves and the charts fill with all 200 samples.
  await detail.getByLabel('Speed').selectOption('1000');
  await detail.getByRole('button', { name: '▶ Play' }).click();
  await expect(page.getByTestId('replay-charts')).toHaveAttribute('data-samples', '200', { timeout: 10_000 });
  expect(Number(await page.getByTestId('replay-scrubber').inputValue())).toBeGreaterThan(90);
  // Scrubbing back shows only the samples up to there.
  await page.getByTestId('replay-scrubber').fill('50');
  const partial = Number(await page.getByTestId('replay-charts').getAttribute('data-samples'));
  expect(partial).toBeGreaterThan(80);
  expect(partial).toBeLessThan(120);

  // Tag and annotate; the list follows.
  await detail.getByLabel('Tags (comma-separated)').fill('paper, seed-1');
  await detail.getByRole('button', { name: 'Save changes' }).click();
  await expect(detail.getByText('Saved.')).toBeVisible();

  // Export CSV: the tidy table (one header line, one row per sample) and its provenance sidecar.
  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await expect(detail.getByLabel('with provenance (.csv.json)')).toBeChecked();
  await detail.getByRole('button', { name: 'Export CSV' }).click();
  await expect.poll(() => downloads.length).toBe(2);
  const csvDownload = downloads.find((d) => d.suggestedFilename().endsWith('.csv'))!;
  const sidecarDownload = downloads.find((d) => d.suggestedFilename().endsWith('.csv.json'))!;
  expect(sidecarDownload.suggestedFilename()).toBe(`${csvDownload.suggestedFilename()}.json`);
  const text = readFileSync((await csvDownload.path())!, 'utf8');
  const lines = text.split('\n').filter((l) => l.length > 0);
  expect(lines[0]).toBe('t_s,v_V,i_A,g_S,kind,width_s,pulse,cycle,block,compliance');
  expect(lines.some((l) => l.startsWith('#'))).toBe(false);
  const rows = lines.slice(1).map((l) => l.split(','));
  expect(rows).toHaveLength(200);
  expect(rows.every((r) => r.length === 10 && Number.isFinite(Number(r[3])) && /^\d+(\.\d{1,9})?$/.test(r[0]!))).toBe(true);
  expect(rows.filter((r) => r[4] === 'pulse').map((r) => Number(r[6]))).toEqual(Array.from({ length: 100 }, (_, k) => k + 1));
  const sidecar = JSON.parse(readFileSync((await sidecarDownload.path())!, 'utf8')) as { run: { name: string }; table: { rows: number } };
  expect(sidecar).toMatchObject({ run: { name: 'Spikes seed 1' }, table: { rows: 200 } });

  // A second run at another seed; both in compare.
  const dg2 = await runSpikeTrain(page, '2', 'Spikes seed 2');
  expect(dg2).toBeLessThan(-96);
  await page.goto(page.url().replace(/#.*$/, '') + '#/archive');
  await page.getByRole('searchbox', { name: 'Search runs' }).fill('Spikes seed');
  await expect(page.getByRole('table', { name: 'Runs' }).locator('tbody tr')).toHaveCount(2);
  await page.getByLabel('Compare Spikes seed 1').check();
  await page.getByLabel('Compare Spikes seed 2').check();
  await page.getByRole('button', { name: 'Compare 2 runs' }).click();
  await expect(page.getByTestId('compare')).toHaveAttribute('data-loaded', '2');
  await page.getByRole('radio', { name: 'Normalised to G0' }).check();
  await page.getByRole('radio', { name: 'Pulse number' }).check();
  await expect(page.getByTestId('compare')).toHaveAttribute('data-loaded', '2');
  await expect(page.getByTestId('compare-chart')).toContainText('Compare 2 runs');

  // Delete asks, naming the run.
  await page.getByRole('link', { name: 'Spikes seed 2' }).click();
  await page.getByTestId('run-detail').getByRole('button', { name: 'Delete…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete “Spikes seed 2”?' });
  await expect(dialog).toContainText('200 samples');
  await dialog.getByRole('button', { name: 'Delete “Spikes seed 2”' }).click();
  await expect(page.getByTestId('archive-notice')).toHaveText('The run was deleted.');
  await expect(page.getByRole('table', { name: 'Runs' }).locator('tbody tr')).toHaveCount(1);
});

test('an empty archive offers the sample experiment; a file that is not a bundle is refused with the reason', async ({ page, workbench }) => {
  await openPage(page, workbench, 'archive');
  await page.getByRole('button', { name: 'Load the sample experiment' }).click();
  await expect(page.getByTestId('archive-notice')).toContainText('Loaded the sample experiment');
  const rows = page.getByRole('table', { name: 'Runs' }).locator('tbody tr');
  // The shipped sample: the paper's spike train at three seeds, on the filamentary model, and relaxation.
  await expect(rows).toHaveCount(5);
  await expect(page.getByTestId('archive-range')).toHaveText('1–5 of 5');
  await page.getByLabel('Experiment bundle file').setInputFiles({ name: 'not-a-bundle.sqlite', mimeType: 'application/octet-stream', buffer: Buffer.from('this is not sqlite') });
  await expect(page.getByTestId('archive-notice')).toContainText('Could not import not-a-bundle.sqlite');
});

/** 45 finished runs, one a day from 1 February 2025: three devices in turn, two protocols in turn, every fifth tagged. */
const SEEDED = Array.from({ length: 45 }, (_, i) => ({
  i,
  day: new Date(Date.UTC(2025, 1, 1 + i, 12)).toISOString(),
  device: [
    { kind: 'simulated', preset: 'intrinsic-gradient' },
    { kind: 'simulated', preset: 'filamentary' },
    { kind: 'instrument', driver: 'keithley2400' },
  ][i % 3]!,
  protocol: i % 2 === 0 ? 'Paper spike train' : 'Relaxation',
  tags: i % 5 === 0 ? ['baseline'] : [],
}));

test('filters run in the store: the total and the pages are the whole archive’s, the choices are what it holds', async ({ page, workbench }) => {
  let now = new Date();
  const store = openStore(workbench.dataDir, { appVersion: 'e2e', now: () => now });
  try {
    for (const r of SEEDED) {
      now = new Date(r.day);
      const run = store.runs.create({ experimentName: 'February', name: `cell ${r.i}`, status: 'running', device: r.device, protocol: { name: r.protocol, blocks: [] }, tags: r.tags });
      store.runs.setStatus(run.id, 'completed');
    }
  } finally {
    store.close();
  }
  const count = (keep: (r: (typeof SEEDED)[number]) => boolean) => SEEDED.filter(keep).length;

  await openPage(page, workbench, 'archive');
  const rows = page.getByRole('table', { name: 'Runs' }).locator('tbody tr');
  const range = page.getByTestId('archive-range');
  await expect(range).toHaveText('1–20 of 45');
  await expect(page.getByRole('tab', { name: /^Protocol runs/ })).toContainText('45');

  // The device and protocol choices come from the archive, with their counts.
  const device = page.getByLabel('Device', { exact: true });
  await expect(device.locator('option')).toHaveText(['Any device', 'Any instrument (15)', 'keithley2400 (15)', 'Any simulated (30)', 'filamentary (15)', 'intrinsic-gradient (15)']);
  await expect(page.getByLabel('Protocol', { exact: true }).locator('option')).toHaveText(['Any protocol', 'Paper spike train (23)', 'Relaxation (22)']);

  // Simulated runs: 30 over two pages, every one simulated (the old per-page filter showed 13 of “45”).
  await device.selectOption('simulated');
  await expect(range).toHaveText('1–20 of 30');
  await expect(rows).toHaveCount(20);
  for (const cell of await rows.locator('td:nth-child(5)').all()) await expect(cell).toHaveText(/^simulated · (filamentary|intrinsic-gradient)$/);
  await page.getByRole('button', { name: 'Next →' }).click();
  await expect(range).toHaveText('21–30 of 30');
  await expect(rows).toHaveCount(10);
  await expect(page.getByRole('button', { name: 'Next →' })).toBeDisabled();

  // A preset, a protocol and a date range together; the page goes back to the first.
  await device.selectOption({ label: 'filamentary (15)' });
  await expect(range).toHaveText(`1–15 of 15`);
  for (const cell of await rows.locator('td:nth-child(5)').all()) await expect(cell).toHaveText('simulated · filamentary');
  await page.getByLabel('Protocol', { exact: true }).selectOption('Relaxation');
  const filamentaryRelaxation = count((r) => r.device.preset === 'filamentary' && r.protocol === 'Relaxation');
  await expect(range).toHaveText(`1–${filamentaryRelaxation} of ${filamentaryRelaxation}`);
  await page.getByLabel('Created from', { exact: true }).fill('2025-02-11');
  await page.getByLabel('Created to', { exact: true }).fill('2025-03-02');
  // 11 February to 2 March inclusive: runs 10 to 29.
  const inRange = count((r) => r.device.preset === 'filamentary' && r.protocol === 'Relaxation' && r.i >= 10 && r.i <= 29);
  await expect(range).toHaveText(`1–${inRange} of ${inRange}`);
  await expect(rows).toHaveCount(inRange);
  await expect(rows.first()).toContainText('Relaxation');

  // Days in the wrong order are said at the fields.
  await page.getByLabel('Created to', { exact: true }).fill('2025-02-01');
  await expect(page.getByRole('alert')).toHaveText('“To” is before “From”: choose a later day.');
  await expect(page.getByLabel('Created to', { exact: true })).toHaveAttribute('aria-invalid', 'true');

  // A tag, and clearing everything.
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(range).toHaveText('1–20 of 45');
  await page.getByLabel('Tag', { exact: true }).fill('baseline');
  await expect(range).toHaveText(`1–${count((r) => r.tags.includes('baseline'))} of ${count((r) => r.tags.includes('baseline'))}`);
  await page.getByLabel('Device', { exact: true }).selectOption('instrument');
  const instrumentBaseline = count((r) => r.tags.includes('baseline') && r.device.kind === 'instrument');
  await expect(range).toHaveText(`1–${instrumentBaseline} of ${instrumentBaseline}`);
});
