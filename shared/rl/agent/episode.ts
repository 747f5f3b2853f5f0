import type { Seed } from '../../random';
import type { Env } from '../env/types';
import type { TabularAgent } from './tabular-agent';

export interface EpisodeStats {
  steps: number;
  /** Undiscounted sum of rewards. */
  return: number;
  /** The episode ended in a terminal state (the goal), not by truncation. */
  success: boolean;
  /** Mean |TD error| over the episode's updates. */
  tdErrorMean: number;
}

/**
 * Plays one episode with learning rate `alpha`, updating the agent's table as it goes.
 *
 * The target of the last transition depends on how the episode ended: on termination the next
 * state has no future (target = r); on truncation it does, so the update still bootstraps from it
 * (target = r + γ·V(s')). SARSA bootstraps from the action its policy would take in s', drawn even
 * when the episode was truncated there.
 */
export function runEpisode(env: Env, agent: TabularAgent, alpha: number, episode: number, seed?: Seed): EpisodeStats {
  agent.beginEpisode(episode);
  return agent.settings.algorithm === 'sarsa' ? sarsaEpisode(env, agent, alpha, seed) : qLearningEpisode(env, agent, alpha, seed);
}

function qLearningEpisode(env: Env, agent: TabularAgent, alpha: number, seed: Seed | undefined): EpisodeStats {
  const q = agent.q;
  const n = agent.actionCount;
  const gamma = agent.settings.gamma;
  let s = env.reset(seed);
  let steps = 0;
  let ret = 0;
  let tdSum = 0;
  for (;;) {
    const a = agent.act(s);
    const r = env.step(a);
    const s2 = r.observation;
    let target = r.reward;
    if (!r.terminated) {
      const base = s2 * n;
      let best = q[base]!;
      for (let b = 1; b < n; b++) if (q[base + b]! > best) best = q[base + b]!;
      target += gamma * best;
    }
    const i = s * n + a;
    const delta = target - q[i]!;
    q[i] = q[i]! + alpha * delta;
    tdSum += delta < 0 ? -delta : delta;
    ret += r.reward;
    steps++;
    if (r.terminated || r.truncated) return { steps, return: ret, success: r.terminated, tdErrorMean: tdSum / steps };
    s = s2;
  }
}

function sarsaEpisode(env: Env, agent: TabularAgent, alpha: number, seed: Seed | undefined): EpisodeStats {
  const q = agent.q;
  const n = agent.actionCount;
  const gamma = agent.settings.gamma;
  let s = env.reset(seed);
  let a = agent.act(s);
  let steps = 0;
  let ret = 0;
  let tdSum = 0;
  for (;;) {
    const r = env.step(a);
    const s2 = r.observation;
    let target = r.reward;
    let a2 = 0;
    if (!r.terminated) {
      a2 = agent.act(s2);
      target += gamma * q[s2 * n + a2]!;
    }
    const i = s * n + a;
    const delta = target - q[i]!;
    q[i] = q[i]! + alpha * delta;
    tdSum += delta < 0 ? -delta : delta;
    ret += r.reward;
    steps++;
    if (r.terminated || r.truncated) return { steps, return: ret, success: r.terminated, tdErrorMean: tdSum / steps };
    s = s2;
    a = a2;
  }
}
