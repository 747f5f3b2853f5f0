import { describe, expect, it } from 'vitest';
import { BlockSchema, ProtocolDocumentSchema, ProtocolInputSchema, validateProtocol } from '../../../shared/protocol';
import { doc } from './helpers';

describe('zod schemas of the document', () => {
  const written = doc([{ kind: 'train', count: 3, amplitude: '2 V', width: '10 ms', period: '1 s', read: { voltage: '0.1 V' } }]);

  it('accept a written document as input and its normalised form as a document', () => {
    expect(ProtocolInputSchema.safeParse(written).success).toBe(true);
    expect(ProtocolDocumentSchema.safeParse(written).success).toBe(false);
    const normalised = validateProtocol(written);
    expect(normalised.ok && ProtocolDocumentSchema.safeParse(normalised.document).success).toBe(true);
  });

  it('reject unknown fields and kinds, and nest recursively', () => {
    expect(BlockSchema.safeParse({ kind: 'pulse', amplitude: 1, width: 1, colour: 'red' }).success).toBe(false);
    expect(BlockSchema.safeParse({ kind: 'pluse' }).success).toBe(false);
    expect(BlockSchema.safeParse({ kind: 'repeat', times: 2, body: [{ kind: 'repeat', times: 2, body: [{ kind: 'read' }] }] }).success).toBe(true);
    expect(BlockSchema.safeParse({ kind: 'repeat', times: 2, body: [{ kind: 'repeat', times: 2, body: [{ kind: 'nope' }] }] }).success).toBe(false);
    expect(ProtocolDocumentSchema.safeParse({ ...doc([{ kind: 'read' }]), version: 2 }).success).toBe(false);
  });
});
