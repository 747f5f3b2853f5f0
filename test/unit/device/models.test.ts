import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CALIBRATION_PULSE,
  createDevice,
  createModel,
  efficacy,
  filamentaryPreset,
  idealPreset,
  intrinsicGradientPreset,
  type DevicePreset,
  type IntrinsicGradientParams,
  type SimulatedDevice,
} from '../../../shared/device';
import { CAL_V, CAL_W, quiet } from './helpers';

const presets: DevicePreset[] = [intrinsicGradientPreset, filamentaryPreset, idealPreset];

describe('efficacy', () => {
  const p = intrinsicGradientPreset.params;
  it('is 1 at the calibration pulse, 0 at or below threshold, and grows with amplitude and width', () => {
    expect(efficacy(p, CALIBRATION_PULSE.amplitude, CALIBRATION_PULSE.width)).toBeCloseTo(1, 14);
    expect(efficacy(p, p.vTh, 0.01)).toBe(0);
    expect(efficacy(p, 0.1, 0.01)).toBe(0);
    expect(efficacy(p, -2, 0.01)).toBe(0);
    expect(efficacy(p, 2, 0)).toBe(0);
    expect(efficacy(p, NaN, 0.01)).toBe(0);
    expect(efficacy(p, 1.5, 0.01)).toBeGreaterThan(efficacy(p, 1.2, 0.01));
    expect(efficacy(p, 2.5, 0.01)).toBeGreaterThan(1);
    expect(efficacy(p, 2, 0.04)).toBeCloseTo(2, 12); // widthExponent 0.5
    // Grows faster than linearly above threshold (sinh).
    expect(efficacy(p, 2.5, 0.01) - 1).toBeGreaterThan(1 - efficacy(p, 1.5, 0.01));
  });
});

/** The model equations of SCIENCE.md, written out independently. */
function referenceTrace(p: IntrinsicGradientParams, ops: readonly Op[]): { g: number; s: number }[] {
  let g = 1;
  let s = 0;
  const out: { g: number; s: number }[] = [];
  for (const op of ops) {
    if (op.kind === 'pulse') {
      const e = efficacy(p, op.v, op.w);
      if (e > 0) {
        g = g - Math.min(1, p.kD * e * (1 + p.beta * s)) * (g - p.gMin);
        s = s + Math.min(1, p.kS * e) * (1 - s);
      }
    } else {
      const a = op.dt / p.tauS;
      const b = op.dt / p.tauG;
      const term =
        p.tauG === p.tauS
          ? -p.rho * s * b * Math.exp(-b)
          : ((-p.rho * s * p.tauS) / (p.tauS - p.tauG)) * (Math.exp(-a) - Math.exp(-b));
      g = 1 + (g - 1) * Math.exp(-b) + term;
      s = s * Math.exp(-a);
    }
    out.push({ g, s });
  }
  return out;
}

type Op = { kind: 'pulse'; v: number; w: number } | { kind: 'relax'; dt: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('pulse' as const), v: fc.double({ min: -5, max: 10, noNaN: true }), w: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('relax' as const), dt: fc.double({ min: 0, max: 1e4, noNaN: true }) }),
);

function apply(device: SimulatedDevice, op: Op): void {
  if (op.kind === 'pulse') device.pulse(op.v, op.w);
  else device.relax(op.dt);
}

describe('intrinsic-gradient model', () => {
  it('with noise off follows the model equations exactly', () => {
    const ops: Op[] = [];
    for (let k = 0; k < 30; k++) ops.push({ kind: 'pulse', v: 1 + (k % 7) * 0.25, w: 0.001 * (1 + (k % 5)) }, { kind: 'relax', dt: k * 3.7 });
    const device = quiet(intrinsicGradientPreset);
    const reference = referenceTrace(intrinsicGradientPreset.params, ops);
    ops.forEach((op, k) => {
      apply(device, op);
      const st = device.state();
      expect(st.g).toBeCloseTo(reference[k]!.g, 12);
      expect(st.s).toBeCloseTo(reference[k]!.s, 12);
    });
    expect(device.g0).toBe(intrinsicGradientPreset.params.g0);
  });

  it('is not changed by sub-threshold pulses, reads, or a zero wait', () => {
    const device = quiet(intrinsicGradientPreset);
    device.pulse(CAL_V, CAL_W);
    device.relax(5);
    const before = device.state();
    device.pulse(0.99, 0.01);
    device.pulse(-3, 0.01);
    device.pulse(2, 0);
    device.pulse(NaN, 0.01);
    device.relax(0);
    for (let k = 0; k < 100; k++) device.read(0.1);
    expect(device.state()).toEqual(before);
  });

  it('reads I = G0·g·V', () => {
    const device = quiet(intrinsicGradientPreset);
    device.pulse(CAL_V, CAL_W);
    const r = device.read(0.1);
    expect(r.conductance).toBe(device.conductance());
    expect(r.current).toBeCloseTo(device.conductance() * 0.1, 20);
    expect(device.conductance()).toBeCloseTo(device.g0 * device.state().g!, 20);
  });

  it('rejects a negative or NaN wait', () => {
    for (const preset of presets) {
      const device = quiet(preset);
      expect(() => device.relax(-1)).toThrow(RangeError);
      expect(() => device.relax(NaN)).toThrow(RangeError);
    }
  });

  it('keeps g in [g_min, 1] and s in [0, 1] for any pulse/relax sequence and any valid parameters', () => {
    const paramsArb = fc
      .record({
        kD: fc.double({ min: 1e-6, max: 1, noNaN: true }),
        kS: fc.double({ min: 0, max: 1, noNaN: true }),
        beta: fc.double({ min: 0, max: 100, noNaN: true }),
        gMin: fc.double({ min: 0, max: 0.5, noNaN: true }),
        rhoShare: fc.double({ min: 0, max: 1, noNaN: true }),
        tauG: fc.double({ min: 1e-3, max: 1e5, noNaN: true }),
        tauS: fc.double({ min: 1e-3, max: 1e5, noNaN: true }),
      })
      .map(({ rhoShare, ...rest }): IntrinsicGradientParams => ({
        ...intrinsicGradientPreset.params,
        ...rest,
        rho: rhoShare * (1 - rest.gMin),
      }));
    fc.assert(
      fc.property(paramsArb, fc.array(opArb, { maxLength: 60 }), fc.integer(), fc.boolean(), (params, ops, seed, noise) => {
        const device = createModel('intrinsic-gradient', params, { c2c: 0.3, d2d: 0.3, read: 0.01 }, { seed, noise });
        for (const op of ops) {
          apply(device, op);
          const { g, s } = device.state();
          if (!(g! >= params.gMin && g! <= 1 && s! >= 0 && s! <= 1)) return false;
        }
        return true;
      }),
    );
  });
});

describe('comparison models stay in range', () => {
  it('filamentary and ideal keep g in [g_min, 1] for any pulse/relax sequence', () => {
    fc.assert(
      fc.property(fc.constantFrom(filamentaryPreset, idealPreset), fc.array(opArb, { maxLength: 80 }), fc.integer(), (preset, ops, seed) => {
        const device = createDevice({ ...preset, variation: { c2c: 0.5, d2d: 0.3, read: 0.01 } }, { seed });
        const gMin = preset.params.gMin;
        for (const op of ops) {
          apply(device, op);
          const st = device.state();
          for (const v of [st.g, st.gStable]) if (v !== undefined && !(v >= gMin && v <= 1)) return false;
          if (st.gStable !== undefined && st.g! > st.gStable + 1e-15) return false;
        }
        return true;
      }),
    );
  });

  it('ideal: every calibration spike removes the same fraction of (g − g_min)', () => {
    const device = quiet(idealPreset);
    const { kD, gMin } = idealPreset.params;
    let g = device.state().g!;
    for (let k = 0; k < 20; k++) {
      device.pulse(CAL_V, CAL_W);
      device.relax(k * 10);
      const next = device.state().g!;
      expect((g - next) / (g - gMin)).toBeCloseTo(kD, 12);
      g = next;
    }
  });
});
