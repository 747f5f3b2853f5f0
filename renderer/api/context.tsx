import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import type { EventName, EventPayload, RequestInput, RequestName, RequestOutput } from '../../shared/contract';
import type { HostClient } from './host-client';

export const HostContext = createContext<HostClient | null>(null);
export const HostProvider = HostContext.Provider;

export function useHost(): HostClient {
  const host = useContext(HostContext);
  if (!host) throw new Error('useHost outside HostProvider');
  return host;
}

export type Loadable<T> = { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; error: Error };

/**
 * Calls a request when the component mounts and again whenever its input's content or a `refresh`
 * value changes (a version counter, a key that is not part of the input); `reload()` calls it again.
 * The effect depends on the input's JSON, so a caller may build a new input object every render.
 */
export function useRequest<N extends RequestName>(
  method: N,
  input: RequestInput<N>,
  refresh: readonly unknown[] = [],
): Loadable<RequestOutput<N>> & { reload: () => void } {
  const host = useHost();
  const [state, setState] = useState<Loadable<RequestOutput<N>>>({ status: 'loading' });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const key = JSON.stringify({ input, refresh });
  useEffect(() => {
    let live = true;
    const { input: request } = JSON.parse(key) as { input: RequestInput<N> };
    host.call(method, request).then(
      (value) => live && setState({ status: 'ready', value }),
      (error: unknown) => live && setState({ status: 'error', error: error instanceof Error ? error : new Error(String(error)) }),
    );
    return () => {
      live = false;
    };
  }, [host, method, key, tick]);
  return { ...state, reload };
}

export function useEvent<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): void {
  const host = useHost();
  useEffect(() => host.on(name, listener), [host, name, listener]);
}
