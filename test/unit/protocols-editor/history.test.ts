import { describe, expect, it } from 'vitest';
import { HISTORY_LIMIT, canRedo, canUndo, createHistory, record, redo, seal, undo } from '../../../renderer/features/protocols/history';

describe('undo history', () => {
  it('undoes and redoes every recorded step, and a new edit forgets the undone future', () => {
    let h = createHistory('a');
    h = record(h, 'b');
    h = record(h, 'c');
    expect(canUndo(h)).toBe(true);
    expect(canRedo(h)).toBe(false);
    h = undo(h);
    expect(h.present).toBe('b');
    h = undo(h);
    expect(h.present).toBe('a');
    expect(undo(h)).toBe(h);
    h = redo(h);
    expect(h.present).toBe('b');
    h = record(h, 'x');
    expect(h.present).toBe('x');
    expect(canRedo(h)).toBe(false);
    expect(undo(h).present).toBe('b');
  });

  it('merges consecutive edits of one field into one step until sealed', () => {
    let h = createHistory('');
    for (const text of ['1', '1.', '1.5', '1.5 V']) h = record(h, text, 'amplitude');
    expect(h.past).toEqual(['']);
    h = record(h, '2 V', 'width');
    expect(h.past).toEqual(['', '1.5 V']);
    h = seal(h);
    h = record(h, '2.5 V', 'width');
    expect(h.past).toEqual(['', '1.5 V', '2 V']);
    expect(undo(undo(undo(h))).present).toBe('');
  });

  it('records nothing when nothing changed', () => {
    const h = createHistory({ n: 1 });
    expect(record(h, h.present)).toBe(h);
  });

  it('keeps at most HISTORY_LIMIT steps, dropping the oldest', () => {
    let h = createHistory(0);
    for (let k = 1; k <= HISTORY_LIMIT + 20; k++) h = record(h, k);
    expect(h.past.length).toBe(HISTORY_LIMIT);
    expect(h.past[0]).toBe(20);
  });
});
