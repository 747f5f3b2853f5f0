import { problemsUnder, summarizeProblems } from '../../shared/contract';
import type { RlComparison, RlEpisodes, RlPath, RlRunSummary, rlRequests } from '../../shared/contract/areas/rl';
import { parseExperiment, type EpisodeTrace, type Experiment } from '../../shared/rl';
import type { Handlers } from '../router';
import { ServiceError } from '../services/errors';
import { bandOf, comparisonOf, listShippedExperiments, replayEpisode, rlEpisodesCsv, successRateOf, type RlManager } from '../services/rl';
import type { RlRunRecord, Store } from '../services/store';
import type { HandlerContext } from './context';
import { startOnConnected } from './rl-device';

type RlHandlers = Pick<Handlers, keyof typeof rlRequests>;

export function summaryOf(r: RlRunRecord): RlRunSummary {
  return {
    id: r.id,
    experimentId: r.experimentId,
    name: r.name,
    definitionName: r.definitionName,
    title: r.title,
    status: r.status,
    message: r.message,
    seeds: r.seeds,
    jobsDone: r.jobsDone,
    jobsTotal: r.jobsTotal,
    environments: r.environments,
    strategies: r.strategies,
    comparison: r.comparison as RlComparison[] | null,
    hardware: r.hardware !== null && r.hardware !== undefined,
    createdAt: r.createdAt,
    endedAt: r.endedAt,
    wallSeconds: r.wallSeconds,
  };
}

function definition(store: Store, id: string): { record: RlRunRecord; experiment: Experiment } {
  const run = store.rlRuns.get(id);
  return { record: run, experiment: run.config };
}

export function checkIds(experiment: Experiment, environment: string, strategy: string): void {
  if (!experiment.environments.some((e) => e.id === environment)) {
    throw new ServiceError('not_found', `This RL run has no environment '${environment}' (it has ${experiment.environments.map((e) => e.id).join(', ')}).`);
  }
  if (!experiment.strategies.some((s) => s.id === strategy)) {
    throw new ServiceError('not_found', `This RL run has no strategy '${strategy}' (it has ${experiment.strategies.map((s) => s.id).join(', ')}).`);
  }
}

/**
 * `rl.episodes`' answer from stored traces (this PC's, or a lab run's): one seed's traces, or the
 * median and IQR across the seeds given.
 */
export function episodesReply(traces: readonly { seed: number; trace: EpisodeTrace }[], environment: string, strategy: string, seed: number | undefined): RlEpisodes {
  if (seed !== undefined) {
    const one = traces[0];
    if (!one) throw new ServiceError('not_found', `Seed ${seed} of '${strategy}' on '${environment}' has not been stored in this RL run.`);
    const t = one.trace;
    return {
      kind: 'seed' as const,
      environmentId: environment,
      strategyId: strategy,
      seed,
      length: t.steps.length,
      steps: t.steps,
      returns: t.returns,
      alpha: t.alpha,
      conductance: t.conductance,
      success: t.success,
      greedyLength: t.greedyLength,
    };
  }
  const length = traces.reduce((m, t) => Math.max(m, t.trace.steps.length), 0);
  const of = (pick: (t: EpisodeTrace) => ArrayLike<number>) => bandOf(traces.map((t) => pick(t.trace)), length);
  return {
    kind: 'aggregate' as const,
    environmentId: environment,
    strategyId: strategy,
    seeds: traces.map((t) => t.seed),
    length,
    steps: of((t) => t.steps),
    returns: of((t) => t.returns),
    alpha: of((t) => t.alpha),
    conductance: of((t) => t.conductance),
    successRate: successRateOf(
      traces.map((t) => t.trace),
      length,
    ),
  };
}

/**
 * `rl.path`'s answer (this PC's run, or a lab run's): episode `episode` of the job replayed with the
 * stored trace's learning rates by replayEpisode, the one replay there is. `trace` undefined: the
 * job is not stored; `method` names the request in a refusal.
 */
export function pathReply(experiment: Experiment, q: { environment: string; strategy: string; seed: number; episode: number }, trace: EpisodeTrace | undefined, method = 'rl.path'): RlPath {
  const { environment, strategy, seed, episode } = q;
  if (!trace) throw new ServiceError('not_found', `Seed ${seed} of '${strategy}' on '${environment}' has not been stored in this RL run.`);
  const n = trace.steps.length;
  if (episode >= n) throw new ServiceError('invalid_request', `${method}: episode must be from 0 to ${n - 1} (got ${episode})`, { problems: [{ path: 'episode', message: `must be from 0 to ${n - 1}` }] });
  const r = replayEpisode(experiment, { environmentId: environment, strategyId: strategy, seed }, trace, episode);
  return {
    environmentId: environment,
    strategyId: strategy,
    seed,
    episode,
    layout: r.layout,
    rows: r.rows,
    cols: r.cols,
    phase: r.phase,
    path: r.path,
    steps: r.steps,
    return: r.return,
    success: r.success,
    alpha: r.alpha,
    conductance: Number.isFinite(r.conductance) ? r.conductance : null,
    greedy: r.greedy,
    greedyPath: r.greedyPath,
    greedyReachesGoal: r.greedyReachesGoal,
    matchesStored: r.matchesStored,
  };
}

export function rlHandlers(ctx: HandlerContext): RlHandlers {
  const { store, rl, logger } = ctx;
  const manager: RlManager = rl;
  const presetLog = logger.child('rl');
  const log = (file: string, why: string) => presetLog.warn(`${file} is not a valid experiment and is not offered: ${why}`);

  return {
    'rl.presets': () => listShippedExperiments(log),

    'rl.start': async ({ experiment, seeds, name, experimentId, hardware, deviceId }) => {
      const parsed = parseExperiment(experiment);
      if (!parsed.ok) {
        throw new ServiceError('invalid_request', `rl.start: ${summarizeProblems(parsed.problems)}`, { problems: problemsUnder('experiment', parsed.problems) });
      }
      const started = hardware
        ? await startOnConnected(ctx, { experiment: parsed.experiment, seeds, name, experimentId, hardware, deviceId })
        : manager.start({ experiment: parsed.experiment, seeds, name, experimentId, ...(deviceId ? { deviceId } : {}) });
      return { rlRunId: started.id };
    },

    'rl.cancel': async ({ id }) => {
      const run = await manager.cancel(id);
      return { id, status: run.status };
    },

    'rl.list': ({ limit, offset, ...filter }) => ({
      runs: store.rlRuns.list({ ...filter, limit, offset }).map(summaryOf),
      total: store.rlRuns.count(filter),
    }),

    'rl.rename': ({ id, name }) => summaryOf(store.rlRuns.rename(id, name)),

    'rl.active': () => {
      const id = manager.activeId;
      if (id === null) return { run: null, progress: null, device: null };
      return { run: summaryOf(store.rlRuns.get(id)), progress: manager.progress(), device: manager.deviceState() };
    },

    'rl.get': ({ id }) => {
      const run = store.rlRuns.get(id);
      const jobs = store.rlRuns.jobs(id);
      const comparison = run.status !== 'running' && run.comparison !== null ? (run.comparison as RlComparison[]) : comparisonOf(run.config, jobs);
      return {
        run: summaryOf(run),
        experiment: run.config as unknown as Record<string, unknown>,
        comparison,
        partial: jobs.length < run.jobsTotal,
        jobs: jobs.map((j) => ({
          environmentId: j.environmentId,
          strategyId: j.strategyId,
          seed: j.seed,
          episodes: j.episodes,
          trainingIterations: j.trainingIterations,
          converged: j.converged,
        })),
        hardware: run.hardware,
        appVersion: run.appVersion,
        host: run.host,
      };
    },

    'rl.episodes': ({ id, strategy, environment, seed }) => {
      const { experiment } = definition(store, id);
      checkIds(experiment, environment, strategy);
      return episodesReply(store.rlRuns.traces(id, environment, strategy, seed), environment, strategy, seed);
    },

    'rl.path': ({ id, ...q }) => {
      const { experiment } = definition(store, id);
      checkIds(experiment, q.environment, q.strategy);
      return pathReply(experiment, q, store.rlRuns.traces(id, q.environment, q.strategy, q.seed)[0]?.trace);
    },

    'rl.export': async ({ id }) => {
      const run = store.rlRuns.get(id);
      return rlEpisodesCsv(run, (environment, strategy) => store.rlRuns.traces(id, environment, strategy));
    },

    'rl.delete': ({ id }) => {
      if (manager.activeId === id) throw new ServiceError('conflict', 'This RL run is running; cancel it before deleting it.');
      return store.rlRuns.delete(id);
    },
  };
}
