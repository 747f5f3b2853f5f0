import { useEffect, useRef } from 'react';
import { isTextEntry, pageForKey, SEQUENCE_MS } from './shortcuts';
import { navigate } from './use-hash-route';

/**
 * The app-wide keys: ? opens the shortcut sheet, G then a letter opens a page. Never while typing
 * in a field, with Ctrl/Alt/Meta held, inside an open dialog, or when a page already used the key.
 */
export function useShortcuts(openSheet: () => void): void {
  const open = useRef(openSheet);
  open.current = openSheet;
  useEffect(() => {
    // When G was pressed (the event's time stamp), waiting for its letter; null when not waiting.
    let gAt: number | null = null;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.altKey || e.metaKey || e.isComposing || e.repeat) return;
      if (isTextEntry(e.target) || document.querySelector('dialog[open]')) {
        gAt = null;
        return;
      }
      const waiting = gAt !== null && e.timeStamp - gAt <= SEQUENCE_MS;
      gAt = null;
      if (e.key === '?') {
        e.preventDefault();
        open.current();
        return;
      }
      if (waiting) {
        const page = pageForKey(e.key);
        if (page) {
          e.preventDefault();
          navigate(page);
          return;
        }
      }
      if (e.key === 'g' || e.key === 'G') gAt = e.timeStamp;
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
