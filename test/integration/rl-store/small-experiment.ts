/** The small RL comparison the storage, lab and e2e tests run (no test-runner hooks here). */
import { parseExperiment, type Experiment, type ExperimentInput } from '../../../shared/rl';

/**
 * A small comparison: a 4×5 maze with a wall (shortest path 7), and a dynamic variant whose goal
 * moves after 30 episodes; a constant rate, an exponential decay and a device-driven rate.
 */
export function smallExperimentJson(): ExperimentInput & Record<string, unknown> {
  const maze = {
    layout: ['S..#.', '.#...', '.#.#.', '...#G'],
    rewards: { step: -1, goal: 10, wall: -1 },
    stepCap: 80,
    slip: 0.05,
  };
  return {
    schema: 1,
    name: 'small',
    title: 'A small comparison',
    provenance: 'Test parameters, chosen by the test.',
    seeds: 3,
    firstSeed: 0,
    episodes: 60,
    convergenceWindow: 3,
    agent: { algorithm: 'q-learning', gamma: 0.95, epsilon: { kind: 'constant', value: 0.1 }, initialQ: 0 },
    environments: [
      { id: 'static', title: 'Static', kind: 'maze', maze },
      { id: 'dynamic', title: 'Dynamic', kind: 'dynamic-maze', episodes: 60, maze, variants: [{ goal: [0, 4] }], schedule: { every: 30 }, reportedReductionPercent: 35.65 },
    ],
    strategies: [
      { id: 'device', name: 'Device-driven', kind: 'device', device: 'intrinsic-gradient', pulse: { amplitude: 1.3, width: 0.01 }, secondsPerEpisode: 20 },
      { id: 'constant', name: 'Constant 0.1', kind: 'constant', alpha: 0.1 },
      { id: 'exp', name: 'Exponential', kind: 'exponential', alpha0: 0.9, rate: 0.99, alphaMin: 0.05 },
    ],
    comparison: { primary: 'device', baseline: 'constant' },
  };
}

export function smallExperiment(overrides: Partial<ExperimentInput> = {}): Experiment {
  const r = parseExperiment({ ...smallExperimentJson(), ...overrides });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.experiment;
}
