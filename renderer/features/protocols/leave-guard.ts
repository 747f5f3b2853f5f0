/**
 * Asks before the page is left with unsaved edits: links to other pages (intercepted before they
 * navigate), any other change of route (back button, typed address: cancelled, then asked), and a
 * reload or close of the window (the browser's own question).
 */
import { useEffect, useRef } from 'react';
import { parseHash } from '../../app/use-hash-route';

/** The parts of the Navigation API used here (not in TypeScript's DOM library yet). */
interface NavigateEventLike extends Event {
  readonly destination: { readonly url: string };
  readonly downloadRequest: string | null;
}
interface NavigationLike {
  addEventListener(type: 'navigate', listener: (e: NavigateEventLike) => void): void;
  removeEventListener(type: 'navigate', listener: (e: NavigateEventLike) => void): void;
}

export function useLeaveGuard(dirty: boolean, ask: (proceed: () => void) => void, page: string): void {
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;
  const askRef = useRef(ask);
  askRef.current = ask;

  useEffect(() => {
    let bypass: string | null = null;
    const leaving = (hash: string) => parseHash(hash, page).page !== page;
    const go = (hash: string) => () => {
      bypass = hash;
      window.location.hash = hash;
    };
    const onClick = (e: MouseEvent) => {
      if (!dirtyRef.current || e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
      const link = e.target instanceof Element ? e.target.closest('a[href^="#/"]') : null;
      const href = link?.getAttribute('href');
      if (!href || !leaving(href)) return;
      e.preventDefault();
      askRef.current(go(href));
    };
    // Any other same-document navigation (back button, a typed or scripted address): the Navigation
    // API lets it be cancelled before the app's router sees it.
    const nav = (window as unknown as { navigation?: NavigationLike }).navigation;
    const onNavigate = (e: NavigateEventLike) => {
      const hash = new URL(e.destination.url).hash;
      if (bypass !== null && hash === bypass) {
        bypass = null;
        return;
      }
      if (!dirtyRef.current || !leaving(hash) || !e.cancelable || e.downloadRequest !== null) return;
      e.preventDefault();
      askRef.current(go(hash));
    };
    // Without the Navigation API, the best that can be done: put the address back and ask. The
    // app's router may already have followed it.
    const onHashChange = (e: HashChangeEvent) => {
      const hash = new URL(e.newURL).hash;
      if (bypass !== null && hash === bypass) {
        bypass = null;
        return;
      }
      if (!dirtyRef.current || !leaving(hash)) return;
      e.stopImmediatePropagation();
      window.history.replaceState(window.history.state, '', e.oldURL);
      askRef.current(go(hash));
    };
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!dirtyRef.current) return;
      e.preventDefault();
      e.returnValue = '';
    };
    document.addEventListener('click', onClick, true);
    if (nav) nav.addEventListener('navigate', onNavigate);
    else window.addEventListener('hashchange', onHashChange, true);
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      document.removeEventListener('click', onClick, true);
      if (nav) nav.removeEventListener('navigate', onNavigate);
      else window.removeEventListener('hashchange', onHashChange, true);
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, [page]);
}
