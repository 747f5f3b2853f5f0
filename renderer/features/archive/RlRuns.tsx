/**
 * The Archive's RL experiments: every stored RL comparison run with its strategies, environments,
 * seeds and headline result, searchable and filterable in the store (`rl.list`), one page at a
 * time. Open replays it on the RL page (`#/rl?run=<id>`); a run can be renamed, or deleted after
 * one question naming it.
 */
import { useState } from 'react';
import type { RequestOutput } from '../../../shared/contract';
import { rlRunStatuses, type RlRunStatus, type RlRunSummary } from '../../../shared/contract/areas/rl';
import { useHost } from '../../api/context';
import { navigate } from '../../app/use-hash-route';
import type { ConfirmRequest } from '../protocols/ConfirmDialog';
import { LabStateBadge, useLabStates } from './LabPublish';
import { Pager, usePagedRequest } from './paging';
import { reductionText, shortTitle, verdictText } from '../rl/summary';

/** The run's result per environment: the strategy under test against the baseline, and the verdict. */
export function Result({ run }: { run: RlRunSummary }) {
  if (!run.comparison) {
    return <span className="muted">{run.status === 'running' ? `running: ${run.jobsDone} of ${run.jobsTotal} jobs` : '—'}</span>;
  }
  return (
    <ul className="archive-rl-result">
      {run.comparison.map((c) => (
        <li key={c.environmentId} title={`${c.title}\n${c.primary.name} vs ${c.baseline.name} (baseline): ${reductionText(c.reductionPercent)} training iterations (median over seeds)`}>
          <span className="muted">{shortTitle(c.title)}:</span> <span className="mono" data-testid="archive-rl-reduction">{reductionText(c.reductionPercent)}</span>
          {c.verdict !== 'unknown' && <span className={`archive-rl-verdict verdict-${c.verdict}`}>{verdictText(c.verdict)}</span>}
        </li>
      ))}
    </ul>
  );
}

interface Props {
  experiments: RequestOutput<'experiments.list'> | null;
  confirm: (request: ConfirmRequest) => void;
  /** A run was renamed or deleted (the page's counts follow). */
  onChanged: () => void;
}

export function RlRuns({ experiments, confirm, onChanged }: Props) {
  const host = useHost();
  const [search, setSearch] = useState('');
  const [experiment, setExperiment] = useState('');
  const [status, setStatus] = useState<RlRunStatus | ''>('');
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [notice, setNotice] = useState<{ text: string; error?: boolean } | null>(null);

  const filter = {
    ...(search.trim() ? { search: search.trim() } : {}),
    ...(experiment ? { experimentId: experiment } : {}),
    ...(status ? { status } : {}),
  };
  const { list, total, offset, setOffset } = usePagedRequest('rl.list', filter);
  const filtered = Object.keys(filter).length > 0;
  const labStates = useLabStates(list.status === 'ready' ? list.value.runs.map((r) => r.id) : [], 0, 'rl-run');
  const experimentName = (id: string | null) => (id === null ? '—' : (experiments?.find((x) => x.id === id)?.name ?? '—'));
  const fail = (e: unknown) => setNotice({ text: e instanceof Error ? e.message : String(e), error: true });

  const rename = async () => {
    if (!renaming) return;
    try {
      const r = await host.call('rl.rename', { id: renaming.id, name: renaming.name });
      setRenaming(null);
      setNotice({ text: `Renamed to “${r.name}”.` });
      list.reload();
      onChanged();
    } catch (e) {
      fail(e);
    }
  };
  const resume = async (r: RlRunSummary) => {
    setNotice(null);
    try {
      const { rlRunId } = await host.call('rl.resume', { id: r.id });
      onChanged();
      navigate('rl', { run: rlRunId });
    } catch (e) {
      setNotice({ text: `“${r.name}” could not be resumed: ${e instanceof Error ? e.message : String(e)}`, error: true });
    }
  };
  const askDelete = (r: RlRunSummary) =>
    confirm({
      title: `Delete “${r.name}”?`,
      body: (
        <p>
          The RL run and its {r.jobsDone} stored {r.jobsDone === 1 ? 'job' : 'jobs'} — every episode of every seed, {r.strategies.length} strategies × {r.environments.length}{' '}
          environments × {r.seeds.length} seeds — are deleted. This cannot be undone.
        </p>
      ),
      confirm: `Delete “${r.name}”`,
      danger: true,
      onConfirm: () =>
        void host.call('rl.delete', { id: r.id }).then(() => {
          setNotice({ text: `The RL run “${r.name}” was deleted.` });
          list.reload();
          onChanged();
        }, fail),
    });

  return (
    <>
      {notice && (
        <p className={notice.error ? 'error-text notice' : 'notice'} role={notice.error ? 'alert' : 'status'} data-testid="archive-rl-notice">
          {notice.text}
        </p>
      )}
      <div className="archive-filters" role="search" aria-label="Filter RL runs">
        <input type="search" aria-label="Search RL runs" placeholder="Search name, experiment definition…" value={search} onChange={(e) => setSearch(e.target.value)} />
        <select aria-label="Experiment" value={experiment} onChange={(e) => setExperiment(e.target.value)}>
          <option value="">All experiments</option>
          {experiments?.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
            </option>
          ))}
        </select>
        <select aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value as RlRunStatus | '')}>
          <option value="">Any status</option>
          {rlRunStatuses.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        {filtered && (
          <button type="button" className="small" onClick={() => (setSearch(''), setExperiment(''), setStatus(''))}>
            Clear filters
          </button>
        )}
      </div>

      {list.status === 'loading' && <p className="loading">Loading RL runs…</p>}
      {list.status === 'error' && <p className="error-text">The RL runs could not be listed: {list.error.message}</p>}
      {list.status === 'ready' && total === 0 && !filtered && (
        <div className="empty-state">
          <p>No RL experiments in the archive yet. Every comparison run on the RL page is kept here with every episode of every seed, to reopen and replay.</p>
          <p>
            <button type="button" className="primary" onClick={() => navigate('rl')}>
              Set one up on the RL page
            </button>
          </p>
        </div>
      )}
      {list.status === 'ready' && (total > 0 || filtered) && (
        <>
          <div className="archive-table-wrap archive-rl-wrap">
            <table className="data-table archive-table archive-rl-table" aria-label="RL runs">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Experiment</th>
                  <th>Status</th>
                  <th>Strategies</th>
                  <th>Environments</th>
                  <th className="num">Seeds</th>
                  <th>Result (under test vs baseline)</th>
                  <th>Created</th>
                  {labStates.configured && <th>Lab</th>}
                  <th>
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.value.runs.map((r) => (
                  <tr key={r.id} data-rl-run={r.id}>
                    <td className="archive-rl-name">
                      {renaming?.id === r.id ? (
                        <form
                          className="archive-rename"
                          onSubmit={(e) => {
                            e.preventDefault();
                            void rename();
                          }}
                        >
                          <input
                            aria-label={`New name for ${r.name}`}
                            value={renaming.name}
                            maxLength={200}
                            autoFocus
                            onChange={(e) => setRenaming({ id: r.id, name: e.target.value })}
                            onKeyDown={(e) => e.key === 'Escape' && setRenaming(null)}
                          />
                          <button type="submit" className="small primary" disabled={renaming.name.trim() === ''}>
                            Save
                          </button>
                          <button type="button" className="small" onClick={() => setRenaming(null)}>
                            Cancel
                          </button>
                        </form>
                      ) : (
                        <>
                          <a href={`#/rl?run=${r.id}`}>{r.name}</a>
                          <div className="muted archive-small archive-rl-sub" title={r.title}>
                            {r.hardware ? 'device in the loop · ' : ''}
                            {r.title}
                          </div>
                        </>
                      )}
                    </td>
                    <td>{experimentName(r.experimentId)}</td>
                    <td>
                      <span className={`status status-${r.status === 'cancelled' ? 'stopped' : r.status}`}>{r.status}</span>
                    </td>
                    <td title={r.strategies.map((s) => s.name).join('\n')}>
                      <div className="archive-rl-list">
                        <span className="muted">{r.strategies.length} · </span>
                        {r.strategies.map((s) => s.name).join(', ')}
                      </div>
                    </td>
                    <td title={r.environments.map((e) => `${e.title}: ${e.episodes} episodes`).join('\n')}>
                      <div className="archive-rl-list">{r.environments.map((e) => shortTitle(e.title)).join(', ')}</div>
                    </td>
                    <td className="num mono">{r.seeds.length}</td>
                    <td>
                      <Result run={r} />
                    </td>
                    <td className="mono archive-small">
                      {new Date(r.createdAt).toLocaleDateString()}
                      <br />
                      <span className="muted">{new Date(r.createdAt).toLocaleTimeString()}</span>
                    </td>
                    {labStates.configured && (
                      <td>
                        <LabStateBadge state={labStates.states.get(r.id)} />
                      </td>
                    )}
                    <td>
                      <div className="archive-rl-actions">
                        <button type="button" className="small" aria-label={`Open ${r.name}`} onClick={() => navigate('rl', { run: r.id })}>
                          Open
                        </button>
                        {r.hardware && (r.status === 'cancelled' || r.status === 'interrupted') && (
                          <button
                            type="button"
                            className="small primary"
                            aria-label={`Resume ${r.name}`}
                            title="Continue from the last episode on the same instrument (checked by *IDN?); the other strategies' missing seeds run in simulation"
                            onClick={() => void resume(r)}
                          >
                            Resume
                          </button>
                        )}
                        <button type="button" className="small" aria-label={`Rename ${r.name}`} onClick={() => (setNotice(null), setRenaming({ id: r.id, name: r.name }))}>
                          Rename…
                        </button>
                        <button
                          type="button"
                          className="small danger-outline"
                          aria-label={`Delete ${r.name}`}
                          disabled={r.status === 'running'}
                          title={r.status === 'running' ? 'Cancel the run on the RL page before deleting it' : undefined}
                          onClick={() => askDelete(r)}
                        >
                          Delete…
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
                {list.value.runs.length === 0 && (
                  <tr>
                    <td colSpan={labStates.configured ? 10 : 9} className="muted">
                      No RL runs match these filters.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
          <div className="archive-pager">
            <Pager offset={offset} total={total} setOffset={setOffset} testId="archive-rl-range" />
          </div>
        </>
      )}
    </>
  );
}
