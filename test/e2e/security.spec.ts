import type { Page } from '@playwright/test';
import { test, expect, openPage } from './fixtures';

/**
 * The web host's side of the security checks (the Electron side is in electron.spec.ts, where the
 * binary exists): the window never leaves the app, opens nothing outside it, has no Node, and every
 * page it is served carries the CSP. The CSP's refusal of inline scripts is in shell.spec.ts.
 */
const OUTSIDE = 'https://outside.example';

test.beforeEach(async ({ context }) => {
  // Should anything reach the outside, it gets this stub page instead of the network.
  await context.route(`${OUTSIDE}/**`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>outside</title><p>outside</p>' }));
});

async function addLink(page: Page, id: string, href: string, target?: string): Promise<void> {
  await page.evaluate(
    ([id, href, target]) => {
      const a = document.createElement('a');
      a.id = id!;
      a.href = href!;
      a.textContent = id!;
      if (target) a.target = target;
      a.style.cssText = 'position:fixed;top:60px;left:120px;z-index:100;background:#fff;padding:4px';
      document.body.appendChild(a);
    },
    [id, href, target],
  );
}

test('a link to a web page opens in a new tab without a handle on the app; the app stays where it was', async ({ page, workbench, context }) => {
  await openPage(page, workbench, 'archive');
  const appUrl = page.url();
  for (const [id, target] of [
    ['plain', undefined],
    ['self', '_self'],
    ['blank', '_blank'],
  ] as const) {
    await addLink(page, id, `${OUTSIDE}/${id}`, target);
    const opened = context.waitForEvent('page');
    await page.locator(`#${id}`).click();
    const tab = await opened;
    await tab.waitForLoadState();
    expect(tab.url()).toBe(`${OUTSIDE}/${id}`);
    expect(await tab.evaluate(() => window.opener)).toBeNull();
    expect(await tab.evaluate(() => document.referrer)).toBe('');
    await tab.close();
    expect(page.url()).toBe(appUrl);
    await expect(page.getByTestId('host-kind')).toHaveText('Web host');
    await page.locator(`#${id}`).evaluate((a) => a.remove());
  }
  expect(context.pages()).toHaveLength(1);
});

test('links to anything but the web (file:, data:, custom schemes) do nothing', async ({ page, workbench, context }) => {
  await openPage(page, workbench, 'archive');
  const appUrl = page.url();
  const warnings: string[] = [];
  page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  let opened = 0;
  context.on('page', () => opened++);
  for (const [k, href] of ['file:///etc/passwd', 'data:text/html,<p>x</p>', 'ms-settings:display', 'ftp://outside.example/x'].entries()) {
    await addLink(page, `odd${k}`, href);
    await page.locator(`#odd${k}`).click();
  }
  await page.waitForTimeout(500);
  expect(opened).toBe(0);
  expect(page.url()).toBe(appUrl);
  expect(warnings.filter((w) => w.includes('was not followed'))).toHaveLength(4);
  // The app's own links still work.
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page).toHaveURL(/#\/settings$/);
});

test('window.open to anything outside the app returns null and opens nothing', async ({ page, workbench, context }) => {
  await openPage(page, workbench, 'archive');
  let opened = 0;
  context.on('page', () => opened++);
  const results = await page.evaluate((outside) => {
    const targets = [`${outside}/`, 'http://127.0.0.1:9/', 'file:///etc/passwd', 'javascript:void 0', 'about:blank', '', 'data:text/html,x'];
    return targets.map((t) => window.open(t, '_blank') === null);
  }, OUTSIDE);
  expect(results).toEqual([true, true, true, true, true, true, true]);
  await page.waitForTimeout(500);
  expect(opened).toBe(0);
  expect(context.pages()).toHaveLength(1);
});

test('dropping a file or link on the window does not navigate to it', async ({ page, workbench }) => {
  await openPage(page, workbench, 'archive');
  const prevented = await page.evaluate(() =>
    ['dragover', 'drop'].map((type) => {
      const e = new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: new DataTransfer() });
      document.querySelector('main')!.dispatchEvent(e);
      return e.defaultPrevented;
    }),
  );
  expect(prevented).toEqual([true, true]);
});

test('every page the host serves carries the CSP: no inline script, no eval, no framing, nothing from outside', async ({ page, workbench, problems }) => {
  const base = `http://127.0.0.1:${workbench.port}`;
  const html = ['/', '/index.html', '/settings', '/some/client/route'];
  const index = await (await fetch(`${base}/index.html`)).text();
  const script = /src="\.?\/?(assets\/[^"]+\.js)"/.exec(index)?.[1];
  expect(script, 'index.html references its bundle').toBeTruthy();
  for (const p of [...html, `/${script}`, '/no-such-file.js']) {
    const res = await fetch(`${base}${p}`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp, `CSP on ${p}`).toContain("script-src 'self'");
    for (const d of ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'none'"]) expect(csp, p).toContain(d);
    expect(csp, p).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(res.headers.get('x-content-type-options'), p).toBe('nosniff');
    if (html.includes(p)) expect(res.headers.get('content-type'), p).toContain('text/html');
  }

  await openPage(page, workbench, 'archive');
  // Tried from a timer, after evaluate returns: code run by the DevTools protocol itself may eval.
  await page.evaluate(() => {
    const attempt = (f: () => unknown) => {
      try {
        f();
        return 'ran';
      } catch (e) {
        return (e as Error).name;
      }
    };
    setTimeout(() => {
      (window as unknown as { outcome: unknown }).outcome = {
        evalCall: attempt(() => window.eval('1 + 1')),
        functionCtor: attempt(() => new Function('return 1')()),
        stringTimer: attempt(() => (window.setTimeout as unknown as (code: string) => number)('window.timerRan = true')),
      };
    }, 0);
  });
  await expect.poll(() => page.evaluate(() => 'outcome' in window)).toBe(true);
  const outcome = await page.evaluate(() => (window as unknown as { outcome: { evalCall: string; functionCtor: string } }).outcome);
  expect(outcome.evalCall).toBe('EvalError');
  expect(outcome.functionCtor).toBe('EvalError');
  await page.waitForTimeout(200);
  expect(await page.evaluate(() => 'timerRan' in window)).toBe(false);
  // The browser reports each refusal as a console error: expected here.
  expect(problems.some((p) => p.includes('Content Security Policy') || p.includes('unsafe-eval'))).toBe(true);
  problems.splice(0, problems.length, ...problems.filter((p) => !(p.includes('Content Security Policy') || p.includes('unsafe-eval'))));
});

test('the page cannot reach Node: no require, process, module or Buffer, and no bridge in the web host', async ({ page, workbench }) => {
  await openPage(page, workbench, 'archive');
  const types = await page.evaluate(() => {
    const g = globalThis as Record<string, unknown>;
    return ['require', 'process', 'module', 'Buffer', 'global', '__dirname', 'workbench'].map((k) => `${k}:${typeof g[k]}`);
  });
  expect(types).toEqual(['require:undefined', 'process:undefined', 'module:undefined', 'Buffer:undefined', 'global:undefined', '__dirname:undefined', 'workbench:undefined']);
});
