import { useState } from 'react';

/**
 * The value `make` builds, rebuilt only when `key` changes: for objects whose identity drives an
 * effect (chart datasets, spec lists) but whose content is summed up by a string key. Uses React's
 * "adjust state while rendering" pattern rather than writing a ref during render.
 */
export function useKeyed<T>(make: () => T, key: string): T {
  const [held, setHeld] = useState(() => ({ key, value: make() }));
  if (held.key === key) return held.value;
  const next = { key, value: make() };
  setHeld(next);
  return next.value;
}
