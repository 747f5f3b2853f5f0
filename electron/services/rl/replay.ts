import {
  ACTION_COUNT,
  applyVariant,
  createEnvironment,
  jobSeeds,
  phaseAt,
  runEpisode,
  TabularAgent,
  type CompiledLayout,
  type EnvironmentSpec,
  type EpisodeTrace,
  type Env,
  type Experiment,
  type Job,
  type StepResult,
} from '../../../shared/rl';
import type { Seed } from '../../../shared/random';

/**
 * The agent's path in one stored episode, replayed. A job is deterministic given its seed and the
 * learning rate of every episode, and the stored trace holds that learning rate exactly (Float64),
 * so the replay does not need the strategy — nor its device: a run whose α came from a physical
 * device replays as well as a simulated one. The replay is checked against the stored steps and
 * return of the episode (`matchesStored`).
 */
export interface ReplayedEpisode {
  episode: number;
  layout: string[];
  rows: number;
  cols: number;
  phase: number;
  /** Cells visited, start first. */
  path: Int32Array;
  steps: number;
  return: number;
  success: boolean;
  alpha: number;
  conductance: number;
  /** Greedy action per cell after the episode; -1 for walls and cells whose actions all have the same value. */
  greedy: Int32Array;
  greedyPath: Int32Array;
  greedyReachesGoal: boolean;
  matchesStored: boolean;
}

/** Passes everything through to the maze, recording the cells of one episode. */
class PathRecorder implements Env {
  readonly observationCount: number;
  readonly actionCount: number;
  recording = false;
  cells: number[] = [];

  constructor(private readonly inner: Env) {
    this.observationCount = inner.observationCount;
    this.actionCount = inner.actionCount;
  }

  reset(seed?: Seed): number {
    const o = this.inner.reset(seed);
    if (this.recording) this.cells = [o];
    return o;
  }

  step(action: number): Readonly<StepResult> {
    const r = this.inner.step(action);
    if (this.recording) this.cells.push(r.observation);
    return r;
  }
}

/** The layout strings a maze has in a given episode. */
export function layoutAtEpisode(spec: EnvironmentSpec, episode: number): { layout: string[]; phase: number } {
  if (spec.kind === 'maze') return { layout: [...spec.maze.layout], phase: 0 };
  const phase = phaseAt(spec.schedule, episode);
  const index = phase === 0 ? 0 : 1 + ((phase - 1) % spec.variants.length);
  return { layout: index === 0 ? [...spec.maze.layout] : applyVariant(spec.maze.layout, spec.variants[index - 1]!), phase };
}

function greedyTable(layout: CompiledLayout, q: Float64Array): Int32Array {
  const out = new Int32Array(layout.cellCount).fill(-1);
  for (let k = 0; k < layout.cellCount; k++) {
    if (layout.wall[k] === 1 || k === layout.goal) continue;
    const base = k * ACTION_COUNT;
    let best = 0;
    const first = q[base]!;
    let bestValue = first;
    let allEqual = true;
    for (let a = 1; a < ACTION_COUNT; a++) {
      const v = q[base + a]!;
      if (v !== first) allEqual = false;
      if (v > bestValue) {
        bestValue = v;
        best = a;
      }
    }
    out[k] = allEqual ? -1 : best;
  }
  return out;
}

function greedyWalk(layout: CompiledLayout, q: Float64Array): { cells: Int32Array; reaches: boolean } {
  const cells = [layout.start];
  let k = layout.start;
  for (let steps = 0; steps < layout.freeCellCount && k !== layout.goal; steps++) {
    const base = k * ACTION_COUNT;
    let best = 0;
    let bestValue = q[base]!;
    for (let a = 1; a < ACTION_COUNT; a++) {
      if (q[base + a]! > bestValue) {
        bestValue = q[base + a]!;
        best = a;
      }
    }
    k = layout.next[base + best]!;
    cells.push(k);
  }
  return { cells: Int32Array.from(cells), reaches: k === layout.goal };
}

/** Replays job `job` of `experiment` up to `episode` with the stored trace's learning rates. */
export function replayEpisode(experiment: Experiment, job: Job, trace: EpisodeTrace, episode: number): ReplayedEpisode {
  const spec = experiment.environments.find((e) => e.id === job.environmentId);
  if (!spec) throw new RangeError(`no environment '${job.environmentId}' in the experiment`);
  const n = trace.alpha.length;
  if (!(Number.isInteger(episode) && episode >= 0 && episode < n)) throw new RangeError(`episode must be from 0 to ${n - 1} (got ${episode})`);
  const seeds = jobSeeds(job.seed);
  const maze = createEnvironment(spec);
  const env = new PathRecorder(maze);
  const agent = new TabularAgent(maze.observationCount, maze.actionCount, experiment.agent, seeds.agent);
  let stats = { steps: 0, return: 0, success: false, tdErrorMean: 0 };
  for (let e = 0; e <= episode; e++) {
    env.recording = e === episode;
    stats = runEpisode(env, agent, trace.alpha[e]!, e, e === 0 ? seeds.environment : undefined);
  }
  const layout = maze.currentLayout;
  const walk = greedyWalk(layout, agent.q);
  const { layout: rowsText, phase } = layoutAtEpisode(spec, episode);
  return {
    episode,
    layout: rowsText,
    rows: layout.rows,
    cols: layout.cols,
    phase,
    path: Int32Array.from(env.cells),
    steps: stats.steps,
    return: stats.return,
    success: stats.success,
    alpha: trace.alpha[episode]!,
    conductance: trace.conductance[episode]!,
    greedy: greedyTable(layout, agent.q),
    greedyPath: walk.cells,
    greedyReachesGoal: walk.reaches,
    matchesStored: stats.steps === trace.steps[episode] && stats.return === trace.returns[episode] && (stats.success ? 1 : 0) === trace.success[episode],
  };
}
