import type { Experiment, Job } from '../../../shared/rl';

/** Seed-major order: every strategy shows up on the live curves from the first seed on. */
export function seedMajorJobs(x: Experiment, seeds: readonly number[]): Job[] {
  return seeds.flatMap((seed) => x.environments.flatMap((env) => x.strategies.map((s) => ({ environmentId: env.id, strategyId: s.id, seed }))));
}

/**
 * A run's name when none is given. It starts with the head of the experiment's title ("Our
 * experiment after the paper") rather than its id: "paper: 15 strategies …" read as the paper's
 * own run, when every parameter of it is ours.
 */
export function defaultName(x: Pick<Experiment, 'name' | 'title' | 'strategies' | 'environments'>, seeds: number): string {
  const head = x.title.split(':')[0]!.trim();
  const what = head !== '' && head.length <= 80 ? head : x.name;
  return `${what}: ${x.strategies.length} strateg${x.strategies.length === 1 ? 'y' : 'ies'} × ${x.environments.length} environment${x.environments.length === 1 ? '' : 's'} × ${seeds} seed${seeds === 1 ? '' : 's'}`;
}
