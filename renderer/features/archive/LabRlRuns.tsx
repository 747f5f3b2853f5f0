/**
 * The Lab view's RL experiments (#16): every PC's published RL runs, with the PC, the user and the
 * device each ran on, opened read-only — the comparison, learning curves, per-episode replay and
 * per-episode CSV as the RL page gives this PC's runs, read from the lab archive.
 */
import '../../styles/rl.css';
import { useState } from 'react';
import type { LabRlRunSummary } from '../../../shared/contract/areas/lab';
import { devicePlaceText } from '../../../shared/lab/device-place';
import { useRequest } from '../../api/context';
import { ComparisonTable } from '../rl/ComparisonTable';
import { registerStrategyColors } from '../rl/colors';
import { EpisodesCsvButton } from '../rl/EpisodesCsvButton';
import { ReplayPanel } from '../rl/ReplayPanel';
import { ResultCharts } from '../rl/ResultCharts';
import { shortTitle } from '../rl/summary';
import { LabListTable, OriginCells } from './LabListTable';
import { usePagedRequest } from './paging';
import { Result } from './RlRuns';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

export function LabRlRuns() {
  const [search, setSearch] = useState('');
  const [openId, setOpenId] = useState<string | null>(null);
  const query = search.trim() === '' ? {} : { search: search.trim() };
  const { list, total, offset, setOffset } = usePagedRequest('lab.rlRuns', query);

  return (
    <div data-testid="lab-rl-runs">
      <div className="archive-filters">
        <input type="search" placeholder="Search name, PC, user…" aria-label="Search the lab's RL runs" value={search} onChange={(e) => setSearch(e.target.value)} />
      </div>
      <LabListTable
        state={list}
        loading="Loading the lab’s RL runs…"
        label="Lab RL runs"
        wrapClassName="archive-table-wrap archive-rl-wrap"
        columns={['Name', 'PC', 'User', 'Device', 'Status', 'Environments', { key: 'Seeds', title: 'Seeds', num: true }, 'Result (under test vs baseline)', 'Created']}
        items={(v) => v.runs}
        row={(r) => (
          <tr key={r.id} className={r.id === openId ? 'current' : undefined} data-lab-rl-run-id={r.id}>
            <td title={r.name}>
              <a href="#/archive?source=lab&view=rl" onClick={(e) => (e.preventDefault(), setOpenId(r.id))}>
                {r.name}
              </a>
            </td>
            <OriginCells item={r} />
            <td>
              <span className={`status status-${r.status === 'cancelled' ? 'stopped' : r.status}`}>{r.status}</span>
            </td>
            <td>
              <div className="archive-rl-list">{r.run.environments.map((e) => shortTitle(e.title)).join(', ')}</div>
            </td>
            <td className="num mono">{r.run.seeds.length}</td>
            <td>
              <Result run={r.run} />
            </td>
            <td className="mono archive-small">{new Date(r.createdAt).toLocaleString()}</td>
          </tr>
        )}
        empty={search ? 'No lab RL runs match.' : 'No RL runs in the lab yet: each PC’s ended RL runs appear here once published.'}
        pager={{ offset, total, setOffset, testId: 'lab-rl-range' }}
      />
      {openId && <LabRlRunPanel key={openId} id={openId} />}
    </div>
  );
}

/** A lab RL run, read-only: who and where, then per environment the comparison and the curves. */
function LabRlRunPanel({ id }: { id: string }) {
  const got = useRequest('lab.rlRun', { id }, [id]);
  const [envId, setEnvId] = useState<string | null>(null);
  const [plotted, setPlotted] = useState<Set<string> | null>(null);
  if (got.status === 'ready') registerStrategyColors(got.value.summary.run.strategies);
  if (got.status === 'loading') return <p className="loading">Loading the RL run…</p>;
  if (got.status === 'error') return <p className="error-text">{got.error.message}</p>;
  const { summary, comparison, partial, appVersion, host, experiment, jobs } = got.value;
  const run = summary.run;
  const stored = new Set(jobs.map((j) => `${j.environmentId}:${j.strategyId}:${j.seed}`));
  const primary = (experiment.comparison as { primary?: string } | undefined)?.primary ?? run.strategies[0]?.id ?? '';
  const env = run.environments.find((e) => e.id === envId) ?? run.environments[0];
  const shown = plotted ?? new Set(run.strategies.map((s) => s.id));
  const togglePlot = (sid: string, on: boolean) => {
    const next = new Set(shown);
    if (on) next.add(sid);
    else next.delete(sid);
    setPlotted(next);
  };
  const c = comparison.find((x) => x.environmentId === env?.id) ?? null;
  return (
    <article className="run-detail" aria-label="Lab RL run" data-testid="lab-rl-run-detail">
      <div className="run-detail-head">
        <h2>{summary.name}</h2>
        <span className={`status status-${summary.status === 'cancelled' ? 'stopped' : summary.status}`}>{summary.status}</span>
        <span className="muted">
          read-only: made on {summary.pcName} by {summary.userName}
        </span>
        <span className="spacer" />
        <EpisodesCsvButton runId={id} source="lab" />
      </div>
      <LabProvenance summary={summary} extra={[['Seeds', `${run.seeds.length} (${run.seeds[0] ?? '—'}–${run.seeds[run.seeds.length - 1] ?? '—'})`], ['App', `${appVersion} on ${host}`]]} />
      {run.environments.length > 1 && (
        <div className="rl-tabs" role="tablist" aria-label="Environment">
          {run.environments.map((e) => (
            <button key={e.id} type="button" role="tab" aria-selected={e.id === env?.id} className={e.id === env?.id ? 'active' : ''} onClick={() => setEnvId(e.id)}>
              {e.title}
            </button>
          ))}
        </div>
      )}
      {env && (
        <div className="rl-result-body">
          <div className="rl-result-main">
            {c ? <ComparisonTable c={c} partial={partial} curves={{ plotted: shown, onTogglePlot: togglePlot }} /> : <p className="muted">No job of this environment reached the lab.</p>}
            <ResultCharts runId={id} environmentId={env.id} strategies={run.strategies.filter((s) => shown.has(s.id))} version={0} source="lab" />
          </div>
          <ReplayPanel
            runId={id}
            environmentId={env.id}
            episodes={env.episodes}
            strategies={run.strategies}
            seeds={run.seeds}
            initialStrategy={primary}
            stored={(s, seed) => stored.has(`${env.id}:${s}:${seed}`)}
            version={0}
            source="lab"
          />
        </div>
      )}
    </article>
  );
}

/** PC, user, device (sample › chip › device, crossbar coordinates) and dates of a lab run or RL run. */
function LabProvenance({ summary, extra = [] }: { summary: Pick<LabRlRunSummary, 'pcName' | 'userName' | 'device' | 'createdAt' | 'endedAt' | 'publishedAt'>; extra?: [string, string][] }) {
  return (
    <dl className="provenance">
      <dt>PC</dt>
      <dd data-testid="lab-run-pc">{summary.pcName}</dd>
      <dt>User</dt>
      <dd data-testid="lab-run-user">{summary.userName}</dd>
      <dt>Device</dt>
      <dd data-testid="lab-run-device">{devicePlaceText(summary.device) || '—'}</dd>
      {extra.map(([k, v]) => [<dt key={`${k}:t`}>{k}</dt>, <dd key={`${k}:d`}>{v}</dd>])}
      <dt>Created</dt>
      <dd>{when(summary.createdAt)}</dd>
      <dt>Ended</dt>
      <dd>{when(summary.endedAt)}</dd>
      <dt>Published</dt>
      <dd>{when(summary.publishedAt)}</dd>
    </dl>
  );
}
