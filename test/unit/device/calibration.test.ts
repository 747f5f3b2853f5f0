import { describe, expect, it } from 'vitest';
import { filamentaryPreset, idealPreset, intrinsicGradientPreset } from '../../../shared/device';
import { CAL_V, CAL_W, quiet, spikeFraction, spikeTrain } from './helpers';

/**
 * The calibration targets of the default intrinsic-gradient preset (noise off). ΔG is measured
 * on the true conductance right after the 100th spike; a read 1 ms later agrees to 0.001 %.
 */
describe('intrinsic-gradient calibration', () => {
  const preset = intrinsicGradientPreset;

  it('100 spikes of 2 V, 10 ms at 1 Hz give ΔG = −98.1 ± 0.3 %', () => {
    const device = quiet(preset);
    const g0 = device.g0;
    spikeTrain(device, 100, 1);
    const deltaRightAfter = (device.conductance() / g0 - 1) * 100;
    expect(deltaRightAfter).toBeGreaterThan(-98.4);
    expect(deltaRightAfter).toBeLessThan(-97.8);
    device.relax(1e-3);
    const deltaAtRead = (device.read(preset.readVoltage).conductance / g0 - 1) * 100;
    expect(Math.abs(deltaAtRead - deltaRightAfter)).toBeLessThan(1e-3);
  });

  it('recovers only partly, and is still recovering between 100 s and 600 s after the train', () => {
    const device = quiet(preset);
    const g0 = device.g0;
    spikeTrain(device, 100, 1);
    const gEnd = device.conductance();
    device.relax(100);
    const g100 = device.conductance();
    device.relax(500);
    const g600 = device.conductance();
    expect(g100).toBeGreaterThan(gEnd);
    expect(g600).toBeGreaterThan(g100);
    expect(g600).toBeLessThan(0.9 * g0);
    expect(g600 - g100).toBeGreaterThan(0.01 * g0);
  });

  it('changes gradually: no single spike moves G by more than 10 % of G0', () => {
    const device = quiet(preset);
    const g0 = device.g0;
    const after = [g0, ...spikeTrain(device, 100, 1)];
    const steps = after.slice(1).map((g, k) => after[k]! - g);
    expect(Math.max(...steps)).toBeLessThan(0.1 * g0);
    expect(Math.min(...steps)).toBeGreaterThan(-0.1 * g0);
  });

  it('has second-order memory: a spike right after a train depresses G by a larger fraction than after a 600 s rest', () => {
    // A 20-spike train: close to the floor g_min (after the full 100-spike train) the fraction a
    // spike can remove is bounded by (g − g_min)/g, which hides the history effect.
    const fresh = quiet(preset);
    spikeTrain(fresh, 20, 1);
    const rightAfter = spikeFraction(fresh);
    const rested = quiet(preset);
    spikeTrain(rested, 20, 1);
    rested.relax(600);
    const afterRest = spikeFraction(rested);
    expect(rightAfter).toBeGreaterThan(afterRest * 1.05);

    // A first-order device has no such memory: the same protocol gives the same fraction.
    const ideal1 = quiet(idealPreset);
    spikeTrain(ideal1, 20, 1);
    const ideal2 = quiet(idealPreset);
    spikeTrain(ideal2, 20, 1);
    ideal2.relax(600);
    expect(spikeFraction(ideal1)).toBeCloseTo(spikeFraction(ideal2), 12);
  });

  it('depresses more under a 10 Hz train than under a 0.1 Hz train of the same number of spikes', () => {
    for (const n of [5, 20, 100]) {
      const fast = quiet(preset);
      const slow = quiet(preset);
      spikeTrain(fast, n, 0.1);
      spikeTrain(slow, n, 10);
      expect(fast.conductance()).toBeLessThan(slow.conductance() * 0.98);
    }
  });
});

describe('comparison devices', () => {
  it('filamentary: some single spike drops G abruptly by more than 30 %', () => {
    let largest = 0;
    let abrupt = 0;
    // 30-spike trains, so the conductance stays clear of g_min, where drops are cut short.
    for (let seed = 1; seed <= 10; seed++) {
      const device = quiet(filamentaryPreset, seed);
      let before = device.conductance();
      for (let k = 0; k < 30; k++) {
        if (k > 0) {
          device.relax(1);
          before = device.conductance();
        }
        device.pulse(CAL_V, CAL_W);
        const drop = (before - device.conductance()) / before;
        largest = Math.max(largest, drop);
        if (drop > 0.3) abrupt++;
      }
    }
    expect(largest).toBeGreaterThan(0.3);
    expect(largest).toBeLessThanOrEqual(0.6);
    // pAbrupt = 0.15 per calibration spike: about 45 of 300 (binomial σ ≈ 6).
    expect(abrupt).toBeGreaterThan(25);
    expect(abrupt).toBeLessThan(65);
  });

  it('filamentary: the volatile part relaxes within seconds', () => {
    // Find a gradual step (no abrupt switch), then watch it relax.
    const device = quiet(filamentaryPreset, 11);
    for (let k = 0; k < 50; k++) {
      const before = device.state();
      device.pulse(CAL_V, CAL_W);
      const after = device.state();
      if (after.gStable! < before.gStable! * 0.9) {
        device.relax(60);
        continue;
      }
      expect(after.g).toBeLessThan(after.gStable!);
      device.relax(10);
      expect(Math.abs(device.state().g! - device.state().gStable!)).toBeLessThan(1e-4 * (after.gStable! - after.g!));
      return;
    }
    throw new Error('no gradual step in 50 spikes');
  });

  it('ideal: 100 calibration spikes give ΔG = −98.1 ± 0.3 %, and nothing relaxes', () => {
    const device = quiet(idealPreset);
    spikeTrain(device, 100, 1);
    const delta = (device.conductance() / device.g0 - 1) * 100;
    expect(delta).toBeGreaterThan(-98.4);
    expect(delta).toBeLessThan(-97.8);
    const g = device.conductance();
    device.relax(1e6);
    expect(device.conductance()).toBe(g);
  });
});
