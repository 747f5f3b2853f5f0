import { test, expect, openPage } from './fixtures';

// #19 item 10: the mouse wheel over a chart scrolled... into the chart (the RL Return chart ended at
// x = 0–4,926.9). The wheel scrolls the page; Ctrl+wheel zooms; Reset zoom shows all data again.
test('the wheel over a chart scrolls the page; Ctrl+wheel zooms it, and Reset zoom undoes that', async ({ page, workbench }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await openPage(page, workbench, 'protocols');
  await page.getByTestId('start-card').getByRole('button', { name: 'Paper spike train' }).click();
  const chart = page.getByTestId('preview-conductance');
  const canvas = chart.locator('canvas');
  await expect(page.getByTestId('protocol-preview')).toHaveAttribute('data-pulses', '100');
  await canvas.hover();
  await page.mouse.wheel(0, -400);
  await expect(canvas).toHaveAttribute('data-zoomed', 'false');

  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -400);
  await page.keyboard.up('Control');
  await expect(canvas).toHaveAttribute('data-zoomed', 'true');

  await chart.getByRole('button', { name: 'Reset zoom' }).click();
  await expect(canvas).toHaveAttribute('data-zoomed', 'false');
});
