import { describe, expect, it } from 'vitest';
import { validateProtocol } from '../../../shared/protocol';

const doc = (blocks: unknown[]) => ({ format: 'memristor-workbench/protocol', version: 1, name: 'x', blocks });

// #19 item 8: a count of 1e9 was reported at "Document › blocks" and the Count field was not outlined.
describe('a count over the pulse or read limit', () => {
  it('is reported at the block’s count field, and not again for the document', () => {
    const r = validateProtocol(doc([{ kind: 'train', count: 1e9, amplitude: '1 V', width: '1 ms', period: '10 ms' }]));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toContainEqual({ path: 'blocks[0].count', code: 'limit', message: 'count 1,000,000,000 exceeds the limit of 1,000,000 (max pulse count)' });
    expect(r.problems.filter((p) => p.path === 'blocks')).toEqual([]);
  });

  it('for reads too; and counts that only add up over the limit are still the document’s', () => {
    const reads = validateProtocol(doc([{ kind: 'read', count: 20_000_000, interval: '1 ms' }]));
    expect(reads.ok).toBe(false);
    if (!reads.ok) expect(reads.problems.map((p) => p.path)).toContain('blocks[0].count');
    const two = validateProtocol(doc([1, 2].map(() => ({ kind: 'train', count: 600_000, amplitude: '1 V', width: '1 ms', period: '10 ms' }))));
    expect(two.ok).toBe(false);
    if (!two.ok) {
      expect(two.problems.map((p) => p.path)).toEqual(['blocks']);
      expect(two.problems[0]!.message).toContain('max pulse count');
    }
  });
});
