/**
 * "Training iterations": the number of episodes a phase needs before the greedy policy walks an
 * optimal path and keeps doing so.
 *
 * After every episode the greedy policy is walked from the start with no slip; the episode counts
 * as optimal when that walk reaches the goal in the shortest-path length (breadth-first search on
 * the phase's maze). A phase converges at the first episode that begins a run of K consecutive
 * optimal episodes inside the phase, and needs (that episode − phase start + 1) episodes.
 * A phase with no such run — including one whose run is cut short by the phase's end — did not
 * converge: it is charged its whole length and marked unconverged, so a strategy can never look
 * better by failing.
 */
export interface PhaseResult {
  /** First episode of the phase (0-based). */
  start: number;
  /** Number of episodes in the phase. */
  length: number;
  /** Shortest start→goal path in this phase's maze. */
  optimalLength: number;
  converged: boolean;
  /** Episodes needed: up to and including the first of the K optimal ones, or `length` if unconverged. */
  iterations: number;
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
