import { useEffect, useState } from 'react';

/** `#/archive?run=…` → { page: 'archive', params }. Hash routes work the same over http:// and app://. */
export interface HashRoute {
  page: string;
  params: URLSearchParams;
}

export function parseHash(hash: string, fallback: string): HashRoute {
  const body = hash.replace(/^#\/?/, '');
  const [page = '', query = ''] = body.split('?');
  return { page: page || fallback, params: new URLSearchParams(query) };
}

export function useHashRoute(fallback: string): HashRoute {
  const [route, setRoute] = useState(() => parseHash(window.location.hash, fallback));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(window.location.hash, fallback));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, [fallback]);
  return route;
}

export function navigate(page: string, params?: Record<string, string>): void {
  const q = params ? new URLSearchParams(params).toString() : '';
  window.location.hash = `#/${page}${q ? `?${q}` : ''}`;
}
