import { describe, expect, it } from 'vitest';
import { instrumentBenchmarks, measurePulseOverhead, TCP_SETUP } from '../../../electron/bench/instruments.bench';
import { tempDir } from './helpers';

describe('instruments.pulse benchmarks', () => {
  it('compares the driver with a bare loop sending exactly the steady-state lines of one cycle (pty)', async () => {
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

  it('does the same over a loopback TCP socket with the 2450 driver', async () => {
    const { driver, bare, cycleLines } = await measurePulseOverhead({ tmpDir: tempDir(), scale: 0.01 }, TCP_SETUP);
    expect(cycleLines).toEqual([
      ':SOUR:VOLT:DEL 0.0098',
      ':SOUR:VOLT 2',
      ':OUTP ON',
      ':READ? "defbuffer1", SOUR, READ',
      ':OUTP OFF',
      ':SOUR:VOLT:ILIM:TRIP?',
      ':SOUR:VOLT:DEL 0',
      ':SOUR:VOLT 0.1',
      ':OUTP ON',
      ':READ? "defbuffer1", SOUR, READ',
      ':OUTP OFF',
      ':SOUR:VOLT:ILIM:TRIP?',
    ]);
    expect(driver).toBeGreaterThan(0);
    expect(bare).toBeGreaterThan(0);
  });

  it('reports one figure each with its baseline, ratio and target', async () => {
    expect(instrumentBenchmarks.map((b) => b.id)).toEqual(['instruments.pulse', 'instruments.pulse.tcp']);
    for (const bench of instrumentBenchmarks) {
      const [figure] = await bench.run({ tmpDir: tempDir(), scale: 0.01 });
      expect(figure).toMatchObject({ id: bench.id, unit: 'cycles/s', baseline: { unit: 'cycles/s' } });
      expect(figure!.ratio).toBeCloseTo(figure!.value / figure!.baseline!.value, 12);
      expect(figure!.target!.met).toBe(figure!.ratio! >= 0.8);
    }
  });
});
