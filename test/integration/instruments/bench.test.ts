import { describe, expect, it } from 'vitest';
import { instrumentBenchmarks, measurePulseOverhead } from '../../../electron/bench/instruments.bench';
import { tempDir } from './helpers';

describe('instruments.pulse benchmark', () => {
  it('compares the driver with a bare loop sending exactly the steady-state lines of one cycle', async () => {
    const { driver, bare, cycleLines } = await measurePulseOverhead({ tmpDir: tempDir(), scale: 0.01 });
    // The driver remembers what it set: a steady pulse + read cycle sends only what changes.
    expect(cycleLines).toEqual([
      ':SOUR:VOLT:MODE LIST',
      ':SOUR:DEL 0.0098',
      ':READ?',
      ':SENS:CURR:PROT:TRIP?',
      ':SOUR:VOLT:MODE FIX',
      ':SOUR:DEL 0',
      ':READ?',
      ':SENS:CURR:PROT:TRIP?',
    ]);
    expect(driver).toBeGreaterThan(0);
    expect(bare).toBeGreaterThan(0);
  });

  it('reports one figure with its baseline, ratio and target', async () => {
    const [figure] = await instrumentBenchmarks[0]!.run({ tmpDir: tempDir(), scale: 0.01 });
    expect(figure).toMatchObject({ id: 'instruments.pulse', unit: 'cycles/s', baseline: { unit: 'cycles/s' } });
    expect(figure!.ratio).toBeCloseTo(figure!.value / figure!.baseline!.value, 12);
    expect(figure!.target!.met).toBe(figure!.ratio! >= 0.8);
  });
});
