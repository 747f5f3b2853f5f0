/**
 * How many episodes a phase needs, two ways, plus what learning cost on the way.
 *
 * After every episode the greedy policy is walked from the start with no slip; the episode counts
 * as optimal when that walk reaches the goal in the shortest-path length (breadth-first search on
 * the phase's maze).
 *
 * - Stability-aware (the headline): episodes until the greedy policy becomes optimal and stays
 *   optimal to the end of the phase — (first episode of the phase's final all-optimal stretch −
 *   phase start + 1). A phase that ends non-optimal never settled; neither did one whose final
 *   optimal stretch is shorter than the window K, which cannot be told from a lucky touch. Both
 *   are charged the phase's length and marked censored: the true figure is larger than the length,
 *   so it is a lower bound, never a number to compare as if it were measured.
 * - First K consecutive optimal episodes (secondary, the older metric): the first episode that
 *   begins a run of K optimal episodes inside the phase. It rewards an agent that touches the
 *   optimum and wanders off again, which is why it is not the headline.
 * - Regret: steps beyond the optimum, Σ max(0, steps − shortest path), over the phase's episodes.
 */
export interface PhaseResult {
  /** First episode of the phase (0-based). */
  start: number;
  /** Number of episodes in the phase. */
  length: number;
  /** Shortest start→goal path in this phase's maze. */
  optimalLength: number;
  /** A run of K optimal episodes happened inside the phase. */
  converged: boolean;
  /** Episodes needed: up to and including the first of the K optimal ones, or `length` if unconverged. */
  iterations: number;
  /** The greedy policy settled on an optimal path for good (absent in runs stored before the metric existed). */
  settled?: boolean;
  /** Episodes until it settled, or `length` (censored) when it did not. */
  settleIterations?: number;
  /** Steps beyond the optimum, summed over the phase. */
  regret?: number;
}

/** Iterations for the phase [start, start + length) given per-episode optimality flags. */
export function phaseIterations(optimal: Uint8Array, start: number, length: number, window: number): { converged: boolean; iterations: number } {
  let run = 0;
  for (let e = start; e < start + length; e++) {
    run = optimal[e] === 1 ? run + 1 : 0;
    if (run === window) return { converged: true, iterations: e - window + 1 - start + 1 };
  }
  return { converged: false, iterations: length };
}

/** The stability-aware figure for the phase [start, start + length); see the file comment. */
export function phaseSettle(optimal: Uint8Array, start: number, length: number, window: number): { settled: boolean; iterations: number } {
  const end = start + length;
  let first = end;
  while (first > start && optimal[first - 1] === 1) first--;
  const tail = end - first;
  if (tail === 0 || tail < window) return { settled: false, iterations: length };
  return { settled: true, iterations: first - start + 1 };
}

/** Σ max(0, steps − optimalLength) over the phase's episodes. */
export function phaseRegret(steps: Int32Array, start: number, length: number, optimalLength: number): number {
  let sum = 0;
  for (let e = start; e < start + length; e++) sum += Math.max(0, steps[e]! - optimalLength);
  return sum;
}
