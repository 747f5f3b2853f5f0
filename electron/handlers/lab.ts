import { problemsUnder, summarizeProblems } from '../../shared/contract';
import type { RlComparison } from '../../shared/contract/areas/rl';
import type { labRequests, LabSweepReplay, LabSweepSummary } from '../../shared/contract/areas/lab';
import { parseExperiment, type Experiment } from '../../shared/rl';
import type { Handlers } from '../router';
import { getLabRlRun, getLabRlRunRecord, getLabRun, labReplayTrace, labRlTraces, labRunSamples, listLabRlRuns, listLabRuns, type LabRlRunSummary } from '../services/lab/browse';
import { comparisonOf, presentComparison, rlEpisodesCsv } from '../services/rl';
import { labIdentityOf } from '../services/lab/publish';
import { readSweep, type SweepReport } from '../services/lab-queue/results';
import { listLabSweeps } from '../services/lab-queue/sweep-list';
import { sweepExperiment, sweepJobs, sweepReplayTrace, sweepTraces } from '../services/lab-queue/sweep-traces';
import { listLabInstruments } from '../services/lab-queue/instruments';
import { submitRlSweep, submitSimulationSweep } from '../services/lab-queue/submit';
import { ServiceError } from '../services/errors';
import { exportRun } from '../services/runs';
import type { RlJobSummary, RlRunDetail, RunDetail } from '../services/store';
import type { HandlerContext } from './context';
import { checkIds, episodesReply, pathReply, summaryOf } from './rl';
import { simulationSpecFromRequest } from './lab-simulation';

type LabHandlers = Pick<Handlers, keyof typeof labRequests>;

/** A lab RL run's list entry: who and where, and the run summarised as this PC's RL list does. */
function rlListItem(r: LabRlRunSummary) {
  const { detail, ...rest } = r;
  return { ...rest, run: summaryOf(detail as unknown as RlRunDetail) };
}

/** A lab run's detail as its PC recorded it, owner-less (it ended), read-only here. */
function asRunDetail(detail: Record<string, unknown>): RunDetail {
  return { ...(detail as unknown as RunDetail), owner: null };
}

/** A sweep report as the contract carries it: the list entry, workers busiest first. */
function sweepReply(r: SweepReport, experiment: Experiment | null, jobs: LabSweepReplay['jobs']) {
  const summary: LabSweepSummary = {
    id: r.sweepId,
    kind: r.kind as LabSweepSummary['kind'],
    title: r.title,
    seeds: r.seeds,
    instrument: r.instrument,
    pcName: r.submittedBy.pcName,
    userName: r.submittedBy.userName,
    submittedAt: r.submittedBy.at,
    total: r.total,
    done: r.done,
    failed: r.failed.length,
  };
  return {
    summary,
    queue: r.queue,
    byWorker: Object.entries(r.byWorker)
      .map(([worker, jobs]) => ({ worker, jobs }))
      .sort((a, b) => b.jobs - a.jobs || a.worker.localeCompare(b.worker)),
    failures: r.failed,
    onInstrument: r.onInstrument,
    comparison: r.comparison && experiment ? presentComparison(experiment, r.comparison) : null,
    runs: r.runs ?? null,
    replay: experiment && replayOf(experiment, jobs),
  };
}

/** An RL sweep's environments, strategies and seeds as the replay panel offers them, with its finished jobs. */
function replayOf(x: Experiment, jobs: LabSweepReplay['jobs']): LabSweepReplay {
  return {
    environments: x.environments.map((e) => ({ id: e.id, title: e.title, episodes: e.episodes ?? x.episodes })),
    strategies: x.strategies.map((s) => ({ id: s.id, name: s.name, ...(s.color === undefined ? {} : { color: s.color }) })),
    seeds: [...new Set(jobs.map((j) => j.seed))].sort((a, b) => a - b),
    primary: x.comparison.primary,
    jobs,
  };
}

export function labHandlers({ lab, store }: HandlerContext): LabHandlers {
  return {
    'lab.status': () => lab.status(),
    'lab.states': ({ kind, ids }) => lab.states(kind, ids),
    'lab.publish': async () => {
      const r = await lab.publishNow();
      if (r === null) return { published: 0, failed: 0, pending: lab.status().counts.pending, stopped: lab.status().problem ?? 'no lab archive is configured' };
      return { published: r.published.length, failed: r.failed.length, pending: r.pending, stopped: r.stopped };
    },
    'lab.runs': (q) => lab.withClient('Could not list the lab runs', (c) => listLabRuns(c, q)),
    'lab.run': ({ id }) =>
      lab.withClient('Could not read the lab run', async (c) => {
        const { detail, ...summary } = await getLabRun(c, id);
        return { summary, detail: asRunDetail(detail) };
      }),
    'lab.samples': ({ id, from, to }) =>
      lab.withClient('Could not read the lab run’s samples', async (c) => {
        const run = await getLabRun(c, id);
        const columns = await labRunSamples(c, id, { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) });
        const start = Math.min(from ?? 0, run.sampleCount);
        return { runId: id, from: start, to: start + columns.length, total: run.sampleCount, columns };
      }),
    'lab.rlRuns': (q) =>
      lab.withClient('Could not list the lab RL runs', async (c) => {
        const list = await listLabRlRuns(c, q);
        return { runs: list.runs.map(rlListItem), total: list.total };
      }),
    'lab.rlRun': ({ id }) =>
      lab.withClient('Could not read the lab RL run', async (c) => {
        const { jobs, ...found } = await getLabRlRun(c, id);
        const record = found.detail as unknown as RlRunDetail;
        const comparison = (record.comparison as RlComparison[] | null) ?? comparisonOf(record.config, jobs as unknown as RlJobSummary[]);
        return {
          summary: rlListItem(found),
          experiment: record.config as unknown as Record<string, unknown>,
          comparison,
          partial: jobs.length < record.jobsTotal,
          jobs: jobs.map(({ phases: _phases, ...j }) => j),
          appVersion: record.appVersion,
          host: record.host,
        };
      }),
    'lab.rlEpisodes': ({ id, strategy, environment, seed }) =>
      lab.withClient('Could not read the lab RL run’s episodes', async (c) => {
        const run = await getLabRlRun(c, id);
        checkIds((run.detail as unknown as RlRunDetail).config, environment, strategy);
        return episodesReply(await labRlTraces(c, id, environment, strategy, seed), environment, strategy, seed);
      }),
    'lab.rlPath': ({ id, ...q }) =>
      lab.withClient('Could not replay the lab RL run’s episode', async (c) => {
        const { config } = (await getLabRlRunRecord(c, id)).detail as unknown as RlRunDetail;
        checkIds(config, q.environment, q.strategy);
        return pathReply(config, q, await labReplayTrace(c, id, q.environment, q.strategy, q.seed), 'lab.rlPath');
      }),
    'lab.rlExport': ({ id }) =>
      lab.withClient('Could not export the lab RL run', async (c) => {
        const run = await getLabRlRunRecord(c, id);
        const { config } = run.detail as unknown as RlRunDetail;
        return rlEpisodesCsv({ id, name: run.name, config }, (environment, strategy) => labRlTraces(c, id, environment, strategy));
      }),
    'lab.export': ({ id, format }) =>
      lab.withClient('Could not export the lab run', async (c) => {
        const run = await getLabRun(c, id);
        return exportRun(asRunDetail(run.detail), await labRunSamples(c, id), format);
      }),
    'lab.sweeps': (page) => lab.withClient('Could not list the lab’s sweeps', (c) => listLabSweeps(c, page)),
    'lab.sweep': async ({ id }) => {
      const { report, experiment } = await readSweep(lab.requireConfig(), id);
      const jobs = experiment ? await lab.withClient('Could not read the sweep’s jobs', (c) => sweepJobs(c, id)) : [];
      return sweepReply(report, experiment, jobs);
    },
    'lab.sweepPath': ({ id, ...q }) =>
      lab.withClient('Could not replay the sweep job’s episode', async (c) => {
        const { experiment } = await sweepExperiment(c, id);
        checkIds(experiment, q.environment, q.strategy);
        return pathReply(experiment, q, await sweepReplayTrace(c, id, q.environment, q.strategy, q.seed), 'lab.sweepPath');
      }),
    'lab.sweepExport': ({ id }) =>
      lab.withClient('Could not export the sweep', async (c) => {
        const { experiment, title } = await sweepExperiment(c, id);
        return rlEpisodesCsv({ id, name: title, config: experiment }, (environment, strategy) => sweepTraces(c, id, environment, strategy));
      }),
    'lab.submitRl': async ({ experiment, seeds, instrument }) => {
      const config = lab.requireConfig();
      const parsed = parseExperiment(experiment);
      if (!parsed.ok) {
        throw new ServiceError('invalid_request', `lab.submitRl: ${summarizeProblems(parsed.problems)}`, { problems: problemsUnder('experiment', parsed.problems) });
      }
      const { pcName, userName } = labIdentityOf(store);
      const sweep = await submitRlSweep(config, { spec: JSON.stringify(experiment, null, 2), ...(seeds === undefined ? {} : { seeds }), ...(instrument === undefined ? {} : { instrument }), pcName, userName });
      return { sweepId: sweep.sweepId, title: sweep.title, jobs: sweep.jobs, seeds: sweep.seeds, queue: sweep.queue, instrument: instrument ?? null };
    },
    'lab.instruments': () => lab.withClient('Could not list the lab’s instruments', async (c) => ({ instruments: await listLabInstruments(c) })),
    'lab.submitSimulation': async (input) => {
      const config = lab.requireConfig();
      // Checked whole before the lab is asked anything: a refused sweep submits nothing.
      const spec = simulationSpecFromRequest({ store }, input);
      const { pcName, userName } = labIdentityOf(store);
      const sweep = await submitSimulationSweep(config, { spec, pcName, userName });
      return { sweepId: sweep.sweepId, title: sweep.title, jobs: sweep.jobs, points: sweep.points, seeds: sweep.seeds, queue: sweep.queue };
    },
    'lab.configure': (input) => lab.configure(input),
  };
}
