import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { colorFor, seriesPalettes } from '../../../renderer/components/charts/palette';

function luminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) => {
    const x = c / 255;
    return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

/** The charts' background in each theme, as app.css defines it (--surface). */
function surfaces(): { light: string; dark: string } {
  const css = readFileSync(path.resolve(__dirname, '../../../renderer/styles/app.css'), 'utf8');
  const light = /:root\s*\{[^}]*--surface:\s*(#[0-9a-fA-F]{6})/u.exec(css)?.[1];
  const dark = /:root\[data-theme='dark'\]\s*\{[^}]*--surface:\s*(#[0-9a-fA-F]{6})/u.exec(css)?.[1];
  if (!light || !dark) throw new Error('app.css no longer defines --surface for both themes');
  return { light, dark };
}

describe('series colours (#19: a yellow compare trace on white)', () => {
  it('every line has at least 3:1 against its theme’s chart background', () => {
    const bg = surfaces();
    for (const theme of ['light', 'dark'] as const) {
      for (const c of seriesPalettes[theme]) expect(contrast(c, bg[theme]), `${theme} ${c} on ${bg[theme]}`).toBeGreaterThanOrEqual(3);
    }
  });

  it('gives a key the same place in both palettes, and distinct keys distinct colours', () => {
    expect(seriesPalettes.light.length).toBe(seriesPalettes.dark.length);
    const keys = Array.from({ length: seriesPalettes.light.length }, (_, k) => `palette-test-${k}`);
    const colours = keys.map(colorFor);
    expect(new Set(colours).size).toBe(keys.length);
    expect(keys.map(colorFor)).toEqual(colours);
  });
});
