import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BipolarDevice,
  bipolarOxidePreset,
  createDevice,
  createSimulatedDevice,
  deviceStreams,
  intrinsicGradientPreset,
  measureStep,
  type BipolarParams,
} from '../../../shared/device';

const P = bipolarOxidePreset.params;

/** A bipolar device of the preset, noise off unless asked. */
function device(noise = false, seed = 1): BipolarDevice {
  return createDevice(bipolarOxidePreset, { seed, noise }) as BipolarDevice;
}

/** A staircase 0 → peak → 0 at 10 mV a step, 10 ms each, under a compliance. */
function staircase(d: BipolarDevice, peak: number, compliance?: number): void {
  const n = Math.round(Math.abs(peak) / 0.01);
  for (let k = 1; k <= 2 * n; k++) d.pulse((Math.sign(peak) * 0.01 * (k <= n ? k : 2 * n - k)), 0.01, compliance);
}

function formed(noise = false, seed = 1): BipolarDevice {
  const d = device(noise, seed);
  staircase(d, 3.5, 100e-6);
  return d;
}

describe('the bipolar model: forming', () => {
  it('starts virgin and does not switch below the forming voltage, even far above V_set', () => {
    const d = device();
    expect(d.conductance()).toBeCloseTo(P.gVirgin, 20);
    expect(d.g0).toBe(P.gVirgin);
    for (const v of [0.5, 1, 2, P.vForm]) d.pulse(v, 1);
    d.pulse(-3, 1); // nothing to reset either
    expect(d.state()).toMatchObject({ formed: 0 });
    expect(d.conductance()).toBeCloseTo(P.gVirgin, 20);
  });

  it('forms above V_form under compliance and ends where the compliance puts it: G = I_cc / V_set', () => {
    for (const icc of [50e-6, 100e-6, 300e-6]) {
      const d = device();
      staircase(d, 3.5, icc);
      expect(d.isFormed()).toBe(true);
      expect(d.conductance()).toBeCloseTo(icc / P.vSet, 12);
    }
  });

  it('a compliance too low to reach the HRS leaves the device unformed', () => {
    const d = device();
    staircase(d, 4, 5e-6); // 5 µA / 0.9 V is below G_HRS = 20 µS
    expect(d.isFormed()).toBe(false);
    expect(d.conductance()).toBeLessThan(P.gHrs);
    expect(d.conductance()).toBeCloseTo(5e-6 / P.vSet, 12);
  });
});

describe('the bipolar model: SET and RESET', () => {
  it('a compliance-limited SET ends at I_cc / V_set; without compliance at G_LRS', () => {
    for (const icc of [100e-6, 500e-6, 1e-3]) {
      const d = formed();
      staircase(d, -1.5, 10e-3);
      expect(d.conductance()).toBeCloseTo(P.gHrs, 15);
      staircase(d, 1.5, icc);
      expect(d.conductance()).toBeCloseTo(icc / P.vSet, 12);
    }
    const free = formed();
    free.pulse(1.5, 1);
    expect(free.conductance()).toBeCloseTo(P.gLrs, 12);
  });

  it('RESET brings the device to G_HRS below −V_reset, and does not go below it', () => {
    const d = formed();
    d.pulse(1.5, 1);
    d.pulse(-1.2, 1);
    expect(d.conductance()).toBeCloseTo(P.gHrs, 15);
    d.pulse(-3, 1);
    expect(d.conductance()).toBeCloseTo(P.gHrs, 15);
  });

  it('a compliance the device cannot reach at −V_reset blocks the RESET', () => {
    const d = formed();
    d.pulse(1.5, 1); // 5 mS: 4 mA at −0.8 V
    d.pulse(-1.5, 1, 1e-3);
    expect(d.conductance()).toBeCloseTo(P.gLrs, 12);
    d.pulse(-1.5, 1, 10e-3);
    expect(d.conductance()).toBeCloseTo(P.gHrs, 15);
  });

  it('nothing between −V_reset and V_set changes a formed device (reads never disturb it)', () => {
    fc.assert(
      fc.property(fc.double({ min: -P.vReset, max: P.vSet, noNaN: true }), fc.double({ min: 1e-9, max: 100, noNaN: true }), fc.boolean(), (v, w, low) => {
        const d = formed();
        if (!low) d.pulse(1.5, 1, 500e-6);
        const before = d.state();
        d.pulse(v, w);
        d.read(v);
        expect(d.state()).toEqual(before);
      }),
      { numRuns: 200 },
    );
  });

  it('integrates exactly: one step of a + b is two steps of a and b, noise on or off', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: 1e-7, max: 1e-2, noNaN: true }),
        fc.double({ min: 1e-7, max: 1e-2, noNaN: true }),
        fc.constantFrom(undefined, 100e-6, 1e-3),
        fc.boolean(),
        fc.integer({ min: 0, max: 1000 }),
        (v, a, b, icc, noise, seed) => {
          const one = formed(noise, seed);
          const two = formed(noise, seed);
          one.pulse(v, a + b, icc);
          two.pulse(v, a, icc);
          two.pulse(v, b, icc);
          const [s1, s2] = [one.state(), two.state()];
          for (const key of Object.keys(s1)) expect(s2[key]).toBeCloseTo(s1[key]!, 9);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('stays bounded whatever is applied, with every kind of noise on', () => {
    const op = fc.record({
      v: fc.oneof(fc.double({ min: -6, max: 6, noNaN: true }), fc.constantFrom(NaN, Infinity, -Infinity)),
      w: fc.oneof(fc.double({ min: 0, max: 10, noNaN: true }), fc.constantFrom(NaN, -1, Infinity)),
      icc: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.integer({ min: 0, max: 10_000 }), (ops, seed) => {
        const d = device(true, seed);
        const p = d.params;
        // Cycle draws are truncated at ±3σ (σ = 8 %); the instance's own values are the centre.
        const lo = Math.min(p.gVirgin, p.gHrs * Math.exp(-3 * 0.08 - 0.0032));
        const hi = p.gLrs * Math.exp(3 * 0.08);
        for (const { v, w, icc } of ops) {
          d.pulse(v, w, icc);
          const g = d.conductance();
          expect(g).toBeGreaterThanOrEqual(lo * (1 - 1e-12));
          expect(g).toBeLessThanOrEqual(hi * (1 + 1e-12));
          expect(Number.isFinite(d.read(0.1).current)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('the bipolar model: I–V', () => {
  it('is pinched, odd in V, nonlinear in the HRS and ohmic in the LRS', () => {
    const d = formed();
    staircase(d, -1.5, 10e-3);
    expect(d.read(0).current).toBe(0);
    expect(d.currentAt(-1)).toBeCloseTo(-d.currentAt(1), 18);
    // HRS: 10× the voltage gives nearly twice the ohmic 10× (sinh, V_nl = 0.5 V).
    expect(d.currentAt(1) / d.currentAt(0.1)).toBeCloseTo(Math.sinh(2) / Math.sinh(0.2), 9);
    d.pulse(1.5, 1);
    expect(d.currentAt(1) / d.currentAt(0.1)).toBeCloseTo(10, 9);
    expect(d.read(0.1).conductance).toBeCloseTo(P.gLrs, 12);
  });

  it('measureStep clamps the measured current at ±compliance and says so', () => {
    const d = formed();
    d.pulse(1.5, 1);
    expect(measureStep(d, 1, 1e-3)).toEqual({ current: 1e-3, inCompliance: true });
    expect(measureStep(d, -1, 2e-3)).toEqual({ current: -2e-3, inCompliance: true });
    expect(measureStep(d, 0.1, 1e-3)).toEqual({ current: d.currentAt(0.1), inCompliance: false });
    expect(measureStep(d, 0, 1e-9)).toEqual({ current: 0, inCompliance: false });
  });
});

describe('the bipolar model: variation', () => {
  /** Cycles a formed device n times; the thresholds and states each cycle drew. */
  function cycles(seed: number, n: number): { vSet: number[]; vReset: number[]; hrs: number[]; lrs: number[] } {
    const d = formed(true, seed);
    const out = { vSet: [] as number[], vReset: [] as number[], hrs: [] as number[], lrs: [] as number[] };
    for (let k = 0; k < n; k++) {
      const s = d.state();
      out.vSet.push(s.vSet!);
      d.pulse(2, 1);
      out.lrs.push(d.conductance());
      out.vReset.push(d.state().vReset!);
      d.pulse(-2, 1, 1);
      out.hrs.push(d.conductance());
    }
    return out;
  }
  const cv = (xs: number[]) => {
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) / mean;
  };

  it('draws V_set, V_reset, HRS and LRS afresh each cycle with the preset’s spread, from the seed', () => {
    const a = cycles(3, 400);
    for (const xs of [a.vSet, a.vReset, a.hrs, a.lrs]) expect(cv(xs)).toBeGreaterThan(0.06);
    for (const xs of [a.vSet, a.vReset, a.hrs, a.lrs]) expect(cv(xs)).toBeLessThan(0.1);
    expect(cycles(3, 20)).toEqual(cycles(3, 20));
    expect(cycles(4, 20).vSet).not.toEqual(cycles(3, 20).vSet);
  });

  it('varies thresholds and conductances from device to device, keeping their order', () => {
    const seen = new Set<number>();
    for (let seed = 0; seed < 50; seed++) {
      const p: BipolarParams = BipolarDevice.instanceParams(P, 0.5, deviceStreams(seed));
      seen.add(p.vSet);
      expect(p.gVirgin).toBeLessThan(p.gHrs);
      expect(p.gHrs).toBeLessThan(p.gLrs);
      expect(p.vSet).toBeLessThan(p.vForm);
    }
    expect(seen.size).toBe(50);
    expect(BipolarDevice.instanceParams(P, 0.05, null)).toEqual(P);
  });
});

describe('the simulated device under a compliance', () => {
  it('a pulse with a compliance is a source–measure step: current at its end, clamped; none is as before', async () => {
    const dev = createSimulatedDevice(bipolarOxidePreset, { seed: 1, noise: false });
    for (let v = 0.05; v <= 3.5; v += 0.05) await dev.pulse(v, 0.01, { compliance: 100e-6 });
    const step = await dev.pulse(1.2, 0.01, { compliance: 100e-6 });
    expect(step).toEqual({ current: 100e-6, inCompliance: true });
    const plain = await dev.pulse(0.5, 0.01);
    expect(plain.current).toBeCloseTo(dev.model.conductance() * 0.5, 18);
    await expect(dev.pulse(1, 0.01, { compliance: 0 })).rejects.toMatchObject({ kind: 'unsafe' });
    await expect(dev.pulse(1, 0.01, { compliance: Number.NaN })).rejects.toMatchObject({ kind: 'unsafe' });
  });
});

describe('the bipolar model: a staircase in one call', () => {
  it('measureSteps gives, bit for bit, what pulse + measureStep give one step at a time, and leaves the same state', () => {
    const volts = fc.array(fc.integer({ min: -40, max: 40 }).map((k) => k * 0.05), { minLength: 1, maxLength: 60 });
    const current = fc.constantFrom(50e-6, 100e-6, 500e-6, 1e-3, 1);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.boolean(), fc.array(volts, { minLength: 1, maxLength: 6 }), current, current, (seed, noise, staircases, positive, negative) => {
        const one = device(noise, seed);
        const together = device(noise, seed);
        const compliance = { positive, negative };
        // Each staircase twice: the second time its tunnelling terms come from the model's cache.
        for (const voltages of [...staircases, ...staircases]) {
          const first = voltages.length > 1 ? 1 : 0;
          const count = voltages.length - first;
          const i = new Float64Array(count + 2).fill(Number.NaN);
          const flags = new Uint8Array(count + 2).fill(9);
          together.measureSteps({ voltages, first, count, dwell: 1e-3, compliance }, { i, compliance: flags, offset: 2 });
          for (let k = 0; k < count; k++) {
            const v = voltages[first + k]!;
            const c = v < 0 ? negative : positive;
            one.pulse(v, 1e-3, c);
            const m = measureStep(one, v, c);
            if (!Object.is(i[2 + k], m.current) || flags[2 + k] !== (m.inCompliance ? 1 : 0)) return false;
          }
          if (!Number.isNaN(i[1]) || flags[1] !== 9) return false; // nothing written before the offset
          if (JSON.stringify(together.state()) !== JSON.stringify(one.state())) return false;
        }
        return Object.is(together.read(0.1).current, one.read(0.1).current);
      }),
      { numRuns: 150 },
    );
  });
});

describe('the intrinsic-gradient model under reverse polarity', () => {
  it('treats a negative pulse as sub-threshold: no change to G or to the barrier, however strong', () => {
    const d = createDevice(intrinsicGradientPreset, { seed: 1, noise: false });
    d.pulse(2, 0.01);
    const before = d.state();
    for (const v of [-0.5, -2, -5]) for (const w of [1e-6, 0.01, 1]) d.pulse(v, w, 1e-3);
    expect(d.state()).toEqual(before);
    expect(d.efficacyOf(-2, 0.01)).toBe(0);
  });
});
