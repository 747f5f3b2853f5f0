import WebSocket from 'ws';
import { requestNames } from '../../shared/contract/requests';
import { test, expect, type Workbench } from './fixtures';

/** A raw WebSocket client, as an attacker or a buggy script would use the host. */
function connect(wb: Workbench, opts: { token?: string | null; origin?: string } = {}): Promise<WebSocket> {
  const token = opts.token === undefined ? wb.token : opts.token;
  const url = `ws://127.0.0.1:${wb.port}/ws${token === null ? '' : `?token=${encodeURIComponent(token)}`}`;
  const ws = new WebSocket(url, { headers: opts.origin ? { origin: opts.origin } : {} });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with HTTP ${res.statusCode}`)));
  });
}

function exchange(ws: WebSocket, frame: string): Promise<{ id: number; result: { ok: boolean; error?: { code: string; message: string; details?: unknown } } }> {
  return new Promise((resolve) => {
    ws.once('message', (data) => resolve(JSON.parse(data.toString())));
    ws.send(frame);
  });
}

const malformed: unknown[] = [{ bogus: 1 }, 'a string', 42, [1, 2, 3], { limit: -5, id: 'not-a-uuid', name: 7 }];

test('a malformed payload for every contract request gets an error envelope naming the problem', async ({ workbench }) => {
  const ws = await connect(workbench);
  let id = 0;
  for (const method of requestNames) {
    for (const params of malformed) {
      const reply = await exchange(ws, JSON.stringify({ type: 'request', id: ++id, method, params }));
      expect(reply.id, method).toBe(id);
      expect(reply.result.ok, `${method} with ${JSON.stringify(params)}`).toBe(false);
      expect(reply.result.error?.code).toBe('invalid_request');
      expect(reply.result.error?.message).toContain(method);
      expect(reply.result.error?.details).toHaveProperty('problems');
    }
  }
  ws.close();
});

test('garbled frames and unknown methods get error envelopes, and the connection survives', async ({ workbench }) => {
  const ws = await connect(workbench);
  const garbage = await exchange(ws, '{"type": "request", "id": 1, "method": ');
  expect(garbage.result.ok).toBe(false);
  expect(garbage.result.error?.code).toBe('invalid_request');
  const unknown = await exchange(ws, JSON.stringify({ type: 'request', id: 2, method: 'fs.readFile', params: {} }));
  expect(unknown.result.error?.code).toBe('unknown_method');
  const good = await exchange(ws, JSON.stringify({ type: 'request', id: 3, method: 'app.info', params: {} }));
  expect(good.result.ok).toBe(true);
  ws.close();
});

test('a WebSocket without the token, with a wrong token, or from another origin is refused', async ({ workbench }) => {
  await expect(connect(workbench, { token: null })).rejects.toThrow(/403/);
  await expect(connect(workbench, { token: 'wrong-token' })).rejects.toThrow(/403/);
  await expect(connect(workbench, { origin: 'http://evil.example' })).rejects.toThrow(/403/);
  const ok = await connect(workbench, { origin: workbench.origin });
  ok.close();
});
