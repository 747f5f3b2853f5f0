import { describe, expect, it } from 'vitest';
import { createRng } from '../../../shared/random';
import { createDevice, filamentaryPreset, idealPreset, intrinsicGradientPreset, type DevicePreset } from '../../../shared/device';
import { CAL_V, CAL_W } from './helpers';

function relativeSpread(values: readonly number[]): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1);
  return Math.sqrt(variance) / mean;
}

function protocolTrace(preset: DevicePreset, seed: number | string, withReads: boolean): number[] {
  const device = createDevice(preset, { seed });
  const out: number[] = [];
  for (let k = 0; k < 50; k++) {
    device.pulse(1.5 + (k % 3) * 0.25, 0.01);
    if (withReads) out.push(device.read(0.1).current);
    device.relax(0.5 + (k % 4));
    out.push(device.conductance());
  }
  return out;
}

describe('seeded noise', () => {
  it('gives the same trace bit for bit for the same seed, for every model', () => {
    for (const preset of [intrinsicGradientPreset, filamentaryPreset, idealPreset]) {
      expect(protocolTrace(preset, 17, true)).toEqual(protocolTrace(preset, 17, true));
      expect(protocolTrace(preset, 'lab-a', true)).toEqual(protocolTrace(preset, 'lab-a', true));
      expect(protocolTrace(preset, 17, true)).not.toEqual(protocolTrace(preset, 18, true));
    }
  });

  it('accepts a stream instead of a seed, and forks of it give independent devices', () => {
    const a = createDevice(intrinsicGradientPreset, { seed: createRng(5).fork('cell-1') });
    const b = createDevice(intrinsicGradientPreset, { seed: createRng(5).fork('cell-1') });
    const c = createDevice(intrinsicGradientPreset, { seed: createRng(5).fork('cell-2') });
    expect(a.g0).toBe(b.g0);
    expect(a.g0).not.toBe(c.g0);
  });

  it('keeps spike noise independent of how many reads are taken', () => {
    const noReads = protocolTrace(intrinsicGradientPreset, 3, false);
    const withReads = protocolTrace(intrinsicGradientPreset, 3, true).filter((_, k) => k % 2 === 1);
    expect(withReads).toEqual(noReads);
  });

  it('applies cycle-to-cycle noise of σ ≈ 3 % to each spike’s step', () => {
    const preset = { ...intrinsicGradientPreset, variation: { c2c: 0.03, d2d: 0, read: 0 } };
    const steps: number[] = [];
    for (let seed = 0; seed < 3000; seed++) {
      const device = createDevice(preset, { seed });
      device.pulse(CAL_V, CAL_W);
      steps.push(1 - device.state().g!);
    }
    expect(relativeSpread(steps)).toBeGreaterThan(0.027);
    expect(relativeSpread(steps)).toBeLessThan(0.033);
    const mean = steps.reduce((s, v) => s + v, 0) / steps.length;
    const { kD, gMin } = preset.params;
    expect(Math.abs(mean / (kD * (1 - gMin)) - 1)).toBeLessThan(0.003);
  });

  it('spreads G0, τ_g and k_d by ≈ 5 % from device to device, and nothing else', () => {
    const g0: number[] = [];
    const tauG: number[] = [];
    const kD: number[] = [];
    for (let seed = 0; seed < 3000; seed++) {
      const device = createDevice(intrinsicGradientPreset, { seed });
      g0.push(device.g0);
      tauG.push(device.params.tauG!);
      kD.push(device.params.kD!);
      expect(device.params.tauS).toBe(intrinsicGradientPreset.params.tauS);
      expect(device.params.rho).toBe(intrinsicGradientPreset.params.rho);
    }
    for (const values of [g0, tauG, kD]) {
      expect(relativeSpread(values)).toBeGreaterThan(0.045);
      expect(relativeSpread(values)).toBeLessThan(0.055);
    }
  });

  it('adds read noise of ≈ 1 % of G without disturbing the state', () => {
    const device = createDevice(intrinsicGradientPreset, { seed: 8 });
    device.pulse(CAL_V, CAL_W);
    const truth = device.conductance();
    const reads = Array.from({ length: 5000 }, () => device.read(0.1).conductance);
    expect(device.conductance()).toBe(truth);
    const mean = reads.reduce((s, v) => s + v, 0) / reads.length;
    expect(Math.abs(mean / truth - 1)).toBeLessThan(0.001);
    expect(relativeSpread(reads)).toBeGreaterThan(0.0095);
    expect(relativeSpread(reads)).toBeLessThan(0.0105);
  });

  it('with noise off gives the nominal device whatever the seed', () => {
    const traces = [1, 2, 3].map((seed) => {
      const device = createDevice(intrinsicGradientPreset, { seed, noise: false });
      expect(device.g0).toBe(intrinsicGradientPreset.params.g0);
      expect(device.params).toEqual(intrinsicGradientPreset.params);
      const out: number[] = [];
      for (let k = 0; k < 20; k++) {
        device.pulse(CAL_V, CAL_W);
        device.relax(1);
        out.push(device.read(0.1).conductance);
      }
      return out;
    });
    expect(traces[1]).toEqual(traces[0]);
    expect(traces[2]).toEqual(traces[0]);
  });
});
