/** ε for exploration: constant, or decaying geometrically per episode toward a floor. */
export type EpsilonSchedule = { kind: 'constant'; value: number } | { kind: 'decay'; start: number; end: number; rate: number };

export type Algorithm = 'q-learning' | 'sarsa';

export interface AgentSettings {
  algorithm: Algorithm;
  /** Discount factor γ. */
  gamma: number;
  epsilon: EpsilonSchedule;
  /** Initial value of every Q entry. */
  initialQ: number;
}

export function epsilonAt(schedule: EpsilonSchedule, episode: number): number {
  if (schedule.kind === 'constant') return schedule.value;
  return Math.max(schedule.end, schedule.start * Math.pow(schedule.rate, episode));
}
