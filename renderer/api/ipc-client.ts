import { isEventName, type EventName, type RequestName } from '../../shared/contract';
import { unwrap } from './envelope';
import type { HostClient } from './host-client';

/** What electron/preload.ts exposes on window.workbench (one function per contract request). */
export interface PreloadBridge {
  requests: Record<RequestName, (input: unknown) => Promise<unknown>>;
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    workbench?: PreloadBridge;
  }
}

export function createIpcClient(bridge: PreloadBridge): HostClient {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  bridge.onEvent((name, payload) => {
    if (!isEventName(name)) return;
    for (const l of listeners.get(name) ?? []) l(payload as never);
  });
  return {
    kind: 'desktop',
    async call(method, input) {
      const fn = bridge.requests[method];
      if (!fn) throw new Error(`the desktop bridge has no request ${method}`);
      return unwrap(method, await fn(input));
    },
    on(name, listener) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
    connection: () => 'open',
    onConnection: () => () => {},
  };
}
