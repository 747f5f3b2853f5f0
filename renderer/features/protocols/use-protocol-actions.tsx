/**
 * What the Protocols page does with the library: open, new, template, save, restore, duplicate,
 * delete, export and import — each asking first when it would lose unsaved edits, and each saying
 * what happened in the page's notice.
 */
import { useCallback, useRef, type Dispatch } from 'react';
import type { HostClient } from '../../api/host-client';
import { HostError } from '../../../shared/contract';
import type { ProtocolRecord, ProtocolSummary, ProtocolTemplate } from '../../../shared/contract/areas/protocols';
import type { Problem, validateProtocol } from '../../../shared/protocol';
import type { ConfirmRequest } from './ConfirmDialog';
import { downloadJson, exportFileName, readImportFile } from './files';
import { useLeaveGuard } from './leave-guard';
import { emptyDocument, tidyDocument } from './model';
import type { PreviewSummary } from './PreviewPanel';
import type { ProblemIndex } from './problems';
import { docOf, isDirty, present, type Content, type EditorAction, type EditorState } from './state';

export const PAGE = 'protocols';

export type Source =
  | { kind: 'new' }
  | { kind: 'template'; id: string; name: string }
  | { kind: 'library'; id: string; version: number; latestVersion: number };

export interface Notice {
  kind: 'ok' | 'error';
  text: string;
  problems?: readonly Problem[];
}

export function setProtocolHash(id: string | null, version?: number): void {
  const q = id === null ? '' : `?protocol=${id}${version === undefined ? '' : `&version=${version}`}`;
  window.history.replaceState(window.history.state, '', `#/${PAGE}${q}`);
}

interface Options {
  host: HostClient;
  state: EditorState;
  dispatch: Dispatch<EditorAction>;
  source: Source;
  setSource: (s: Source) => void;
  setSummary: (s: PreviewSummary | null) => void;
  setNotice: (n: Notice | null) => void;
  setConfirm: (c: ConfirmRequest | null) => void;
  validation: ReturnType<typeof validateProtocol>;
  problems: ProblemIndex;
  busy: boolean;
  setBusy: (b: boolean) => void;
  refresh: () => void;
}

export function useProtocolActions({ host, state, dispatch, source, setSource, setSummary, setNotice, setConfirm, validation, problems, busy, setBusy, refresh }: Options) {
  const content = present(state);
  const doc = docOf(state);
  const dirty = isDirty(state);
  const readOnly = source.kind === 'library' && source.version < source.latestVersion;
  const docName = typeof doc.name === 'string' ? doc.name : '';

  // ----- replacing what is in the editor, asking first when that would lose edits -----

  const guard = useCallback(
    (proceed: () => void) => {
      if (!dirty) {
        proceed();
        return;
      }
      setConfirm({
        title: 'Discard unsaved edits?',
        body: (
          <p>
            “{docName || 'This protocol'}” has edits that are not saved. If you go on, they are lost. Save first with Ctrl+S to keep them as a new version.
          </p>
        ),
        confirm: 'Discard edits',
        cancel: 'Keep editing',
        danger: true,
        onConfirm: proceed,
      });
    },
    [dirty, docName, setConfirm],
  );

  useLeaveGuard(
    dirty,
    (proceed) =>
      setConfirm({
        title: 'Leave with unsaved edits?',
        body: <p>“{docName || 'This protocol'}” has edits that are not saved. If you leave the Protocols page now, they are lost.</p>,
        confirm: 'Discard edits and leave',
        cancel: 'Stay',
        danger: true,
        onConfirm: proceed,
      }),
    PAGE,
  );

  const load = (c: Content, s: Source) => {
    dispatch({ type: 'load', content: c });
    setSource(s);
    setSummary(null);
  };

  const showRecord = (r: ProtocolRecord) => {
    load({ doc: r.document, tags: r.tags }, { kind: 'library', id: r.id, version: r.version, latestVersion: r.latestVersion });
    setProtocolHash(r.id, r.version === r.latestVersion ? undefined : r.version);
  };

  const failed = (what: string, e: unknown) => {
    const problems = e instanceof HostError ? (e.details as { problems?: Problem[] } | undefined)?.problems : undefined;
    setNotice({ kind: 'error', text: `${what}: ${e instanceof Error ? e.message : String(e)}`, problems });
  };

  // What the editor holds now, for answers that arrive after the person went on editing.
  const now = useRef({ revision: state.revision, dirty });
  now.current = { revision: state.revision, dirty };
  const opening = useRef(0);

  const openProtocol = (id: string, version?: number) => {
    // Already open, as asked and unedited: nothing to do.
    if (source.kind === 'library' && source.id === id && !dirty && (version === undefined ? source.version === source.latestVersion : source.version === version)) return;
    guard(() => {
      const ticket = ++opening.current;
      const revision = now.current.revision;
      host.call('protocols.get', version === undefined ? { id } : { id, version }).then(
        (r) => {
          if (ticket !== opening.current) return; // a later open replaced this one
          const show = () => {
            showRecord(r);
            setNotice(null);
          };
          // Edited while it loaded: ask rather than overwrite.
          if (now.current.revision !== revision && now.current.dirty) askToReplace(r.name, show);
          else show();
        },
        (e: unknown) => failed('The protocol could not be opened', e),
      );
    });
  };

  const askToReplace = (name: string, proceed: () => void) =>
    setConfirm({
      title: 'Discard unsaved edits?',
      body: <p>“{name}” has loaded, but the editor has edits that are not saved. Open “{name}” anyway and lose them?</p>,
      confirm: 'Discard edits',
      cancel: 'Keep editing',
      danger: true,
      onConfirm: proceed,
    });

  const newProtocol = () =>
    guard(() => {
      load({ doc: emptyDocument(), tags: [] }, { kind: 'new' });
      setProtocolHash(null);
      setNotice(null);
    });

  const openTemplate = (t: ProtocolTemplate) =>
    guard(() => {
      load({ doc: t.document, tags: [] }, { kind: 'template', id: t.id, name: t.name });
      setProtocolHash(null);
      setNotice({ kind: 'ok', text: `A copy of the template “${t.name}” is open. Save it (Ctrl+S) to add it to your library.` });
    });

  const save = async () => {
    if (busy) return;
    if (readOnly) {
      setNotice({ kind: 'error', text: 'This is an earlier version, shown read-only. Restore it to make it the latest version, then edit.' });
      return;
    }
    if (!validation.ok) {
      setNotice({ kind: 'error', text: `Not saved: the protocol has ${validation.problems.length} problem${validation.problems.length === 1 ? '' : 's'}. Fix them first; each is shown at its field.` });
      return;
    }
    const sent = content;
    setBusy(true);
    try {
      const r = await host.call('protocols.save', {
        ...(source.kind === 'library' ? { id: source.id } : {}),
        name: docName.trim(),
        description: sent.doc.description ?? '',
        tags: [...sent.tags],
        document: tidyDocument(sent.doc),
      });
      dispatch({ type: 'markSaved', content: sent });
      setSource({ kind: 'library', id: r.id, version: r.version, latestVersion: r.latestVersion });
      setProtocolHash(r.id);
      setNotice({ kind: 'ok', text: `Saved “${r.name}” as version ${r.version}.` });
      refresh();
    } catch (e) {
      failed('Not saved', e);
    } finally {
      setBusy(false);
    }
  };

  const restore = (id: string, version: number) =>
    guard(() => {
      host.call('protocols.restore', { id, version }).then(
        (r) => {
          showRecord(r);
          setNotice({ kind: 'ok', text: `Restored version ${version} as version ${r.version}; earlier versions are all kept.` });
          refresh();
        },
        (e: unknown) => failed('Not restored', e),
      );
    });

  const duplicate = (p: ProtocolSummary) =>
    guard(() => {
      host.call('protocols.duplicate', { id: p.id }).then(
        (r) => {
          showRecord(r);
          setNotice({ kind: 'ok', text: `Duplicated “${p.name}” as “${r.name}”.` });
          refresh();
        },
        (e: unknown) => failed('Not duplicated', e),
      );
    });

  const remove = (p: ProtocolSummary) =>
    setConfirm({
      title: `Delete “${p.name}”?`,
      body: (
        <p>
          This deletes the protocol “{p.name}” and {p.latestVersion === 1 ? 'its only version' : `all ${p.latestVersion} versions of it`} from the library. Runs that used it keep
          their own copy of the protocol. This cannot be undone.
        </p>
      ),
      confirm: `Delete “${p.name}”`,
      danger: true,
      onConfirm: () => {
        host.call('protocols.delete', { id: p.id }).then(
          (r) => {
            if (source.kind === 'library' && source.id === p.id) {
              setSource({ kind: 'new' });
              setProtocolHash(null);
            }
            setNotice({ kind: 'ok', text: `Deleted “${r.name}” and its ${r.deletedVersions} version${r.deletedVersions === 1 ? '' : 's'}.` });
            refresh();
          },
          (e: unknown) => failed('Not deleted', e),
        );
      },
    });

  const exportFile = () => {
    const name = exportFileName(docName || 'protocol');
    downloadJson(name, tidyDocument(doc));
    if (problems.count > 0) {
      setNotice({ kind: 'error', text: `Exported “${name}” as it is, with ${problems.count} problem${problems.count === 1 ? '' : 's'}: importing it will be refused until they are fixed.` });
    }
  };

  const importFile = async (file: File) => {
    const check = await readImportFile(file);
    if (!check.ok) {
      setNotice({ kind: 'error', text: `“${file.name}” was not imported: it has ${check.problems.length} problem${check.problems.length === 1 ? '' : 's'}. Nothing was saved.`, problems: check.problems });
      return;
    }
    guard(() => {
      // A protocol of the same name becomes a new version of the one in the library, not a second
      // entry that cannot be told apart (#19 item 4); its earlier versions are all kept.
      host
        .call('protocols.list', { search: check.name })
        .then(({ protocols }) => {
          const same = protocols.find((p) => p.name === check.name);
          return host
            .call('protocols.save', { ...(same ? { id: same.id } : {}), name: check.name, description: check.description, tags: same ? same.tags : [], document: check.document })
            .then((r) => ({ r, same }));
        })
        .then(
          ({ r, same }) => {
            showRecord(r);
            setNotice({
              kind: 'ok',
              text: same
                ? `Imported “${file.name}” as version ${r.version} of “${r.name}”, which was already in the library (its earlier versions are kept).`
                : `Imported “${file.name}” into the library as “${r.name}”.`,
            });
            refresh();
          },
          (e: unknown) => failed(`“${file.name}” was not imported`, e),
        );
    });
  };

  return { openProtocol, newProtocol, openTemplate, save, restore, duplicate, remove, exportFile, importFile };
}
