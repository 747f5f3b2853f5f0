/**
 * The Archive: every protocol run with its provenance (filtered in the store, paged, replayed,
 * compared, tagged, exported) and, in its own view (`#/archive?view=rl`), every stored RL
 * experiment, opened on the RL page for replay; the same two views of the lab archive
 * (`source=lab`: every PC's published runs, read-only).
 */
import '../styles/archive.css';
import { useRef, useState } from 'react';
import type { RunSummary } from '../../shared/contract';
import { formatCount, formatDeltaG } from '../../shared/units';
import { useHost, useRequest } from '../api/context';
import { navigate, useHashRoute } from '../app/use-hash-route';
import { colorFor } from '../components/charts/palette';
import { Compare } from '../features/archive/Compare';
import { saveFile } from '../features/archive/download';
import { Pager, usePagedRequest } from '../features/archive/paging';
import { RlRuns } from '../features/archive/RlRuns';
import { RunDetailPanel } from '../features/archive/RunDetailPanel';
import { datesProblem, isFiltered, listFilter, NO_FILTERS, RunFilters, type RunFilterState } from '../features/archive/RunFilters';
import { ConfirmDialog, type ConfirmRequest } from '../features/protocols/ConfirmDialog';
import '../styles/live.css';
import { deltaGPercent } from '../features/archive/delta-g';
import { LabPublishBar, LabStateBadge, useLabStates } from '../features/archive/LabPublish';
import { LabRuns } from '../features/archive/LabRuns';
import { LabRlRuns } from '../features/archive/LabRlRuns';
import { LabSweeps } from '../features/archive/LabSweeps';

type View = 'runs' | 'rl' | 'sweeps';

export default function ArchivePage() {
  const host = useHost();
  const route = useHashRoute('archive');
  const asked = route.params.get('view');
  const view: View = asked === 'rl' ? 'rl' : asked === 'sweeps' && route.params.get('source') === 'lab' ? 'sweeps' : 'runs';
  // This PC's archive, or the lab's (every PC's published runs, read-only; #16).
  const lab = route.params.get('source') === 'lab';
  const openId = route.params.get('run');
  const [filters, setFilters] = useState<RunFilterState>(NO_FILTERS);
  const [selected, setSelected] = useState<RunSummary[]>([]);
  const [comparing, setComparing] = useState(false);
  const [notice, setNotice] = useState<{ text: string; error?: boolean } | null>(null);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const [countsVersion, setCountsVersion] = useState(0);
  const file = useRef<HTMLInputElement>(null);

  const experiments = useRequest('experiments.list', {});
  const experimentList = experiments.status === 'ready' ? experiments.value : null;
  const experiment = filters.experiment;
  const filter = listFilter(filters);
  const { list: runs, total, offset, setOffset } = usePagedRequest('runs.list', filter);
  const facets = useRequest('runs.facets', experiment ? { experimentId: experiment } : {}, [experiment]);
  // What each view holds, unfiltered, for the switch.
  const runCount = useRequest('runs.list', { limit: 1 }, [countsVersion]);
  const rlCount = useRequest('rl.list', { limit: 1 }, [countsVersion]);
  const filtered = isFiltered(filters);
  const dates = datesProblem(filters);
  const labStates = useLabStates(runs.status === 'ready' ? runs.value.runs.map((r) => r.id) : [], countsVersion);

  const changeFilters = (patch: Partial<RunFilterState>) => {
    setFilters((f) => ({ ...f, ...patch }));
  };
  const reloadAll = () => {
    runs.reload();
    experiments.reload();
    facets.reload();
    setCountsVersion((v) => v + 1);
  };
  const fail = (e: unknown) => setNotice({ text: e instanceof Error ? e.message : String(e), error: true });
  const loadSample = () =>
    host.call('archive.loadSample', {}).then((r) => {
      setNotice({ text: `Loaded the sample experiment “${r.experimentName}”: ${r.imported} runs added, ${r.skipped} already there.` });
      reloadAll();
    }, fail);
  const importBundle = async (f: File) => {
    try {
      const r = await host.call('experiments.importBundle', { bytes: new Uint8Array(await f.arrayBuffer()) });
      const unchecked = r.checksums ? '' : ' This bundle was written before bundles carried checksums: its structure and values were checked, not every sample.';
      setNotice({ text: `Imported “${r.experimentName}”: ${r.imported} runs added, ${r.skipped} already there.${unchecked}` });
      reloadAll();
    } catch (e) {
      setNotice({ text: `Could not import ${f.name}: ${e instanceof Error ? e.message : String(e)}`, error: true });
    }
  };
  const exportBundle = () =>
    host.call('experiments.exportBundle', { id: experiment }).then((b) => {
      saveFile(b.filename, b.bytes, 'application/vnd.sqlite3');
      setNotice({ text: `Exported ${b.runs} runs (${formatCount(b.samples)} samples) as ${b.filename}.` });
    }, fail);
  const toggle = (r: RunSummary) => setSelected((s) => (s.some((x) => x.id === r.id) ? s.filter((x) => x.id !== r.id) : [...s, r]));

  const count = (r: typeof runCount | typeof rlCount) => (r.status === 'ready' ? <span className="archive-view-count mono">{formatCount(r.value.total)}</span> : null);

  const runsPanel = (
    <>
      {notice && (
        <p className={notice.error ? 'error-text notice' : 'notice'} role={notice.error ? 'alert' : 'status'} data-testid="archive-notice">
          {notice.text}
        </p>
      )}
      <LabPublishBar onPublished={() => setCountsVersion((v) => v + 1)} />
      <RunFilters value={filters} onChange={changeFilters} experiments={experimentList} facets={facets.status === 'ready' ? facets.value : null} />

      {runs.status === 'loading' && <p className="loading">Loading runs…</p>}
      {runs.status === 'error' && !dates && <p className="error-text">{runs.error.message}</p>}
      {runs.status === 'ready' && total === 0 && !filtered && (
        <div className="empty-state">
          <p>No runs in the archive yet. Runs appear here as soon as they start, with their full provenance.</p>
          <p>
            <button type="button" className="primary" onClick={() => void loadSample()}>
              Load the sample experiment
            </button>{' '}
            <span className="muted">simulated runs of the paper’s spike train and relaxation, to explore replay and compare.</span>
          </p>
        </div>
      )}
      {runs.status === 'ready' && (total > 0 || filtered) && (
        <>
          <div className="archive-table-wrap">
            <table className="data-table archive-table" aria-label="Runs">
              <thead>
                <tr>
                  <th>
                    <span className="sr-only">Compare</span>
                  </th>
                  <th>Name</th>
                  <th>Experiment</th>
                  <th>Status</th>
                  <th>Device</th>
                  <th>Protocol</th>
                  <th>Tags</th>
                  <th className="num">Samples</th>
                  <th className="num">ΔG</th>
                  <th>Created</th>
                  {labStates.configured && <th>Lab</th>}
                </tr>
              </thead>
              <tbody>
                {runs.value.runs.map((r) => {
                  const on = selected.some((x) => x.id === r.id);
                  const dG = deltaGPercent(r);
                  return (
                    <tr key={r.id} className={r.id === openId ? 'current' : undefined} data-run-id={r.id}>
                      <td>
                        <input type="checkbox" aria-label={`Compare ${r.name}`} checked={on} onChange={() => toggle(r)} />
                        {on && <span className="swatch" style={{ background: colorFor(r.id) }} aria-hidden />}
                      </td>
                      <td title={r.name}>
                        <a href={`#/archive?run=${r.id}`} onClick={(e) => (e.preventDefault(), setComparing(false), navigate('archive', { run: r.id }))}>
                          {r.name}
                        </a>
                      </td>
                      <td title={r.experimentName}>{r.experimentName}</td>
                      <td>
                        <span className={`status status-${r.status}`}>{r.status}</span>
                      </td>
                      <td title={r.deviceName ?? undefined}>{r.deviceName ? `${r.deviceKind} · ${r.deviceName}` : r.deviceKind}</td>
                      <td title={r.protocolName}>{r.protocolName}</td>
                      <td title={r.tags.join(', ')}>{r.tags.join(', ')}</td>
                      <td className="num mono">{formatCount(r.sampleCount)}</td>
                      <td className="num mono">{dG === null ? '—' : formatDeltaG(dG)}</td>
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
                    </tr>
                  );
                })}
                {runs.value.runs.length === 0 && (
                  <tr>
                    <td colSpan={10} className="muted">
                      No runs match these filters.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
          <div className="archive-pager">
            <Pager offset={offset} total={total} setOffset={setOffset} testId="archive-range" />
            <span className="spacer" />
            <span className="muted">{selected.length} selected</span>
            <button type="button" className="primary" disabled={selected.length < 2} onClick={() => setComparing(true)} title={selected.length < 2 ? 'Tick two or more runs to compare' : undefined}>
              Compare {selected.length >= 2 ? selected.length : ''} runs
            </button>
            {selected.length > 0 && (
              <button type="button" className="small" onClick={() => (setSelected([]), setComparing(false))}>
                Clear selection
              </button>
            )}
          </div>
        </>
      )}

      {comparing && selected.length >= 2 ? (
        <Compare runs={selected} />
      ) : (
        openId && (
          <RunDetailPanel
            key={openId}
            id={openId}
            confirm={setConfirm}
            onChanged={() => (runs.reload(), facets.reload())}
            onDeleted={() => {
              setNotice({ text: 'The run was deleted.' });
              setSelected((s) => s.filter((x) => x.id !== openId));
              navigate('archive');
              reloadAll();
            }}
          />
        )
      )}
    </>
  );

  return (
    <section className="page archive-page">
      <header className="page-header">
        <h1>Archive</h1>
        <div className="archive-source archive-views" role="tablist" aria-label="Whose runs">
          <button type="button" role="tab" aria-selected={!lab} className={!lab ? 'active' : ''} onClick={() => navigate('archive')}>
            This PC
          </button>
          <button type="button" role="tab" aria-selected={lab} className={lab ? 'active' : ''} onClick={() => navigate('archive', { source: 'lab' })}>
            Lab
          </button>
        </div>
        <div className="archive-views" role="tablist" aria-label="What to list">
          <button type="button" role="tab" id="archive-tab-runs" aria-controls="archive-panel" aria-selected={view === 'runs'} className={view === 'runs' ? 'active' : ''} onClick={() => navigate('archive', lab ? { source: 'lab' } : {})}>
            Protocol runs {!lab && count(runCount)}
          </button>
          <button type="button" role="tab" id="archive-tab-rl" aria-controls="archive-panel" aria-selected={view === 'rl'} className={view === 'rl' ? 'active' : ''} onClick={() => navigate('archive', lab ? { source: 'lab', view: 'rl' } : { view: 'rl' })}>
            RL experiments {!lab && count(rlCount)}
          </button>
          {lab && (
            <button type="button" role="tab" id="archive-tab-sweeps" aria-controls="archive-panel" aria-selected={view === 'sweeps'} className={view === 'sweeps' ? 'active' : ''} onClick={() => navigate('archive', { source: 'lab', view: 'sweeps' })}>
              Sweeps
            </button>
          )}
        </div>
        <span className="spacer" />
        {view === 'runs' && !lab && (
          <>
            <button type="button" onClick={() => file.current?.click()}>
              Import bundle…
            </button>
            <input ref={file} type="file" accept=".sqlite,.wbexp,.wbexp.sqlite" hidden aria-label="Experiment bundle file" onChange={(e) => (e.target.files?.[0] && void importBundle(e.target.files[0]), (e.target.value = ''))} />
            <button type="button" disabled={!experiment} title={experiment ? 'Save this experiment with its runs and samples' : 'Choose an experiment in the filter first'} onClick={() => void exportBundle()}>
              Export experiment bundle
            </button>
          </>
        )}
      </header>
      <div role="tabpanel" id="archive-panel" aria-labelledby={`archive-tab-${view}`}>
        {lab ? view === 'sweeps' ? <LabSweeps /> : view === 'rl' ? <LabRlRuns /> : <LabRuns /> : view === 'rl' ? <RlRuns experiments={experimentList} confirm={setConfirm} onChanged={() => setCountsVersion((v) => v + 1)} /> : runsPanel}
      </div>
      <ConfirmDialog request={confirm} onClose={() => setConfirm(null)} />
    </section>
  );
}
