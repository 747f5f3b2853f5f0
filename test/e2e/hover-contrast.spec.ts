import type { Locator } from '@playwright/test';
import { test, expect, openPage } from './fixtures';

// #19 item 1: primary buttons went white on near-white under the pointer. Contrast of text on
// background, computed from the styles the browser applies while hovering, in both themes.

/** Relative luminance from a computed colour: rgb()/rgba() or color(srgb …), as Chromium writes them. */
function luminance(css: string): number {
  const srgb = /color\(srgb ([\d.]+) ([\d.]+) ([\d.]+)/.exec(css);
  const rgb = /rgba?\((\d+(?:\.\d+)?),\s*(\d+(?:\.\d+)?),\s*(\d+(?:\.\d+)?)/.exec(css);
  const channels = srgb ? srgb.slice(1, 4).map(Number) : rgb ? rgb.slice(1, 4).map((x) => Number(x) / 255) : null;
  if (!channels) throw new Error(`cannot read the colour ${css}`);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

async function hoverContrast(button: Locator): Promise<number> {
  await button.hover();
  const { color, background } = await button.evaluate((el) => {
    const s = getComputedStyle(el);
    return { color: s.color, background: s.backgroundColor };
  });
  const [a, b] = [luminance(color), luminance(background)].sort((x, y) => y - x) as [number, number];
  return (a + 0.05) / (b + 0.05);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`primary buttons keep 4.5:1 under the pointer (${scheme})`, async ({ page, workbench }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openPage(page, workbench, 'protocols');
    expect(await hoverContrast(page.getByRole('button', { name: 'Load the sample experiment' }))).toBeGreaterThanOrEqual(4.5);
    expect(await hoverContrast(page.getByRole('button', { name: 'Save', exact: true }))).toBeGreaterThanOrEqual(4.5);
    await openPage(page, workbench, 'archive');
    expect(await hoverContrast(page.getByRole('button', { name: 'Load the sample experiment' }))).toBeGreaterThanOrEqual(4.5);
  });
}
