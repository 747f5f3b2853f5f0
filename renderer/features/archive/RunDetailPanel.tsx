import { useEffect, useState } from 'react';
import type { RunDetail } from '../../../shared/contract';
import { formatCount, formatDeltaG, formatSI } from '../../../shared/units';
import { useHost } from '../../api/context';
import type { ConfirmRequest } from '../protocols/ConfirmDialog';
import { saveFile } from './download';
import { Replay } from './Replay';
import { AnalysisPanel } from '../analysis/AnalysisPanel';
import { deltaGPercent } from './delta-g';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

/** One run: its whole provenance, rename / tag / annotate, export, delete, replay (its samples load alongside the details). */
export function RunDetailPanel({ id, onChanged, onDeleted, confirm }: { id: string; onChanged: () => void; onDeleted: () => void; confirm: (r: ConfirmRequest) => void }) {
  const host = useHost();
  const [run, setRun] = useState<RunDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [tags, setTags] = useState('');
  const [notes, setNotes] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  /** Save the CSV's provenance sidecar (<file>.csv.json) with it. */
  const [withSidecar, setWithSidecar] = useState(true);

  useEffect(() => {
    let live = true;
    setRun(null);
    host.call('runs.detail', { id }).then(
      (r) => {
        if (!live) return;
        setRun(r);
        setName(r.name);
        setTags(r.tags.join(', '));
        setNotes(r.notes);
      },
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [host, id]);

  if (error) return <p className="error-text">{error}</p>;

  // The replay loads the samples alongside the details, not after them: it is there from the start.
  return (
    <article className="run-detail" aria-label={run ? `Run ${run.name}` : 'Run'} aria-busy={run ? undefined : true} data-testid="run-detail">
      {run ? details(run) : <p className="loading">Loading the run…</p>}
      {run && <AnalysisPanel runId={id} runName={run.name} />}
      <h3>Replay</h3>
      <Replay runId={id} />
    </article>
  );

  function details(run: RunDetail) {
    const save = () => {
      const tagList = tags.split(',').map((t) => t.trim()).filter(Boolean);
      host.call('runs.update', { id, name: name.trim() || run.name, tags: tagList, notes }).then(
        (r) => {
          setRun(r);
          setSaved('Saved.');
          onChanged();
        },
        (e: unknown) => setSaved(e instanceof Error ? e.message : String(e)),
      );
    };
    // The CSV is the tidy table (one header line, one row per sample); its provenance is the sidecar.
    const exportAs = (format: 'csv' | 'json') =>
      host.call('runs.export', { id, format }).then(
        (x) => {
          saveFile(x.filename, x.text, x.mime);
          if (withSidecar && x.sidecar) saveFile(x.sidecar.filename, x.sidecar.text, x.sidecar.mime);
        },
        (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
      );
    // Parquet: the same columns with units in the file's metadata, for pandas, polars, DuckDB.
    const exportParquet = () =>
      host.call('runs.exportParquet', { id }).then(
        (x) => saveFile(x.filename, x.bytes, 'application/vnd.apache.parquet'),
        (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
      );
    const dG = deltaGPercent(run);
    const device = run.device as Record<string, unknown> | null;

    return (
      <>
        <header className="run-detail-head">
          <h2>{run.name}</h2>
          <span className={`status status-${run.status}`}>{run.status}</span>
          <span className="spacer" />
          <button type="button" onClick={() => void exportAs('csv')}>
            Export CSV
          </button>
          <label className="export-sidecar" title="Also save the run's provenance (device, protocol, times, column units) as a JSON file named after the CSV (.csv.json)">
            <input type="checkbox" checked={withSidecar} onChange={(e) => setWithSidecar(e.target.checked)} /> with provenance (.csv.json)
          </label>
          <button type="button" onClick={() => void exportAs('json')}>
            Export JSON
          </button>
          <button type="button" onClick={() => void exportParquet()} title="The samples with pulse, cycle and block columns and the column units in the file's metadata (pandas, polars, DuckDB)">
            Export Parquet
          </button>
          <button
            type="button"
            className="danger-outline"
            onClick={() =>
              confirm({
                title: `Delete “${run.name}”?`,
                body: <p>The run “{run.name}” and its {formatCount(run.sampleCount)} samples are deleted from the archive. This cannot be undone.</p>,
                confirm: `Delete “${run.name}”`,
                danger: true,
                onConfirm: () => host.call('runs.delete', { id }).then(onDeleted, (e: unknown) => setError(e instanceof Error ? e.message : String(e))),
              })
            }
          >
            Delete…
          </button>
        </header>
        <div className="run-detail-grid">
          <div className="edit-box">
            <label className="field">
              <span>Name</span>
              <input value={name} onChange={(e) => (setName(e.target.value), setSaved(null))} />
            </label>
            <label className="field">
              <span>Tags (comma-separated)</span>
              <input value={tags} onChange={(e) => (setTags(e.target.value), setSaved(null))} />
            </label>
            <label className="field">
              <span>Notes</span>
              <textarea rows={3} value={notes} onChange={(e) => (setNotes(e.target.value), setSaved(null))} />
            </label>
            <div className="row">
              <button type="button" className="primary" onClick={save}>
                Save changes
              </button>
              {saved && <span className="muted">{saved}</span>}
            </div>
          </div>
          <dl className="provenance">
            <dt>Experiment</dt>
            <dd>{run.experimentName}</dd>
            <dt>Protocol</dt>
            <dd>
              {run.protocolName} <span className="mono muted" title="SHA-256 of the protocol document">{run.protocolHash ? run.protocolHash.slice(0, 16) + '…' : ''}</span>
            </dd>
            <dt>Device</dt>
            <dd className="mono">
              {describeDevice(run.deviceKind, device)}
            </dd>
            <dt>Samples</dt>
            <dd className="mono">{formatCount(run.sampleCount)}</dd>
            <dt>G first → last</dt>
            <dd className="mono">
              {run.initialG !== null ? formatSI(run.initialG, 'S', { digits: 3 }) : '—'} → {run.finalG !== null ? formatSI(run.finalG, 'S', { digits: 3 }) : '—'} {dG !== null ? `(ΔG ${formatDeltaG(dG)})` : ''}
            </dd>
            <dt>Times</dt>
            <dd>
              created {when(run.createdAt)} · started {when(run.startedAt)} · ended {when(run.endedAt)}
            </dd>
            <dt>Exit</dt>
            <dd>
              {run.status}
              {run.exitReason ? ` — ${run.exitReason}` : ''}
            </dd>
            <dt>Recorded by</dt>
            <dd className="mono">
              {run.host} · workbench {run.appVersion}
              {run.instrumentIdn ? ` · ${run.instrumentIdn}` : ''}
            </dd>
          </dl>
        </div>
        <details className="raw-provenance">
          <summary>Protocol document, device snapshot and log</summary>
          <pre className="mono">{JSON.stringify({ protocolHash: run.protocolHash, protocol: run.protocol, device: run.device, events: run.events }, null, 2)}</pre>
        </details>
      </>
    );
  }
}

/** The device line of the provenance: a model's preset, seed and noise; an instrument's driver, port and identity. */
function describeDevice(kind: string, device: unknown): string {
  if (device === null || typeof device !== 'object') return kind;
  const d = device as Record<string, unknown>;
  const text = (v: unknown) => (v === undefined || v === null || v === '' ? '—' : String(v));
  if (kind === 'instrument') return `instrument · ${text(d.driver)} on ${text(d.port)}${d.idn ? ` · ${String(d.idn)}` : ''}`;
  return `${kind} · ${text(d.preset)} · seed ${text(d.seed)} · noise ${d.noise === false ? 'off' : d.noise === true ? 'on' : text(d.noise)}`;
}
