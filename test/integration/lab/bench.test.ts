import { describe, expect, it } from 'vitest';
import { labBenchmarks } from '../../../electron/bench/lab.bench';
import { allBenchmarks } from '../../../electron/bench';
import { pgUnavailableReason } from '../../fixtures/pg-cluster';
import { tempDirs } from '../../fixtures/temp-dirs';

const unavailable = pgUnavailableReason();
const tmp = tempDirs('wb-lab-bench-');

describe.skipIf(unavailable !== null)('lab.publish benchmark', () => {
  it('is registered and reports publish throughput against a raw COPY of the same rows', { timeout: 180_000 }, async () => {
    expect(allBenchmarks.map((b) => b.id)).toContain('lab.publish');
    const [figure, ...rest] = await labBenchmarks[0]!.run({ tmpDir: tmp(), scale: 0.01 });
    expect(rest).toEqual([]);
    expect(figure!.id).toBe('lab.publish');
    expect(figure!.unit).toBe('samples/s');
    expect(figure!.value).toBeGreaterThan(0);
    expect(figure!.baseline!.title).toMatch(/raw COPY/);
    expect(figure!.ratio).toBeCloseTo(figure!.value / figure!.baseline!.value, 9);
    expect(figure!.target).toEqual({ description: 'ratio ≥ 0.5', met: figure!.ratio! >= 0.5 });
  });
});
