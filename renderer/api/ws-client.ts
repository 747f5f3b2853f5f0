import { HostError, decodeMessage, encodeMessage, isEventName, type EventName, type WireRequest } from '../../shared/contract';
import { unwrap } from './envelope';
import type { ConnectionState, HostClient } from './host-client';

/**
 * The web host's adapter: one WebSocket carries requests (matched to responses by id) and events.
 * If the socket drops (the host restarted, the laptop slept) it reconnects with backoff; calls made
 * while it is down fail at once with 'unavailable' rather than hanging.
 */
export function createWsClient(url: string): HostClient {
  let socket: WebSocket | null = null;
  let state: ConnectionState = 'connecting';
  let nextId = 1;
  let retry = 0;
  const pending = new Map<number, { method: string; resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const stateListeners = new Set<(s: ConnectionState) => void>();
  let opened: Promise<void>;

  const setState = (s: ConnectionState) => {
    state = s;
    for (const l of stateListeners) l(s);
  };

  function connect(): Promise<void> {
    setState('connecting');
    return new Promise((resolve) => {
      const ws = new WebSocket(url);
      ws.binaryType = 'arraybuffer';
      socket = ws;
      ws.onopen = () => {
        retry = 0;
        setState('open');
        resolve();
      };
      ws.onmessage = (ev: MessageEvent<string | ArrayBuffer>) => {
        let msg: unknown;
        try {
          msg = decodeMessage(typeof ev.data === 'string' ? ev.data : new Uint8Array(ev.data));
        } catch {
          return;
        }
        if (msg === null || typeof msg !== 'object') return;
        const m = msg as { type?: unknown; id?: unknown; result?: unknown; name?: unknown; payload?: unknown };
        if (m.type === 'response' && typeof m.id === 'number') {
          const p = pending.get(m.id);
          if (!p) return;
          pending.delete(m.id);
          try {
            p.resolve(unwrap(p.method, m.result));
          } catch (e) {
            p.reject(e);
          }
        } else if (m.type === 'event' && isEventName(m.name)) {
          for (const l of listeners.get(m.name) ?? []) l(m.payload as never);
        }
      };
      ws.onclose = () => {
        for (const [id, p] of pending) {
          pending.delete(id);
          p.reject(new HostError('unavailable', 'The connection to the workbench host was lost.'));
        }
        setState('closed');
        resolve();
        const delay = Math.min(10_000, 250 * 2 ** retry++);
        setTimeout(() => {
          opened = connect();
        }, delay);
      };
    });
  }
  opened = connect();

  return {
    kind: 'web',
    async call(method, input) {
      await opened;
      const ws = socket;
      if (!ws || ws.readyState !== WebSocket.OPEN) throw new HostError('unavailable', 'The workbench host is not connected.');
      const id = nextId++;
      const request: WireRequest = { type: 'request', id, method, params: input };
      return new Promise((resolve, reject) => {
        pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject });
        ws.send(encodeMessage(request));
      });
    },
    on(name, listener) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
    connection: () => state,
    onConnection(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
  };
}

/**
 * The token arrives once in the URL the host printed; it is moved to sessionStorage and out of the
 * address bar so it is not left in history or screenshots, and survives a reload of the tab.
 */
export function takeWebToken(location: Location, history: History, storage: Storage): string | null {
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    storage.setItem('workbench.token', fromUrl);
    params.delete('token');
    const rest = params.toString();
    history.replaceState(null, '', `${location.pathname}${rest ? `?${rest}` : ''}${location.hash}`);
    return fromUrl;
  }
  return storage.getItem('workbench.token');
}
