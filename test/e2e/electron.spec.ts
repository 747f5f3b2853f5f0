import { _electron as electron } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { test, expect, type ElectronApplication, type Page } from '@playwright/test';

/**
 * The desktop shell itself, through Playwright's _electron. It needs Electron's runtime, which only
 * Electron's install script fetches (from GitHub; no registry package carries it). Where it could
 * not (this project's CI reaches the npm registry and Debian only, so `npm ci` leaves it out), these
 * tests say so as skipped rather than pretending; everything behind the shell (the router, the
 * contract, every page, the CSP, navigation and link handling) runs in the web-host e2e tests in the
 * same Chromium engine. To run them: `node node_modules/electron/install.js`, then this file.
 */
const require = createRequire(import.meta.url);
function electronBinary(): string | null {
  try {
    const p = require('electron') as unknown;
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}
const binary = electronBinary();
const root = path.resolve(import.meta.dirname, '..', '..');

test.skip(binary === null, 'Electron runtime not installed: its install script downloads it from GitHub, which this machine cannot reach (npm registry and Debian only); run `node node_modules/electron/install.js` where GitHub is reachable');

/** Builds the main process, opens the desktop app on a fresh data folder, and closes both after `body`. */
async function withApp(body: (app: ElectronApplication, page: Page) => Promise<void>): Promise<void> {
  execFileSync(process.execPath, ['build/build-electron.js'], { cwd: root });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'wb-electron-'));
  const app = await electron.launch({ args: [root], executablePath: binary!, env: { ...process.env, WORKBENCH_DATA_DIR: dataDir } });
  try {
    const page = await app.firstWindow();
    await expect(page.getByTestId('host-kind')).toHaveText('Desktop');
    await body(app, page);
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

test('the desktop app opens its window sandboxed, with the contract bridge and no Node', async () => {
  await withApp(async (_app, page) => {
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
    expect(await page.evaluate(() => Object.keys((window as unknown as { workbench?: { requests?: object } }).workbench?.requests ?? {}).length)).toBeGreaterThan(0);
  });
});

test('the desktop window cannot leave the app: outside navigation and window.open are refused, the CSP is on index.html', async () => {
  await withApp(async (app, page) => {
    const appUrl = page.url();
    expect(appUrl.startsWith('app://workbench/')).toBe(true);
    // The main process's window-open handler denies every new window (web links go to the system browser).
    expect(await page.evaluate(() => window.open('https://outside.example/') === null)).toBe(true);
    expect(app.windows()).toHaveLength(1);
    // will-navigate refuses anything outside app://workbench.
    await page.evaluate(() => {
      window.location.href = 'https://outside.example/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe(appUrl);
    // The app:// protocol handler serves index.html with the CSP header.
    const csp = await page.evaluate(async () => (await fetch('app://workbench/index.html')).headers.get('content-security-policy'));
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
  });
});
