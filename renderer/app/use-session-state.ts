import { useEffect, useState } from 'react';

/**
 * State that outlives the page it is on for the rest of the session (sessionStorage): a page's
 * set-up survives opening Help and coming back (#19). What is stored is merged over `initial`, so a
 * field added later starts from its default, and anything unreadable is ignored.
 */
export function useSessionState<T extends object>(key: string, initial: () => T): [T, (update: T | ((t: T) => T)) => void] {
  const [value, setValue] = useState<T>(() => {
    const fresh = initial();
    try {
      const stored = window.sessionStorage.getItem(key);
      const parsed: unknown = stored === null ? null : JSON.parse(stored);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return fresh;
      const kept = Object.fromEntries(Object.entries(parsed).filter(([k, v]) => k in fresh && typeof v === typeof (fresh as Record<string, unknown>)[k]));
      return { ...fresh, ...kept };
    } catch {
      return fresh;
    }
  });
  useEffect(() => {
    try {
      window.sessionStorage.setItem(key, JSON.stringify(value));
    } catch {
      // storage full or disabled: the set-up just does not outlive the page
    }
  }, [key, value]);
  return [value, setValue];
}
