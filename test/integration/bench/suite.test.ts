import { describe, expect, it } from 'vitest';
import { allBenchmarks } from '../../../electron/bench';
import { protocolBenchmarks } from '../../../electron/bench/protocol.bench';
import { rlBenchmarks } from '../../../electron/bench/rl.bench';
import { runBenchmarks } from '../../../electron/bench/runs.bench';
import { simulateBenchmarks } from '../../../electron/bench/simulate.bench';
import { startupBenchmarks } from '../../../electron/bench/startup.bench';
import type { BenchFigure } from '../../../electron/bench/types';
import { tempDirs } from '../../fixtures/temp-dirs';

/**
 * The benchmarks without a test of their own (store, device, instruments, editor and live have
 * theirs), run at a small scale: each reports well-formed figures — a finite value, a baseline
 * measured beside it, the ratio between them, and whether its target was met. Never a time limit:
 * the figures are for `workbench bench` to report, on a machine this test knows nothing about.
 */
const tmp = tempDirs('wb-bench-suite-');

function expectWellFormed(f: BenchFigure): void {
  expect(typeof f.id === 'string' && f.id.length > 0).toBe(true);
  expect(Number.isFinite(f.value) && f.value >= 0, `${f.id}: value ${f.value}`).toBe(true);
  expect(f.unit.length).toBeGreaterThan(0);
  if (f.baseline) {
    expect(Number.isFinite(f.baseline.value) && f.baseline.value > 0, `${f.id}: baseline ${f.baseline.value}`).toBe(true);
    expect(f.ratio, `${f.id}: a baseline without a ratio`).toBeDefined();
    // Higher is better: value/baseline for rates, baseline/value for times.
    const asRate = f.value / f.baseline.value;
    const asTime = f.baseline.value / f.value;
    const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
    expect(close(f.ratio!, asRate) || close(f.ratio!, asTime), `${f.id}: ratio ${f.ratio} is neither ${asRate} nor ${asTime}`).toBe(true);
  }
  if (f.target) expect(typeof f.target.met === 'boolean' && f.target.description.length > 0).toBe(true);
}

describe('benchmark suite', () => {
  it('registers every benchmark once', () => {
    const ids = allBenchmarks.map((b) => b.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const b of [...protocolBenchmarks, ...rlBenchmarks, ...runBenchmarks, ...simulateBenchmarks, ...startupBenchmarks]) expect(ids).toContain(b.id);
  });

  for (const b of [...protocolBenchmarks, ...rlBenchmarks, ...runBenchmarks, ...simulateBenchmarks]) {
    it(`${b.id} reports well-formed figures at a small scale`, { timeout: 120_000 }, async () => {
      const figures = await b.run({ tmpDir: tmp(), scale: 0.02 });
      expect(figures.length).toBeGreaterThan(0);
      for (const f of figures) expectWellFormed(f);
      // The headline figure carries its baseline; the target, where the issue set one, is judged.
      expect(figures[0]!.baseline, `${b.id}: no baseline`).toBeDefined();
    });
  }

  it('cli.startup times `workbench --version` in seconds against `node -e 0`, judged against 0.3 s', { timeout: 120_000 }, async () => {
    const figures = await startupBenchmarks[0]!.run({ tmpDir: tmp(), scale: 0.02 });
    for (const f of figures) expectWellFormed(f);
    const [version, help] = figures;
    expect(version!.id).toBe('cli.startup.version');
    expect(version!.unit).toBe('s');
    expect(version!.baseline!.title).toContain('node -e 0');
    expect(version!.ratio).toBe(version!.baseline!.value / version!.value);
    expect(version!.target!.description).toBe('under 0.3 s');
    expect(version!.target!.met).toBe(version!.value < 0.3);
    expect(help!.id).toBe('cli.startup.help');
  });
});
