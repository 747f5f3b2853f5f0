import { describe, expect, it } from 'vitest';
import { compileProtocol, estimateProgram, ProtocolInputSchema, validateProtocol } from '../../../shared/protocol';
import { libraryDocument, libraryFiles } from './helpers';

describe('the shipped protocol library', () => {
  it('has the ten protocols', () => {
    expect(libraryFiles()).toEqual([
      'converge-to-state.json',
      'endurance.json',
      'forming-ramp.json',
      'forming.json',
      'iv-hysteresis.json',
      'paired-pulse.json',
      'paper-spike-train.json',
      'rate-dependence.json',
      'relaxation.json',
      'retention.json',
    ]);
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

  it('sweeps I–V loops after a forming sweep: at least 5 cycles, a compliance for each polarity, within 4 V', () => {
    const result = compileProtocol(libraryDocument('iv-hysteresis.json'));
    if (!result.ok) throw new Error('invalid');
    expect(result.program.limits.maxVoltage).toBe(4);
    const [forming, loops] = result.document.blocks;
    expect(forming).toMatchObject({ kind: 'iv-sweep', points: [0, 3.5, 0], compliance: 100e-6 });
    expect(loops).toMatchObject({ kind: 'iv-sweep', points: [0, 1.5, 0, -1.5, 0], step: 0.02, dwell: 0.01, compliance: { positive: 500e-6, negative: 1e-3 } });
    expect(loops?.kind === 'iv-sweep' && loops.cycles).toBeGreaterThanOrEqual(5);
    // 141 forming steps (70 up, 70 down), then 10 cycles of 301 steps (75 per segment), 10 ms each.
    const e = estimateProgram(result.program);
    expect(e.pulses).toEqual({ value: 141 + 10 * 301, exact: true });
    expect(e.duration.value).toBeCloseTo((141 + 3010) * 0.01, 9);
    expect(e.maxAbsVoltage).toBe(3.5);
  });

  it('caps the forming ramp at 3 V and stops it with an until', () => {
    const result = validateProtocol(libraryDocument('forming-ramp.json'));
    expect(result.ok && result.limits.maxVoltage).toBe(3);
    expect(result.ok && result.document.blocks[0]?.kind).toBe('until');
  });
});
