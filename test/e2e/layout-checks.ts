/**
 * #19's layout checks, shared by the specs that look at a page: text below 4.5:1 and missing
 * landmarks (axe-core, injected into the page; the context needs `bypassCSP`), and elements that
 * overflow the window or are clipped inside their own box.
 */
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeResult {
  violations: { id: string; impact: string | null; nodes: { target: string[]; failureSummary?: string }[] }[];
}

export async function axe(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  const result = (await page.evaluate(() =>
    (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<unknown> } }).axe.run(document, {
      runOnly: { type: 'rule', values: ['color-contrast', 'landmark-one-main', 'landmark-unique', 'landmark-no-duplicate-main', 'region', 'page-has-heading-one'] },
      resultTypes: ['violations'],
    }),
  )) as AxeResult;
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${(n.failureSummary ?? '').split('\n').slice(1).join(' ').trim()}`));
}

/** Elements wider than the window, and text cut off by its own box (not a scroll container's). */
export async function overflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const vw = document.documentElement.clientWidth;
    // Past the window's edge but inside a box that scrolls within the window: reachable, not lost.
    const insideClippingBox = (el: Element): boolean => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (/(auto|scroll)/.test(getComputedStyle(p).overflowX) && p.getBoundingClientRect().right <= vw + 1) return true;
      }
      return false;
    };
    if (document.documentElement.scrollWidth > vw + 1) out.push(`the page scrolls sideways (${document.documentElement.scrollWidth} > ${vw})`);
    const describe = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    for (const el of Array.from(document.querySelectorAll('main *'))) {
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      // Visually hidden on purpose (screen-reader text): a 1 px box clipped to nothing.
      if (style.clip !== 'auto' && style.position === 'absolute') continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.right > vw + 1 && !insideClippingBox(el)) out.push(`${describe(el)} ends at x=${Math.round(r.right)}, beyond the window (${vw})`);
      const scrolls = /(auto|scroll)/.test(style.overflowX);
      const clipsText = style.textOverflow === 'ellipsis';
      if (!scrolls && !clipsText && el instanceof HTMLElement && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 && !(el instanceof HTMLCanvasElement) && !['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName) && style.overflowX !== 'visible') {
        out.push(`${describe(el)} is clipped (${el.scrollWidth} > ${el.clientWidth})`);
      }
    }
    return out;
  });
}

