import { describe, expect, it } from 'vitest';
import { createDevice, filamentaryPreset, intrinsicGradientPreset, type DeviceModel } from '../../../shared/device';
import type { Device } from '../../../shared/device/device';
import { createRng } from '../../../shared/random';
import {
  AsyncDeviceLearningRate,
  createStrategy,
  type DeviceDrivenStrategy,
  DeviceLearningRule,
  deviceRuleFor,
  resolveDevicePreset,
  scheduleAlpha,
  type DeviceStrategyConfig,
  type EpisodeOutcome,
} from '../../../shared/rl';

describe('learning-rate schedules', () => {
  it('follow their formulas', () => {
    expect(scheduleAlpha({ kind: 'constant', alpha: 0.1 }, 1234)).toBe(0.1);
    expect(scheduleAlpha({ kind: 'exponential', alpha0: 0.8, rate: 0.5, alphaMin: 0.05 }, 2)).toBeCloseTo(0.2, 12);
    expect(scheduleAlpha({ kind: 'exponential', alpha0: 0.8, rate: 0.5, alphaMin: 0.05 }, 10)).toBe(0.05);
    expect(scheduleAlpha({ kind: 'inverse-time', alpha0: 0.9, k: 0.5 }, 4)).toBeCloseTo(0.3, 12);
    expect(scheduleAlpha({ kind: 'polynomial', alpha0: 1, omega: 0.5 }, 3)).toBeCloseTo(0.5, 12);
    expect(scheduleAlpha({ kind: 'polynomial', alpha0: 1, omega: 1 }, 0)).toBe(1);
    expect(scheduleAlpha({ kind: 'linear', alpha0: 0.9, alphaEnd: 0.1, episodes: 100 }, 50)).toBeCloseTo(0.5, 12);
    expect(scheduleAlpha({ kind: 'linear', alpha0: 0.9, alphaEnd: 0.1, episodes: 100 }, 500)).toBeCloseTo(0.1, 12);
  });
});

const outcome = (episode: number, success: boolean, tdErrorMean = 1): EpisodeOutcome => ({ episode, success, steps: 10, return: 0, tdErrorMean });

describe('the device rule', () => {
  const config = {
    map: { kind: 'linear', alphaMin: 0.01, alphaMax: 0.9 },
    spike: { kind: 'after-success' },
    pulse: { amplitude: 1.5, width: 0.001 },
    secondsPerEpisode: 1,
    readVoltage: 0.1,
  } as const;
  const range = { g0: 10e-6, gFloor: 0.1e-6 };

  it('maps G linearly or logarithmically onto [α_min, α_max], clipping reads outside the range', () => {
    const lin = new DeviceLearningRule(config, range);
    expect(lin.alphaOf(10e-6)).toBeCloseTo(0.9, 12);
    expect(lin.alphaOf(0.1e-6)).toBeCloseTo(0.01, 12);
    expect(lin.alphaOf(5.05e-6)).toBeCloseTo(0.455, 12);
    expect(lin.alphaOf(20e-6)).toBeCloseTo(0.9, 12);
    expect(lin.alphaOf(-1e-6)).toBeCloseTo(0.01, 12);
    const log = new DeviceLearningRule({ ...config, map: { ...config.map, kind: 'log' } }, range);
    expect(log.alphaOf(1e-6)).toBeCloseTo(0.455, 12); // halfway between 0.1 µS and 10 µS in log
    expect(log.alphaOf(0)).toBeCloseTo(0.01, 12);
    expect(() => new DeviceLearningRule(config, { g0: 1e-6, gFloor: 2e-6 })).toThrow(RangeError);
  });

  it('spikes by its rule', () => {
    const rule = (spike: DeviceStrategyConfig['spike']) => new DeviceLearningRule({ ...config, spike }, range);
    expect(rule({ kind: 'every-episode' }).shouldSpike(outcome(0, false))).toBe(true);
    expect(rule({ kind: 'after-success' }).shouldSpike(outcome(0, false))).toBe(false);
    expect(rule({ kind: 'after-success' }).shouldSpike(outcome(0, true))).toBe(true);
    expect(rule({ kind: 'td-below', threshold: 0.5 }).shouldSpike(outcome(0, true, 0.4))).toBe(true);
    expect(rule({ kind: 'td-below', threshold: 0.5 }).shouldSpike(outcome(0, true, 0.6))).toBe(false);
    expect(rule({ kind: 'after-success' }).plan(outcome(0, true))).toEqual({ spike: config.pulse, relaxSeconds: 1 });
    expect(rule({ kind: 'after-success' }).plan(outcome(0, false))).toEqual({ spike: null, relaxSeconds: 1 });
  });
});

const deviceConfig = (overrides: Partial<DeviceStrategyConfig> = {}): DeviceStrategyConfig => ({
  kind: 'device',
  device: 'intrinsic-gradient',
  noise: false,
  map: { kind: 'linear', alphaMin: 0.01, alphaMax: 0.9 },
  spike: { kind: 'after-success' },
  pulse: { amplitude: 1.5, width: 0.001 },
  secondsPerEpisode: 3,
  ...overrides,
});

describe('device-driven learning rate', () => {
  it('with noise off, α follows the model’s G exactly through the map', () => {
    for (const preset of [intrinsicGradientPreset, filamentaryPreset]) {
      const strategy = createStrategy(deviceConfig({ device: preset.name }), 42) as DeviceDrivenStrategy;
      // A twin device from the same preset and seed, driven by hand.
      const twin = createDevice(preset, { seed: 42, noise: false });
      const g0 = twin.g0;
      const floor = preset.params.gMin * g0;
      const expected = () => 0.01 + (0.9 - 0.01) * ((twin.conductance() - floor) / (g0 - floor));
      expect(strategy.alpha()).toBeCloseTo(0.9, 12);
      const pattern = createRng(7);
      let spikes = 0;
      for (let e = 0; e < 300; e++) {
        const success = pattern.next() < 0.7;
        strategy.afterEpisode(outcome(e, success));
        if (success) {
          twin.pulse(1.5, 0.001);
          spikes++;
        }
        twin.relax(3);
        expect(strategy.conductance()).toBe(twin.conductance());
        expect(strategy.alpha()).toBeCloseTo(expected(), 12);
      }
      expect(spikes).toBeGreaterThan(150);
      // It did move: α is well below its start.
      expect(strategy.alpha()).toBeLessThan(0.8);
    }
  });

  it('relaxes exactly the configured device time between episodes, spiking only on success', () => {
    const strategy = createStrategy(deviceConfig({ secondsPerEpisode: 10 }), 1) as DeviceDrivenStrategy;
    for (let e = 0; e < 30; e++) strategy.afterEpisode(outcome(e, true));
    const low = strategy.alpha();
    for (let e = 30; e < 60; e++) strategy.afterEpisode(outcome(e, false));
    const recovered = strategy.alpha();
    expect(recovered).toBeGreaterThan(low);
    const twin = createDevice(intrinsicGradientPreset, { seed: 1, noise: false });
    for (let e = 0; e < 30; e++) {
      twin.pulse(1.5, 0.001);
      twin.relax(10);
    }
    twin.relax(300);
    expect(strategy.conductance()).toBeCloseTo(twin.conductance(), 18);
  });

  it('with noise on, α comes from noisy reads (and stays in range)', () => {
    const noisy = createStrategy(deviceConfig({ noise: true }), 5);
    const quiet = createStrategy(deviceConfig({ noise: false }), 5);
    let differ = 0;
    for (let e = 0; e < 100; e++) {
      noisy.afterEpisode(outcome(e, true));
      quiet.afterEpisode(outcome(e, true));
      if (noisy.alpha(e + 1) !== quiet.alpha(e + 1)) differ++;
      expect(noisy.alpha(e + 1)).toBeGreaterThanOrEqual(0.01);
      expect(noisy.alpha(e + 1)).toBeLessThanOrEqual(0.9);
      expect(Math.abs(noisy.alpha(e + 1) - quiet.alpha(e + 1))).toBeLessThan(0.2);
    }
    expect(differ).toBe(100);
  });

  it('the same rule drives an async device (as a physical one would be) to the same α', async () => {
    const config = deviceConfig();
    const preset = resolveDevicePreset(config.device);
    const model: DeviceModel = createDevice(preset, { seed: 9, noise: false });
    let clock = 0;
    const asyncDevice: Device = {
      kind: 'instrument',
      snapshot: () => ({ kind: 'instrument' }),
      now: () => clock,
      pulse: async (v, w) => {
        model.pulse(v, w);
        return { current: Number.NaN };
      },
      read: async (v) => model.read(v),
      wait: async (s) => {
        model.relax(s);
        clock += s;
      },
      outputOff: async () => {},
      close: async () => {},
    };
    const viaAsync = await AsyncDeviceLearningRate.open(deviceRuleFor(config, preset, model.g0), asyncDevice);
    const sync = createStrategy(config, 9);
    for (let e = 0; e < 50; e++) {
      const o = outcome(e, e % 3 !== 0);
      await viaAsync.afterEpisode(o);
      sync.afterEpisode(o);
      expect(viaAsync.alpha()).toBe(sync.alpha(e + 1));
    }
    expect(clock).toBe(150);
  });

  it('accepts a whole preset object, and refuses unknown presets', () => {
    const custom = { ...intrinsicGradientPreset, name: 'my-device', params: { ...intrinsicGradientPreset.params, tauG: 30 } };
    const fast = createStrategy(deviceConfig({ device: custom as unknown as Record<string, unknown> }), 1);
    const slow = createStrategy(deviceConfig(), 1);
    for (let e = 0; e < 20; e++) {
      fast.afterEpisode(outcome(e, true));
      slow.afterEpisode(outcome(e, true));
    }
    // A faster relaxation recovers more between spikes.
    expect(fast.alpha(20)).toBeGreaterThan(slow.alpha(20));
    expect(() => resolveDevicePreset('no-such-device')).toThrow(/unknown device preset 'no-such-device'/);
    expect(() => resolveDevicePreset({ model: 'ideal' })).toThrow(/invalid device preset/);
  });
});
