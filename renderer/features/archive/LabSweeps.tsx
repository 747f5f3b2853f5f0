/**
 * The Lab view's sweeps (#16): every sweep on the lab's job queue with its progress, and one opened
 * — its jobs by worker, its failures with their reasons and, once every job is done, the RL
 * comparison (the RL page's table), the replay of its jobs' episodes and their per-episode CSV, or
 * the simulation sweep's runs. Sweeps run on other PCs, so an
 * unfinished one is looked at again every few seconds. "New simulation sweep…" submits one from here.
 */
import '../../styles/rl.css';
import { useEffect, useState } from 'react';
import type { LabSweepReplay, LabSweepSummary } from '../../../shared/contract/areas/lab';
import { useRequest } from '../../api/context';
import { navigate, useHashRoute } from '../../app/use-hash-route';
import { ComparisonTable } from '../rl/ComparisonTable';
import { registerStrategyColors } from '../rl/colors';
import { EpisodesCsvButton } from '../rl/EpisodesCsvButton';
import { ReplayPanel } from '../rl/ReplayPanel';
import { LabListTable } from './LabListTable';
import { usePagedRequest } from './paging';
import { SimulationSweepForm, type SubmittedSimulation } from './SimulationSweepForm';

/** How often an unfinished sweep is read again (ours): workers write a result every few seconds. */
const REFRESH_MS = 5_000;

const finished = (s: LabSweepSummary) => s.done + s.failed >= s.total;
const kindText = (k: LabSweepSummary['kind']) => (k === 'simulation' ? 'Simulation' : 'RL comparison');

/** Calls reload every REFRESH_MS while `active`. */
function useRefreshWhile(active: boolean, reload: () => void) {
  useEffect(() => {
    if (!active) return undefined;
    const t = setInterval(reload, REFRESH_MS);
    return () => clearInterval(t);
  }, [active, reload]);
}

function SweepProgress({ s }: { s: LabSweepSummary }) {
  return (
    <div className="rl-progress lab-sweep-progress">
      <progress value={s.done} max={Math.max(1, s.total)} aria-label={`Progress of ${s.title}`} />
      <span className="mono">
        {s.done}/{s.total} jobs
      </span>
      {s.failed > 0 && <span className="error-text">{s.failed} failed</span>}
    </div>
  );
}

export function LabSweeps() {
  const route = useHashRoute('archive');
  // A sweep named in the address (#/archive?source=lab&view=sweeps&sweep=ID) opens; ?simulate=CHOICE opens the form with that protocol.
  const [openId, setOpenId] = useState<string | null>(route.params.get('sweep'));
  const asked = route.params.get('simulate');
  const [formOpen, setFormOpen] = useState(asked !== null);
  const [submitted, setSubmitted] = useState<SubmittedSimulation | null>(null);
  const { list, total, offset, setOffset } = usePagedRequest('lab.sweeps', {});
  useRefreshWhile(list.status === 'ready' && list.value.sweeps.some((s) => !finished(s)), list.reload);
  useEffect(() => setOpenId(route.params.get('sweep')), [route]);

  const onSubmitted = (s: SubmittedSimulation) => {
    setFormOpen(false);
    setSubmitted(s);
    setOffset(0);
    list.reload();
    // Straight to the new sweep: it is the newest, first in the list, and opened below it.
    navigate('archive', { source: 'lab', view: 'sweeps', sweep: s.sweepId });
  };

  return (
    <div data-testid="lab-sweeps">
      <div className="lab-sweeps-intro">
        <p className="muted">
          Sweeps submitted to the lab’s job queue (from here, the RL page, or <code>workbench submit</code>). <code>workbench worker --lab</code> on the lab’s PCs runs their jobs.
        </p>
        {!formOpen && (
          <button type="button" className="small" onClick={() => (setFormOpen(true), setSubmitted(null))}>
            New simulation sweep…
          </button>
        )}
      </div>
      {formOpen && <SimulationSweepForm initialProtocol={asked} onSubmitted={onSubmitted} onCancel={() => setFormOpen(false)} />}
      {submitted && (
        <p className="notice" role="status" data-testid="lab-sim-submitted">
          Submitted simulation sweep “{submitted.title}”: {submitted.jobs} runs ({submitted.points} grid point{submitted.points === 1 ? '' : 's'} × {submitted.seeds} seed{submitted.seeds === 1 ? '' : 's'}). Run <code>workbench worker --lab</code> on the lab’s PCs to run it.
        </p>
      )}
      <LabListTable
        state={list}
        loading="Loading the lab’s sweeps…"
        label="Lab sweeps"
        wrapClassName="archive-table-wrap archive-rl-wrap"
        columns={['Title', 'Kind', 'Submitted from', 'User', 'Submitted', { key: 'Seeds', title: 'Seeds', num: true }, 'Progress', { key: 'Jobs done', title: 'Jobs done', num: true }]}
        items={(v) => v.sweeps}
        row={(s) => (
          <tr key={s.id} className={s.id === openId ? 'current' : undefined} data-lab-sweep-id={s.id}>
            <td title={s.title}>
              <div className="lab-sweep-title">
                <a href={`#/archive?source=lab&view=sweeps&sweep=${s.id}`} onClick={(e) => (e.preventDefault(), setOpenId(s.id))}>
                  {s.title}
                </a>
              </div>
            </td>
            <td>
              {kindText(s.kind)}
              {s.instrument && <span className="muted"> on {s.instrument}</span>}
            </td>
            <td title={s.pcName}>{s.pcName}</td>
            <td>{s.userName}</td>
            <td className="mono archive-small">{new Date(s.submittedAt).toLocaleString()}</td>
            <td className="num mono">{s.seeds}</td>
            <td>
              <progress className="lab-sweep-bar" value={s.done} max={Math.max(1, s.total)} aria-label={`Progress of ${s.title}`} />
            </td>
            <td className="num mono">
              {s.done}/{s.total}
              {s.failed > 0 && <span className="error-text"> · {s.failed} failed</span>}
            </td>
          </tr>
        )}
        empty={
          <>
            No sweeps in the lab yet: start a simulation sweep here (New simulation sweep…), submit an RL comparison from the RL page (Submit to the lab…), or use <code>workbench submit</code>.
          </>
        }
        pager={{ offset, total, setOffset, testId: 'lab-sweeps-range' }}
      />
      {openId && <LabSweepPanel key={openId} id={openId} />}
    </div>
  );
}

/**
 * An RL sweep's episodes: the replay panel of the lab's RL runs on any finished job (from the
 * traces its worker kept) and the per-episode CSV. Jobs of a worker older than lab schema 6 have
 * no traces: said, for each such job and above the panel, never replayed.
 */
function SweepReplay({ sweepId, replay, environmentId }: { sweepId: string; replay: LabSweepReplay; environmentId: string }) {
  const env = replay.environments.find((e) => e.id === environmentId);
  const jobs = new Map(replay.jobs.map((j) => [`${j.environmentId}:${j.strategyId}:${j.seed}`, j.traces]));
  const without = replay.jobs.filter((j) => !j.traces).length;
  const withTraces = replay.jobs.length - without;
  if (!env || replay.jobs.length === 0) return null;
  return (
    <section className="lab-sweep-replay" aria-label="Episodes of the sweep’s jobs" data-testid="lab-sweep-replay">
      <div className="run-detail-head">
        <h3>Episodes</h3>
        <span className="spacer" />
        {withTraces > 0 && without === 0 && <EpisodesCsvButton runId={sweepId} source="lab-sweep" />}
      </div>
      {without > 0 && (
        <p className="notice" role="status" data-testid="lab-sweep-no-traces">
          {without === replay.jobs.length
            ? 'This sweep’s jobs were run by workers older than lab schema 6, which kept only the comparison: their episodes cannot be replayed and there is no per-episode CSV.'
            : `${without} of this sweep’s ${replay.jobs.length} finished jobs were run by a worker older than lab schema 6, which kept only the comparison: those cannot be replayed, and the per-episode CSV (which would miss them) is not offered.`}{' '}
          Submit the sweep again for current workers to keep them.
        </p>
      )}
      {withTraces > 0 && (
        <ReplayPanel
          runId={sweepId}
          environmentId={env.id}
          episodes={env.episodes}
          strategies={replay.strategies}
          seeds={replay.seeds}
          initialStrategy={replay.primary}
          stored={(s, seed) => jobs.get(`${env.id}:${s}:${seed}`) === true}
          missing={(s, seed) => (jobs.get(`${env.id}:${s}:${seed}`) === false ? 'This job was run by a worker that kept no per-episode traces.' : 'This job has not finished yet.')}
          version={replay.jobs.length}
          source="lab-sweep"
        />
      )}
    </section>
  );
}

/** One sweep: who submitted it, its progress by worker, its failures, and its comparison or runs. */
function LabSweepPanel({ id }: { id: string }) {
  const got = useRequest('lab.sweep', { id }, [id]);
  const [envId, setEnvId] = useState<string | null>(null);
  const comparison = got.status === 'ready' ? got.value.comparison : null;
  if (got.status === 'ready') registerStrategyColors(got.value.replay?.strategies ?? (comparison?.[0]?.rows ?? []).map((r) => ({ id: r.id })));
  useRefreshWhile(got.status === 'ready' && !finished(got.value.summary), got.reload);
  if (got.status === 'loading') return <p className="loading">Loading the sweep…</p>;
  if (got.status === 'error') return <p className="error-text">{got.error.message}</p>;
  const { summary, queue, byWorker, failures, onInstrument, runs, replay } = got.value;
  const c = comparison?.find((x) => x.environmentId === envId) ?? comparison?.[0] ?? null;
  // Environment tabs: the comparison's once every job is done, the experiment's before (for the replay).
  const tabs = comparison?.map((e) => ({ id: e.environmentId, title: e.title })) ?? replay?.environments ?? [];
  const tab = tabs.find((e) => e.id === envId) ?? tabs[0];
  return (
    <article className="run-detail" aria-label="Lab sweep" data-testid="lab-sweep-detail">
      <div className="run-detail-head">
        <h2>{summary.title}</h2>
        <span className={`status status-${finished(summary) ? (summary.failed > 0 ? 'failed' : 'completed') : 'running'}`}>{finished(summary) ? (summary.failed > 0 ? 'ended with failures' : 'done') : 'in progress'}</span>
        <span className="muted">
          {kindText(summary.kind)} submitted from {summary.pcName} by {summary.userName}
        </span>
      </div>
      <SweepProgress s={summary} />
      <dl className="provenance">
        <dt>Sweep id</dt>
        <dd className="mono">{summary.id}</dd>
        <dt>Queue</dt>
        <dd className="mono">{queue}</dd>
        <dt>Seeds</dt>
        <dd>{summary.seeds}</dd>
        <dt>Submitted</dt>
        <dd>{new Date(summary.submittedAt).toLocaleString()}</dd>
        <dt>By worker</dt>
        <dd data-testid="lab-sweep-workers">{byWorker.length === 0 ? 'no job done yet — start workbench worker --lab on a lab PC' : byWorker.map((w) => `${w.worker}: ${w.jobs}`).join(', ')}</dd>
        {onInstrument.length > 0 && (
          <>
            <dt>On the instrument</dt>
            <dd>
              {onInstrument.length} job(s): {[...new Set(onInstrument.map((j) => j.instrumentIdn))].join('; ')}
            </dd>
          </>
        )}
      </dl>
      {failures.length > 0 && (
        <section aria-label="Failed jobs">
          <h3>Failed for good</h3>
          <ul className="lab-sweep-failures">
            {failures.map((f) => (
              <li key={f.jobId}>
                <span className="mono">{f.jobId}</span> on {f.worker}: <span className="error-text">{f.reason}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {summary.kind === 'rl-comparison' && !comparison && <p className="muted">The comparison appears once every job is done.</p>}
      {tabs.length > 1 && (
        <div className="rl-tabs" role="tablist" aria-label="Environment">
          {tabs.map((e) => (
            <button key={e.id} type="button" role="tab" aria-selected={e.id === tab?.id} className={e.id === tab?.id ? 'active' : ''} onClick={() => setEnvId(e.id)}>
              {e.title}
            </button>
          ))}
        </div>
      )}
      {(c || (replay && tab)) && (
        <div className="rl-result-body">
          {c && (
            <div className="rl-result-main">
              <ComparisonTable c={c} partial={false} />
            </div>
          )}
          {replay && tab && <SweepReplay sweepId={summary.id} replay={replay} environmentId={tab.id} />}
        </div>
      )}
      {runs && (
        <table className="data-table" aria-label="Sweep runs">
          <thead>
            <tr>
              <th>Job</th>
              <th>Grid point</th>
              <th className="num">Seed</th>
              <th>PC</th>
              <th>Worker</th>
              <th className="num">Samples</th>
              <th>Run</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.jobKey}>
                <td className="mono">{r.jobKey}</td>
                <td className="mono">{Object.entries(r.point).map(([k, v]) => `${k}=${v}`).join(' ') || '—'}</td>
                <td className="num mono">{r.seed}</td>
                <td>{r.pcName}</td>
                <td>{r.worker}</td>
                <td className="num mono">{r.sampleCount}</td>
                <td className="mono archive-small" title={`samples hash ${r.samplesHash}`}>
                  {r.runId}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
