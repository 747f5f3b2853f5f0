import { describe, expect, it } from 'vitest';
import { storeBenchmarks } from '../../../electron/bench/store.bench';
import { tempDir } from './helpers';

describe('store benchmarks (small scale)', () => {
  it('run and report well-formed figures with baselines, ratios and targets', async () => {
    expect(storeBenchmarks.map((b) => b.id)).toEqual(['store.ingest', 'store.read']);
    for (const bench of storeBenchmarks) {
      const figures = await bench.run({ tmpDir: tempDir(), scale: 0.02 });
      expect(figures).toHaveLength(1);
      const f = figures[0]!;
      expect(f.id).toBe(bench.id);
      expect(Number.isFinite(f.value) && f.value > 0).toBe(true);
      expect(f.baseline).toBeDefined();
      expect(Number.isFinite(f.baseline!.value) && f.baseline!.value > 0).toBe(true);
      expect(f.baseline!.unit).toBe(f.unit);
      expect(typeof f.target?.met).toBe('boolean');
      // ratio is always "higher is better": rates divide value by baseline, times the other way round
      const expected = f.unit === 's' ? f.baseline!.value / f.value : f.value / f.baseline!.value;
      expect(f.ratio).toBeCloseTo(expected, 10);
    }
  });
});
