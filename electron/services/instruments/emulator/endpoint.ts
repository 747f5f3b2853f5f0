import net from 'node:net';
import { SerialPort } from 'serialport';
import { createPtyPair, type PtyPair } from './pty-pair';

/**
 * Where a virtual instrument listens: one end of a pseudo-terminal pair (socat), or a TCP port
 * on loopback (one client at a time, as LXI instruments take one connection).
 */
export interface Endpoint {
  /** What a client opens: the pty path, or 'host:port'. */
  readonly address: string;
  readonly pty: { ptys: readonly [string, string]; socatPid: number } | null;
  readonly tcp: { host: string; port: number } | null;
  /** Incoming bytes go here. */
  onData(listener: (chunk: Buffer) => void): void;
  /** Writes to the client; false when none is connected. */
  write(text: string): boolean;
  /** Whether a client is there to write to. */
  readonly connected: boolean;
  /** Resolves when the endpoint is gone (stop(), or socat killed from outside). */
  readonly gone: Promise<void>;
  stop(): Promise<void>;
}

export async function ptyEndpoint(link: string | undefined): Promise<Endpoint> {
  const pair: PtyPair = await createPtyPair(link ? { link } : {});
  let port: SerialPort;
  try {
    port = await new Promise<SerialPort>((resolve, reject) => {
      const p = new SerialPort({ path: pair.instrumentEnd, baudRate: 115200, autoOpen: false });
      p.open((err) => (err ? reject(new Error(`the emulator could not open its end ${pair.instrumentEnd}: ${err.message}`)) : resolve(p)));
    });
  } catch (e) {
    await pair.close();
    throw e;
  }
  port.on('error', () => undefined);
  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
      await pair.close();
    })());
  // If socat dies (killed, crashed) the endpoint is gone too.
  port.on('close', () => void stop());
  const gone = pair.exited.then(() => stop());
  return {
    address: pair.clientEnd,
    pty: { ptys: pair.ptys, socatPid: pair.pid },
    tcp: null,
    onData: (listener) => port.on('data', listener),
    write(text) {
      if (!port.isOpen) return false;
      port.write(text, 'latin1');
      return true;
    },
    get connected() {
      return port.isOpen;
    },
    gone,
    stop,
  };
}

/** A TCP listener on `host:port` (port 0: any free one). */
export async function tcpEndpoint(host: string, port: number): Promise<Endpoint> {
  const server = net.createServer();
  let client: net.Socket | null = null;
  const listeners: ((chunk: Buffer) => void)[] = [];
  server.on('connection', (socket) => {
    if (client !== null && !client.destroyed) {
      // One connection at a time: a second client is turned away.
      socket.destroy();
      return;
    }
    client = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      if (client === socket) for (const l of listeners) l(chunk);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (client === socket) client = null;
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as net.AddressInfo;
  let stopping: Promise<void> | null = null;
  let goneResolve!: () => void;
  const gone = new Promise<void>((r) => (goneResolve = r));
  return {
    address: `${bound.address.includes(':') ? `[${bound.address}]` : bound.address}:${bound.port}`,
    pty: null,
    tcp: { host: bound.address, port: bound.port },
    onData: (listener) => listeners.push(listener),
    write(text) {
      if (client === null || client.destroyed) return false;
      client.write(text, 'latin1');
      return true;
    },
    get connected() {
      return client !== null && !client.destroyed;
    },
    gone,
    stop: () =>
      (stopping ??= (async () => {
        client?.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        goneResolve();
      })()),
  };
}
