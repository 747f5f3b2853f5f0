import type { Locator, Page } from '@playwright/test';
import { test, expect, openPage } from './fixtures';

/** The forming block in the protocol editor (#13): added from the palette, checked at its fields, drawn by the preview. */

const blockOfKind = (page: Page, kind: string) => page.locator(`li.pe-block[data-kind="${kind}"]`);
const field = (block: Locator, label: string) => block.locator('.pe-block-form').first().getByLabel(label, { exact: true });

test('a forming block is added from the palette, its compliance of 0 is reported at its field, and the preview draws its staircase and says how it ended', async ({ page, workbench }) => {
  await openPage(page, workbench, 'protocols');
  await page.getByLabel('Name', { exact: true }).fill('Forming (e2e)');
  await page.getByRole('button', { name: 'Add a forming block' }).click();
  const forming = blockOfKind(page, 'forming');
  await expect(forming).toHaveCount(1);
  // The new block: 0.5 V → 3.5 V in 50 mV steps of 10 ms under 100 µA, until |I| ≥ 100 µA; at worst the whole staircase.
  await expect(page.getByTestId('estimate-pulses')).toHaveText('≤ 61');
  await expect(page.getByTestId('estimate-worst-case')).toContainText('worst case');
  await expect(forming.locator('[data-block-head]')).toContainText('500 mV → at most 3.5 V by 50 mV, 10 ms steps, under 100 µA, until |I| ≥ 100 µA');

  const compliance = field(forming, 'Compliance (A)');
  await compliance.fill('0');
  await expect(forming.locator('#pf-blocks_0_compliance-errors')).toHaveText('Compliance must be positive; got 0 A.');
  await expect(page.getByRole('button', { name: '▶ Run' })).toBeDisabled();
  await compliance.fill('100 µA');
  await expect(forming.locator('#pf-blocks_0_compliance-errors')).toHaveCount(0);

  // On the bipolar device the staircase stops where the device forms (about 2.5 V), and the preview says so.
  const preview = page.getByTestId('protocol-preview');
  await preview.getByLabel('Device preset for the preview').selectOption({ label: 'Bipolar oxide memristor (workbench model)' });
  await expect(preview.getByTestId('preview-exits')).toContainText(/forming \(blocks\[0\]\): target reached at V = 2\.\d+ V/);
  const drawn = Number(await preview.getAttribute('data-pulses'));
  expect(drawn).toBeGreaterThan(35);
  expect(drawn).toBeLessThan(61);

  // Its maximum voltage below the forming voltage: the whole staircase, and the reason.
  await field(forming, 'Maximum voltage (to) (V)').fill('2 V');
  await expect(preview.getByTestId('preview-exits')).toContainText('maximum voltage 2.000 V reached without forming');
  await expect(preview).toHaveAttribute('data-pulses', '31');
  await page.screenshot({ path: test.info().outputPath('forming-block.png'), fullPage: true });
});
