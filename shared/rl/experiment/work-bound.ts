import { RL_BOUNDS } from '../../contract/limits';
import { formatCount } from '../../units/format';
import type { Experiment } from './schema';
import type { Tuning } from './tuning';

/**
 * The bound on the total work of one RL request (RL_BOUNDS.agentSteps, ours): its worst case is
 * seeds × strategies × the agent steps one job may take (Σ over environments of episode cap × step
 * cap). A request over it is refused before any work starts, with the total, the bound and the
 * factor to reduce, at that factor's field. The experiment validator applies it to the file's own
 * seeds; whoever runs an experiment with other seeds (rl.start, lab.submitRl, `reproduce --seeds`,
 * a device run) or other strategies (`workbench tune`'s candidates) checks again with those.
 */
export interface WorkProblem {
  /** The field to reduce, e.g. ['seeds'] or ['environments', 1, 'maze', 'stepCap']. */
  path: (string | number)[];
  message: string;
}

type Shape = Pick<Experiment, 'episodes' | 'environments'>;

/** The agent steps one job (one strategy on one seed, every environment) may take at most. */
export function stepsPerJob(x: Shape): number {
  return x.environments.reduce((sum, env) => sum + (env.episodes ?? x.episodes) * env.maze.stepCap, 0);
}

/** Worst-case agent steps of `strategies` strategies on `seeds` seeds. */
export function worstCaseSteps(x: Shape, seeds: number, strategies: number): number {
  return seeds * strategies * stepsPerJob(x);
}

function overBy(total: number, what: string, fix: string): string {
  return `this asks for up to ${formatCount(total)} agent steps (${what}), over the bound of ${formatCount(RL_BOUNDS.agentSteps)} per request (ours): ${fix}`;
}

const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** The experiment run on `seeds` seeds (default its own) over the bound, or null. */
export function experimentWorkProblem(x: Shape & Pick<Experiment, 'seeds' | 'strategies'>, seeds = x.seeds): WorkProblem | null {
  const strategies = x.strategies.length;
  const perJob = stepsPerJob(x);
  const total = worstCaseSteps(x, seeds, strategies);
  if (total <= RL_BOUNDS.agentSteps) return null;
  const what = `${plural(seeds, 'seed', 'seeds')} × ${plural(strategies, 'strategy', 'strategies')} × ${formatCount(perJob)} steps per job, the Σ over environments of episode cap × step cap`;
  const fewest = Math.floor(RL_BOUNDS.agentSteps / (strategies * perJob));
  if (fewest >= 1) return { path: ['seeds'], message: overBy(total, what, `reduce seeds to at most ${formatCount(fewest)}`) };
  // Even one seed is over: the heaviest environment's larger factor is the one to cut.
  let k = 0;
  x.environments.forEach((env, i) => {
    const heaviest = x.environments[k]!;
    if ((env.episodes ?? x.episodes) * env.maze.stepCap > (heaviest.episodes ?? x.episodes) * heaviest.maze.stepCap) k = i;
  });
  const env = x.environments[k]!;
  const episodes = env.episodes ?? x.episodes;
  const path = episodes >= env.maze.stepCap ? (env.episodes === undefined ? ['episodes'] : ['environments', k, 'episodes']) : ['environments', k, 'maze', 'stepCap'];
  const fix = `even one seed is over it: reduce environment '${env.id}''s episode cap (${formatCount(episodes)}) or step cap (${formatCount(env.maze.stepCap)}), or the number of strategies or environments`;
  return { path, message: overBy(total, what, fix) };
}

/** `workbench tune`'s sweep (every candidate on the tuning seeds) over the bound, or null. */
export function tuningWorkProblem(x: Shape, tuning: Pick<Tuning, 'seeds' | 'budget' | 'spaces'>): WorkProblem | null {
  const spaces = Object.keys(tuning.spaces).length;
  const candidates = spaces * tuning.budget;
  const total = worstCaseSteps(x, tuning.seeds, candidates);
  if (total <= RL_BOUNDS.agentSteps) return null;
  const what = `${plural(tuning.seeds, 'tuning seed', 'tuning seeds')} × ${plural(candidates, 'candidate', 'candidates')} (budget ${formatCount(tuning.budget)} × ${plural(spaces, 'tuned strategy', 'tuned strategies')}) × ${formatCount(stepsPerJob(x))} steps per job`;
  const budget = Math.floor(RL_BOUNDS.agentSteps / (tuning.seeds * spaces * stepsPerJob(x)));
  const fix = budget >= 1 ? `reduce the budget to at most ${formatCount(budget)} (or the tuning seeds)` : 'reduce the tuning seeds, or the episode or step caps of the environments';
  return { path: budget >= 1 ? ['budget'] : ['seeds'], message: overBy(total, what, fix) };
}
