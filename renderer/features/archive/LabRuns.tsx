/**
 * The Archive's "Lab" view (#16): every PC's published runs, read-only — with the PC and the user
 * that made them and the device they were measured on — opened, replayed, compared and exported
 * like this PC's, never edited.
 */
import { useState } from 'react';
import type { RunDetail } from '../../../shared/contract';
import type { LabRunSummary } from '../../../shared/contract/areas/lab';
import { devicePlaceText } from '../../../shared/lab/device-place';
import { formatCount, formatSI } from '../../../shared/units';
import { useHost, useRequest } from '../../api/context';
import { colorFor } from '../../components/charts/palette';
import { Compare } from './Compare';
import { saveFile } from './download';
import { LabListTable, OriginCells } from './LabListTable';
import { usePagedRequest } from './paging';
import { Replay } from './Replay';

export function LabRuns() {
  const [search, setSearch] = useState('');
  const [openId, setOpenId] = useState<string | null>(null);
  const [selected, setSelected] = useState<LabRunSummary[]>([]);
  const [comparing, setComparing] = useState(false);
  const query = search.trim() === '' ? {} : { search: search.trim() };
  const { list: runs, total, offset, setOffset } = usePagedRequest('lab.runs', query);
  const toggle = (r: LabRunSummary) => setSelected((s) => (s.some((x) => x.id === r.id) ? s.filter((x) => x.id !== r.id) : [...s, r]));

  return (
    <div data-testid="lab-runs">
      <div className="archive-filters">
        <input type="search" placeholder="Search name, PC, user…" aria-label="Search the lab" value={search} onChange={(e) => setSearch(e.target.value)} />
      </div>
      <LabListTable
        state={runs}
        loading="Loading the lab’s runs…"
        label="Lab runs"
        columns={[{ key: 'compare', title: <span className="sr-only">Compare</span> }, 'Name', 'PC', 'User', 'Device', 'Experiment', 'Status', 'Protocol', { key: 'Samples', title: 'Samples', num: true }, 'Created']}
        items={(v) => v.runs}
        row={(r) => {
          const on = selected.some((x) => x.id === r.id);
          return (
            <tr key={r.id} className={r.id === openId ? 'current' : undefined} data-lab-run-id={r.id}>
              <td>
                <input type="checkbox" aria-label={`Compare ${r.name}`} checked={on} onChange={() => toggle(r)} />
                {on && <span className="swatch" style={{ background: colorFor(r.id) }} aria-hidden />}
              </td>
              <td title={r.name}>
                <a href="#/archive?source=lab" onClick={(e) => (e.preventDefault(), setComparing(false), setOpenId(r.id))}>
                  {r.name}
                </a>
              </td>
              <OriginCells item={r} />
              <td title={r.experimentName}>{r.experimentName}</td>
              <td>
                <span className={`status status-${r.status}`}>{r.status}</span>
              </td>
              <td title={r.protocolName}>{r.protocolName}</td>
              <td className="num mono">{formatCount(r.sampleCount)}</td>
              <td className="mono archive-small">{new Date(r.createdAt).toLocaleString()}</td>
            </tr>
          );
        }}
        empty={search ? 'No lab runs match.' : 'No runs in the lab yet: each PC’s ended runs appear here once published.'}
        pager={{ offset, total, setOffset, testId: 'lab-range' }}
      >
        <span className="spacer" />
        <button type="button" className="primary" disabled={selected.length < 2} onClick={() => setComparing(true)}>
          Compare {selected.length >= 2 ? selected.length : ''} runs
        </button>
      </LabListTable>
      {comparing && selected.length >= 2 ? <Compare runs={selected} source="lab" /> : openId && <LabRunPanel key={openId} id={openId} />}
    </div>
  );
}

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

function LabRunPanel({ id }: { id: string }) {
  const host = useHost();
  const run = useRequest('lab.run', { id }, [id]);
  const [error, setError] = useState<string | null>(null);
  const exportAs = (format: 'csv' | 'json') =>
    host.call('lab.export', { id, format }).then(
      (f) => saveFile(f.filename, f.text, f.mime),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  return (
    <article className="run-detail" aria-label="Lab run" data-testid="lab-run-detail">
      {run.status === 'loading' && <p className="loading">Loading the run…</p>}
      {run.status === 'error' && <p className="error-text">{run.error.message}</p>}
      {run.status === 'ready' && <LabRunHead summary={run.value.summary} detail={run.value.detail} onExport={exportAs} />}
      {error && <p className="error-text">{error}</p>}
      <h3>Replay</h3>
      <Replay runId={id} source="lab" />
    </article>
  );
}

function LabRunHead({ summary, detail, onExport }: { summary: LabRunSummary; detail: RunDetail; onExport: (f: 'csv' | 'json') => void }) {
  return (
    <>
      <div className="run-detail-head">
        <h2>{summary.name}</h2>
        <span className={`status status-${summary.status}`}>{summary.status}</span>
        <span className="muted">read-only: made on {summary.pcName} by {summary.userName}</span>
        <span className="spacer" />
        <button type="button" className="small" onClick={() => onExport('csv')}>
          Export CSV
        </button>
        <button type="button" className="small" onClick={() => onExport('json')}>
          Export JSON
        </button>
      </div>
      <dl className="provenance">
        <dt>PC</dt>
        <dd data-testid="lab-run-pc">{summary.pcName}</dd>
        <dt>User</dt>
        <dd data-testid="lab-run-user">{summary.userName}</dd>
        <dt>Experiment</dt>
        <dd>{summary.experimentName}</dd>
        <dt>Protocol</dt>
        <dd>{summary.protocolName || '—'}</dd>
        <dt>Device</dt>
        <dd data-testid="lab-run-device">{devicePlaceText(summary.device) || '—'}</dd>
        <dt>Set-up</dt>
        <dd>{summary.deviceName ? `${summary.deviceKind} · ${summary.deviceName}` : summary.deviceKind || '—'}</dd>
        <dt>Samples</dt>
        <dd className="mono">{formatCount(summary.sampleCount)}</dd>
        <dt>Final G</dt>
        <dd className="mono">{detail.finalG === null ? '—' : formatSI(detail.finalG, 'S')}</dd>
        <dt>Created</dt>
        <dd>{when(summary.createdAt)}</dd>
        <dt>Ended</dt>
        <dd>{when(summary.endedAt)}</dd>
        <dt>Published</dt>
        <dd>{when(summary.publishedAt)}</dd>
        <dt>Samples hash</dt>
        <dd className="mono archive-small" data-testid="lab-run-hash">
          {summary.samplesHash}
        </dd>
        <dt>App</dt>
        <dd>
          {detail.appVersion} on {detail.host}
        </dd>
      </dl>
    </>
  );
}
