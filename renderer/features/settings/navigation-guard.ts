/**
 * The window never leaves the app, in either host.
 *
 * - `window.open` opens only the app's own pages; anything else (another site, file:, data:,
 *   javascript:, about:blank) is refused and returns null. In Electron the main process denies
 *   new windows too; in the web host this is the only guard.
 * - A click on a link to the outside never navigates this window: http(s) links open in a new
 *   tab of the browser (Electron: the system browser, via its window-open handler), with noopener
 *   and noreferrer so that page gets no handle on the app; other schemes are refused.
 * - Dropping a file or a link on the window does nothing (a browser would navigate to it).
 *
 * Installed once, before the app renders (renderer/main.tsx).
 */
export interface NavigationGuardOptions {
  /** Told of each refusal (default: console.warn). */
  onRefused?: (what: string) => void;
}

export function isAppUrl(url: URL, win: Window): boolean {
  return url.origin === win.location.origin && url.protocol === win.location.protocol;
}

function resolve(href: string | URL | undefined, win: Window): URL | null {
  if (href === undefined || href === '') return null;
  try {
    return new URL(String(href), win.document.baseURI);
  } catch {
    return null;
  }
}

export function installNavigationGuards(win: Window = window, options: NavigationGuardOptions = {}): () => void {
  const refused = options.onRefused ?? ((what: string) => console.warn(`Memristor Workbench: ${what}`));
  const originalOpen = win.open.bind(win);

  const guardedOpen = (url?: string | URL, target?: string, features?: string): Window | null => {
    const resolved = resolve(url, win);
    if (resolved && isAppUrl(resolved, win)) return originalOpen(url, target, features);
    refused(`window.open(${JSON.stringify(String(url ?? '')).slice(0, 200)}) was refused: the workbench opens no windows outside itself.`);
    return null;
  };
  win.open = guardedOpen as typeof win.open;

  const onClick = (event: MouseEvent) => {
    if (event.defaultPrevented) return;
    // <a href> and SVG <a href|xlink:href>, found by tag so it works for any window's elements.
    const anchor = event.composedPath().find((n): n is Element => n instanceof Object && 'localName' in n && (n as Element).localName === 'a');
    if (!anchor) return;
    const href = anchor.getAttribute('href') ?? anchor.getAttribute('xlink:href');
    if (href === null) return;
    const url = resolve(href, win);
    if (url && isAppUrl(url, win)) return; // the app's own routes
    if (url && anchor.hasAttribute('download') && (url.protocol === 'blob:' || url.protocol === 'data:')) return; // a download (chart PNG/CSV), not a navigation
    event.preventDefault();
    if (url && (url.protocol === 'http:' || url.protocol === 'https:')) {
      originalOpen(url.href, '_blank', 'noopener,noreferrer');
      return;
    }
    refused(`a link to ${JSON.stringify(href.slice(0, 200))} was not followed: only web links open, in the browser.`);
  };
  const onDrag = (event: DragEvent) => {
    if (!event.defaultPrevented) event.preventDefault();
  };

  win.document.addEventListener('click', onClick);
  win.document.addEventListener('auxclick', onClick);
  win.addEventListener('dragover', onDrag);
  win.addEventListener('drop', onDrag);
  return () => {
    win.open = originalOpen as typeof win.open;
    win.document.removeEventListener('click', onClick);
    win.document.removeEventListener('auxclick', onClick);
    win.removeEventListener('dragover', onDrag);
    win.removeEventListener('drop', onDrag);
  };
}
