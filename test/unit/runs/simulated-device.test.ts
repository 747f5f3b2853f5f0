/** The simulated Device: fast (simulated time only) and realtime (paced to an injected wall clock). */
import { describe, expect, it } from 'vitest';
import { createDevice, createSimulatedDevice, DeviceError, deviceErrorKind, intrinsicGradientPreset, isComplianceTrip, ModelDevice } from '../../../shared/device';

/** A wall clock that moves only when something sleeps on it. */
function fakeWall() {
  let now = 1000;
  const sleeps: number[] = [];
  return {
    clock: () => now,
    sleep: async (s: number) => {
      sleeps.push(s);
      now += s;
    },
    advance: (s: number) => {
      now += s;
    },
    sleeps,
  };
}

describe('a fast simulated device', () => {
  it('follows the model exactly, in simulated time, without sleeping', async () => {
    const device = createSimulatedDevice(intrinsicGradientPreset, { seed: 3 });
    const model = createDevice(intrinsicGradientPreset, { seed: 3, noise: true });
    for (let k = 0; k < 20; k++) {
      const g = model.conductance();
      model.pulse(2, 0.01);
      model.relax(0.01);
      const r = await device.pulse(2, 0.01);
      expect(r.current).toBe(g * 2);
      const want = model.read(0.1);
      expect(await device.read(0.1)).toEqual(want);
      model.relax(0.98);
      await device.wait(0.98);
    }
    expect(device.now()).toBeCloseTo(20 * 0.99, 12);
  });

  it('records what it is in its snapshot', () => {
    const device = createSimulatedDevice(intrinsicGradientPreset, { seed: 'lab-7', noise: false });
    expect(device.snapshot()).toMatchObject({
      kind: 'simulated',
      model: 'intrinsic-gradient',
      preset: 'intrinsic-gradient',
      params: intrinsicGradientPreset.params,
      variation: intrinsicGradientPreset.variation,
      seed: 'lab-7',
      noise: false,
      pace: 'fast',
      initialState: { g: 1, s: 0 },
      instanceParams: intrinsicGradientPreset.params, // no device-to-device spread without noise
    });
  });

  it('refuses what a real device would refuse, and nothing after close', async () => {
    const device = createSimulatedDevice(intrinsicGradientPreset, { seed: 1 });
    await expect(device.pulse(Number.NaN, 0.01)).rejects.toMatchObject({ kind: 'unsafe' });
    await expect(device.pulse(1, 0)).rejects.toMatchObject({ kind: 'unsafe' });
    await expect(device.wait(-1)).rejects.toBeInstanceOf(DeviceError);
    await device.outputOff();
    await device.close();
    await expect(device.read(0.1)).rejects.toMatchObject({ kind: 'closed' });
    await device.outputOff(); // always safe
  });
});

describe('a read series', () => {
  /** The same points one call at a time, as the engine's one-at-a-time path takes them. */
  async function oneAtATime(device: ModelDevice, at: number[], read: number[], voltage: number, t0: number, pausedFor: number) {
    const out: { t: number; i: number; g: number }[] = [];
    for (let k = 0; k < at.length; k++) {
      const dt = at[k]! - (device.now() - t0 - pausedFor);
      if (dt > 1e-9) await device.wait(dt);
      if (read[k] === 1) {
        const t = device.now() - t0;
        const r = await device.read(voltage);
        out.push({ t, i: r.current, g: r.conductance });
      }
    }
    return out;
  }

  it('gives, bit for bit, the readings of the same waits and reads one call at a time', async () => {
    // Points a few ulps apart (no wait), back to back, and with waits between; after a pulse, so the barrier relaxes too.
    const at = [0, 1e-3, 1e-3 + 1e-15, 2e-3, 2.5e-3, 0.7, 0.7005, 3, 3.001, 3.002];
    const read = [1, 1, 1, 1, 0, 0, 1, 1, 0, 1];
    for (const [t0, pausedFor] of [
      [0, 0],
      [0.25, 0.125],
    ] as const) {
      const a = createSimulatedDevice(intrinsicGradientPreset, { seed: 9 });
      const b = createSimulatedDevice(intrinsicGradientPreset, { seed: 9 });
      for (const d of [a, b]) {
        await d.pulse(2, 0.01);
        await d.wait(t0 + pausedFor);
      }
      const want = await oneAtATime(b, at, read, 0.1, t0, pausedFor);
      const out = { t: new Float64Array(12), i: new Float64Array(12), g: new Float64Array(12), offset: 2 };
      const taken = await a.readSeries({ voltage: 0.1, points: at.length, at: Float64Array.from(at), read: Uint8Array.from(read), t0, pausedFor, epsilon: 1e-9 }, out);
      expect(taken).toBe(want.length);
      want.forEach((w, k) => {
        expect(Object.is(out.t[2 + k], w.t) && Object.is(out.i[2 + k], w.i) && Object.is(out.g[2 + k], w.g)).toBe(true);
      });
      expect(a.now()).toBe(b.now());
      expect(a.model.state()).toEqual(b.model.state());
    }
  });

  it('refuses what it cannot take, before touching the device: realtime pace, a bad voltage or time, no room', async () => {
    const wall = fakeWall();
    const realtime = createSimulatedDevice(intrinsicGradientPreset, { seed: 1, pace: 'realtime', wallClock: wall.clock, sleep: wall.sleep });
    const series = { voltage: 0.1, points: 2, at: Float64Array.of(0, 1e-3), read: Uint8Array.of(1, 1), t0: 0, pausedFor: 0, epsilon: 1e-9 };
    const out = () => ({ t: new Float64Array(2), i: new Float64Array(2), g: new Float64Array(2), offset: 0 });
    await expect(realtime.readSeries(series, out())).rejects.toMatchObject({ kind: 'device', message: expect.stringMatching(/fast pace/) });

    const device = createSimulatedDevice(intrinsicGradientPreset, { seed: 1 });
    const before = { now: device.now(), state: device.model.state() };
    await expect(device.readSeries({ ...series, voltage: Number.NaN }, out())).rejects.toMatchObject({ kind: 'unsafe' });
    await expect(device.readSeries({ ...series, at: Float64Array.of(0, Number.POSITIVE_INFINITY) }, out())).rejects.toMatchObject({ kind: 'device' });
    await expect(device.readSeries({ ...series, points: 3 }, out())).rejects.toMatchObject({ kind: 'device' });
    await expect(device.readSeries(series, { ...out(), offset: 1 })).rejects.toMatchObject({ kind: 'device', message: expect.stringMatching(/no room/) });
    expect({ now: device.now(), state: device.model.state() }).toEqual(before);
    await device.close();
    await expect(device.readSeries(series, out())).rejects.toMatchObject({ kind: 'closed' });
  });
});

describe('a realtime simulated device', () => {
  it('sleeps until the wall clock reaches the end of each pulse and wait', async () => {
    const wall = fakeWall();
    const device = createSimulatedDevice(intrinsicGradientPreset, { seed: 1, pace: 'realtime', wallClock: wall.clock, sleep: wall.sleep });
    await device.pulse(2, 0.01);
    await device.wait(0.5);
    expect(wall.sleeps).toEqual([0.01, expect.closeTo(0.5, 12)]);
    expect(device.now()).toBeCloseTo(0.51, 12);
  });

  it('relaxes through wall time that passed between operations (a pause), as a real device would', async () => {
    const wall = fakeWall();
    const device = new ModelDevice(createDevice(intrinsicGradientPreset, { seed: 1, noise: false }), { pace: 'realtime', wallClock: wall.clock, sleep: wall.sleep });
    const reference = createDevice(intrinsicGradientPreset, { seed: 1, noise: false });
    await device.pulse(2, 0.01);
    reference.pulse(2, 0.01);
    reference.relax(0.01);
    wall.advance(30); // nobody called the device for 30 s
    expect(device.now()).toBeCloseTo(30.01, 9);
    reference.relax(30);
    expect((await device.read(0.1)).conductance).toBeCloseTo(reference.read(0.1).conductance, 15);
  });

  it('counts only the time that really passed when a sleep is cut short', async () => {
    let now = 0;
    const device = createSimulatedDevice(intrinsicGradientPreset, {
      seed: 1,
      pace: 'realtime',
      wallClock: () => now,
      sleep: async (s) => {
        now += s / 4; // woken early
      },
    });
    await device.wait(10);
    expect(device.now()).toBeCloseTo(2.5, 12);
  });

  it('needs a wall clock and a sleep', () => {
    expect(() => createSimulatedDevice(intrinsicGradientPreset, { seed: 1, pace: 'realtime' })).toThrow(DeviceError);
  });
});

describe('device errors', () => {
  it('mark compliance trips from either layer by kind', () => {
    expect(isComplianceTrip(new DeviceError('compliance', 'at 1 mA'))).toBe(true);
    expect(isComplianceTrip(new DeviceError('timeout', 'no answer'))).toBe(false);
    // The instrument layer's own error class, recognised by its kind alone.
    class InstrumentError extends Error {
      constructor(readonly kind: string) {
        super(kind);
      }
    }
    expect(isComplianceTrip(new InstrumentError('compliance'))).toBe(true);
    expect(deviceErrorKind(new InstrumentError('port-closed'))).toBe('port-closed');
    expect(isComplianceTrip({ kind: 'compliance' })).toBe(false); // not an error at all
    expect(deviceErrorKind(new Error('plain'))).toBeNull();
  });
});
