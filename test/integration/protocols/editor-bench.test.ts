import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rendererDir } from '../../../electron/app-meta';
import { tempDirs } from '../../fixtures/temp-dirs';
import { editorBenchmarks } from '../../../electron/bench/editor.bench';

const tmp = tempDirs('wb-editor-bench-');
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const bench = editorBenchmarks.find((b) => b.id === 'editor.preview')!;
const chromium = process.env.PLAYWRIGHT_CHROMIUM_PATH || '/usr/bin/chromium';
/** `npm test` builds the renderer before these run and CI installs Chromium: a missing one is a failure, not a skip. */
function requireBrowser(): void {
  expect(existsSync(path.join(rendererDir(), 'index.html')), 'the renderer is not built: npm run build:renderer').toBe(true);
  expect(existsSync(chromium), `no Chromium at ${chromium} (set PLAYWRIGHT_CHROMIUM_PATH)`).toBe(true);
}

describe('editor benchmark', () => {
  it('skips with a message naming what is missing, rather than failing', async () => {
    vi.stubEnv('PLAYWRIGHT_CHROMIUM_PATH', '/nonexistent/chromium');
    const said: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (said.push(String(chunk)), true));
    const figures = await bench.run({ tmpDir: tmp(), scale: 0.1 });
    expect(figures).toEqual([]);
    // Whichever is missing first (the built renderer or the browser) is named.
    expect(said.join('')).toMatch(/editor\.preview skipped: (the renderer is not built|no Chromium at \/nonexistent\/chromium)/);
  });

  it(
    'measures edit-to-preview and typing in Chromium against a Node baseline, at a small scale',
    async () => {
      requireBrowser();
      const figures = await bench.run({ tmpDir: tmp(), scale: 0.25 });
      expect(figures.map((f) => f.id)).toEqual(['editor.preview', 'editor.typing']);
      for (const f of figures) {
        expect(f.unit).toBe('ms');
        expect(Number.isFinite(f.value) && f.value > 0).toBe(true);
        expect(f.baseline?.unit).toBe('ms');
        expect(Number.isFinite(f.baseline!.value) && f.baseline!.value > 0).toBe(true);
        expect(f.ratio).toBeCloseTo(f.baseline!.value / f.value, 10);
        expect(typeof f.target?.met).toBe('boolean');
      }
    },
    180_000,
  );
});
