/**
 * How long the text people type may be: the contract's request schemas and the store's own checks
 * both read these, so what one accepts the other accepts, with the same words.
 */
export const textLimits = {
  /** A run's, experiment's, protocol's or RL run's name. */
  name: 200,
  /** An experiment's or protocol's description. */
  description: 10_000,
  /** A run's notes. */
  notes: 100_000,
  /** Text searched for in a list. */
  search: 200,
} as const;

/** 'must be at most 10,000 characters' */
export function atMostChars(max: number): string {
  return `must be at most ${max.toLocaleString('en')} characters`;
}
