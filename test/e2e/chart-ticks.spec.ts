import { test, expect, openPage } from './fixtures';

// #19 item 6: tick labels went missing beside the first or last label ("0, 10, …, 80, 99.01" with
// no 90): the data's bounds were labelled and crowded out the round ticks next to them.
test('a chart labels round ticks, not the data’s bounds, and none goes missing', async ({ page, workbench }) => {
  await openPage(page, workbench, 'protocols');
  await page.getByTestId('start-card').getByRole('button', { name: 'Paper spike train' }).click();
  await expect(page.getByTestId('protocol-preview')).toHaveAttribute('data-pulses', '100');
  const canvas = page.getByTestId('preview-conductance').locator('canvas');
  await expect(canvas).toHaveAttribute('data-x-ticks', /\|/);
  const ticks = (await canvas.getAttribute('data-x-ticks'))!.split('|').map(Number);
  expect(ticks).not.toContain(99.01);
  // Evenly spaced: nothing skipped between the first and the last.
  const steps = ticks.slice(1).map((t, k) => +(t - ticks[k]!).toFixed(9));
  expect(new Set(steps).size).toBe(1);
  expect(ticks.at(-1)).toBeGreaterThanOrEqual(90);
});
