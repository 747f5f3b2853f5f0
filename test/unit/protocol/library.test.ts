import { describe, expect, it } from 'vitest';
import { compileProtocol, estimateProgram, ProtocolInputSchema, validateProtocol } from '../../../shared/protocol';
import { libraryDocument, libraryFiles } from './helpers';

describe('the shipped protocol library', () => {
  it('has the five protocols', () => {
    expect(libraryFiles()).toEqual(['forming-ramp.json', 'paired-pulse.json', 'paper-spike-train.json', 'rate-dependence.json', 'relaxation.json']);
  });

  it.each(libraryFiles())('%s validates, compiles, matches the schema and describes itself', (file) => {
    const input = libraryDocument(file);
    expect(ProtocolInputSchema.safeParse(input).success).toBe(true);
    const result = compileProtocol(input);
    if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
    expect(result.document.description?.length ?? 0).toBeGreaterThan(80);
    expect(result.document.description).toMatch(/\bours?\b/u);
    expect(result.program.instructions.length).toBeGreaterThan(0);
  });

  it('estimates the paper spike train at 100 pulses and 100 s', () => {
    const result = compileProtocol(libraryDocument('paper-spike-train.json'));
    if (!result.ok) throw new Error('invalid');
    const e = estimateProgram(result.program);
    expect(e.pulses).toEqual({ value: 100, exact: true });
    expect(e.duration.value).toBeCloseTo(100, 9);
  });

  it('reads the relaxation for 600 s every 10 s after the same train', () => {
    const result = validateProtocol(libraryDocument('relaxation.json'));
    expect(result.ok && result.document.blocks).toEqual([
      expect.objectContaining({ kind: 'train', count: 100, amplitude: 2, width: 0.01, period: 1, read: true }),
      expect.objectContaining({ kind: 'wait', duration: 600, readEvery: 10 }),
    ]);
  });

  it('caps the forming ramp at 3 V and stops it with an until', () => {
    const result = validateProtocol(libraryDocument('forming-ramp.json'));
    expect(result.ok && result.limits.maxVoltage).toBe(3);
    expect(result.ok && result.document.blocks[0]?.kind).toBe('until');
  });
});
