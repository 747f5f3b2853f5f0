import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { samplesBenchmarks } from '../../../electron/bench/samples.bench';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('device-centric archive benchmark (small scale)', () => {
  it('reports the timeline, chip map and D2D figures with raw-SQL baselines, ratios and targets', async () => {
    const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-labbench-'));
    dirs.push(tmpDir);
    expect(samplesBenchmarks.map((b) => b.id)).toEqual(['samples.archive']);
    const figures = await samplesBenchmarks[0]!.run({ tmpDir, scale: 0.02 });
    expect(figures.map((f) => f.id)).toEqual(['samples.timeline', 'samples.chipmap', 'samples.d2d']);
    for (const f of figures) {
      expect(f.unit).toBe('ms');
      expect(Number.isFinite(f.value) && f.value > 0).toBe(true);
      expect(f.baseline?.unit).toBe('ms');
      expect(f.ratio).toBeCloseTo(f.baseline!.value / f.value, 10);
      expect(typeof f.target?.met).toBe('boolean');
    }
  }, 120_000);
});
