/**
 * rl.device-loop — the per-episode overhead of the hardware RL loop (#12): episodes/s of
 * `workbench rl`'s loop (the episode itself, the pulse, the read, and the checkpoint and device
 * record written to SQLite in one transaction) on the virtual Keithley 2400 over a real
 * pseudo-terminal, against the bare pulse + read loop on the same instrument in the same run.
 * A small maze and a spike after every episode, so both loops exchange the same commands per
 * episode and the difference is what the loop adds. Target: ratio ≥ 0.8.
 */
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { parseExperiment, type Experiment } from '../../shared/rl';
import { connectInstrumentDevice } from '../services/instruments';
import { startEmulator } from '../services/instruments/emulator/index';
import { startDeviceRun } from '../services/rl/device-run';
import { openStore } from '../services/store';
import type { BenchContext, BenchFigure, Benchmark } from './types';

const PULSE = { amplitude: 2, width: 0.001 };

function smallExperiment(episodes: number): Experiment {
  const parsed = parseExperiment({
    schema: 1,
    name: 'bench',
    title: 'Hardware loop benchmark',
    provenance: 'Benchmark parameters (ours).',
    seeds: 1,
    episodes,
    convergenceWindow: 3,
    agent: { algorithm: 'q-learning', gamma: 0.95, epsilon: { kind: 'constant', value: 0.1 }, initialQ: 0 },
    environments: [{ id: 'small', title: 'Small maze', kind: 'maze', maze: { layout: ['S..', '.#.', '..G'], rewards: { step: -1, goal: 10, wall: -1 }, stepCap: 30, slip: 0 } }],
    strategies: [
      { id: 'smu', name: 'Device-driven (virtual 2400)', kind: 'device', device: 'intrinsic-gradient', noise: false, spike: { kind: 'every-episode' }, pulse: PULSE, secondsPerEpisode: 0.002 },
      { id: 'constant', name: 'Constant', kind: 'constant', alpha: 0.5 },
    ],
    comparison: { primary: 'smu', baseline: 'constant' },
  });
  if (!parsed.ok) throw new Error(parsed.problems[0]!.message);
  return parsed.experiment;
}

async function deviceLoop(ctx: BenchContext): Promise<BenchFigure[]> {
  const episodes = Math.max(40, Math.round(300 * ctx.scale));
  const emu = await startEmulator({ driver: 'keithley2400', time: 'simulated', noise: false, seed: 3 });
  const device = await connectInstrumentDevice({ path: emu.path, driver: 'keithley2400' }, { clock: emu.clock });
  const store = openStore(mkdtempSync(path.join(ctx.tmpDir, 'rl-device-')), { appVersion: 'bench', host: 'bench' });
  try {
    const x = smallExperiment(episodes);
    const bare = async () => {
      const t0 = performance.now();
      for (let k = 0; k < episodes; k++) {
        await device.pulse(PULSE.amplitude, PULSE.width);
        await device.wait(0.002);
        await device.read(0.1);
      }
      return episodes / ((performance.now() - t0) / 1000);
    };
    const loop = async () => {
      const t0 = performance.now();
      const run = await startDeviceRun({ store, experiment: x, strategyId: 'smu', seeds: [0], device, identity: null, reopen: {}, name: 'bench' });
      if (run.status !== 'completed') throw new Error(`the benchmark's RL run ended ${run.status}: ${run.message ?? ''}`);
      return episodes / ((performance.now() - t0) / 1000);
    };
    await bare();
    const bareRates = [await bare(), await bare(), await bare()].sort((a, b) => a - b);
    const loopRates = [await loop(), await loop(), await loop()].sort((a, b) => a - b);
    const ratio = loopRates[1]! / bareRates[1]!;
    return [
      {
        id: 'rl.device-loop',
        title: `hardware RL loop, episodes/s on the virtual 2400 over a pty (${episodes} episodes, a pulse and a read each, checkpointed)`,
        value: loopRates[1]!,
        unit: 'episodes/s',
        baseline: { title: 'the bare pulse + wait + read loop on the same instrument', value: bareRates[1]!, unit: 'cycles/s' },
        ratio,
        target: { description: 'ratio ≥ 0.8 of the bare loop', met: ratio >= 0.8 },
      },
    ];
  } finally {
    store.close();
    await device.close();
    await emu.stop();
  }
}

export const rlDeviceBenchmarks: Benchmark[] = [{ id: 'rl.device-loop', title: 'Hardware RL loop overhead', run: deviceLoop }];
