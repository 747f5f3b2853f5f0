import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { decodeMessage, encodeMessage, MAX_WIRE_MESSAGE, WireError, fail, type WireResponse, type WireEvent } from '../../shared/contract';
import type { EventBus, Router } from '../router';
import { contentSecurityPolicy, readStaticFile } from './static-files';

/**
 * The web host: the same router and services as the desktop app, behind HTTP (the built renderer)
 * and a WebSocket (requests and events). It binds to loopback unless told otherwise, and every
 * WebSocket must present the per-launch token and come from the page this server served.
 */
export interface WebHostOptions {
  router: Router;
  bus: EventBus;
  staticDir: string;
  token: string;
  host?: string;
  port?: number;
  log?: (line: string) => void;
}

export interface WebHost {
  url: string;
  port: number;
  host: string;
  close(): Promise<void>;
}


export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => {});
  let port = 0;

  const allowedHosts = (): Set<string> => {
    const names = new Set([`${host}:${port}`, `127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
    return names;
  };

  const server = createServer((req, res) => {
    void serveHttp(req, res);
  });

  async function serveHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A Host header we did not issue means a DNS-rebinding page is talking to us: refuse.
    if (!allowedHosts().has(req.headers.host ?? '')) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' }).end('Misdirected request');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const file = await readStaticFile(options.staticDir, req.url ?? '/');
    res.writeHead(file.status, {
      'content-type': file.type,
      'content-security-policy': contentSecurityPolicy(`'self' ws://${req.headers.host}`),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cache-control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  // Any local process may connect, token or not: whatever one socket does (a reset while we write
  // to it, a frame the protocol forbids) ends that socket, never the host or another client's run.
  const guarded = new WeakSet<Duplex>();
  server.on('connection', (socket: Duplex) => guard(socket, 'a connection'));
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WIRE_MESSAGE });
  wss.on('wsClientError', (error: Error, socket: Duplex) => {
    log(`web host: refused a WebSocket handshake (${errorText(error)})`);
    socket.destroy();
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    guard(socket, 'an upgrade');
    const refusal = checkUpgrade(req);
    if (refusal) {
      log(`web host: refused a WebSocket (${refusal})`);
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${refusal}`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
  });

  /** One error listener per socket, for its whole life: an error ends that socket only. */
  function guard(socket: Duplex, what: string): void {
    if (guarded.has(socket)) return;
    guarded.add(socket);
    socket.on('error', (error: Error) => {
      log(`web host: ${what} failed (${errorText(error)}); closed it`);
      socket.destroy();
    });
  }
  function checkUpgrade(req: IncomingMessage): string | null {
    const hostHeader = req.headers.host ?? '';
    if (!allowedHosts().has(hostHeader)) return 'unexpected Host header';
    const url = new URL(req.url ?? '/', `http://${hostHeader}`);
    if (url.pathname !== '/ws') return 'unknown path';
    const origin = req.headers.origin;
    // Browsers always send Origin; it must be this server. Non-browser clients (the CLI, tests)
    // send none and are trusted by the token alone.
    if (origin !== undefined && !allowedHosts().has(origin.replace(/^http:\/\//, ''))) return 'foreign origin';
    if (!tokenMatches(url.searchParams.get('token'), options.token)) return 'missing or wrong token';
    return null;
  }

  const sockets = new Set<WebSocket>();
  function onConnection(ws: WebSocket): void {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    // A frame the protocol forbids (unmasked, over the payload limit, a reserved opcode): ws closes
    // the connection with the matching code; the error is this client's alone.
    ws.on('error', (error: Error) => {
      log(`web host: closed a WebSocket after a protocol error (${errorText(error)})`);
      sockets.delete(ws);
      ws.terminate();
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      void handleFrame(ws, data, isBinary);
    });
  }

  async function handleFrame(ws: WebSocket, data: RawData, isBinary: boolean): Promise<void> {
    let id: number | null = null;
    let result: unknown;
    try {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      const message = decodeMessage(isBinary ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes.toString('utf8'));
      if (message === null || typeof message !== 'object') throw new WireError('a message must be a JSON object');
      const m = message as Record<string, unknown>;
      if (typeof m.id === 'number' && Number.isSafeInteger(m.id)) id = m.id;
      if (m.type !== 'request') throw new WireError('only messages of type "request" are accepted');
      if (id === null) throw new WireError('a request needs an integer id');
      result = await options.router.call(m.method, m.params);
    } catch (e) {
      result = fail('invalid_request', `Malformed message: ${e instanceof Error ? e.message : String(e)}`);
    }
    const response: WireResponse = { type: 'response', id: id ?? -1, result };
    if (ws.readyState === ws.OPEN) ws.send(encodeMessage(response), sendDone(ws));
  }

  const unsubscribe = options.bus.subscribe((name, payload) => {
    if (sockets.size === 0) return;
    const frame = encodeMessage({ type: 'event', name, payload } satisfies WireEvent);
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(frame, sendDone(ws));
  });

  /** A failed send ends that client (its socket is gone); the others still get the event. */
  function sendDone(ws: WebSocket): (error?: Error) => void {
    return (error) => {
      if (!error) return;
      sockets.delete(ws);
      ws.terminate();
    };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}/?token=${encodeURIComponent(options.token)}`;

  return {
    url,
    port,
    host,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // close() waits for every open connection to end; a browser may keep one open (a request
      // still loading, a keep-alive it is using). The host is going away: end them now.
      server.closeAllConnections();
      await closed;
    },
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function tokenMatches(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
