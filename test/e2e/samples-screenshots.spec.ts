import path from 'node:path';
import { expect, openPage, test } from './fixtures';
import { api } from './host-api';

/**
 * Not a check: refreshes the Samples pictures of the user guide (resources/help/screenshots): a
 * device's timeline and a chip's heat map, at the lab-PC size the config sets (1366×768), from an
 * archive made through the API — a 3 × 4 crossbar, an I–V hysteresis run on each device (the
 * simulated filamentary model, a seed per device, so the devices differ as a chip's do) and a few
 * more runs on one device. Run with `--grep @screenshots samples`; excluded from `npm test` by its tag.
 */
const out = path.resolve(import.meta.dirname, '..', '..', 'resources', 'help', 'screenshots');

test('@screenshots samples: device timeline and chip heat map', async ({ page, workbench }) => {
  test.setTimeout(180_000);
  const host = await api(workbench);
  const sample = await host.value<{ id: string }>('lab.samples.create', { name: 'Wafer 7', kind: 'wafer', materialStack: 'Pt/HfO2/TiN', fabricatedOn: '2026-11-02' });
  const chip = await host.value<{ id: string }>('lab.chips.create', { sampleId: sample.id, name: 'X1', rows: 3, cols: 4 });
  const devices: { id: string; name: string }[] = [];
  for (let w = 0; w < 3; w++) for (let b = 0; b < 4; b++) devices.push(await host.value('lab.devices.create', { chipId: chip.id, wordLine: w, bitLine: b, areaM2: 1e-12 }));
  const run = async (deviceId: string, protocol: string, seed: number, name: string) => {
    const { runId } = await host.value<{ runId: string }>('runs.start', { protocol, device: { kind: 'simulated', preset: 'bipolar-oxide', seed }, deviceId, name });
    await expect.poll(async () => (await host.value<{ status: string }>('runs.detail', { id: runId })).status, { timeout: 60_000 }).toBe('completed');
  };
  const first = devices[5]!;
  await run(first.id, 'forming-ramp', 1, 'Forming ramp');
  for (const [k, d] of devices.entries()) if (k !== 10) await run(d.id, 'iv-hysteresis', 100 + k, 'I–V hysteresis');
  await run(first.id, 'paper-spike-train', 2, 'Spike train');
  await run(first.id, 'iv-hysteresis', 3, 'I–V hysteresis again');
  host.close();

  await openPage(page, workbench, `samples?chip=${chip.id}`);
  await expect(page.getByTestId('chip-map')).toBeVisible();
  await page.getByTestId('chip-metric').selectOption('onOff');
  await expect(page.getByTestId('variability-panel')).not.toHaveAttribute('data-points', '0');
  await page.screenshot({ path: path.join(out, 'samples-chip-light.png') });

  await openPage(page, workbench, `samples?device=${first.id}`);
  await expect(page.getByTestId('device-timeline').locator('tbody tr')).toHaveCount(4);
  await expect(page.getByTestId('variability-panel')).not.toHaveAttribute('data-points', '0');
  await page.screenshot({ path: path.join(out, 'samples-timeline-light.png') });
});
