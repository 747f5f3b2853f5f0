import { chooseColor, colorFor } from '../../components/charts/palette';

/**
 * A strategy's colour: the chart palette's (Okabe–Ito) colour for the key `rl:<strategy id>`, so the
 * curves, the table's swatches and the agent's path agree, and a strategy keeps its colour on every
 * chart for the session. Keys are handed out in the order they are first asked for; asking for a
 * whole list at once (the preset's order) keeps that order stable. A strategy whose experiment gives
 * it a `color` ("#1f77b4") is drawn in that colour instead, in both themes.
 */
export const colorKeyOf = (strategyId: string): string => `rl:${strategyId}`;

export function strategyColor(strategyId: string): string {
  return colorFor(colorKeyOf(strategyId));
}

/** Registers strategies in list order, with the colours their experiment chose. Idempotent: call it while rendering. */
export function registerStrategyColors(strategies: readonly { id: string; color?: string | undefined }[]): void {
  for (const s of strategies) {
    chooseColor(colorKeyOf(s.id), s.color);
    colorFor(colorKeyOf(s.id));
  }
}
