import { describe, expect, it } from 'vitest';
import { builtInPresets } from '../../../shared/device';
import { presetShortTitle } from '../../../renderer/features/devices/preset-title';

describe('a device preset’s title in a select (#19: cut off on Live and in the Protocols preview)', () => {
  it('drops the bracketed qualifier and the closing “memristor” or “device” the field already says', () => {
    expect(presetShortTitle('Second-order intrinsic-gradient memristor (workbench calibration)')).toBe('Second-order intrinsic-gradient');
    expect(presetShortTitle('Ideal first-order device')).toBe('Ideal first-order');
    expect(presetShortTitle('My chip 3 (annealed)')).toBe('My chip 3');
    // Nothing left to show: the title as it is.
    expect(presetShortTitle('(x)')).toBe('(x)');
    expect(presetShortTitle('memristor')).toBe('memristor');
  });

  it('keeps the built-in presets apart and short', () => {
    const shorts = builtInPresets.map((p) => presetShortTitle(p.title));
    expect(new Set(shorts).size).toBe(builtInPresets.length);
    for (const s of shorts) expect(s.length).toBeLessThanOrEqual(32);
  });
});
