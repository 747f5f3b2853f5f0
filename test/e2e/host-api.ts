import WebSocket from 'ws';
import type { Workbench } from './fixtures';

/** A raw client of the test's web host, to set up and check what the page cannot show directly. */
export interface HostApi {
  /** The whole envelope, to check refusals. */
  call(method: string, params?: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string; details?: unknown } }>;
  /** The value; a refusal rejects with `method: code: message`. */
  value<T = unknown>(method: string, params?: unknown): Promise<T>;
  close(): void;
}

export async function api(wb: Workbench): Promise<HostApi> {
  const ws = new WebSocket(`ws://127.0.0.1:${wb.port}/ws?token=${encodeURIComponent(wb.token)}`, { headers: { origin: wb.origin } });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let id = 0;
  const api: HostApi = {
    async value<T>(method: string, params: unknown = {}): Promise<T> {
      const result = await api.call(method, params);
      if (!result.ok) throw new Error(`${method}: ${result.error?.code}: ${result.error?.message}`);
      return result.value as T;
    },
    call(method, params = {}) {
      const mine = ++id;
      return new Promise((resolve) => {
        // Events share the socket: wait for this request's response.
        const onMessage = (data: WebSocket.RawData, binary: boolean) => {
          if (binary) return;
          const msg = JSON.parse(data.toString()) as { type: string; id?: number; result?: never };
          if (msg.type !== 'response' || msg.id !== mine) return;
          ws.off('message', onMessage);
          resolve(msg.result!);
        };
        ws.on('message', onMessage);
        ws.send(JSON.stringify({ type: 'request', id: mine, method, params }));
      });
    },
    close: () => ws.close(),
  };
  return api;
}
