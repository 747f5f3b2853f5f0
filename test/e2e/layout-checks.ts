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


/**
 * Form controls in `scope` whose own text does not fit them (#19: the selected “Run on” of Submit
 * to the lab was cut off): a text field's value or a button's label wider than its box
 * (scrollWidth > clientWidth), or a select's chosen option — a select does not scroll, so its
 * scrollWidth always equals its clientWidth; instead a copy of it holding only that option, at
 * its natural width beside it, must not be wider than the select.
 */
export async function clippedControls(page: Page, scope = 'main'): Promise<string[]> {
  return page.evaluate((scope) => {
    const out: string[] = [];
    const name = (el: Element) => el.getAttribute('aria-label') ?? el.closest('label')?.textContent?.trim().slice(0, 30) ?? `${el.className || el.tagName.toLowerCase()} ${(el as HTMLInputElement).value ?? ''}`.trim();
    for (const root of Array.from(document.querySelectorAll(scope))) {
      for (const el of Array.from(root.querySelectorAll<HTMLElement>('select, input, textarea, button'))) {
        if (el.offsetParent === null || el.getClientRects().length === 0) continue;
        if (el instanceof HTMLInputElement && !['text', 'search', 'number', 'url', 'email', ''].includes(el.type)) continue;
        if (el instanceof HTMLSelectElement) {
          const chosen = el.selectedOptions[0]?.text ?? '';
          const copy = el.cloneNode(false) as HTMLSelectElement;
          copy.removeAttribute('id');
          copy.append(new Option(chosen));
          Object.assign(copy.style, { width: 'auto', minWidth: '0', maxWidth: 'none', flex: 'none', position: 'absolute', visibility: 'hidden' });
          el.after(copy);
          const needed = copy.getBoundingClientRect().width;
          copy.remove();
          if (needed > el.getBoundingClientRect().width + 0.5) out.push(`select “${name(el)}” shows “${chosen}” cut (${Math.round(needed)} px needed, ${Math.round(el.getBoundingClientRect().width)} px wide)`);
        } else if (el.scrollWidth > el.clientWidth + 1) {
          out.push(`${el.tagName.toLowerCase()} “${name(el)}” cuts its text (${el.scrollWidth} > ${el.clientWidth})`);
        }
      }
    }
    return out;
  }, scope);
}
