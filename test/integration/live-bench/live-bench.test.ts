import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rendererDir } from '../../../electron/app-meta';
import { tempDirs } from '../../fixtures/temp-dirs';
import { allBenchmarks } from '../../../electron/bench';
import { liveBenchmarks } from '../../../electron/bench/live.bench';
import type { BenchFigure } from '../../../electron/bench/types';

const tmp = tempDirs('wb-live-bench-');
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const bench = (id: string) => liveBenchmarks.find((b) => b.id === id)!;
const chromium = process.env.PLAYWRIGHT_CHROMIUM_PATH || '/usr/bin/chromium';
/** `npm test` builds the renderer before these run and CI installs Chromium: a missing one is a failure, not a skip. */
function requireBrowser(): void {
  expect(existsSync(path.join(rendererDir(), 'index.html')), 'the renderer is not built: npm run build:renderer').toBe(true);
  expect(existsSync(chromium), `no Chromium at ${chromium} (set PLAYWRIGHT_CHROMIUM_PATH)`).toBe(true);
}

/** A figure in ms (or s) with a baseline in the same unit, the ratio being baseline / value. */
function expectTimeAgainstBaseline(f: BenchFigure | undefined, unit: string): void {
  expect(f).toBeDefined();
  expect(f!.unit).toBe(unit);
  expect(Number.isFinite(f!.value) && f!.value >= 0).toBe(true);
  expect(f!.baseline?.unit).toBe(unit);
  expect(Number.isFinite(f!.baseline!.value) && f!.baseline!.value > 0).toBe(true);
  if (f!.value > 0) expect(f!.ratio).toBeCloseTo(f!.baseline!.value / f!.value, 10);
}

describe('live benchmarks', () => {
  it('are registered with `workbench bench`', () => {
    expect(allBenchmarks.map((b) => b.id)).toEqual(expect.arrayContaining(['live.chart', 'live.open']));
  });

  it('skip with a message naming what is missing, rather than failing', async () => {
    vi.stubEnv('PLAYWRIGHT_CHROMIUM_PATH', '/nonexistent/chromium');
    const said: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (said.push(String(chunk)), true));
    for (const id of ['live.chart', 'live.open']) {
      expect(await bench(id).run({ tmpDir: tmp(), scale: 0.05 })).toEqual([]);
      expect(said.join('')).toMatch(new RegExp(`${id.replace('.', '\\.')} skipped: (the renderer is not built|no Chromium at /nonexistent/chromium)`));
    }
  });

  it(
    'live.chart: a realtime run watched in the Live page loses no sample, and reports frame times against the idle page',
    async () => {
      requireBrowser();
      const figures = await bench('live.chart').run({ tmpDir: tmp(), scale: 0.05 });
      expect(figures.map((f) => f.id)).toEqual(['live.chart.dropped', 'live.chart.frames', 'live.chart.draw', 'live.chart.pace']);
      const byId = new Map(figures.map((f) => [f.id, f]));

      // Not a timing figure: every sample the run recorded reached the charts.
      const dropped = byId.get('live.chart.dropped')!;
      expect(dropped.value).toBe(0);
      expect(dropped.unit).toBe('samples');
      expect(dropped.baseline).toEqual({ title: 'samples the run recorded', value: 8000, unit: 'samples' });
      expect(dropped.ratio).toBe(1);
      expect(dropped.target).toEqual({ description: 'no sample dropped', met: true });

      expectTimeAgainstBaseline(byId.get('live.chart.frames'), 'ms');
      expect(byId.get('live.chart.frames')!.value).toBeGreaterThan(0);
      expect(typeof byId.get('live.chart.frames')!.target?.met).toBe('boolean');
      expectTimeAgainstBaseline(byId.get('live.chart.draw'), 'ms');
      expectTimeAgainstBaseline(byId.get('live.chart.pace'), 's');
      expect(byId.get('live.chart.pace')!.baseline!.value).toBe(4);
    },
    240_000,
  );

  it(
    'live.open: a stored run opened from the Archive to its drawn charts, against fetching it in the page',
    async () => {
      requireBrowser();
      const figures = await bench('live.open').run({ tmpDir: tmp(), scale: 0.02 });
      expect(figures.map((f) => f.id)).toEqual(['live.open']);
      const open = figures[0]!;
      expectTimeAgainstBaseline(open, 'ms');
      expect(open.value).toBeGreaterThan(0);
      expect(open.title).toContain('20,000-sample run');
      expect(typeof open.target?.met).toBe('boolean');
    },
    240_000,
  );
});
