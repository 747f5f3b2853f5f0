import type { ChangeSchedule } from './maze-types';

/** The phase (0 = base maze) that episode `episode` (0-based) belongs to. */
export function phaseAt(schedule: ChangeSchedule, episode: number): number {
  if ('every' in schedule) return Math.floor(episode / schedule.every);
  let phase = 0;
  for (const at of schedule.at) if (at <= episode) phase++;
  return phase;
}

/** The first episode of every phase that starts before `episodes`, beginning with 0. */
export function phaseStarts(schedule: ChangeSchedule, episodes: number): number[] {
  const starts = [0];
  if ('every' in schedule) {
    for (let e = schedule.every; e < episodes; e += schedule.every) starts.push(e);
  } else {
    for (const at of schedule.at) if (at > 0 && at < episodes) starts.push(at);
  }
  return starts;
}

/** Which layout a phase uses: 0 is the base maze, k ≥ 1 cycles through the variants. */
export function layoutIndexOfPhase(phase: number, variantCount: number): number {
  return phase === 0 || variantCount === 0 ? 0 : 1 + ((phase - 1) % variantCount);
}
