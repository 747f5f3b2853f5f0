/**
 * RL benchmarks.
 *
 * rl.steps — Q-learning environment steps per second through the real API (MazeEnv.step +
 *   TabularAgent + runEpisode), against a bare loop doing the same arithmetic inline on typed
 *   arrays (maze table lookup, slip, ε-greedy with random ties, Q update) with the same random
 *   streams. Both walk the identical trajectories — the step counts must agree, which checks that
 *   the baseline really does the same work. Target: ratio ≥ 0.5.
 * rl.paper — wall time of the shipped paper experiment at 50 seeds (scaled by ctx.scale) on the
 *   worker pool, against the same jobs run one after another on this thread (the ratio is the
 *   parallel speed-up). Target: under 60 s at 50 seeds (extrapolated linearly in quick runs).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRng } from '../../shared/random';
import {
  ACTION_COUNT,
  MazeEnv,
  TabularAgent,
  experimentJobs,
  parseExperimentText,
  runEpisode,
  runJob,
  type CompiledLayout,
  type Experiment,
  type MazeDefinition,
} from '../../shared/rl';
import { resourcesDir } from '../app-meta';
import { runExperiment } from '../services/rl';
import type { BenchContext, BenchFigure, Benchmark } from './types';

function paperExperiment(): Experiment {
  const file = path.join(resourcesDir(), 'experiments', 'paper.json');
  const parsed = parseExperimentText(readFileSync(file, 'utf8'));
  if (!parsed.ok) throw new Error(`${file} is invalid: ${parsed.problems[0]?.message}`);
  return parsed.experiment;
}

const GAMMA = 0.95;
const EPSILON = 0.1;
const ALPHA = 0.5;
const ENV_SEED = 11;
const AGENT_SEED = 12;

/** Steps through the public API: what the runner does. */
function apiSteps(maze: MazeDefinition, episodes: number): number {
  const env = MazeEnv.static(maze);
  const agent = new TabularAgent(env.observationCount, env.actionCount, { algorithm: 'q-learning', gamma: GAMMA, epsilon: { kind: 'constant', value: EPSILON }, initialQ: 0 }, AGENT_SEED);
  let steps = 0;
  for (let e = 0; e < episodes; e++) steps += runEpisode(env, agent, ALPHA, e, e === 0 ? ENV_SEED : undefined).steps;
  return steps;
}

/** The same episodes with everything inlined into one loop over typed arrays. */
function bareSteps(maze: MazeDefinition, layout: CompiledLayout, episodes: number): number {
  const envRng = createRng(ENV_SEED);
  const agentRng = createRng(AGENT_SEED);
  const q = new Float64Array(layout.cellCount * ACTION_COUNT);
  const { next, bump, goal, start } = layout;
  const { slip, stepCap } = maze;
  const { step: rStep, goal: rGoal, wall: rWall } = maze.rewards;
  let total = 0;
  for (let e = 0; e < episodes; e++) {
    let s = start;
    for (let t = 1; ; t++) {
      let a: number;
      if (agentRng.next() < EPSILON) a = agentRng.int(ACTION_COUNT);
      else {
        const base = s * ACTION_COUNT;
        let best = q[base]!;
        a = 0;
        let ties = 1;
        for (let b = 1; b < ACTION_COUNT; b++) {
          const v = q[base + b]!;
          if (v > best) {
            best = v;
            a = b;
            ties = 1;
          } else if (v === best) {
            ties++;
            if (agentRng.int(ties) === 0) a = b;
          }
        }
      }
      // The agent learns about the action it chose; slip changes only the one executed.
      const i = s * ACTION_COUNT + a;
      const executed = slip > 0 && envRng.next() < slip ? envRng.int(ACTION_COUNT) : a;
      const k = s * ACTION_COUNT + executed;
      const s2 = next[k]!;
      const terminated = s2 === goal;
      const reward = terminated ? rGoal : bump[k] === 1 ? rWall : rStep;
      let target = reward;
      if (!terminated) {
        const base = s2 * ACTION_COUNT;
        let best = q[base]!;
        for (let b = 1; b < ACTION_COUNT; b++) if (q[base + b]! > best) best = q[base + b]!;
        target += GAMMA * best;
      }
      q[i] = q[i]! + ALPHA * (target - q[i]!);
      total++;
      if (terminated || t >= stepCap) break;
      s = s2;
    }
  }
  return total;
}

/** Best of a few repetitions, so one hiccup on a shared machine does not decide the figure. */
function rate(run: () => number, repeats: number): { stepsPerSecond: number; steps: number } {
  let best = 0;
  let steps = 0;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    steps = run();
    const seconds = (performance.now() - t0) / 1000;
    best = Math.max(best, steps / seconds);
  }
  return { stepsPerSecond: best, steps };
}

async function stepsBench(ctx: BenchContext): Promise<BenchFigure[]> {
  const env = paperExperiment().environments.find((e) => e.kind === 'maze');
  if (!env || env.kind !== 'maze') throw new Error('the paper experiment has no static maze');
  const maze = env.maze;
  const layout = MazeEnv.static(maze).layouts[0]!;
  const episodes = Math.max(50, Math.round(3000 * ctx.scale));
  // Warm both paths up so the JIT has compiled them before timing.
  apiSteps(maze, 50);
  bareSteps(maze, layout, 50);
  const api = rate(() => apiSteps(maze, episodes), 5);
  const bare = rate(() => bareSteps(maze, layout, episodes), 5);
  if (api.steps !== bare.steps) throw new Error(`the bare loop diverged from the API (${bare.steps} vs ${api.steps} steps): it no longer does the same work`);
  const ratio = api.stepsPerSecond / bare.stepsPerSecond;
  return [
    {
      id: 'rl.steps',
      title: `Q-learning steps/s through MazeEnv + TabularAgent (${api.steps} steps, paper static maze), vs an inline typed-array loop`,
      value: api.stepsPerSecond,
      unit: 'steps/s',
      baseline: { title: 'bare inline loop, same arithmetic and random streams', value: bare.stepsPerSecond, unit: 'steps/s' },
      ratio,
      target: { description: 'ratio ≥ 0.5', met: ratio >= 0.5 },
    },
  ];
}

async function paperBench(ctx: BenchContext): Promise<BenchFigure[]> {
  const experiment = paperExperiment();
  const seeds = Math.max(2, Math.round(50 * ctx.scale));
  const parallel = await runExperiment(experiment, { seeds });
  const t0 = performance.now();
  for (const job of experimentJobs(experiment, seeds)) runJob(experiment, job);
  const single = (performance.now() - t0) / 1000;
  const at50 = parallel.seconds * (50 / seeds);
  return [
    {
      id: 'rl.paper',
      title: `paper experiment, ${seeds} seeds, wall time on ${parallel.workers} worker threads (speed-up vs one thread)`,
      value: parallel.seconds,
      unit: 's',
      baseline: { title: 'the same jobs one after another on one thread', value: single, unit: 's' },
      ratio: single / parallel.seconds,
      target: { description: seeds === 50 ? '< 60 s at 50 seeds' : `< 60 s at 50 seeds (extrapolated: ${at50.toFixed(1)} s)`, met: at50 < 60 },
    },
  ];
}

export const rlBenchmarks: Benchmark[] = [
  { id: 'rl.steps', title: 'RL environment steps per second', run: stepsBench },
  { id: 'rl.paper', title: 'Paper RL experiment wall time', run: paperBench },
];
