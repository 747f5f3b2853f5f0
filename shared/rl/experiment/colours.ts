/**
 * Chart colours that belong to a strategy's id, not to its position in a list: a strategy keeps its
 * colour when others are added, removed or reordered. An explicit `color` in the experiment wins.
 */
export const STRATEGY_PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
] as const;

/** FNV-1a over the id's UTF-16 code units: small, stable across runs and platforms. */
function hashId(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function strategyColour(strategy: { id: string; color?: string | undefined }): string {
  return strategy.color ?? STRATEGY_PALETTE[hashId(strategy.id) % STRATEGY_PALETTE.length]!;
}
