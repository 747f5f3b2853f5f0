import { parseExperiment, type Experiment, type ExperimentInput } from '../../../shared/rl';

/**
 * A short comparison for hardware in the loop: a 3×4 maze, a device-driven strategy (to be put on
 * the virtual instrument) against a constant α, `episodes` episodes and two seeds.
 */
export function hardwareExperiment(episodes = 30): Experiment {
  const r = parseExperiment(hardwareExperimentInput({ episodes }));
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.experiment;
}

/** The same comparison as an experiment file's content; `secondsPerEpisode` is the device time an episode takes (s). */
export function hardwareExperimentInput({ episodes, secondsPerEpisode = 20 }: { episodes: number; secondsPerEpisode?: number }): ExperimentInput {
  return {
    schema: 1,
    name: 'hil',
    title: 'Hardware in the loop',
    provenance: 'Test parameters.',
    seeds: 2,
    firstSeed: 0,
    episodes,
    convergenceWindow: 3,
    agent: { algorithm: 'q-learning', gamma: 0.95, epsilon: { kind: 'constant', value: 0.1 }, initialQ: 0 },
    environments: [{ id: 'small', title: 'Small maze', kind: 'maze', maze: { layout: ['S..#', '.#..', '...G'], rewards: { step: -1, goal: 10, wall: -1 }, stepCap: 50, slip: 0 } }],
    strategies: [
      {
        id: 'smu',
        name: 'Device-driven (Keithley 2400, emulated)',
        kind: 'device',
        device: 'intrinsic-gradient',
        noise: false,
        map: { kind: 'linear', alphaMin: 0.01, alphaMax: 0.9 },
        spike: { kind: 'after-success' },
        pulse: { amplitude: 2, width: 0.01 },
        secondsPerEpisode,
      },
      { id: 'constant', name: 'Constant 0.1', kind: 'constant', alpha: 0.1 },
    ],
    comparison: { primary: 'smu', baseline: 'constant' },
  };
}

