/**
 * Okabe–Ito, the colour-blind-safe palette, in a light and a dark variant: each line has at least
 * 3:1 against its theme's chart background (#19: a yellow compare trace on white was 1.3:1), so
 * yellow, orange and sky blue serve the dark theme and darker ochre, grey and purple the light one.
 * A key (a strategy, a run, a series) keeps the place it was first given for the whole session,
 * so the same thing has the same colour on every chart.
 */
export const seriesPalettes = {
  light: ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#B07A00', '#5C5C5C', '#7B3294'],
  dark: ['#56B4E9', '#E69F00', '#009E73', '#CC79A7', '#F0E442', '#D55E00', '#E0E0E0'],
} as const;

const assigned = new Map<string, number>();

function theme(): 'light' | 'dark' {
  return typeof document !== 'undefined' && document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
}

export function colorFor(key: string): string {
  let k = assigned.get(key);
  if (k === undefined) {
    k = assigned.size;
    assigned.set(key, k);
  }
  const palette = seriesPalettes[theme()];
  return palette[k % palette.length]!;
}

/**
 * The line pattern that goes with a key's colour: the first round of the palette is solid, the
 * second dashed, the third dotted, so up to three times the palette's size (21 series) can be told
 * apart without relying on colour alone.
 */
const DASHES: readonly (readonly number[])[] = [[], [7, 3], [2, 3]];

export function dashFor(key: string): number[] {
  colorFor(key);
  const k = assigned.get(key)!;
  return [...DASHES[Math.floor(k / seriesPalettes.light.length) % DASHES.length]!];
}

/** The same colour with an alpha, for IQR bands. */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
