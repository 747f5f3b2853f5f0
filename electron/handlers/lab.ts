import type { Handlers } from '../router';
import { getLabRun, labRunSamples, listLabRuns } from '../services/lab/browse';
import { exportRun } from '../services/runs';
import type { RunDetail } from '../services/store';
import type { HandlerContext } from './context';

type LabHandlers = Pick<Handlers, 'lab.status' | 'lab.states' | 'lab.publish' | 'lab.runs' | 'lab.run' | 'lab.samples' | 'lab.export' | 'lab.configure'>;

/** A lab run's detail as its PC recorded it, owner-less (it ended), read-only here. */
function asRunDetail(detail: Record<string, unknown>): RunDetail {
  return { ...(detail as unknown as RunDetail), owner: null };
}

export function labHandlers({ lab }: HandlerContext): LabHandlers {
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
    'lab.export': ({ id, format }) =>
      lab.withClient('Could not export the lab run', async (c) => {
        const run = await getLabRun(c, id);
        return exportRun(asRunDetail(run.detail), await labRunSamples(c, id), format);
      }),
    'lab.configure': (input) => lab.configure(input),
  };
}
