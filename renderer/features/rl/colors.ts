import { colorFor } from '../../components/charts/palette';

/**
 * A strategy's colour: the chart palette's (Okabe–Ito) colour for the key `rl:<strategy id>`, so the
 * curves, the table's swatches and the agent's path agree, and a strategy keeps its colour on every
 * chart for the session. Keys are handed out in the order they are first asked for; asking for a
 * whole list at once (the preset's order) keeps that order stable.
 */
export const colorKeyOf = (strategyId: string): string => `rl:${strategyId}`;

export function strategyColor(strategyId: string): string {
  return colorFor(colorKeyOf(strategyId));
}

export function registerStrategyColors(ids: readonly string[]): void {
  for (const id of ids) colorFor(colorKeyOf(id));
}
