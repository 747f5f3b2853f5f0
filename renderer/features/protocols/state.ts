/**
 * The editor's state and every edit as a reducer action. Content (the document and the library
 * tags) lives in an undo history; selection and collapsed blocks are view state, not edits.
 */
import type { BlockKind } from '../../../shared/protocol';
import { canRedo, canUndo, createHistory, record, redo, seal, undo, type History } from './history';
import {
  allIds,
  blockById,
  duplicateBlock,
  ensureIds,
  insertBlock,
  isContainer,
  moveBlock,
  newBlock,
  placeOf,
  removeBlock,
  setBlockField,
  setDocField,
  siblingsOf,
  stepBlock,
  visibleBlocks,
  type EDoc,
} from './model';

export interface Content {
  readonly doc: EDoc;
  readonly tags: readonly string[];
}

export interface EditorState {
  readonly history: History<Content>;
  readonly selected: string | null;
  readonly collapsed: ReadonlySet<string>;
  /** Bumped on every change of content (undo and redo included), to tell the preview. */
  readonly revision: number;
  /** The content as last loaded or saved: anything else is an unsaved edit. */
  readonly baseline: Content;
}

export type EditorAction =
  | { type: 'load'; content: Content }
  /** The content that was just saved (it may be older than the present if editing went on meanwhile). */
  | { type: 'markSaved'; content: Content }
  | { type: 'add'; kind: BlockKind; parentId?: string | null; index?: number }
  | { type: 'move'; id: string; parentId: string | null; index: number }
  | { type: 'step'; id: string; direction: -1 | 1 }
  | { type: 'remove'; id: string }
  | { type: 'duplicate'; id: string }
  | { type: 'setField'; id: string; key: string; value: unknown }
  | { type: 'setDoc'; section: 'read' | 'limits' | null; key: string; value: unknown }
  | { type: 'setTags'; tags: string[] }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'seal' }
  | { type: 'select'; id: string | null }
  | { type: 'selectStep'; direction: -1 | 1 | 'first' | 'last' }
  | { type: 'collapse'; id: string; collapsed: boolean };

export function initialState(content: Content): EditorState {
  const history = createHistory(normalise(content));
  return { history, selected: null, collapsed: new Set(), revision: 0, baseline: history.present };
}

/** True when the content differs from what was last loaded or saved (undoing back to it counts as no edit). */
export const isDirty = (s: EditorState): boolean => s.history.present !== s.baseline;

function normalise(content: Content): Content {
  return { doc: ensureIds(content.doc), tags: [...content.tags] };
}

export const present = (s: EditorState): Content => s.history.present;
export const docOf = (s: EditorState): EDoc => s.history.present.doc;
export { canUndo, canRedo };

/** Records a new document; `key` merges consecutive edits of one field into one undo step. */
function edit(s: EditorState, doc: EDoc, key: string | null = null, selected: string | null = s.selected): EditorState {
  if (doc === s.history.present.doc && selected === s.selected) return s;
  if (doc === s.history.present.doc) return { ...s, selected };
  const history = record(s.history, { ...s.history.present, doc }, key);
  return { ...s, history, selected, revision: s.revision + 1 };
}

/** After undo/redo the selection stays if its block still exists. */
function afterTimeTravel(s: EditorState, history: History<Content>): EditorState {
  if (history === s.history) return s;
  const selected = s.selected !== null && blockById(history.present.doc, s.selected) ? s.selected : null;
  return { ...s, history, selected, revision: s.revision + 1 };
}

export function editorReducer(s: EditorState, a: EditorAction): EditorState {
  const doc = docOf(s);
  switch (a.type) {
    case 'load': {
      const history = createHistory(normalise(a.content));
      return { history, selected: null, collapsed: new Set(), revision: s.revision + 1, baseline: history.present };
    }
    case 'markSaved':
      return a.content === s.baseline ? s : { ...s, baseline: a.content };
    case 'add': {
      const block = newBlock(a.kind, allIds(doc));
      let parentId: string | null;
      let index: number;
      if (a.parentId !== undefined && a.index !== undefined) {
        parentId = a.parentId;
        index = a.index;
      } else {
        // Into the selected repeat/sweep/until (when open), else after the selected block, else at the end.
        const sel = s.selected !== null ? blockById(doc, s.selected) : undefined;
        const place = s.selected !== null ? placeOf(doc, s.selected) : undefined;
        if (sel && isContainer(sel) && !s.collapsed.has(s.selected!)) {
          parentId = s.selected;
          index = (sel.body ?? []).length;
        } else if (place) {
          parentId = place.parentId;
          index = place.index + 1;
        } else {
          parentId = null;
          index = (doc.blocks ?? []).length;
        }
      }
      return edit(s, insertBlock(doc, parentId, index, block), null, block.id ?? null);
    }
    case 'move':
      return edit(s, moveBlock(doc, a.id, a.parentId, a.index), null, a.id);
    case 'step':
      return edit(s, stepBlock(doc, a.id, a.direction, s.collapsed), null, a.id);
    case 'remove': {
      if (!blockById(doc, a.id)) return s;
      // Select what takes its place: the next block beside it, else the one before, else its parent.
      const place = placeOf(doc, a.id)!;
      const siblings = siblingsOf(doc, a.id);
      const next = siblings[place.index + 1]?.id ?? siblings[place.index - 1]?.id ?? place.parentId;
      return edit(s, removeBlock(doc, a.id), null, s.selected === a.id ? next : s.selected);
    }
    case 'duplicate': {
      const { doc: next, copyId } = duplicateBlock(doc, a.id);
      return edit(s, next, null, copyId ?? s.selected);
    }
    case 'setField':
      return edit(s, setBlockField(doc, a.id, a.key, a.value), `block:${a.id}:${a.key}`);
    case 'setDoc':
      return edit(s, setDocField(doc, a.section, a.key, a.value), `doc:${a.section ?? ''}:${a.key}`);
    case 'setTags': {
      const same = a.tags.length === s.history.present.tags.length && a.tags.every((t, k) => t === s.history.present.tags[k]);
      if (same) return s;
      return { ...s, history: record(s.history, { ...s.history.present, tags: a.tags }, 'tags'), revision: s.revision + 1 };
    }
    case 'undo':
      return afterTimeTravel(s, undo(s.history));
    case 'redo':
      return afterTimeTravel(s, redo(s.history));
    case 'seal': {
      const history = seal(s.history);
      return history === s.history ? s : { ...s, history };
    }
    case 'select':
      return a.id === s.selected ? s : { ...s, selected: a.id };
    case 'selectStep': {
      const visible = visibleBlocks(doc, s.collapsed);
      if (visible.length === 0) return s;
      let k: number;
      if (a.direction === 'first') k = 0;
      else if (a.direction === 'last') k = visible.length - 1;
      else {
        const at = visible.findIndex((v) => v.id === s.selected);
        k = at < 0 ? (a.direction === 1 ? 0 : visible.length - 1) : Math.max(0, Math.min(visible.length - 1, at + a.direction));
      }
      return { ...s, selected: visible[k]!.id };
    }
    case 'collapse': {
      if (s.collapsed.has(a.id) === a.collapsed) return s;
      const collapsed = new Set(s.collapsed);
      if (a.collapsed) collapsed.add(a.id);
      else collapsed.delete(a.id);
      return { ...s, collapsed };
    }
  }
}
