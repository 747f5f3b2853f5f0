import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bipolarOxidePreset, intrinsicGradientPreset } from '../../../shared/device';
import { computePreview } from '../../../renderer/features/protocols/preview-compute';

const forming = JSON.parse(readFileSync(new URL('../../../resources/protocols/forming.json', import.meta.url), 'utf8')) as unknown;

describe('the preview of a forming block (#13)', () => {
  it('draws each pulse it applies and says how the forming ended on the simulated device', () => {
    const r = computePreview({ seq: 1, document: forming, preset: bipolarOxidePreset, seed: 1, noise: false });
    if (!r.ok) throw new Error(r.problems[0]?.message);
    const pulses = r.traces.pulseT.length / 4;
    // Each pulse is followed by a read, and one more read ends the protocol.
    expect(r.traces.readT.length).toBe(pulses + 1);
    expect(pulses).toBeLessThan(r.estimate.pulses.value);
    expect(r.estimate.pulses).toEqual({ value: 61, exact: false });
    expect(r.exits).toHaveLength(1);
    expect(r.exits[0]).toMatch(/^forming \(Form: 0\.5 V → 3\.5 V under 100 µA\): target reached at V = 2\.\d+ V/);
    // The rectangles rise to the voltage of each pulse: the last at the voltage the exit names.
    const top = Math.max(...r.traces.pulseV);
    expect(r.exits[0]).toContain(`V = ${top.toFixed(3)} V`);
  });

  it('on a device that never forms (intrinsic-gradient) the preview runs the whole staircase and says so', () => {
    const r = computePreview({ seq: 1, document: forming, preset: intrinsicGradientPreset, seed: 1, noise: false });
    if (!r.ok) throw new Error(r.problems[0]?.message);
    expect(r.traces.pulseT.length / 4).toBe(61);
    expect(r.exits[0]).toMatch(/maximum voltage 3\.500 V reached without forming/);
  });
});
