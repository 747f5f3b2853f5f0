/** A run's change of conductance from its first to its last sample, in per cent of the first; null when either is missing (or the first is 0). */
export function deltaGPercent(run: { initialG: number | null; finalG: number | null }): number | null {
  return run.initialG && run.finalG !== null ? ((run.finalG - run.initialG) / run.initialG) * 100 : null;
}
