import '../styles/archive.css';
import { useMemo, useRef, useState } from 'react';
import type { RunStatus, RunSummary } from '../../shared/contract';
import { runStatuses } from '../../shared/contract';
import { formatCount } from '../../shared/units';
import { useHost, useRequest } from '../api/context';
import { navigate, useHashRoute } from '../app/use-hash-route';
import { colorFor } from '../components/charts/palette';
import { Compare } from '../features/archive/Compare';
import { saveFile } from '../features/archive/download';
import { RunDetailPanel } from '../features/archive/RunDetailPanel';
import { ConfirmDialog, type ConfirmRequest } from '../features/protocols/ConfirmDialog';
import '../styles/live.css';

const PAGE = 20;

export default function ArchivePage() {
  const host = useHost();
  const route = useHashRoute('archive');
  const openId = route.params.get('run');
  const [search, setSearch] = useState('');
  const [experiment, setExperiment] = useState('');
  const [status, setStatus] = useState<RunStatus | ''>('');
  const [tag, setTag] = useState('');
  const [deviceKind, setDeviceKind] = useState('');
  const [protocol, setProtocol] = useState('');
  const [since, setSince] = useState('');
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState<RunSummary[]>([]);
  const [comparing, setComparing] = useState(false);
  const [notice, setNotice] = useState<{ text: string; error?: boolean } | null>(null);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const file = useRef<HTMLInputElement>(null);

  const experiments = useRequest('experiments.list', {});
  const input = {
    limit: PAGE,
    offset,
    ...(experiment ? { experimentId: experiment } : {}),
    ...(status ? { status } : {}),
    ...(search.trim() ? { search: search.trim() } : {}),
    ...(tag.trim() ? { tag: tag.trim() } : {}),
  };
  const runs = useRequest('runs.list', input, [experiment, status, search, tag, offset]);
  // Device kind, protocol and date narrow the page the archive returned.
  const shown = useMemo(() => {
    if (runs.status !== 'ready') return [];
    const from = since ? new Date(since).getTime() : null;
    return runs.value.runs.filter(
      (r) =>
        (!deviceKind || r.deviceKind === deviceKind) &&
        (!protocol.trim() || r.protocolName.toLowerCase().includes(protocol.trim().toLowerCase())) &&
        (from === null || new Date(r.createdAt).getTime() >= from),
    );
  }, [runs, deviceKind, protocol, since]);
  const total = runs.status === 'ready' ? runs.value.total : 0;
  const filtered = Boolean(search || experiment || status || tag || deviceKind || protocol || since);

  const reloadAll = () => {
    runs.reload();
    experiments.reload();
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
      setNotice({ text: `Imported “${r.experimentName}”: ${r.imported} runs added, ${r.skipped} already there.` });
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

  return (
    <section className="page archive-page">
      <header className="page-header">
        <h1>Archive</h1>
        <span className="spacer" />
        <button type="button" onClick={() => file.current?.click()}>
          Import bundle…
        </button>
        <input ref={file} type="file" accept=".sqlite,.wbexp,.wbexp.sqlite" hidden aria-label="Experiment bundle file" onChange={(e) => (e.target.files?.[0] && void importBundle(e.target.files[0]), (e.target.value = ''))} />
        <button type="button" disabled={!experiment} title={experiment ? 'Save this experiment with its runs and samples' : 'Choose an experiment in the filter first'} onClick={() => void exportBundle()}>
          Export experiment bundle
        </button>
      </header>
      {notice && (
        <p className={notice.error ? 'error-text notice' : 'notice'} role={notice.error ? 'alert' : 'status'} data-testid="archive-notice">
          {notice.text}
        </p>
      )}
      <div className="archive-filters" role="search">
        <input type="search" aria-label="Search runs" placeholder="Search name, notes…" value={search} onChange={(e) => (setSearch(e.target.value), setOffset(0))} />
        <select aria-label="Experiment" value={experiment} onChange={(e) => (setExperiment(e.target.value), setOffset(0))}>
          <option value="">All experiments</option>
          {experiments.status === 'ready' &&
            experiments.value.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name} ({x.runCount})
              </option>
            ))}
        </select>
        <select aria-label="Device kind" value={deviceKind} onChange={(e) => setDeviceKind(e.target.value)}>
          <option value="">Any device</option>
          <option value="simulated">Simulated</option>
          <option value="instrument">Instrument</option>
        </select>
        <input aria-label="Protocol" placeholder="Protocol" value={protocol} onChange={(e) => setProtocol(e.target.value)} />
        <input aria-label="Tag" placeholder="Tag" value={tag} onChange={(e) => (setTag(e.target.value), setOffset(0))} />
        <select aria-label="Status" value={status} onChange={(e) => (setStatus(e.target.value as RunStatus | ''), setOffset(0))}>
          <option value="">Any status</option>
          {runStatuses.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <label className="since">
          Since <input type="date" aria-label="Created since" value={since} onChange={(e) => setSince(e.target.value)} />
        </label>
      </div>

      {runs.status === 'loading' && <p className="loading">Loading runs…</p>}
      {runs.status === 'error' && <p className="error-text">{runs.error.message}</p>}
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
                </tr>
              </thead>
              <tbody>
                {shown.map((r) => {
                  const on = selected.some((x) => x.id === r.id);
                  const dG = r.initialG && r.finalG !== null ? ((r.finalG - r.initialG) / r.initialG) * 100 : null;
                  return (
                    <tr key={r.id} className={r.id === openId ? 'current' : undefined} data-run-id={r.id}>
                      <td>
                        <input type="checkbox" aria-label={`Compare ${r.name}`} checked={on} onChange={() => toggle(r)} />
                        {on && <span className="swatch" style={{ background: colorFor(r.id) }} aria-hidden />}
                      </td>
                      <td>
                        <a href={`#/archive?run=${r.id}`} onClick={(e) => (e.preventDefault(), setComparing(false), navigate('archive', { run: r.id }))}>
                          {r.name}
                        </a>
                      </td>
                      <td>{r.experimentName}</td>
                      <td>
                        <span className={`status status-${r.status}`}>{r.status}</span>
                      </td>
                      <td>{r.deviceKind}</td>
                      <td>{r.protocolName}</td>
                      <td>{r.tags.join(', ')}</td>
                      <td className="num mono">{formatCount(r.sampleCount)}</td>
                      <td className="num mono">{dG === null ? '—' : `${dG.toFixed(1)} %`}</td>
                      <td>{new Date(r.createdAt).toLocaleString()}</td>
                    </tr>
                  );
                })}
                {shown.length === 0 && (
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
            <button type="button" className="small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              ← Previous
            </button>
            <span className="mono" data-testid="archive-range">
              {total === 0 ? '0' : `${offset + 1}–${Math.min(total, offset + PAGE)}`} of {formatCount(total)}
            </span>
            <button type="button" className="small" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
              Next →
            </button>
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
            onChanged={runs.reload}
            onDeleted={() => {
              setNotice({ text: 'The run was deleted.' });
              setSelected((s) => s.filter((x) => x.id !== openId));
              navigate('archive');
              reloadAll();
            }}
          />
        )
      )}
      <ConfirmDialog request={confirm} onClose={() => setConfirm(null)} />
    </section>
  );
}
