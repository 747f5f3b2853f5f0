import type { Locator, Page } from '@playwright/test';
import { test, expect, openPage } from './fixtures';

/** The I–V sweep block in the protocol editor, built from the palette as a person would. */

const blockOfKind = (page: Page, kind: string) => page.locator(`li.pe-block[data-kind="${kind}"]`);
const field = (block: Locator, label: string) => block.locator('.pe-block-form').first().getByLabel(label, { exact: true });

test('an I–V sweep is built from the palette, its zero step and its compliance above the limit are reported at their fields, and it estimates its steps', async ({ page, workbench }) => {
  await openPage(page, workbench, 'protocols');
  await page.getByLabel('Name', { exact: true }).fill('I–V (e2e)');
  await page.getByRole('button', { name: 'Add an I–V sweep block' }).click();
  const sweep = blockOfKind(page, 'iv-sweep');
  await expect(sweep).toHaveCount(1);
  // The new block is the usual loop: 0 → 1.5 V → 0 → −1.5 V → 0 in 20 mV steps of 10 ms.
  await expect(field(sweep, 'Points (0 → +V → 0 → −V → 0) (V, separated by commas)')).toHaveValue('0 V, 1.5 V, 0 V, -1.5 V, 0 V');
  await expect(page.getByTestId('estimate-pulses')).toHaveText('301');
  await expect(page.getByTestId('limit-badge')).toHaveText(/Within the limits/);
  // A sweep alone has no reads: the preview says why its conductance chart is empty.
  await expect(page.getByTestId('preview-no-reads')).toContainText('No reads: the simulated conductance is drawn at reads');

  const step = field(sweep, 'Step (V)');
  await step.fill('0 V');
  await expect(sweep.locator('#pf-blocks_0_step-errors')).toHaveText('Step must be positive; got 0 V.');
  await expect(page.getByRole('button', { name: '▶ Run' })).toBeDisabled();
  await step.fill('50 mV');
  await expect(sweep.locator('#pf-blocks_0_step-errors')).toHaveCount(0);

  const negative = field(sweep, 'Compliance, V < 0 (A)');
  await negative.fill('20 mA');
  await expect(sweep.locator('#pf-blocks_0_compliance_negative-errors')).toHaveText('Compliance.negative 20 mA exceeds the limit of 1 mA (compliance current).');
  await expect(page.getByTestId('limit-badge')).toHaveText(/Breaks a safety limit/);
  await negative.fill('800 µA');
  await expect(page.getByTestId('limit-badge')).toHaveText(/Within the limits/);

  await field(sweep, 'Cycles').fill('5');
  await field(sweep, 'Dwell per step (s)').fill('');
  await field(sweep, 'Sweep rate (V/s)').fill('2 V/s');
  await expect(sweep.getByTestId('norm-blocks[0].rate')).toHaveText('= 2 V/s');
  // 121 steps a cycle (30 per 1.5 V segment), 25 ms each.
  await expect(page.getByTestId('estimate-pulses')).toHaveText('605');
  await expect(page.getByTestId('estimate-duration')).toHaveText('15.12 s');
  await expect(sweep.locator('[data-block-head]')).toContainText('0 V → 1.5 V → 0 V → -1.5 V → 0 V in steps of 50 mV, at 2 V/s, 5 cycles');

  // Log spacing asks for its own fields instead of a step; the step stays, reported, until cleared.
  await field(sweep, 'Spacing').selectOption('log');
  await expect(sweep.locator('#pf-blocks_0_step-errors')).toContainText('Step is for linear spacing');
  await field(sweep, 'Step (V)').fill('');
  await expect(field(sweep, 'Step (V)')).toHaveCount(0);
  await expect(sweep.locator('#pf-blocks_0_floor-errors')).toContainText('Missing floor');
  await expect(sweep.locator('#pf-blocks_0_rate-errors')).toContainText('A sweep rate needs linear spacing');
  await field(sweep, 'Points per decade').fill('10');
  await field(sweep, 'Smallest |V| (V)').fill('10 mV');
  await field(sweep, 'Sweep rate (V/s)').fill('');
  await expect(field(sweep, 'Sweep rate (V/s)')).toHaveCount(0);
  await field(sweep, 'Dwell per step (s)').fill('10 ms');
  // 10 mV → 1.5 V is 2.18 decades: 22 steps at 10 a decade and one from 0 V, four times, and the start: 93 a cycle.
  await expect(page.getByTestId('estimate-pulses')).toHaveText('465');
  await expect(page.getByTestId('limit-badge')).toHaveText(/Within the limits/);
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-state')).toHaveText('Saved · version 1');
  await sweep.screenshot({ path: test.info().outputPath('iv-sweep-block.png') });
});
