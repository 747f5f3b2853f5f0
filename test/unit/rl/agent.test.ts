import { describe, expect, it } from 'vitest';
import {
  epsilonAt,
  greedyPathLength,
  MazeEnv,
  runEpisode,
  shortestPathLength,
  TabularAgent,
  type Algorithm,
  type Env,
  type StepResult,
} from '../../../shared/rl';
import { agentSettings, smallMaze } from './helpers';

const corridorMaze = ['S..#......', '.#.#.##.#.', '.#...#..#.', '.####.#.#.', '......#..G'];

// SARSA learns the value of its ε-greedy policy, so it converges when ε decays (GLIE); a constant ε
// keeps perturbing its greedy policy now and then.
const glie = { kind: 'decay', start: 0.3, end: 0, rate: 0.98 } as const;

function train(algorithm: Algorithm, layout: readonly string[], episodes: number, seed: number, options: { slip?: number; alpha?: number } = {}) {
  const env = MazeEnv.static(smallMaze({ layout, slip: options.slip ?? 0, stepCap: 500 }));
  const epsilon = algorithm === 'sarsa' ? glie : ({ kind: 'constant', value: 0.1 } as const);
  const agent = new TabularAgent(env.observationCount, env.actionCount, agentSettings({ algorithm, epsilon }), seed);
  const lengths: number[] = [];
  for (let e = 0; e < episodes; e++) {
    runEpisode(env, agent, options.alpha ?? 0.5, e, e === 0 ? seed : undefined);
    lengths.push(greedyPathLength(env.currentLayout, agent.q));
  }
  return { optimal: shortestPathLength(env.currentLayout), lengths };
}

describe('tabular agents learn the shortest path', () => {
  for (const algorithm of ['q-learning', 'sarsa'] as const) {
    it(`${algorithm} converges to the optimal path length and stays there`, () => {
      for (const seed of [1, 2, 3]) {
        const { optimal, lengths } = train(algorithm, corridorMaze, 400, seed);
        expect(optimal).toBe(17);
        // Not optimal from the start (so the check means something) …
        expect(lengths[0]).not.toBe(optimal);
        // … and optimal for the last 50 episodes.
        expect(lengths.slice(-50)).toEqual(new Array(50).fill(optimal));
      }
    });
  }

  it('Q-learning also converges when the maze is slippery (the greedy path is judged without slip)', () => {
    // A smaller α averages the slips out; with α = 0.5 the greedy policy still flickers now and then.
    const { optimal, lengths } = train('q-learning', corridorMaze, 800, 7, { slip: 0.1, alpha: 0.2 });
    expect(lengths.slice(-100)).toEqual(new Array(100).fill(optimal));
  });
});

/** One step from observation 0 to observation 1, ending either way. */
class OneStepEnv implements Env {
  readonly observationCount = 2;
  readonly actionCount = 2;
  private readonly result: StepResult = { observation: 1, reward: 0, terminated: false, truncated: false };
  constructor(private readonly ending: 'terminated' | 'truncated') {}
  reset(): number {
    return 0;
  }
  step(): Readonly<StepResult> {
    this.result.reward = 2;
    this.result.terminated = this.ending === 'terminated';
    this.result.truncated = this.ending === 'truncated';
    return this.result;
  }
}

describe('terminated vs truncated', () => {
  const gamma = 0.9;
  const alpha = 0.5;
  const prepared = (algorithm: Algorithm, epsilon: number) => {
    const agent = new TabularAgent(2, 2, agentSettings({ algorithm, gamma, epsilon: { kind: 'constant', value: epsilon } }), 1);
    agent.q.set([0, 0, 5, 3]); // Q(0, ·) = 0; Q(1, ·) = [5, 3]
    return agent;
  };
  const updated = (agent: TabularAgent) => Math.max(agent.q[0]!, agent.q[1]!);

  for (const algorithm of ['q-learning', 'sarsa'] as const) {
    it(`${algorithm}: termination uses next value 0, truncation bootstraps`, () => {
      const t = prepared(algorithm, 0);
      runEpisode(new OneStepEnv('terminated'), t, alpha, 0);
      expect(updated(t)).toBeCloseTo(alpha * 2, 12);
      const u = prepared(algorithm, 0);
      runEpisode(new OneStepEnv('truncated'), u, alpha, 0);
      expect(updated(u)).toBeCloseTo(alpha * (2 + gamma * 5), 12);
    });
  }

  it('SARSA bootstraps from the action its policy draws in the truncated state', () => {
    const seen = new Set<number>();
    for (let seed = 0; seed < 40; seed++) {
      const agent = new TabularAgent(2, 2, agentSettings({ algorithm: 'sarsa', gamma, epsilon: { kind: 'constant', value: 1 } }), seed);
      agent.q.set([0, 0, 5, 3]);
      runEpisode(new OneStepEnv('truncated'), agent, alpha, 0);
      seen.add(Math.round(updated(agent) * 1e9) / 1e9);
    }
    expect([...seen].sort()).toEqual([alpha * (2 + gamma * 3), alpha * (2 + gamma * 5)].map((x) => Math.round(x * 1e9) / 1e9).sort());
  });

  it('reports the episode statistics', () => {
    const agent = prepared('q-learning', 0);
    const stats = runEpisode(new OneStepEnv('truncated'), agent, alpha, 0);
    expect(stats).toEqual({ steps: 1, return: 2, success: false, tdErrorMean: 2 + gamma * 5 });
    expect(runEpisode(new OneStepEnv('terminated'), prepared('q-learning', 0), alpha, 0).success).toBe(true);
  });
});

describe('ε-greedy', () => {
  it('decays ε geometrically to its floor', () => {
    const s = { kind: 'decay', start: 1, end: 0.05, rate: 0.9 } as const;
    expect(epsilonAt(s, 0)).toBe(1);
    expect(epsilonAt(s, 2)).toBeCloseTo(0.81, 12);
    expect(epsilonAt(s, 1000)).toBe(0.05);
    expect(epsilonAt({ kind: 'constant', value: 0.1 }, 500)).toBe(0.1);
  });

  it('explores at rate ε and breaks greedy ties at random', () => {
    const agent = new TabularAgent(1, 4, agentSettings({ epsilon: { kind: 'constant', value: 0.2 } }), 3);
    agent.beginEpisode(0);
    agent.q.set([0, 1, 0, 0]);
    const counts = [0, 0, 0, 0];
    for (let k = 0; k < 40_000; k++) counts[agent.act(0)]!++;
    // Greedy action 1 with 0.8 + 0.2/4; the others 0.05 each.
    expect(counts[1]! / 40_000).toBeCloseTo(0.85, 1);
    expect(counts[0]! / 40_000).toBeCloseTo(0.05, 1);
    const tied = new TabularAgent(1, 4, agentSettings({ epsilon: { kind: 'constant', value: 0 } }), 3);
    const choices = new Set<number>();
    for (let k = 0; k < 200; k++) choices.add(tied.act(0));
    expect(choices.size).toBe(4);
    expect(tied.greedyAction(0)).toBe(0);
  });
});
