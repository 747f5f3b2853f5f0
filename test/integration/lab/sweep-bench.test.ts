import { describe, expect, it } from 'vitest';
import { allBenchmarks } from '../../../electron/bench';
import { labSweepBenchmarks } from '../../../electron/bench/lab-sweep.bench';
import { pgUnavailableReason } from '../../fixtures/pg-cluster';
import { tempDirs } from '../../fixtures/temp-dirs';

const unavailable = pgUnavailableReason();
const tmp = tempDirs('wb-lab-sweep-bench-');

describe.skipIf(unavailable !== null)('lab.sweep benchmark', () => {
  it('is registered and reports the sweep on 2 workers against 1', { timeout: 300_000 }, async () => {
    expect(allBenchmarks.map((b) => b.id)).toContain('lab.sweep');
    const [figure, overhead, ...rest] = await labSweepBenchmarks[0]!.run({ tmpDir: tmp(), scale: 0.04 });
    expect(rest).toEqual([]);
    expect(overhead!.id).toBe('lab.sweep-overhead');
    expect(overhead!.value).toBe(figure!.baseline!.value);
    expect(overhead!.ratio).toBeCloseTo(overhead!.baseline!.value / overhead!.value, 9);
    expect(figure!.id).toBe('lab.sweep');
    expect(figure!.title).toMatch(/at 2 seeds \(60 jobs\)/);
    expect(figure!.unit).toBe('s');
    expect(figure!.value).toBeGreaterThan(0);
    expect(figure!.baseline!.title).toMatch(/1 worker/);
    expect(figure!.ratio).toBeCloseTo(figure!.baseline!.value / figure!.value, 9);
    expect(figure!.target).toBeUndefined();
  });
});
