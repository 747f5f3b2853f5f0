/**
 * The protocol editor: the library on the left, the block editor in the middle, the live preview
 * and the estimates on the right. The document is immutable data in an undo history (features/
 * protocols/state.ts); validation runs as you type and places each problem at its field; compile
 * and simulation run in a worker.
 */
import { useCallback, useEffect, useMemo, useReducer, useRef, useState, type ReactNode } from 'react';
import {
  LIMIT_INFO,
  LIMIT_NAMES,
  validateProtocol,
  workbenchLimits,
  type BlockKind,
  type SafetyLimits,
} from '../../shared/protocol';
import { DEFAULT_PRESET_NAME } from '../../shared/device';
import { parseQuantity } from '../../shared/units';
import { useEvent, useHost, useRequest } from '../api/context';
import { navigate, useHashRoute } from '../app/use-hash-route';
import { useSessionState } from '../app/use-session-state';
import { BlockTree, DragContext } from '../features/protocols/BlockTree';
import { ConfirmDialog, type ConfirmRequest } from '../features/protocols/ConfirmDialog';
import { DocumentSettings } from '../features/protocols/DocumentSettings';
import { EstimatesPanel } from '../features/protocols/EstimatesPanel';
import { TextField } from '../features/protocols/fields';
import { LibraryPanel } from '../features/protocols/LibraryPanel';
import { emptyDocument, isContainer, type EBlock, type EDoc } from '../features/protocols/model';
import { Palette } from '../features/protocols/Palette';
import { PreviewPanel, type PreviewSummary } from '../features/protocols/PreviewPanel';
import { blockOfPath, fieldId, ProblemIndex, sentence } from '../features/protocols/problems';
import { canRedo, canUndo, docOf, editorReducer, initialState, isDirty, present } from '../features/protocols/state';
import { show } from '../features/protocols/summary';
import { PAGE, useProtocolActions, type Notice, type Source } from '../features/protocols/use-protocol-actions';
import { StartCard } from '../features/protocols/StartCard';
import '../styles/protocols.css';


/** The limits in force: the workbench's, tightened by those the document sets (as far as they read). */
function limitsInForce(doc: EDoc, validated: SafetyLimits | null, ceiling: SafetyLimits): SafetyLimits {
  if (validated) return validated;
  const out = { ...ceiling };
  const own = (doc.limits ?? {}) as Record<string, unknown>;
  for (const name of LIMIT_NAMES) {
    const raw = own[name];
    const unit = LIMIT_INFO[name].unit;
    const parsed = typeof raw === 'number' ? raw : typeof raw === 'string' ? parseQuantity(raw, unit === 'ratio' || unit === 'count' ? '' : unit) : undefined;
    const value = typeof parsed === 'number' ? parsed : parsed?.ok ? parsed.value : undefined;
    if (value !== undefined && value > 0 && value < out[name]) out[name] = value;
  }
  return out;
}

const NO_PROBLEMS = new ProblemIndex([]);

export default function ProtocolsPage() {
  const host = useHost();
  const route = useHashRoute(PAGE);
  const [state, dispatch] = useReducer(editorReducer, undefined, () => initialState({ doc: emptyDocument(), tags: [] }));
  const [source, setSource] = useState<Source>({ kind: 'new' });
  const [summary, setSummary] = useState<PreviewSummary | null>(null);
  // The preview's device goes with Run: an I–V protocol previewed on the bipolar device runs on it.
  const [preview, setPreview] = useSessionState('workbench.protocols.preview', () => ({ preset: DEFAULT_PRESET_NAME }));
  const [notice, setNotice] = useState<Notice | null>(null);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const [refreshKey, setRefreshKey] = useState(0);
  const [dragging, setDragging] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  // The workbench's limits (Settings), kept current while the page is open.
  const settings = useRequest('settings.get', {});
  const [changedLimits, setChangedLimits] = useState<SafetyLimits | null>(null);
  useEvent(
    'settings.changed',
    useCallback((s: { limits: SafetyLimits }) => setChangedLimits(s.limits), []),
  );
  const settingsLimits = changedLimits ?? (settings.status === 'ready' ? settings.value.limits : null);
  const ceiling = useMemo(() => workbenchLimits(settingsLimits ?? undefined), [settingsLimits]);

  const content = present(state);
  const doc = docOf(state);
  const dirty = isDirty(state);
  const readOnly = source.kind === 'library' && source.version < source.latestVersion;
  const validation = useMemo(() => validateProtocol(doc, { limits: ceiling }), [doc, ceiling]);
  const problems = useMemo(() => new ProblemIndex(validation.ok ? [] : validation.problems), [validation]);
  // A new protocol nobody has touched has problems only because nothing is in it yet: it offers
  // where to begin instead (#19), and its problems show from the first edit on.
  const pristine = source.kind === 'new' && !isDirty(state);
  const shown = pristine ? NO_PROBLEMS : problems;
  const limits = useMemo(() => limitsInForce(doc, validation.ok ? validation.limits : null, ceiling), [doc, validation, ceiling]);
  const docName = typeof doc.name === 'string' ? doc.name : '';
  const refresh = () => setRefreshKey((k) => k + 1);

  const actions = useProtocolActions({
    host, state, dispatch, source, setSource, setSummary, setNotice, setConfirm, validation, problems, busy, setBusy, refresh,
  });
  const { openProtocol, newProtocol, openTemplate, save, restore, duplicate, remove, exportFile, importFile } = actions;

  const run = () => {
    if (source.kind !== 'library' || runBlocked !== null) return;
    navigate('live', { protocol: source.id, version: String(source.version), preset: preview.preset });
  };

  // A simulation sweep of the saved latest version over the lab's PCs (#16), when a lab is configured.
  const labStatus = useRequest('lab.status', {});
  const labSweep =
    labStatus.status === 'ready' && labStatus.value.source !== null && source.kind === 'library' && source.version === source.latestVersion
      ? () => navigate('archive', { source: 'lab', view: 'sweeps', simulate: `library:${source.id}` })
      : undefined;

  const addBlock = (kind: BlockKind) => {
    if (!readOnly) dispatch({ type: 'add', kind });
  };

  /** Brings a problem's field into view: expands its block and the blocks around it, then focuses it. */
  const showProblem = (path: string) => {
    const bp = blockOfPath(path);
    let blockId: string | null = null;
    if (bp !== null) {
      let list: EBlock[] | undefined = Array.isArray(doc.blocks) ? doc.blocks : undefined;
      for (const k of (bp.match(/\d+/g) ?? []).map(Number)) {
        const b: EBlock | undefined = list?.[k];
        if (!b) break;
        if (typeof b.id === 'string') {
          blockId = b.id;
          dispatch({ type: 'collapse', id: b.id, collapsed: false });
        }
        list = isContainer(b) && Array.isArray(b.body) ? b.body : undefined;
      }
      if (blockId !== null) dispatch({ type: 'select', id: blockId });
    }
    if (path.startsWith('limits') || path.startsWith('read') || path === 'description') {
      document.querySelector('.pe-doc-settings')?.setAttribute('open', '');
    }
    requestAnimationFrame(() => {
      const field = document.getElementById(fieldId(path));
      const head = blockId !== null ? document.querySelector<HTMLElement>(`[data-block-head="${CSS.escape(blockId)}"]`) : null;
      (field ?? head)?.focus();
    });
  };

  // ----- shortcuts (window-wide while the page is open) -----

  const keys = useRef({ save, readOnly, selected: state.selected, dialog: confirm !== null });
  keys.current = { save, readOnly, selected: state.selected, dialog: confirm !== null };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const k = keys.current;
      if (k.dialog || !(e.ctrlKey || e.metaKey) || e.altKey) return;
      const target = e.target instanceof Element ? e.target : null;
      const ownUndo = !!target?.closest('[data-own-undo]');
      const key = e.key.toLowerCase();
      if (key === 's') {
        e.preventDefault();
        void k.save();
      } else if (key === 'z' && !ownUndo) {
        e.preventDefault();
        dispatch({ type: e.shiftKey ? 'redo' : 'undo' });
      } else if (key === 'y' && !ownUndo) {
        e.preventDefault();
        dispatch({ type: 'redo' });
      } else if (key === 'd' && k.selected !== null) {
        e.preventDefault();
        if (!k.readOnly) dispatch({ type: 'duplicate', id: k.selected });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // ----- a protocol named in the address (#/protocols?protocol=<id>&version=<n>) -----

  const wanted = route.page === PAGE ? route.params.get('protocol') : null;
  const wantedVersion = route.page === PAGE ? route.params.get('version') : null;
  // Only when the address asks for another protocol: what is open now is read, not watched.
  const latest = useRef({ source, openProtocol });
  latest.current = { source, openProtocol };
  useEffect(() => {
    if (!wanted) return;
    const { source: open, openProtocol: openIt } = latest.current;
    const v = wantedVersion ? Number(wantedVersion) : undefined;
    if (open.kind === 'library' && open.id === wanted && (v === undefined ? open.version === open.latestVersion : open.version === v)) return;
    openIt(wanted, v !== undefined && Number.isInteger(v) && v > 0 ? v : undefined);
  }, [wanted, wantedVersion]);

  // ----- Run -----

  const limitProblems = problems.limits;
  let runBlocked: string | null = null;
  if (pristine) {
    runBlocked = 'Nothing to run yet: add blocks or open a template, then save.';
  } else if (limitProblems.length > 0) {
    const more = problems.count - 1;
    runBlocked = `Run is disabled: ${sentence(limitProblems[0]!.message)}${more > 0 ? ` (${more} more problem${more === 1 ? '' : 's'} below.)` : ''}`;
  } else if (problems.count > 0) {
    runBlocked = `Run is disabled: the protocol has ${problems.count} problem${problems.count === 1 ? '' : 's'}; fix ${problems.count === 1 ? 'it' : 'them'} first.`;
  } else if (source.kind !== 'library') {
    runBlocked = 'Run is disabled: save the protocol first (Ctrl+S). Run sends a saved version to the Live page.';
  } else if (dirty) {
    runBlocked = 'Run is disabled: save your edits first (Ctrl+S). Run sends the saved version to the Live page.';
  }

  let saveState: ReactNode;
  if (readOnly && source.kind === 'library') saveState = <span className="pe-save-state pe-readonly">Version {source.version} of {source.latestVersion}, read-only</span>;
  else if (dirty) saveState = <span className="pe-save-state pe-dirty">● Unsaved edits</span>;
  else if (source.kind === 'library') saveState = <span className="pe-save-state pe-saved">Saved · version {source.version}</span>;
  else if (source.kind === 'template') saveState = <span className="pe-save-state">Copy of a template, not saved</span>;
  else saveState = <span className="pe-save-state">New, not saved</span>;

  const readDefaults = {
    voltage: doc.read?.voltage !== undefined ? show(doc.read.voltage, 'V') : '100 mV',
    integration: doc.read?.integration !== undefined ? show(doc.read.integration, 's') : '1 ms',
  };

  return (
    <section className="page protocols-page">
      <header className="page-header protocols-header">
        <h1>Protocols</h1>
        <div className="pe-doc-name">
          <TextField
            path="name"
            label="Name"
            value={docName}
            required
            onChange={(v) => dispatch({ type: 'setDoc', section: null, key: 'name', value: v ?? '' })}
            onSeal={() => dispatch({ type: 'seal' })}
            problems={problems}
            disabled={readOnly}
          />
        </div>
        <span data-testid="save-state">{saveState}</span>
        <span className="spacer" />
        <div className="pe-toolbar" role="toolbar" aria-label="Protocol">
          <button type="button" onClick={() => dispatch({ type: 'undo' })} disabled={!canUndo(state.history)} title="Undo (Ctrl+Z)">
            Undo
          </button>
          <button type="button" onClick={() => dispatch({ type: 'redo' })} disabled={!canRedo(state.history)} title="Redo (Ctrl+Shift+Z)">
            Redo
          </button>
          <span className="pe-toolbar-sep" />
          <button type="button" onClick={newProtocol} title="Start a new, empty protocol">
            New
          </button>
          <button type="button" onClick={() => fileInput.current?.click()} title="Import a protocol from a JSON file into the library">
            Import…
          </button>
          <button type="button" onClick={exportFile} title="Download this protocol as a JSON file">
            Export
          </button>
          <button type="button" className="primary" onClick={() => void save()} disabled={busy || readOnly} title="Save as a new version (Ctrl+S)">
            Save
          </button>
        </div>
        <input
          ref={fileInput}
          type="file"
          accept=".json,application/json"
          className="pe-visually-hidden"
          aria-label="Protocol file to import"
          tabIndex={-1}
          data-testid="import-file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void importFile(file);
          }}
        />
      </header>

      {notice && (
        <div className={`pe-notice pe-notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="notice">
          <p>{notice.text}</p>
          {notice.problems && notice.problems.length > 0 && (
            <ul>
              {notice.problems.slice(0, 50).map((p, k) => (
                <li key={k}>
                  <code>{p.path === '' ? '(file)' : p.path}</code> {sentence(p.message)}
                </li>
              ))}
              {notice.problems.length > 50 && <li>… and {notice.problems.length - 50} more.</li>}
            </ul>
          )}
          <button type="button" className="small pe-notice-close" onClick={() => setNotice(null)} aria-label="Dismiss">
            ✕
          </button>
        </div>
      )}

      {readOnly && source.kind === 'library' && (
        <div className="pe-notice pe-notice-info" role="status">
          <p>
            You are looking at version {source.version}; the latest is {source.latestVersion}. Earlier versions are read-only.
          </p>
          <button type="button" className="small primary" onClick={() => restore(source.id, source.version)}>
            Restore version {source.version}
          </button>
          <button type="button" className="small" onClick={() => openProtocol(source.id)}>
            Back to the latest
          </button>
        </div>
      )}

      <DragContext.Provider value={{ dragging, setDragging }}>
        <div className="protocols-grid">
          <LibraryPanel
            refreshKey={refreshKey}
            openId={source.kind === 'library' ? source.id : null}
            openVersion={source.kind === 'library' ? source.version : null}
            onOpen={openProtocol}
            onDuplicate={duplicate}
            onDelete={remove}
            onUseTemplate={openTemplate}
            onRestore={restore}
          />
          <section className="pe-editor-panel" aria-label="Blocks">
            <Palette onAdd={addBlock} disabled={readOnly} />
            {pristine && <StartCard onTemplate={openTemplate} />}
            <DocumentSettings doc={doc} tags={content.tags} problems={shown} readOnly={readOnly} dispatch={dispatch} ceiling={ceiling} />
            {shown.at('blocks').length > 0 && (
              <ul className="pe-field-errors pe-doc-errors">
                {shown.at('blocks').map((p, k) => (
                  <li key={k}>{sentence(p.message)}</li>
                ))}
              </ul>
            )}
            <BlockTree
              doc={doc}
              selected={state.selected}
              collapsed={state.collapsed}
              problems={shown}
              readOnly={readOnly}
              dispatch={dispatch}
              readDefaults={readDefaults}
            />
            <details className="pe-shortcuts">
              <summary>Keyboard</summary>
              <dl>
                <dt>↑ ↓</dt>
                <dd>select the block above / below (Home, End: first, last)</dd>
                <dt>Alt+↑ Alt+↓</dt>
                <dd>move the selected block, into and out of bodies</dd>
                <dt>← →</dt>
                <dd>collapse / expand; ← again goes to the enclosing block</dd>
                <dt>Enter</dt>
                <dd>edit the block&apos;s first field</dd>
                <dt>Delete</dt>
                <dd>delete the block</dd>
                <dt>Ctrl+D</dt>
                <dd>duplicate the block</dd>
                <dt>Ctrl+Z, Ctrl+Shift+Z</dt>
                <dd>undo, redo</dd>
                <dt>Ctrl+S</dt>
                <dd>save as a new version</dd>
              </dl>
            </details>
          </section>
          <div className="pe-side-panel">
            <PreviewPanel
              document={doc}
              valid={validation.ok}
              problemCount={problems.count}
              idleText={pristine ? 'Nothing to preview yet: add a block, or open a template.' : null}
              limits={ceiling}
              onSummary={setSummary}
              presetName={preview.preset}
              onPresetName={(preset) => setPreview({ preset })}
            />
            <EstimatesPanel
              doc={doc}
              summary={summary}
              valid={validation.ok}
              problems={shown.all}
              empty={pristine}
              limits={limits}
              runBlocked={runBlocked}
              onRun={run}
              onLabSweep={labSweep}
              onShowProblem={showProblem}
            />
          </div>
        </div>
      </DragContext.Provider>
      <ConfirmDialog request={confirm} onClose={() => setConfirm(null)} />
    </section>
  );
}

