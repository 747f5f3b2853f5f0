import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { tempDirs } from '../../fixtures/temp-dirs';
import { firstLine, spawnCli } from '../cli/run-cli';

/**
 * The web host against what any local process can send it, with or without the token: a TCP reset
 * right after a refused upgrade, frames the WebSocket protocol forbids, a frame over the payload
 * limit, a reset in the middle of an event stream. Each may end its own connection, never the host,
 * and never the realtime run another connection started. The host is the real `workbench serve`
 * process, so an error nothing handles ends it as it would for a user.
 */
const tmp = tempDirs('wb-hostile-');
const children: ReturnType<typeof spawnCli>[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

interface Served {
  port: number;
  token: string;
  exited: Promise<number | null>;
  stderr: () => string;
  /** `promise`, or a rejection naming how the host ended if it ends first. */
  alive<T>(promise: Promise<T>): Promise<T>;
}

async function serve(): Promise<Served> {
  const child = spawnCli(['serve', '--port', '0', '--data-dir', tmp(), '--json']);
  children.push(child);
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const { url } = JSON.parse(await firstLine(child)) as { url: string };
  const u = new URL(url);
  const died = exited.then((code) => {
    throw new Error(`the web host exited (${code}): ${err}`);
  });
  died.catch(() => undefined);
  return { port: Number(u.port), token: u.searchParams.get('token') ?? '', exited, stderr: () => err, alive: (p) => Promise.race([p, died]) };
}

/** A client with the token that sends requests and keeps every event it hears. */
async function client(s: Served) {
  const ws = new WebSocket(`ws://127.0.0.1:${s.port}/ws?token=${encodeURIComponent(s.token)}`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const events: { name: string; payload: Record<string, unknown> }[] = [];
  const waiting = new Map<number, (result: { ok: boolean; value?: unknown; error?: { message: string } }) => void>();
  ws.on('message', (data: WebSocket.RawData, binary: boolean) => {
    if (binary) return; // sample batches: not needed here
    const msg = JSON.parse(data.toString()) as { type: string; id?: number; result?: never; name?: string; payload?: never };
    if (msg.type === 'event') events.push({ name: msg.name!, payload: msg.payload! });
    if (msg.type === 'response') waiting.get(msg.id!)?.(msg.result!);
  });
  let id = 0;
  const call = (method: string, params: unknown = {}) =>
    new Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>((resolve) => {
      const mine = ++id;
      waiting.set(mine, resolve);
      ws.send(JSON.stringify({ type: 'request', id: mine, method, params }));
    });
  return { ws, events, call };
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

const upgradeRequest = (port: number, path: string) =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`;

/** A raw socket past an accepted upgrade (101), to write frames no WebSocket library would. */
async function rawUpgraded(s: Served): Promise<net.Socket> {
  const socket = await connect(s.port);
  socket.on('error', () => undefined); // the host may reset us: that is the point
  socket.write(upgradeRequest(s.port, `/ws?token=${encodeURIComponent(s.token)}`));
  await new Promise<void>((resolve, reject) => {
    let head = '';
    const onData = (d: Buffer) => {
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      if (head.startsWith('HTTP/1.1 101')) resolve();
      else reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
    };
    socket.on('data', onData);
  });
  return socket;
}

/** Resolves when the socket is closed by the other side (or errors). */
const closedByPeer = (socket: net.Socket) => new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));

/** Six seconds of realtime pulses and reads: long enough to be attacked while it runs. */
const realtimeProtocol = {
  format: 'memristor-workbench/protocol',
  version: 1,
  name: 'under attack',
  blocks: [{ kind: 'train', count: 60, amplitude: '1 V', width: '1 ms', period: '100 ms', read: true }],
};

/**
 * Starts a realtime run from one client, lets `attack` loose on the host while it runs, then checks
 * that the host still answers, the run ends `completed` with every sample, and the process lives.
 */
async function underAttack(attack: (s: Served) => Promise<void>): Promise<void> {
  const s = await serve();
  const owner = await client(s);
  const started = await owner.call('runs.start', {
    protocol: realtimeProtocol,
    device: { kind: 'simulated', preset: 'intrinsic-gradient', seed: 7 },
    pace: 'realtime',
  });
  expect(started.ok, JSON.stringify(started.error)).toBe(true);
  const { runId } = started.value as { runId: string };
  // Wait until it is really running, so every attack lands during the run.
  await expect.poll(() => owner.events.some((e) => e.name === 'run.state' && e.payload.runId === runId && e.payload.status === 'running'), { timeout: 20_000 }).toBe(true);

  await attack(s);

  // The host still answers the run's own connection, and the run ends on its own: completed.
  const info = await s.alive(owner.call('app.info'));
  expect(info.ok).toBe(true);
  const status = async () => ((await s.alive(owner.call('runs.detail', { id: runId }))).value as { status: string } | undefined)?.status;
  await expect.poll(status, { timeout: 60_000, interval: 250 }).toBe('completed');
  const detail = (await owner.call('runs.detail', { id: runId })).value as { sampleCount: number };
  expect(detail.sampleCount).toBe(120);
  // And a new client is still welcome.
  const late = await s.alive(client(s));
  expect((await late.call('app.info')).ok).toBe(true);
  late.ws.close();
  owner.ws.close();
  expect(s.stderr()).not.toContain('stopped after an unexpected error');
  const exitedEarly = await Promise.race([s.exited.then(() => true), new Promise<boolean>((resolve) => setImmediate(() => resolve(false)))]);
  expect(exitedEarly).toBe(false);
}

describe('web host against hostile local clients', () => {
  it('survives TCP resets (right after a refused upgrade, mid event stream, after garbage) while a realtime run completes', { timeout: 90_000 }, async () => {
    await underAttack(async (s) => {
      // No token, then a TCP reset at once: the 403 the host writes meets ECONNRESET.
      for (let k = 0; k < 3; k++) {
        const socket = await s.alive(connect(s.port));
        socket.on('error', () => undefined);
        socket.write(upgradeRequest(s.port, '/ws'));
        socket.resetAndDestroy();
      }
      // A wrong token, reset on the next turn of the loop.
      for (let k = 0; k < 3; k++) {
        const socket = await s.alive(connect(s.port));
        socket.on('error', () => undefined);
        socket.write(upgradeRequest(s.port, '/ws?token=wrong'));
        await new Promise((resolve) => setImmediate(resolve));
        socket.resetAndDestroy();
      }
      // An authenticated client that resets while events are being streamed to it.
      for (let k = 0; k < 3; k++) {
        const listener = await s.alive(rawUpgraded(s));
        await s.alive(new Promise<void>((resolve) => listener.once('data', () => resolve()))); // an event frame arrived
        listener.resetAndDestroy();
      }
      // HTTP that is not HTTP, then a reset.
      const garbage = await s.alive(connect(s.port));
      garbage.on('error', () => undefined);
      garbage.write('\x00\x01\x02 NOT HTTP\r\n\r\n');
      garbage.resetAndDestroy();
    });
  });

  it('closes only the connection that sends an unmasked, oversized or reserved frame, while a realtime run completes', { timeout: 90_000 }, async () => {
    await underAttack(async (s) => {
      // An unmasked text frame from a client ("MASK must be set").
      const unmasked = await s.alive(rawUpgraded(s));
      unmasked.write(Buffer.from([0x81, 0x05, ...Buffer.from('hello')]));
      await s.alive(closedByPeer(unmasked));

      // A frame announcing 2^40 bytes, over the payload limit: closed before any payload is read.
      const oversized = await s.alive(rawUpgraded(s));
      const header = Buffer.alloc(14);
      header[0] = 0x82; // FIN, binary
      header[1] = 0x80 | 127; // masked, a 64-bit length follows
      header.writeBigUInt64BE(1n << 40n, 2);
      oversized.write(Buffer.concat([header, randomBytes(64)]));
      await s.alive(closedByPeer(oversized));

      // A reserved opcode with the RSV bits set.
      const reserved = await s.alive(rawUpgraded(s));
      reserved.write(Buffer.from([0xf3, 0x80, 0, 0, 0, 0]));
      await s.alive(closedByPeer(reserved));
    });
  });

  it('answers a binary frame whose typed-array kind is an inherited name ("toString") with a clear error', async () => {
    const s = await serve();
    const c = await client(s);
    const header = Buffer.from(JSON.stringify({ type: 'request', id: 5, method: 'app.info', params: { x: { $ta: 'toString', o: 0, n: 0 } } }));
    const frame = Buffer.alloc(4 + header.length);
    frame.writeUInt32LE(header.length, 0);
    header.copy(frame, 4);
    const answer = new Promise<{ ok: boolean; error?: { code: string; message: string } }>((resolve) => {
      c.ws.on('message', (data: WebSocket.RawData, binary: boolean) => {
        if (binary) return;
        const msg = JSON.parse(data.toString()) as { type: string; id?: number; result?: never };
        if (msg.type === 'response' && msg.id === -1) resolve(msg.result!);
      });
    });
    c.ws.send(frame, { binary: true });
    const result = await answer;
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe('invalid_request');
    expect(result.error?.message).toContain("unknown typed-array kind 'toString'");
    expect(result.error?.message).not.toContain('constructor');
    c.ws.close();
  });
});
