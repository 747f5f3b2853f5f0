import { useRef } from 'react';

/**
 * The value `make` builds, rebuilt only when `key` changes: for objects whose identity drives an
 * effect (chart datasets, spec lists) but whose content is summed up by a string key.
 */
export function useKeyed<T>(make: () => T, key: string): T {
  const held = useRef<{ key: string; value: T } | null>(null);
  if (held.current === null || held.current.key !== key) held.current = { key, value: make() };
  return held.current.value;
}
