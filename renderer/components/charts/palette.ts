/**
 * Okabe–Ito, the colour-blind-safe palette. A key (a strategy, a run, a series) keeps the colour it
 * was first given for the whole session, so the same thing has the same colour on every chart.
 */
export const okabeIto = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'] as const;

const assigned = new Map<string, string>();

export function colorFor(key: string): string {
  let c = assigned.get(key);
  if (c === undefined) {
    c = okabeIto[assigned.size % okabeIto.length]!;
    assigned.set(key, c);
  }
  return c;
}

/** The same colour with an alpha, for IQR bands. */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
