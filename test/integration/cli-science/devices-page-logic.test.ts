/**
 * The science and the validation behind the Devices page, tested without a browser: the
 * characteristic curves (renderer/features/devices/curves.ts) and the editor's draft
 * (renderer/features/devices/draft.ts) are plain TypeScript over shared/.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { characterize, filamentaryPreset, idealPreset, intrinsicGradientPreset, type DevicePreset } from '../../../shared/device';
import { characteristicCurves, DEFAULT_STIMULUS, stimulusProblem } from '../../../renderer/features/devices/curves';
import { evaluateDraft, formatValue, newDraft } from '../../../renderer/features/devices/draft';

const monotone = (xs: Float64Array, dir: 1 | -1) => xs.every((x, k) => k === 0 || dir * (x - xs[k - 1]!) >= -1e-15);

describe('characteristic curves', () => {
  it('reproduce the calibration of the intrinsic-gradient preset and its second-order behaviour', () => {
    const c = characteristicCurves(intrinsicGradientPreset);
    expect(c.train.g).toHaveLength(101);
    expect(c.train.g[0]).toBe(intrinsicGradientPreset.params.g0);
    expect(c.summary.trainDeltaPercent).toBeCloseTo(-98.1, 1);
    expect(monotone(c.train.g, -1)).toBe(true);
    // Partial recovery over 600 s, still under way at the end.
    expect(monotone(c.relaxation.g, 1)).toBe(true);
    expect(c.relaxation.x[c.relaxation.x.length - 1]).toBe(600);
    expect(c.summary.recoveredPercent).toBeGreaterThan(20);
    expect(c.summary.recoveredPercent).toBeLessThan(90);
    const n = c.relaxation.g.length;
    expect(c.relaxation.g[n - 1]! - c.relaxation.g[n - 2]!).toBeGreaterThan(0);
    // A faster train depresses more.
    expect(monotone(c.rate.deltaPercent, -1)).toBe(true);
    expect(c.summary.deltaAt10Hz).toBeLessThan(c.summary.deltaAt0_1Hz - 5);
    // The first spike's barrier makes the second stronger, and is forgotten over τ_s: the index
    // falls from ≥ 1.15 back to 1 at long intervals, and the page shows the CLI's numbers.
    const ppi = c.pairedPulse.index;
    expect(ppi[0]!).toBeGreaterThanOrEqual(1.15);
    expect(monotone(ppi, -1)).toBe(true);
    expect(Math.abs(ppi[ppi.length - 1]! - 1)).toBeLessThan(0.01);
    const cli = characterize(intrinsicGradientPreset);
    expect(c.summary.indexShort).toBeCloseTo(cli.pairedPulse[0]!.index, 12);
    expect(c.summary.halfDecayIntervalS).toBeCloseTo(cli.halfDecayIntervalS!, 9);
    expect(c.summary.g600).toBeCloseTo(cli.paperTrain.g600, 12);
  });

  it('show no memory for the ideal device and a fast volatile relaxation for the filamentary one', () => {
    const ideal = characteristicCurves(idealPreset);
    for (const r of ideal.pairedPulse.index) expect(r).toBeCloseTo(1, 12);
    expect(ideal.summary.halfDecayIntervalS).toBeNull();
    for (const d of ideal.rate.deltaPercent) expect(d).toBeCloseTo(ideal.summary.trainDeltaPercent, 9);
    expect(new Set(ideal.relaxation.g).size).toBe(1);

    const fil = characteristicCurves(filamentaryPreset);
    // τ ≈ 1 s: after 10 s nothing volatile is left, and the level stays.
    const g = fil.relaxation.g;
    expect(Math.abs(g[5]! - g[g.length - 1]!) / g[g.length - 1]!).toBeLessThan(1e-3);
    // Seeded: the same preset always draws the same curves.
    expect(characteristicCurves(filamentaryPreset).train.g).toEqual(fil.train.g);
  });

  it('follow the stimulus, and say what is wrong with a bad one', () => {
    const weak = characteristicCurves(intrinsicGradientPreset, { stimulus: { ...DEFAULT_STIMULUS, amplitude: 1.5 } });
    expect(weak.summary.trainDeltaPercent).toBeGreaterThan(-98);
    const below = characteristicCurves(intrinsicGradientPreset, { stimulus: { ...DEFAULT_STIMULUS, amplitude: 0.9 } });
    expect(below.summary.trainDeltaPercent).toBe(0);
    expect(stimulusProblem({ ...DEFAULT_STIMULUS, period: 0.01 })).toBe('the period must be longer than the spike width');
    expect(stimulusProblem({ ...DEFAULT_STIMULUS, count: 2.5 })).toContain('whole number');
    expect(stimulusProblem({ ...DEFAULT_STIMULUS, amplitude: Number.NaN })).toContain('amplitude');
    expect(stimulusProblem(DEFAULT_STIMULUS)).toBeNull();
  });
});

describe('the editor draft', () => {
  const fitted: DevicePreset = {
    ...intrinsicGradientPreset,
    name: 'cell-1',
    source: 'fitted',
    params: { ...intrinsicGradientPreset.params, kD: 0.0450057639 },
    provenance: { ...intrinsicGradientPreset.provenance, kD: 'fitted' },
  };

  it('keeps untouched values exact and reads typed ones with units', () => {
    const untouched = evaluateDraft(newDraft(fitted, 'saved'));
    expect(untouched.preset).toEqual(fitted);
    expect(untouched.dirty).toBe(false);
    const typed = evaluateDraft({ ...newDraft(fitted, 'saved'), texts: { 'params.tauG': '2.5 min', 'params.g0': '12u', 'variation.c2c': '5 %' } });
    expect(typed.preset?.params).toMatchObject({ tauG: 150, g0: 12e-6, kD: 0.0450057639 });
    expect(typed.preset?.variation.c2c).toBe(0.05);
    expect(typed.edited).toEqual(new Set(['params.g0', 'variation.c2c']));
    expect(formatValue(1000, { unit: 's', percent: false })).toBe('1000 s');
    expect(formatValue(10e-6, { unit: 'S', percent: false })).toBe('10 µS');
    expect(formatValue(0.03, { unit: '', percent: true })).toBe('3 %');
  });

  it('gives each field its problem in the sentence of the unit parser or of parseDevicePreset', () => {
    const s = evaluateDraft({
      ...newDraft(intrinsicGradientPreset, 'shipped'),
      texts: { 'params.kD': '1.5', 'params.tauG': 'soon', 'params.tauS': '', 'params.rho': '0.995', 'params.vTh': '0.05' },
    });
    expect(s.preset).toBeNull();
    expect(s.errors).toEqual({
      'params.kD': 'kD must be in (0, 1] (got 1.5)',
      'params.tauG': "expected a time such as '10 ms', got 'soon'",
      'params.tauS': 'tauS is missing: it must be a positive number of seconds',
      'params.rho': 'rho must be in [0, 1 − gMin] = [0, 0.99] so the recovery level 1 − rho·s never falls below gMin (got 0.995)',
      readVoltage: 'readVoltage must be below the threshold vTh = 0.05 V so reads do not disturb the device (got 0.1)',
    });
    expect(s.other).toEqual([]);
  });

  it('marks an edited value as no longer ours, unless the user says where it comes from', () => {
    const base = newDraft(intrinsicGradientPreset, 'shipped');
    const edited = evaluateDraft({ ...base, texts: { 'params.kD': '0.05' } });
    expect(edited.provenance.kD).toBe('measured');
    expect(edited.provenance.kS).toBe('ours');
    expect(edited.preset?.source).toBe('measured');
    const picked = evaluateDraft({ ...base, texts: { 'params.kD': '0.05' }, sources: { kD: 'literature' } });
    expect(picked.preset?.provenance.kD).toBe('literature');
    // Typing the loaded value back makes it the calibration again.
    expect(evaluateDraft({ ...base, texts: { 'params.kD': '47.5 m' } }).provenance.kD).toBe('ours');
    expect(evaluateDraft({ ...base, texts: { 'params.kD': '47.5 m' } }).dirty).toBe(false);
  });
});

describe('the page never crashes', () => {
  it('on any text in any field, nor on any valid preset the fields can make', () => {
    const texts = fc.oneof(
      fc.string(),
      fc.double().map(String),
      fc.constantFrom('', '-', '1e400', '-1e-400', 'NaN', 'Infinity', '10 µS', '2.5 min', '50 %', '0', '1', '1e-300', '1e300'),
    );
    const paths = ['params.g0', 'params.kD', 'params.kS', 'params.beta', 'params.rho', 'params.gMin', 'params.tauG', 'params.tauS', 'params.vTh', 'params.vScale', 'params.widthExponent', 'readVoltage', 'variation.c2c', 'variation.d2d', 'variation.read'];
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...paths), texts), fc.boolean(), (typed, noise) => {
        const state = evaluateDraft({ ...newDraft(intrinsicGradientPreset, 'shipped'), texts: typed });
        expect(state.preset === null).toBe(Object.keys(state.errors).length > 0 || state.other.length > 0);
        if (state.preset) {
          const c = characteristicCurves(state.preset, { noise, stimulus: { amplitude: 2, width: 0.01, period: 1, count: 20 } });
          expect(c.train.g).toHaveLength(21);
        }
      }),
      { numRuns: 300 },
    );
  });
});
