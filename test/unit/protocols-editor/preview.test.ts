import { describe, expect, it } from 'vitest';
import { createDevice, intrinsicGradientPreset } from '../../../shared/device';
import { compileProtocol, estimateEnergy, simulateProtocol } from '../../../shared/protocol';
import { SampleKind } from '../../../shared/samples/columns';
import { computePreview, transferables } from '../../../renderer/features/protocols/preview-compute';

const paperTrain = {
  format: 'memristor-workbench/protocol',
  version: 1,
  name: 'Paper spike train',
  blocks: [{ kind: 'train', count: 100, amplitude: '2 V', width: '10 ms', period: '1 s', read: true }],
};

describe('preview computation', () => {
  it('draws each pulse as a rectangle, marks each read, and traces G from the start', () => {
    const r = computePreview({ seq: 7, document: paperTrain, preset: intrinsicGradientPreset, seed: 1, noise: false });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.seq).toBe(7);
    const { pulseT, pulseV, readT, readV, gT, gY } = r.traces;
    expect(pulseT.length).toBe(400);
    expect([...pulseT.slice(4, 8)]).toEqual([1, 1, 1.01, 1.01]);
    expect([...pulseV.slice(4, 8)]).toEqual([0, 2, 2, 0]);
    expect(readT.length).toBe(100);
    expect(readT[0]).toBeCloseTo(0.01, 12);
    expect([...new Set(readV)]).toEqual([0.1]);
    expect(gT[0]).toBe(0);
    expect(gY[0]).toBeCloseTo(10e-6, 12);
    expect(gT.length).toBe(101);
    // The paper's figure: about −98 % after 100 spikes.
    expect(gY[100]! / gY[0]!).toBeLessThan(0.03);
    expect(r.estimate.pulses).toEqual({ value: 100, exact: true });
    expect(r.estimate.duration.value).toBe(100);
    expect(r.truncated).toBe(false);
  });

  it('agrees with the shared simulator and energy estimate', () => {
    const r = computePreview({ seq: 1, document: paperTrain, preset: intrinsicGradientPreset, seed: 3, noise: true });
    const compiled = compileProtocol(paperTrain);
    if (!r.ok || !compiled.ok) throw new Error('expected both to compile');
    const samples = simulateProtocol(compiled.program, createDevice(intrinsicGradientPreset, { seed: 3, noise: true }));
    const readsG = [...samples.g].filter((_, k) => samples.kind[k] === SampleKind.read);
    expect([...r.traces.gY.slice(1)]).toEqual(readsG);
    const energy = estimateEnergy(compiled.program, createDevice(intrinsicGradientPreset, { seed: 3, noise: false }));
    const noiseless = computePreview({ seq: 2, document: paperTrain, preset: intrinsicGradientPreset, seed: 3, noise: false });
    expect(noiseless.ok && noiseless.energy).toBeCloseTo(energy.energy, 18);
    expect(noiseless.ok && noiseless.maxPulseCurrent).toBeCloseTo(energy.maxPulseCurrent, 15);
  });

  it('stops simulating at maxOps but keeps the estimates exact', () => {
    const r = computePreview({ seq: 1, document: paperTrain, preset: intrinsicGradientPreset, seed: 1, noise: false, maxOps: 51 });
    if (!r.ok) throw new Error('expected ok');
    expect(r.truncated).toBe(true);
    // Each period is three operations: the pulse, its read and the wait to the next pulse.
    expect(r.traces.pulseT.length / 4).toBe(17);
    expect(r.operations).toBe(51);
    expect(r.estimate.pulses.value).toBe(100);
  });

  it('returns the problems of an invalid document instead of throwing, for any input', () => {
    for (const input of [null, 3, 'x', [], { ...paperTrain, blocks: [{ kind: 'train', count: 100, amplitude: '9 V', width: '10 ms', period: '1 s' }] }]) {
      const r = computePreview({ seq: 1, document: input, preset: intrinsicGradientPreset, seed: 1, noise: false });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.problems.length).toBeGreaterThan(0);
    }
  });

  it('hands its traces over as transferable buffers', () => {
    const r = computePreview({ seq: 1, document: paperTrain, preset: intrinsicGradientPreset, seed: 1, noise: false });
    expect(transferables(r)).toHaveLength(6);
    expect(new Set(transferables(r)).size).toBe(6);
  });
});
