/**
 * Series colours: sixteen per theme, so sixteen series (the RL page's fifteen strategies and more)
 * each get a colour of their own (#19: three of fifteen strategies shared one). The first seven are
 * Okabe–Ito, the colour-blind-safe palette; the rest (ours) are picked so that every pair differs by
 * at least ΔE₀₀ 10, and any two drawn with the same line pattern by at least 15. Each line has at
 * least 3:1 against its theme's chart background (#19: a yellow compare trace on white was 1.3:1),
 * so yellow, orange and sky blue serve the dark theme and darker ochre, grey and purple the light one.
 * A key (a strategy, a run, a series) keeps the place it was first given for the whole session, so
 * the same thing has the same colour on every chart; keys asked for together get places side by side.
 */
export const seriesPalettes = {
  light: ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#B07A00', '#5C5C5C', '#7B3294', '#882255', '#117733', '#332288', '#7A7A1F', '#AA4499', '#8C510A', '#C2185B', '#00838F', '#1A1A1A'],
  dark: ['#56B4E9', '#E69F00', '#009E73', '#CC79A7', '#F0E442', '#D55E00', '#E0E0E0', '#A6D854', '#7A9CFF', '#FFB380', '#CC6677', '#B39DDB', '#7FE5C8', '#999933', '#FF9DA7', '#E040FB'],
} as const;

/**
 * Line patterns, a pattern to each run of eight places: where hue alone gets hard to tell apart
 * (past eight lines, or for a reader who does not see every hue) the pattern tells. Solid, dashed,
 * dotted, dash-dot: a colour's second use (place k + 16) never has its first use's pattern, so up
 * to 32 series differ in colour or pattern.
 */
const DASHES: readonly (readonly number[])[] = [[], [7, 3], [2, 3], [8, 3, 2, 3]];
const PER_PATTERN = 8;

export type Theme = 'light' | 'dark';

/** The colour and line pattern of the series in place `k` (0-based). */
export function seriesStyle(k: number, theme: Theme): { color: string; dash: number[] } {
  const palette = seriesPalettes[theme];
  return { color: palette[k % palette.length]!, dash: [...DASHES[Math.floor(k / PER_PATTERN) % DASHES.length]!] };
}

const assigned = new Map<string, number>();
/** Colours a document chose for its keys (an RL strategy's `color`): they win over the palette, in both themes. */
const chosen = new Map<string, string>();

/**
 * Gives a key the colour its document chose. Like a palette place, it stays for the session: a list
 * that gives the key no colour (a preset beside the run that chose one) does not take it away.
 */
export function chooseColor(key: string, hex: string | undefined): void {
  // Only what the experiment format accepts (#rrggbb): a draft not yet checked can hold anything.
  if (hex !== undefined && /^#[0-9a-fA-F]{6}$/.test(hex)) chosen.set(key, hex);
}

function theme(): Theme {
  return typeof document !== 'undefined' && document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
}

function placeOf(key: string): number {
  let k = assigned.get(key);
  if (k === undefined) {
    k = assigned.size;
    assigned.set(key, k);
  }
  return k;
}

export function colorFor(key: string): string {
  const style = seriesStyle(placeOf(key), theme());
  return chosen.get(key) ?? style.color;
}

/** The line pattern that goes with a key's colour (see DASHES). */
export function dashFor(key: string): number[] {
  return seriesStyle(placeOf(key), theme()).dash;
}

/** The same colour with an alpha, for IQR bands. */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
