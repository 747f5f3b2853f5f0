import { describe, expect, it } from 'vitest';
import { blockById, emptyDocument, locOf } from '../../../renderer/features/protocols/model';
import { docOf, editorReducer, initialState, isDirty, present, type EditorAction, type EditorState } from '../../../renderer/features/protocols/state';

const run = (s: EditorState, ...actions: EditorAction[]) => actions.reduce(editorReducer, s);

describe('editor state', () => {
  it('adds after the selected block, into a selected open container, and selects what it added', () => {
    let s = initialState({ doc: emptyDocument(), tags: [] });
    s = run(s, { type: 'add', kind: 'pulse' }, { type: 'add', kind: 'repeat' }, { type: 'add', kind: 'read' });
    expect(locOf(docOf(s), 'read-1')).toEqual([1, 0]);
    expect(s.selected).toBe('read-1');
    s = run(s, { type: 'select', id: 'pulse-1' }, { type: 'add', kind: 'wait' });
    expect(locOf(docOf(s), 'wait-1')).toEqual([1]);
    s = run(s, { type: 'select', id: 'repeat-1' }, { type: 'collapse', id: 'repeat-1', collapsed: true }, { type: 'add', kind: 'train' });
    expect(locOf(docOf(s), 'train-1')).toEqual([3]); // a collapsed container is not entered
    s = run(s, { type: 'add', kind: 'ramp', parentId: 'repeat-1', index: 0 });
    expect(locOf(docOf(s), 'ramp-1')).toEqual([2, 0]);
  });

  it('selects the next block, else the previous, else the parent, after a delete', () => {
    let s = initialState({
      doc: { ...emptyDocument(), blocks: [{ kind: 'repeat', id: 'r', times: 2, body: [{ kind: 'read', id: 'x' }, { kind: 'read', id: 'y' }] }, { kind: 'wait', id: 'w' }] },
      tags: [],
    });
    s = run(s, { type: 'select', id: 'x' }, { type: 'remove', id: 'x' });
    expect(s.selected).toBe('y');
    s = run(s, { type: 'remove', id: 'y' });
    expect(s.selected).toBe('r');
    s = run(s, { type: 'select', id: 'w' }, { type: 'remove', id: 'w' });
    expect(s.selected).toBe('r');
  });

  it('moves the selection with the arrows over visible blocks only', () => {
    let s = initialState({ doc: { ...emptyDocument(), blocks: [{ kind: 'repeat', id: 'r', times: 2, body: [{ kind: 'read', id: 'x' }] }, { kind: 'wait', id: 'w' }] }, tags: [] });
    s = run(s, { type: 'selectStep', direction: 1 });
    expect(s.selected).toBe('r');
    s = run(s, { type: 'selectStep', direction: 1 });
    expect(s.selected).toBe('x');
    s = run(s, { type: 'collapse', id: 'r', collapsed: true }, { type: 'select', id: 'r' }, { type: 'selectStep', direction: 1 });
    expect(s.selected).toBe('w');
    s = run(s, { type: 'selectStep', direction: 1 });
    expect(s.selected).toBe('w');
    s = run(s, { type: 'selectStep', direction: 'first' });
    expect(s.selected).toBe('r');
  });

  it('knows unsaved edits: undoing back to the saved content is no edit; a save moves the baseline', () => {
    let s = initialState({ doc: emptyDocument(), tags: [] });
    expect(isDirty(s)).toBe(false);
    s = run(s, { type: 'add', kind: 'pulse' });
    expect(isDirty(s)).toBe(true);
    s = run(s, { type: 'undo' });
    expect(isDirty(s)).toBe(false);
    s = run(s, { type: 'redo' });
    const saved = present(s);
    s = run(s, { type: 'setTags', tags: ['a'] });
    s = run(s, { type: 'markSaved', content: saved }); // a save that started before the tag edit
    expect(isDirty(s)).toBe(true);
    s = run(s, { type: 'markSaved', content: present(s) });
    expect(isDirty(s)).toBe(false);
    s = run(s, { type: 'load', content: { doc: emptyDocument('Other'), tags: [] } });
    expect(isDirty(s)).toBe(false);
    expect(s.history.past).toEqual([]);
  });

  it('keeps the selection through undo while its block exists, and counts revisions of content only', () => {
    let s = initialState({ doc: emptyDocument(), tags: [] });
    s = run(s, { type: 'add', kind: 'pulse' }, { type: 'setField', id: 'pulse-1', key: 'amplitude', value: '3 V' });
    const revision = s.revision;
    s = run(s, { type: 'select', id: 'pulse-1' }, { type: 'collapse', id: 'pulse-1', collapsed: true });
    expect(s.revision).toBe(revision);
    s = run(s, { type: 'undo' });
    expect(s.selected).toBe('pulse-1');
    expect(blockById(docOf(s), 'pulse-1')).toMatchObject({ amplitude: '2 V' });
    s = run(s, { type: 'undo' });
    expect(s.selected).toBeNull();
    expect(s.revision).toBe(revision + 2);
  });

  it('makes each typed field one undo step, and a blur starts the next', () => {
    let s = initialState({ doc: emptyDocument(), tags: [] });
    s = run(s, { type: 'add', kind: 'pulse' });
    for (const v of ['3', '3 ', '3 V']) s = run(s, { type: 'setField', id: 'pulse-1', key: 'amplitude', value: v });
    s = run(s, { type: 'seal' }, { type: 'setField', id: 'pulse-1', key: 'amplitude', value: '4 V' });
    s = run(s, { type: 'undo' });
    expect(blockById(docOf(s), 'pulse-1')).toMatchObject({ amplitude: '3 V' });
    s = run(s, { type: 'undo' });
    expect(blockById(docOf(s), 'pulse-1')).toMatchObject({ amplitude: '2 V' });
  });
});
