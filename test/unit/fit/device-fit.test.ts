import { describe, expect, it } from 'vitest';
import { createDevice, idealPreset, parseDevicePreset } from '../../../shared/device';
import { measuredTrace, truth } from '../../fixtures/measured-trace';
import { fitDeviceModel, formatTraceCsv, parseTraceCsv, simulateReads, type PulseEvent, type ReadEvent } from '../../../shared/fit';

/** The fit's input as the fit takes it: pulses as events. */
function measuredRun(seed: number, params = truth): { events: PulseEvent[]; reads: ReadEvent[] } {
  const { pulses, reads } = measuredTrace(seed, params);
  return { events: pulses, reads };
}

describe('fitDeviceModel', () => {
  it('recovers k_d and τ_g within 5 % from a noisy simulated run', () => {
    // The barrier's own parameters (kS, beta, tauS) are held: one train and one recovery cannot
    // separate them from τ_g (the standard errors say so when they are freed, see below).
    for (const seed of [1, 2, 3]) {
      const { events, reads } = measuredRun(seed);
      const fit = fitDeviceModel({ model: 'intrinsic-gradient', events, reads, free: ['g0', 'kD', 'tauG', 'rho', 'gMin'] });
      if (!fit.ok) throw new Error(fit.problems.join('; '));
      expect(fit.converged).toBe(true);
      expect(Math.abs(fit.params.kD / truth.kD - 1)).toBeLessThan(0.05);
      expect(Math.abs(fit.params.tauG / truth.tauG - 1)).toBeLessThan(0.05);
      expect(fit.params.kS).toBe(truth.kS);
      // The residuals are the read noise, and the truth lies within 4 standard errors.
      expect(fit.relativeResidualRms).toBeGreaterThan(0.008);
      expect(fit.relativeResidualRms).toBeLessThan(0.012);
      for (const key of ['kD', 'tauG', 'rho', 'gMin'] as const) {
        const estimate = fit.estimates[key]!;
        expect(Math.abs(estimate.value - truth[key])).toBeLessThan(4 * estimate.standardError);
      }
      expect(fit.fitted).toHaveLength(reads.length);
    }
  });

  it('reports large standard errors when parameters cannot be told apart', () => {
    const { events, reads } = measuredRun(1);
    const narrow = fitDeviceModel({ model: 'intrinsic-gradient', events, reads, free: ['g0', 'kD', 'tauG'] });
    const wide = fitDeviceModel({ model: 'intrinsic-gradient', events, reads });
    if (!narrow.ok || !wide.ok) throw new Error('fit failed');
    expect(wide.free).toEqual(['g0', 'kD', 'kS', 'beta', 'rho', 'gMin', 'tauG', 'tauS']);
    expect(wide.estimates.tauG!.relativeError).toBeGreaterThan(5 * narrow.estimates.tauG!.relativeError);
  });

  it('is exact on noise-free data, with Nelder–Mead too', () => {
    const events = [0, 1, 2, 3, 4].map((t) => ({ t, v: 2, width: 0.01 }));
    const reads = [-1, 0.5, 1.5, 2.5, 3.5, 4.5, 20, 60, 120].map((t) => ({ t, v: 0.1, g: 0 }));
    const g = simulateReads('intrinsic-gradient', truth, events, reads);
    reads.forEach((r, k) => (r.g = g[k]!));
    for (const method of ['levenberg-marquardt', 'nelder-mead'] as const) {
      const fit = fitDeviceModel({ model: 'intrinsic-gradient', events, reads, free: ['kD', 'tauG'], method });
      if (!fit.ok) throw new Error(fit.problems.join('; '));
      expect(fit.params.kD / truth.kD).toBeCloseTo(1, 5);
      expect(fit.params.tauG / truth.tauG).toBeCloseTo(1, 4);
      expect(fit.relativeResidualRms).toBeLessThan(1e-6);
    }
  });

  it('fits the ideal model and turns any fit into a valid preset', () => {
    const device = createDevice({ ...idealPreset, params: { ...idealPreset.params, kD: 0.08 } }, { seed: 4 });
    const events: PulseEvent[] = [];
    const reads: ReadEvent[] = [{ t: 0, v: 0.1, g: device.read(0.1).conductance }];
    for (let k = 1; k <= 40; k++) {
      device.pulse(2, 0.01);
      events.push({ t: k, v: 2, width: 0.01 });
      reads.push({ t: k + 0.5, v: 0.1, g: device.read(0.1).conductance });
    }
    const fit = fitDeviceModel({ model: 'ideal', events, reads, presetName: 'cell-4' });
    if (!fit.ok) throw new Error(fit.problems.join('; '));
    expect(Math.abs(fit.params.kD / 0.08 - 1)).toBeLessThan(0.03);
    const parsed = parseDevicePreset(JSON.parse(JSON.stringify(fit.preset)));
    expect(parsed.ok).toBe(true);
    expect(fit.preset).toMatchObject({ name: 'cell-4', source: 'fitted', model: 'ideal' });
    expect(fit.preset.provenance).toMatchObject({ kD: 'fitted', g0: 'fitted', gMin: 'fitted', vTh: 'ours' });
  });

  it('takes its input from a CSV trace', () => {
    const { events, reads } = measuredRun(7);
    const parsed = parseTraceCsv(formatTraceCsv({ pulses: events, reads }));
    if (!parsed.ok) throw new Error('csv');
    const fit = fitDeviceModel({ model: 'intrinsic-gradient', events: parsed.trace.pulses, reads: parsed.trace.reads, free: ['g0', 'kD', 'tauG', 'rho', 'gMin'] });
    expect(fit.ok && Math.abs(fit.params.kD / truth.kD - 1)).toBeLessThan(0.05);
  });

  it('explains what is wrong with its input instead of throwing', () => {
    const bad = fitDeviceModel({
      model: 'intrinsic-gradient',
      events: [{ t: 0, v: 2, width: -1 }],
      reads: [{ t: 1, v: 0 }],
      fixed: { tauG: -5 },
      free: ['kD', 'tauG', 'nonsense' as 'kD'],
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems).toEqual(
      expect.arrayContaining([
        'pulse 1 needs a finite time, a finite amplitude and a positive width',
        'read 1 has neither g nor a usable i/v',
        'fixed tauG must be a positive number of seconds (got -5)',
        'free names nonsense, which is not a parameter of the intrinsic-gradient model',
        'tauG is both free and fixed',
      ]),
    );
    const filamentary = fitDeviceModel({ model: 'filamentary' as 'ideal', events: [], reads: [] });
    expect(filamentary).toEqual({ ok: false, problems: ['model must be one of intrinsic-gradient, ideal (got filamentary)'] });
  });
});
