import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateProtocol } from '../../../shared/protocol';
import {
  allIds,
  blockAt,
  blockById,
  blockPath,
  duplicateBlock,
  emptyDocument,
  ensureIds,
  insertBlock,
  locOf,
  moveBlock,
  newBlock,
  removeBlock,
  setBlockField,
  setDocField,
  stepBlock,
  tidyDocument,
  visibleBlocks,
  type EBlock,
  type EDoc,
} from '../../../renderer/features/protocols/model';
import { validProtocol } from '../protocol/arbitraries';

/** top: a (pulse), r (repeat: [b (wait), c (read)]), d (train) */
function sample(): EDoc {
  return {
    ...emptyDocument('Sample'),
    blocks: [
      { kind: 'pulse', id: 'a', amplitude: '2 V', width: '10 ms' },
      { kind: 'repeat', id: 'r', times: 2, body: [{ kind: 'wait', id: 'b', duration: '1 s' }, { kind: 'read', id: 'c' }] },
      { kind: 'train', id: 'd', count: 3, amplitude: '1 V', width: '1 ms', period: '10 ms' },
    ],
  };
}

/** The tree as nested ids: 'a r(b c) d'. */
function shape(doc: EDoc): string {
  const walk = (list: EBlock[]): string =>
    list.map((b) => ('body' in b && Array.isArray(b.body) ? `${b.id}(${walk(b.body)})` : b.id)).join(' ');
  return walk(doc.blocks);
}

describe('editor document model', () => {
  it('locates blocks by id and by index path, and names them as validation does', () => {
    const doc = sample();
    expect(locOf(doc, 'c')).toEqual([1, 1]);
    expect(blockAt(doc, [1, 1])?.id).toBe('c');
    expect(blockPath([1, 1])).toBe('blocks[1].body[1]');
    expect(blockPath([0])).toBe('blocks[0]');
    expect(locOf(doc, 'nope')).toBeUndefined();
  });

  it('edits return new documents and leave the old ones, and the untouched parts, as they were', () => {
    const doc = sample();
    const frozen = JSON.stringify(doc);
    const next = setBlockField(doc, 'b', 'duration', '2 s');
    expect(JSON.stringify(doc)).toBe(frozen);
    expect(blockById(next, 'b')).toMatchObject({ duration: '2 s' });
    expect(next.blocks[0]).toBe(doc.blocks[0]); // shared, not copied
    expect(next.blocks[2]).toBe(doc.blocks[2]);
    expect(setBlockField(doc, 'b', 'duration', '1 s')).toBe(doc); // no change, same object
    expect(setBlockField(doc, 'a', 'width', undefined).blocks[0]).not.toHaveProperty('width');
  });

  it('inserts, removes and moves blocks, into and out of bodies', () => {
    const doc = sample();
    expect(shape(insertBlock(doc, 'r', 1, { kind: 'read', id: 'x' }))).toBe('a r(b x c) d');
    expect(shape(insertBlock(doc, null, 99, { kind: 'read', id: 'x' }))).toBe('a r(b c) d x');
    expect(shape(removeBlock(doc, 'r'))).toBe('a d');
    expect(shape(moveBlock(doc, 'a', 'r', 2))).toBe('r(b c a) d');
    expect(shape(moveBlock(doc, 'c', null, 0))).toBe('c a r(b) d');
    expect(shape(moveBlock(doc, 'a', null, 3))).toBe('r(b c) d a');
    expect(shape(moveBlock(doc, 'd', null, 1))).toBe('a d r(b c)');
    // Onto its own place, or into itself: nothing happens.
    expect(moveBlock(doc, 'a', null, 0)).toBe(doc);
    expect(moveBlock(doc, 'a', null, 1)).toBe(doc);
    expect(moveBlock(doc, 'r', 'r', 0)).toBe(doc);
  });

  it('refuses to move a container into its own body, however deep', () => {
    const doc = insertBlock(sample(), 'r', 0, { kind: 'repeat', id: 'inner', times: 2, body: [{ kind: 'read', id: 'z' }] });
    expect(moveBlock(doc, 'r', 'inner', 0)).toBe(doc);
    expect(shape(moveBlock(doc, 'inner', null, 0))).toBe('inner(z) a r(b c) d');
  });

  it('steps a block up and down in visual order, entering open containers and leaving bodies at their ends', () => {
    let doc = sample();
    const none = new Set<string>();
    doc = stepBlock(doc, 'd', -1, none);
    expect(shape(doc)).toBe('a r(b c d)'); // into the end of the open repeat above
    doc = stepBlock(doc, 'd', -1, none);
    expect(shape(doc)).toBe('a r(b d c)');
    doc = stepBlock(doc, 'd', -1, none);
    doc = stepBlock(doc, 'd', -1, none);
    expect(shape(doc)).toBe('a d r(b c)'); // out of the body, before the repeat
    expect(shape(stepBlock(sample(), 'a', 1, new Set(['r'])))).toBe('r(b c) a d'); // a collapsed repeat is stepped over
    expect(shape(stepBlock(sample(), 'a', 1, none))).toBe('r(a b c) d');
    expect(stepBlock(sample(), 'a', -1, none)).toEqual(sample()); // already first at the top
  });

  it('duplicates a block with fresh ids for it and everything inside', () => {
    const { doc, copyId } = duplicateBlock(sample(), 'r');
    expect(copyId).toBe('repeat-1');
    expect(shape(doc)).toBe('a r(b c) repeat-1(wait-1 read-1) d');
    expect(allIds(doc).size).toBe(8);
  });

  it('gives every block a unique id on load, keeping the ones it has', () => {
    const doc = ensureIds({
      ...emptyDocument(),
      blocks: [{ kind: 'pulse', id: 'p' }, { kind: 'pulse' }, { kind: 'pulse', id: 'p' }, { kind: 'repeat', times: 2, body: [{ kind: 'read' }] }] as EBlock[],
    });
    expect(shape(doc)).toBe('p pulse-1 pulse-2 repeat-1(read-1)');
  });

  it('new blocks of every kind are valid on their own (containers once their body has a block)', () => {
    for (const kind of ['pulse', 'train', 'read', 'wait', 'ramp'] as const) {
      const doc = { ...emptyDocument(), blocks: [newBlock(kind, new Set())] };
      expect(validateProtocol(doc).problems, kind).toEqual([]);
    }
    for (const kind of ['repeat', 'sweep', 'until'] as const) {
      const block = newBlock(kind, new Set(['pulse-1']));
      const inner = kind === 'sweep' ? { kind: 'pulse', id: 'pulse-1', width: '1 ms', read: true } : { kind: 'pulse', id: 'pulse-1', amplitude: '2 V', width: '1 ms', read: true };
      const doc = insertBlock({ ...emptyDocument(), blocks: [block] }, block.id!, 0, inner as EBlock);
      expect(validateProtocol(doc).problems, kind).toEqual([]);
    }
  });

  it('sets and clears document-level fields, dropping an emptied section', () => {
    let doc = setDocField(emptyDocument(), 'limits', 'maxVoltage', '3 V');
    expect(doc.limits).toEqual({ maxVoltage: '3 V' });
    doc = setDocField(doc, 'limits', 'maxVoltage', undefined);
    expect(doc).not.toHaveProperty('limits');
    expect(setDocField(doc, null, 'description', 'x').description).toBe('x');
  });

  it('lists the visible blocks depth-first, skipping collapsed bodies', () => {
    expect(visibleBlocks(sample(), new Set()).map((v) => `${v.id}@${v.depth}`)).toEqual(['a@0', 'r@0', 'b@1', 'c@1', 'd@0']);
    expect(visibleBlocks(sample(), new Set(['r'])).map((v) => v.id)).toEqual(['a', 'r', 'd']);
  });

  it('tidies plain-number text into numbers for saving, and keeps everything else as written', () => {
    const doc = tidyDocument({
      ...emptyDocument('100'),
      blocks: [{ kind: 'train', id: '7', label: '42', count: '100', amplitude: '2 V', width: ' 0.01 ', period: '1.50' }],
    });
    expect(doc.name).toBe('100');
    expect(doc.blocks[0]).toEqual({ kind: 'train', id: '7', label: '42', count: 100, amplitude: '2 V', width: 0.01, period: '1.50' });
  });

  it('keeps generated protocols valid and equal in meaning through ensureIds and tidyDocument', () => {
    fc.assert(
      fc.property(validProtocol, ({ document, limits }) => {
        const before = validateProtocol(document, { limits });
        const doc = tidyDocument(ensureIds(document as unknown as EDoc));
        const after = validateProtocol(doc, { limits });
        expect(after.ok).toBe(true);
        if (!before.ok || !after.ok) return;
        const strip = (x: unknown): unknown => JSON.parse(JSON.stringify(x, (k, v: unknown) => (k === 'id' ? undefined : v)));
        expect(strip(after.document)).toEqual(strip(before.document));
      }),
      { numRuns: 150 },
    );
  });

  it('never loses, duplicates or corrupts blocks under any sequence of moves', () => {
    const ids = ['a', 'r', 'b', 'c', 'd'];
    const op = fc.record({ id: fc.constantFrom(...ids), parent: fc.constantFrom<string | null>(null, 'r'), index: fc.nat(5) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        let doc = sample();
        for (const o of ops) doc = moveBlock(doc, o.id, o.parent, o.index);
        expect([...allIds(doc)].sort()).toEqual([...ids].sort());
        expect(visibleBlocks(doc, new Set())).toHaveLength(5);
        expect(validateProtocol(doc).ok || validateProtocol(doc).problems.every((p) => p.code === 'structure')).toBe(true);
      }),
    );
  });
});
