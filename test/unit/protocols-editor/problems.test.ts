import { describe, expect, it } from 'vitest';
import { childPath, validateProtocol, type Problem } from '../../../shared/protocol';
import { claimedPaths } from '../../../renderer/features/protocols/BlockForm';
import { blockAt, blockPath, emptyDocument, type EBlock, type EDoc } from '../../../renderer/features/protocols/model';
import { ProblemIndex, blockOfPath, fieldId, sentence } from '../../../renderer/features/protocols/problems';
import { describeWhere } from '../../../renderer/features/protocols/summary';

function problemsOf(blocks: unknown[]): Problem[] {
  const r = validateProtocol({ ...emptyDocument('P'), blocks });
  return r.ok ? [] : r.problems;
}

/** Where the editor shows a problem: a field of a block, the block's header, or the document. */
function placeOf(doc: EDoc, index: ProblemIndex, p: Problem): string {
  const bp = blockOfPath(p.path);
  if (bp === null) return 'document';
  const loc = (bp.match(/\d+/g) ?? []).map(Number);
  const block = blockAt(doc, loc) as EBlock;
  const claimed = claimedPaths(block, blockPath(loc));
  if (index.unclaimed(bp, claimed).includes(p)) return `header ${bp}`;
  const field = claimed.find((c) => p.path === c || p.path.startsWith(`${c}.`) || p.path.startsWith(`${c}[`));
  return `field ${field}`;
}

describe('problems placed at their fields', () => {
  it('puts each problem of a typed block at the field it names', () => {
    const blocks = [
      { kind: 'train', id: 't', count: '2.5', amplitude: '7 V', width: 'ten', period: '1 s', read: { voltage: '9 V' } },
      { kind: 'sweep', id: 's', parameter: 'amplitude', values: ['1 V', 'x', '8 V'], body: [{ kind: 'pulse', id: 'p', width: '1 ms' }] },
      { kind: 'until', id: 'u', when: 'below', maxIterations: 3, body: [{ kind: 'read', id: 'r' }] },
      { kind: 'repeat', id: 'e', times: 2, body: [] },
    ];
    const doc = { ...emptyDocument('P'), blocks } as EDoc;
    const index = new ProblemIndex(problemsOf(blocks));
    const placed = index.all.map((p) => `${placeOf(doc, index, p)} ← ${p.path}`);
    expect(placed).toEqual(
      expect.arrayContaining([
        'field blocks[0].count ← blocks[0].count',
        'field blocks[0].amplitude ← blocks[0].amplitude',
        'field blocks[0].width ← blocks[0].width',
        'field blocks[0].read ← blocks[0].read.voltage',
        'field blocks[1].values ← blocks[1].values[1]',
        'field blocks[1].values ← blocks[1].values[2]',
        'header blocks[2] ← blocks[2]',
        'header blocks[3] ← blocks[3].body',
      ]),
    );
    // A problem inside a body belongs to the inner block, not to its container.
    expect(index.unclaimed('blocks[1]', claimedPaths(blocks[1] as EBlock, 'blocks[1]')).map((p) => p.path)).not.toContain('blocks[1].body[0].amplitude');
    expect(index.within('blocks[1].values').map((p) => p.path)).toEqual(['blocks[1].values[1]', 'blocks[1].values[2]']);
    expect(index.limits.map((p) => p.path).sort()).toEqual(['blocks[0].amplitude', 'blocks[0].read.voltage', 'blocks[1].values[2]']);
  });

  it('finds the block a path belongs to', () => {
    expect(blockOfPath('blocks[2].body[0].width')).toBe('blocks[2].body[0]');
    expect(blockOfPath('blocks[2].body[0].body[3]')).toBe('blocks[2].body[0].body[3]');
    expect(blockOfPath('blocks[1].values[2]')).toBe('blocks[1]');
    expect(blockOfPath('blocks')).toBeNull();
    expect(blockOfPath('limits.maxVoltage')).toBeNull();
  });

  it('writes messages as sentences and makes safe, distinct element ids', () => {
    expect(sentence('amplitude 7 V exceeds the limit of 5 V (max |V|)')).toBe('Amplitude 7 V exceeds the limit of 5 V (max |V|).');
    expect(sentence('Already one.')).toBe('Already one.');
    expect(fieldId('blocks[0].amplitude')).toBe('pf-blocks_0_amplitude');
    expect(fieldId(childPath('blocks[0]', 'read'))).not.toBe(fieldId('blocks[0].read.voltage'));
    expect(fieldId('limits["odd key"]')).toMatch(/^pf-[\w-]+$/);
  });

  it('says where a problem is in words', () => {
    const doc = { ...emptyDocument(), blocks: [{ kind: 'repeat', id: 'r', label: 'outer', times: 2, body: [{ kind: 'pulse', id: 'p' }] }] } as EDoc;
    expect(describeWhere(doc, 'blocks[0].body[0].width')).toBe('Pulse 1.1 › width');
    expect(describeWhere(doc, 'blocks[0].times')).toBe('Repeat “outer” › times');
    expect(describeWhere(doc, 'limits.maxVoltage')).toBe('Document › limits.maxVoltage');
    expect(describeWhere(doc, '')).toBe('Document');
  });
});
