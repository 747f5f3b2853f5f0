/**
 * What the benchmarks that drive the real page share: finding Chromium and playwright-core (or
 * saying why the benchmark is skipped), a real web host on a fresh data folder of the bench's
 * scratch folder with one Chromium pointed at it, and the animation-frame recorder that measures
 * how smooth the page stays.
 *
 * A benchmark is skipped, saying why on stderr, when the renderer is not built (rendererDir()'s
 * index.html), no Chromium is found (PLAYWRIGHT_CHROMIUM_PATH, else /usr/bin/chromium) or
 * playwright-core is missing.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type * as PlaywrightCore from 'playwright-core';
import { rendererDir } from '../app-meta';
import { startWebHost } from '../host/web-host';
import { openAppServices, type AppServices } from '../app/app-services';
import type { BenchContext } from './types';

type Playwright = typeof PlaywrightCore;

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** The viewport of a lab PC (UI.md: readable at 1366×768). */
export const VIEWPORT = { width: 1366, height: 768 } as const;

export interface ChromiumFound {
  playwright: Playwright;
  executablePath: string;
}

/** Chromium and playwright-core, or null after saying on stderr why benchmark `id` is skipped. */
export async function findChromium(id: string): Promise<ChromiumFound | null> {
  const skip = (reason: string): null => {
    process.stderr.write(`${id} skipped: ${reason}\n`);
    return null;
  };
  const index = path.join(rendererDir(), 'index.html');
  if (!existsSync(index)) return skip(`the renderer is not built (${index} is missing); run \`npm run build:renderer\` first`);
  const executablePath = process.env.PLAYWRIGHT_CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(executablePath)) return skip(`no Chromium at ${executablePath}; set PLAYWRIGHT_CHROMIUM_PATH`);
  try {
    const name = 'playwright-core';
    return { playwright: (await import(name)) as Playwright, executablePath };
  } catch {
    return skip('playwright-core is not installed (it comes with the dev dependencies)');
  }
}

export interface WebBench {
  services: AppServices;
  /** The web host's address, token included; append '#/page' to open a page. */
  url: string;
  browser: PlaywrightCore.Browser;
  /** Closes the browser, the web host and the services, in that order. */
  close(): Promise<void>;
}

/** A real web host on a fresh data folder `<tmpDir>/<folder>`, with one Chromium. */
export async function openWebBench(ctx: BenchContext, found: ChromiumFound, folder = 'data'): Promise<WebBench> {
  const services = openAppServices({ dataDir: path.join(ctx.tmpDir, folder), hostKind: 'web' });
  let web: Awaited<ReturnType<typeof startWebHost>> | null = null;
  try {
    web = await startWebHost({ router: services.router, bus: services.bus, staticDir: rendererDir(), token: randomBytes(18).toString('base64url') });
    const browser = await found.playwright.chromium.launch({ executablePath: found.executablePath, args: CHROMIUM_ARGS });
    const host = web;
    return {
      services,
      url: host.url,
      browser,
      async close() {
        await browser.close();
        await host.close();
        await services.close();
      },
    };
  } catch (e) {
    await web?.close();
    await services.close();
    throw e;
  }
}

/**
 * Starts recording the gaps between animation frames in the page (ms). As text: tsx would wrap a
 * named inner function in a helper the page does not have.
 */
export async function startFrameGaps(page: PlaywrightCore.Page): Promise<void> {
  await page.evaluate(`(() => {
    const state = { gaps: [], stop: false };
    globalThis.__frames = state;
    let last = performance.now();
    const tick = (now) => {
      state.gaps.push(now - last);
      last = now;
      if (!state.stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
}

/** Stops the recorder startFrameGaps started; the gaps, sorted. */
export async function stopFrameGaps(page: PlaywrightCore.Page): Promise<number[]> {
  const gaps = (await page.evaluate('(() => { globalThis.__frames.stop = true; return globalThis.__frames.gaps; })()')) as number[];
  return gaps.sort((a, b) => a - b);
}

/** The q-quantile (0–1) of sorted values: the value at or below which that share of them lie. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * q) - 1))]!;
}
