import { describe, expect, it } from 'vitest';
import { deviceBenchmarks } from '../../../electron/bench/device.bench';

describe('device benchmark', () => {
  it('measures the model against the bare loop at a small scale', async () => {
    expect(deviceBenchmarks.map((b) => b.id)).toEqual(['device.updates']);
    const [figure, ...rest] = await deviceBenchmarks[0]!.run({ tmpDir: '', scale: 0.001 });
    expect(rest).toEqual([]);
    expect(figure!.value).toBeGreaterThan(0);
    expect(figure!.baseline!.value).toBeGreaterThan(0);
    expect(figure!.ratio).toBeCloseTo(figure!.value / figure!.baseline!.value, 12);
    expect(figure!.target!.met).toBe(figure!.ratio! >= 0.5);
  });
});
