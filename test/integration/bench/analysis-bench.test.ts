import { describe, expect, it } from 'vitest';
import { allBenchmarks } from '../../../electron/bench';
import { analysisBenchmarks } from '../../../electron/bench/analysis.bench';
import { tempDirs } from '../../fixtures/temp-dirs';

/**
 * The switching analysis benchmarks (#13) are registered, and the endurance one reports a
 * well-formed figure at a small scale (20 cycles): a value, the raw write beside it, their ratio and
 * the target judged, and the in-memory floor under it. Never a time limit. (analysis.iv-chart needs Chromium and the built renderer:
 * `workbench bench --only analysis` runs it.)
 */
const tmp = tempDirs('wb-bench-analysis-');

describe('analysis benchmarks', () => {
  it('are registered once each', () => {
    const ids = allBenchmarks.map((b) => b.id);
    for (const b of analysisBenchmarks) expect(ids.filter((id) => id === b.id)).toHaveLength(1);
  });

  it('analysis.endurance reports its run against the raw write', { timeout: 120_000 }, async () => {
    const [f, floor] = await analysisBenchmarks[0]!.run({ tmpDir: tmp(), scale: 0.02 });
    expect(f?.id).toBe('analysis.endurance');
    expect(f!.value).toBeGreaterThan(0);
    expect(f!.baseline!.value).toBeGreaterThan(0);
    expect(f!.ratio).toBeCloseTo(f!.baseline!.value / f!.value, 12);
    expect(f!.title).toContain('20-cycle endurance run');
    expect(typeof f!.target?.met).toBe('boolean');
    // The floor under it: the same run in memory alone, against the same write, with the ceiling it implies.
    expect(floor?.id).toBe('analysis.endurance.in-memory');
    expect(floor!.value).toBeGreaterThan(0);
    expect(floor!.baseline!.value).toBe(f!.baseline!.value);
    expect(floor!.ratio).toBeCloseTo(floor!.baseline!.value / floor!.value, 12);
    expect(floor!.title).toContain(`cannot exceed raw / (this + raw) = ${(floor!.baseline!.value / (floor!.value + floor!.baseline!.value)).toFixed(2)}`);
    expect(floor!.target).toBeUndefined();
  });
});
