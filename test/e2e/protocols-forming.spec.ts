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
  await preview.getByLabel('Device preset for the preview').selectOption('bipolar-oxide');
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

test('a converge block is added from the palette, its band checked at its fields, and the preview says how it ended', async ({ page, workbench }) => {
  await openPage(page, workbench, 'protocols');
  await page.getByLabel('Name', { exact: true }).fill('Converge (e2e)');
  await page.getByRole('button', { name: 'Add a converge block' }).click();
  const converge = blockOfKind(page, 'converge');
  await expect(converge).toHaveCount(1);
  // Worst case: every pulse applied, a read after each and one before.
  await expect(page.getByTestId('estimate-pulses')).toHaveText('≤ 100');
  await expect(page.getByTestId('estimate-reads')).toHaveText('≤ 101');
  await field(converge, 'Band: G up to (S)').fill('100 µS');
  await expect(converge.locator('#pf-blocks_0_high-errors')).toHaveText('High (100 µS) must be above low (150 µS): the band of G to converge to.');
  await field(converge, 'Band: G up to (S)').fill('250 µS');
  await expect(converge.locator('#pf-blocks_0_high-errors')).toHaveCount(0);
  // A virgin bipolar device is below the band and its SET pulse cannot form it: the block gives up after its pulses.
  const preview = page.getByTestId('protocol-preview');
  await preview.getByLabel('Device preset for the preview').selectOption('bipolar-oxide');
  await expect(preview.getByTestId('preview-exits')).toContainText(/converge \(blocks\[0\]\): G = .+ still outside 150\.0 µS…250\.0 µS after 100 pulses \(the maximum\)/);
  await converge.screenshot({ path: test.info().outputPath('converge-block.png') });
});
