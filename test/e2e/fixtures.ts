import { test as base, expect, type Page } from '@playwright/test';
import { HARNESS_PORT } from './harness-port';

/**
 * `workbench` gives each test its own web host and data folder, and `page` fails the test on any
 * console error, page error, failed request, or request to anything but the test's own host.
 */
export interface Workbench {
  url: string;
  origin: string;
  port: number;
  dataDir: string;
  token: string;
}

interface Fixtures {
  workbench: Workbench;
  problems: string[];
}

export const test = base.extend<Fixtures>({
  workbench: async ({}, use) => {
    const res = await fetch(`http://127.0.0.1:${HARNESS_PORT}/hosts`, { method: 'POST' });
    if (!res.ok) throw new Error(`harness: ${await res.text()}`);
    const host = (await res.json()) as { url: string; port: number; dataDir: string };
    const url = new URL(host.url);
    await use({ url: host.url, origin: url.origin, port: host.port, dataDir: host.dataDir, token: url.searchParams.get('token') ?? '' });
    await fetch(`http://127.0.0.1:${HARNESS_PORT}/hosts/${host.port}`, { method: 'DELETE' });
  },
  problems: async ({}, use) => {
    await use([]);
  },
  page: async ({ page, workbench, problems }, use) => {
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.url()}`);
    });
    page.on('requestfailed', (req) => {
      const why = req.failure()?.errorText ?? '?';
      // A reload or navigation cancels what was still loading; that is not a failure of the app.
      if (why !== 'net::ERR_ABORTED') problems.push(`failed request: ${req.url()} (${why})`);
    });
    page.on('request', (req) => {
      const u = new URL(req.url());
      const local = u.hostname === '127.0.0.1' && u.port === String(workbench.port);
      if (!local && u.protocol !== 'data:' && u.protocol !== 'blob:') problems.push(`request outside the workbench host: ${req.url()}`);
    });
    await use(page);
    expect(problems, 'console errors, failed requests or outside requests').toEqual([]);
  },
});

export { expect };

/** Opens a page of the app and waits until the shell is up. */
export async function openPage(page: Page, workbench: Workbench, route = ''): Promise<void> {
  await page.goto(`${workbench.url}${route ? `#/${route}` : ''}`);
  await expect(page.getByTestId('host-kind')).toHaveText('Web host');
}
