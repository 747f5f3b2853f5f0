import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseColor, colorFor, dashFor, seriesPalettes, seriesStyle } from '../../../renderer/components/charts/palette';
import { registerStrategyColors, strategyColor } from '../../../renderer/features/rl/colors';

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

/** CIELAB of an sRGB colour (D65). */
function lab(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) => {
    const x = c / 255;
    return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  const [fx, fy, fz] = [(0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b, (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883].map(f) as [number, number, number];
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** CIEDE2000 colour difference (Sharma, Wu and Dalal 2005): about 2 is just noticeable, 10 plainly different. */
function deltaE2000(x: string, y: string): number {
  const [L1, a1, b1] = lab(x);
  const [L2, a2, b2] = lab(y);
  const rad = Math.PI / 180;
  const Cm = (Math.hypot(a1, b1) + Math.hypot(a2, b2)) / 2;
  const G = 0.5 * (1 - Math.sqrt(Cm ** 7 / (Cm ** 7 + 25 ** 7)));
  const [a1p, a2p] = [(1 + G) * a1, (1 + G) * a2];
  const [C1, C2] = [Math.hypot(a1p, b1), Math.hypot(a2p, b2)];
  const hue = (bb: number, ap: number) => (bb === 0 && ap === 0 ? 0 : (Math.atan2(bb, ap) / rad + 360) % 360);
  const [h1, h2] = [hue(b1, a1p), hue(b2, a2p)];
  let dh = C1 * C2 === 0 ? 0 : h2 - h1;
  if (dh > 180) dh -= 360;
  else if (dh < -180) dh += 360;
  const dH = 2 * Math.sqrt(C1 * C2) * Math.sin((dh / 2) * rad);
  const Lm = (L1 + L2) / 2;
  const Cmp = (C1 + C2) / 2;
  const hm = C1 * C2 === 0 ? h1 + h2 : Math.abs(h1 - h2) > 180 ? (h1 + h2 + (h1 + h2 < 360 ? 360 : -360)) / 2 : (h1 + h2) / 2;
  const T = 1 - 0.17 * Math.cos((hm - 30) * rad) + 0.24 * Math.cos(2 * hm * rad) + 0.32 * Math.cos((3 * hm + 6) * rad) - 0.2 * Math.cos((4 * hm - 63) * rad);
  const Rc = 2 * Math.sqrt(Cmp ** 7 / (Cmp ** 7 + 25 ** 7));
  const Rt = -Math.sin(2 * 30 * Math.exp(-(((hm - 275) / 25) ** 2)) * rad) * Rc;
  const [Sl, Sc, Sh] = [1 + (0.015 * (Lm - 50) ** 2) / Math.sqrt(20 + (Lm - 50) ** 2), 1 + 0.045 * Cmp, 1 + 0.015 * Cmp * T];
  return Math.sqrt(((L2 - L1) / Sl) ** 2 + ((C2 - C1) / Sc) ** 2 + (dH / Sh) ** 2 + Rt * ((C2 - C1) / Sc) * (dH / Sh));
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
  it('gives up to 16 series side by side distinct colours in both themes, wherever their places start (#19: 15 strategies, three in one colour)', () => {
    expect(deltaE2000('#0072B2', '#0072B2')).toBe(0);
    expect(deltaE2000('#000000', '#FFFFFF')).toBeCloseTo(100, 0);
    for (const theme of ['light', 'dark'] as const) {
      for (let start = 0; start < 32; start++) {
        for (let n = 2; n <= 16; n++) {
          const styles = Array.from({ length: n }, (_, k) => seriesStyle(start + k, theme));
          expect(new Set(styles.map((s) => s.color)).size, `${theme}: ${n} series from place ${start}`).toBe(n);
          for (let i = 0; i < n; i++) {
            for (let j = i + 1; j < n; j++) {
              const [a, b] = [styles[i]!, styles[j]!];
              const d = deltaE2000(a.color, b.color);
              // Plainly different colours; those drawn with the same line pattern more so.
              expect(d, `${theme} ${a.color} vs ${b.color}`).toBeGreaterThanOrEqual(10);
              if (a.dash.join() === b.dash.join()) expect(d, `${theme} ${a.color} vs ${b.color}, same pattern`).toBeGreaterThanOrEqual(15);
            }
          }
        }
      }
    }
  });

  it('tells up to 32 series apart by colour or line pattern, and starts a new pattern past eight lines', () => {
    for (const theme of ['light', 'dark'] as const) {
      const styles = Array.from({ length: 32 }, (_, k) => seriesStyle(k, theme));
      expect(new Set(styles.map((s) => `${s.color} ${s.dash.join(',')}`)).size).toBe(32);
      expect(styles.slice(0, 8).every((s) => s.dash.length === 0)).toBe(true);
      expect(styles[8]!.dash.length).toBeGreaterThan(0);
    }
    // Keys asked for together (the RL page registers its strategies at once) get 16 colours of their own.
    const keys = Array.from({ length: 16 }, (_, k) => `palette-sixteen-${k}`);
    expect(new Set(keys.map(colorFor)).size).toBe(16);
    expect(new Set(keys.map((k) => `${colorFor(k)} ${dashFor(k).join(',')}`)).size).toBe(16);
  });
});

describe('a colour the experiment chose', () => {
  it('wins over the palette for its strategy and keeps it, while the others keep their palette places', () => {
    registerStrategyColors([{ id: 'chosen-a' }, { id: 'chosen-b', color: '#ff00ff' }, { id: 'chosen-c' }]);
    expect(strategyColor('chosen-b')).toBe('#ff00ff');
    const a = strategyColor('chosen-a');
    const c = strategyColor('chosen-c');
    expect([a, c]).not.toContain('#ff00ff');
    expect(Object.values(seriesPalettes.light)).toContain(a);
    // A list that gives it no colour (a preset beside the run) does not take it away.
    registerStrategyColors([{ id: 'chosen-b' }]);
    expect(strategyColor('chosen-b')).toBe('#ff00ff');
  });

  it('is taken only in the format the experiment accepts (#rrggbb)', () => {
    for (const bad of ['red', '#fff', 'url(x)', '#12345g', '']) chooseColor('chosen-bad', bad);
    expect(colorFor('chosen-bad')).toMatch(/^#[0-9A-F]{6}$/);
    expect(Object.values(seriesPalettes.light)).toContain(colorFor('chosen-bad'));
  });
});
