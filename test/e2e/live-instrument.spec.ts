import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, openPage } from './fixtures';
import { api } from './host-api';
import { connectVirtual, stopVirtuals } from './virtual-instrument';

/**
 * A protocol run on the virtual instrument from the Live page, as a person does it: start the
 * emulator and connect on the Instruments page, choose the instrument on the Live page (the
 * simulated-device fields go, the limits that apply appear), watch the live charts fill, find the
 * run in the Archive with the instrument's *IDN? reply. And the line dying mid-run: the virtual
 * instrument stopped from the Instruments page in another tab, the run ends interrupted with its
 * samples, the Live page says why and points to the Instruments page.
 *
 * WB_E2E_SHOTS=<folder> also saves screenshots of the pages along the way (for a person to look at).
 */

const shots = process.env.WB_E2E_SHOTS;
async function shot(page: Page, name: string, scrollToTop = true): Promise<void> {
  if (!shots) return;
  if (scrollToTop) await page.evaluate(() => document.querySelector('.content')?.scrollTo(0, 0));
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
}

/** A train of `count` 1 V, 5 ms pulses, each followed by a read, one every `period`: two samples a pulse. */
function train(name: string, count: number, period: string) {
  return {
    name,
    description: 'e2e: a short train for the virtual instrument',
    tags: [],
    document: { format: 'memristor-workbench/protocol', version: 1, name, blocks: [{ kind: 'train', count, amplitude: '1 V', width: '5 ms', period, read: true }] },
  };
}

test('a protocol runs on the virtual instrument from the Live page, the charts fill, and the Archive has its IDN', async ({ page, workbench }) => {
  test.setTimeout(120_000);
  const host = await api(workbench);
  try {
    await host.value('protocols.save', train('Instrument train', 20, '150 ms'));
    const idn = await connectVirtual(page, workbench);
    await shot(page, 'instruments-connected');
    await page.getByTestId('virtual-instruments').scrollIntoViewIfNeeded();
    await shot(page, 'instruments-virtuals', false);

    await openPage(page, workbench, 'live');
    await page.getByLabel('Protocol').selectOption({ label: 'Instrument train (v1)' });
    const instrumentRadio = page.getByRole('radio', { name: /^Instrument/ });
    await expect(instrumentRadio).toBeEnabled();
    await expect(page.getByTestId('device-instrument-idn')).toHaveText(idn);
    await expect(page.getByLabel('Preset')).toBeVisible();
    await instrumentRadio.check();
    // A physical device: no preset, seed, noise or pace; the limits that will apply instead.
    await expect(page.getByLabel('Preset')).toHaveCount(0);
    await expect(page.getByLabel('Seed')).toHaveCount(0);
    await expect(page.getByLabel('Noise')).toHaveCount(0);
    await expect(page.getByRole('radio', { name: 'Real time' })).toHaveCount(0);
    const limits = page.getByTestId('instrument-run-limits');
    await expect(limits.getByTestId('run-instrument-driver')).toHaveText('Keithley 2400 series (SCPI)');
    await expect(limits).toContainText('max |V|5 V');
    await expect(limits).toContainText('compliance1 mA');
    await expect(limits).toContainText(/min width\d+ µs/);

    // A limit lowered in Settings shows at once, and the run is refused with the path of the problem.
    await host.value('settings.update', { limits: { maxVoltage: 0.5 } });
    await expect(limits).toContainText('max |V|500 mV');
    await page.getByRole('button', { name: '▶ Run' }).click();
    const refused = page.getByTestId('start-error');
    await expect(refused).toContainText('The run was not started');
    await expect(refused.locator('li')).toHaveText([/^protocol\.blocks\[0\]\.amplitude .*500 mV/]);
    await expect(page.getByTestId('run-panel')).toHaveCount(0);
    await host.value('settings.update', { limits: { maxVoltage: 5 } });
    await expect(limits).toContainText('max |V|5 V');
    await shot(page, 'live-instrument-chosen');

    await page.getByLabel('Run name').fill('Train on the 2400');
    await page.getByRole('button', { name: '▶ Run' }).click();
    await expect(page.getByTestId('start-error')).toHaveCount(0);
    await expect(page.getByTestId('run-device')).toContainText(idn);
    const charts = page.getByTestId('live-charts');
    // The live charts fill while it runs (real time: 20 pulses 150 ms apart).
    await expect(page.getByTestId('run-status')).toHaveText('running');
    await expect.poll(async () => Number(await charts.getAttribute('data-samples')), { timeout: 20_000 }).toBeGreaterThan(6);
    const midRun = Number(await charts.getAttribute('data-samples'));
    expect(midRun).toBeLessThan(40);
    await expect(page.locator('.status-bar').getByTestId('status-run')).toContainText(/Running \d+ %/);
    await shot(page, 'live-instrument-running');

    await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 30_000 });
    await expect(page.getByTestId('summary-samples')).toHaveText('40');
    await expect(charts).toHaveAttribute('data-samples', '40');
    await expect(charts).toHaveAttribute('data-pulses', '20');
    await expect(page.locator('.status-bar').getByTestId('instrument-pill')).toHaveText('Connected');

    await page.getByTestId('run-summary').getByRole('link', { name: /in the Archive/ }).click();
    await expect(page).toHaveURL(/#\/archive\?run=/);
    await expect(page.getByRole('cell', { name: 'Train on the 2400', exact: true })).toBeVisible();
    await expect(page.getByText(idn, { exact: false }).first()).toBeVisible();
    // The provenance names the instrument, not a model's seed and noise.
    await expect(page.locator('.provenance')).toContainText(/instrument · keithley2400 on \S+ · /);
    await expect(page.locator('.provenance')).not.toContainText('seed');
    await shot(page, 'archive-instrument-run');
  } finally {
    await stopVirtuals(host);
    host.close();
  }
});

test('the virtual instrument stopped mid-run: the run ends interrupted, the Live page says why, the samples stay', async ({ page, workbench, context }) => {
  test.setTimeout(120_000);
  const host = await api(workbench);
  try {
    await host.value('protocols.save', train('Long instrument train', 200, '100 ms'));
    await connectVirtual(page, workbench);

    await openPage(page, workbench, 'live');
    await page.getByLabel('Protocol').selectOption({ label: 'Long instrument train (v1)' });
    await page.getByRole('radio', { name: /^Instrument/ }).check();
    await page.getByRole('button', { name: '▶ Run' }).click();
    await expect(page.getByTestId('run-status')).toHaveText('running');
    const charts = page.getByTestId('live-charts');
    await expect.poll(async () => Number(await charts.getAttribute('data-samples')), { timeout: 20_000 }).toBeGreaterThanOrEqual(10);

    // Pull the cable: stop the emulator from the Instruments page in another tab.
    const other = await context.newPage();
    await openPage(other, workbench, 'instruments');
    await other.getByTestId('virtual-instruments').getByRole('button', { name: /^Stop the virtual instrument/ }).click();
    await expect(other.getByTestId('virtual-instruments')).toHaveCount(0);
    await other.close();

    await expect(page.getByTestId('run-status')).toHaveText('interrupted', { timeout: 20_000 });
    const why = page.getByTestId('run-interrupted');
    await expect(why).toContainText('The run was interrupted');
    await expect(why).toContainText('connection was lost mid-run');
    await expect(why.getByRole('link', { name: 'Open the Instruments page' })).toBeVisible();
    // The samples taken are kept: the summary, the charts and the store agree.
    const kept = Number((await page.getByTestId('summary-samples').textContent())!.replace(/[^0-9]/g, ''));
    expect(kept).toBeGreaterThanOrEqual(10);
    expect(kept).toBeLessThan(400);
    await expect(charts).toHaveAttribute('data-samples', String(kept));
    const runs = await host.value<{ runs: { status: string; sampleCount: number }[] }>('runs.list', {});
    expect(runs.runs[0]).toMatchObject({ status: 'interrupted', sampleCount: kept });

    // The state is right everywhere: the pill, the device choice, the Run button with its reason.
    await expect(page.locator('.status-bar').getByTestId('instrument-pill')).toHaveText('Instrument error');
    await expect(page.getByRole('radio', { name: /^Instrument/ })).toBeDisabled();
    await expect(page.getByTestId('instrument-unavailable')).toContainText('The instrument is not connected');
    await expect(page.getByRole('button', { name: '▶ Run' })).toBeDisabled();
    await expect(page.getByTestId('run-blocker')).toContainText('Connect it on the Instruments page');
    await shot(page, 'live-instrument-interrupted');

    await why.getByRole('link', { name: 'Open the Instruments page' }).click();
    await expect(page.getByRole('heading', { name: 'Instruments', level: 1 })).toBeVisible();
    await expect(page.getByTestId('instrument-message')).toContainText('disconnected');
  } finally {
    await stopVirtuals(host);
    host.close();
  }
});
