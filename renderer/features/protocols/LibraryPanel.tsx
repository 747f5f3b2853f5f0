/**
 * The library: the user's protocols (searchable, filterable by tag; open, duplicate, delete), the
 * versions of the open one (view, restore), and the shipped templates to start from.
 */
import { useState } from 'react';
import type { ProtocolSummary, ProtocolTemplate } from '../../../shared/contract/areas/protocols';
import { useRequest } from '../../api/context';

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function LibraryPanel(props: {
  refreshKey: number;
  openId: string | null;
  openVersion: number | null;
  onOpen: (id: string, version?: number) => void;
  onDuplicate: (p: ProtocolSummary) => void;
  onDelete: (p: ProtocolSummary) => void;
  onUseTemplate: (t: ProtocolTemplate) => void;
  onRestore: (id: string, version: number) => void;
}) {
  const [search, setSearch] = useState('');
  const [tag, setTag] = useState('');
  const input = { ...(search.trim() ? { search: search.trim() } : {}), ...(tag ? { tag } : {}) };
  const list = useRequest('protocols.list', input, [search, tag, props.refreshKey]);
  const templates = useRequest('protocols.templates', {});
  const filtered = search.trim() !== '' || tag !== '';
  const empty = list.status === 'ready' && list.value.protocols.length === 0;

  return (
    <aside className="pe-library-panel" aria-label="Protocol library">
      <h2>Library</h2>
      <div className="pe-library-filters">
        <input
          type="search"
          placeholder="Search…"
          aria-label="Search the library"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-own-undo=""
        />
        <select aria-label="Filter by tag" value={tag} onChange={(e) => setTag(e.target.value)}>
          <option value="">All tags</option>
          {list.status === 'ready' &&
            list.value.tags.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
        </select>
      </div>
      {list.status === 'loading' && <p className="loading">Loading…</p>}
      {list.status === 'error' && <p className="error-text">{list.error.message}</p>}
      {empty && !filtered && <p className="pe-empty-hint">Your library is empty. Start from a template below, build a protocol from the palette, or import a JSON file.</p>}
      {empty && filtered && <p className="pe-empty-hint">No protocol matches.</p>}
      {list.status === 'ready' && list.value.protocols.length > 0 && (
        <ul className="pe-library-list" data-testid="library-list">
          {list.value.protocols.map((p) => (
            <li key={p.id} className={p.id === props.openId ? 'pe-current' : undefined}>
              <button type="button" className="pe-library-open" onClick={() => props.onOpen(p.id)} aria-current={p.id === props.openId || undefined}>
                <span className="pe-library-name">{p.name}</span>
                <span className="pe-library-meta">
                  v{p.latestVersion} · {when(p.updatedAt)}
                </span>
                {p.tags.length > 0 && (
                  <span className="pe-tag-list">
                    {p.tags.map((t) => (
                      <span key={t} className="pe-tag">
                        {t}
                      </span>
                    ))}
                  </span>
                )}
              </button>
              <span className="pe-library-actions">
                <button type="button" className="small" onClick={() => props.onDuplicate(p)} aria-label={`Duplicate ${p.name}`}>
                  Duplicate
                </button>
                <button type="button" className="small pe-danger-outline" onClick={() => props.onDelete(p)} aria-label={`Delete ${p.name}`}>
                  Delete
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {props.openId !== null && (
        <Versions id={props.openId} viewing={props.openVersion} refreshKey={props.refreshKey} onOpen={props.onOpen} onRestore={props.onRestore} />
      )}
      <h2 className="pe-templates-heading">Templates</h2>
      <p className="pe-fine-print">Shipped with the workbench, read-only: opening one starts a new protocol from a copy.</p>
      {templates.status === 'error' && <p className="error-text">{templates.error.message}</p>}
      {templates.status === 'ready' && (
        <ul className="pe-template-list" data-testid="template-list">
          {templates.value.map((t) => (
            <li key={t.id}>
              <button type="button" className="pe-library-open" onClick={() => props.onUseTemplate(t)} title={t.description}>
                <span className="pe-library-name">{t.name}</span>
                <span className="pe-library-meta">template</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}

function Versions({
  id,
  viewing,
  refreshKey,
  onOpen,
  onRestore,
}: {
  id: string;
  viewing: number | null;
  refreshKey: number;
  onOpen: (id: string, version?: number) => void;
  onRestore: (id: string, version: number) => void;
}) {
  const versions = useRequest('protocols.versions', { id }, [id, refreshKey]);
  if (versions.status !== 'ready') return versions.status === 'error' ? <p className="error-text">{versions.error.message}</p> : null;
  const latest = versions.value[0]?.version ?? 1;
  return (
    <section className="pe-versions" aria-label="Versions">
      <h3>Versions</h3>
      <ol className="pe-version-list" data-testid="version-list">
        {versions.value.map((v) => (
          <li key={v.version} className={v.version === viewing ? 'pe-current' : undefined} data-version={v.version}>
            <span className="pe-version-label mono">v{v.version}</span>
            <span className="pe-version-meta">
              {when(v.createdAt)}
              {v.restoredFrom !== null ? ` · restored from v${v.restoredFrom}` : ''}
              {v.version === latest ? ' · latest' : ''}
            </span>
            <span className="pe-version-actions">
              {v.version !== viewing && (
                <button type="button" className="small" onClick={() => onOpen(id, v.version === latest ? undefined : v.version)} aria-label={`View version ${v.version}`}>
                  View
                </button>
              )}
              {v.version !== latest && (
                <button type="button" className="small" onClick={() => onRestore(id, v.version)} aria-label={`Restore version ${v.version}`}>
                  Restore
                </button>
              )}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
