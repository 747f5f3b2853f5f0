import net from 'node:net';
import { InstrumentError, errorMessage, formatDuration } from '../errors';
import type { Link, LinkEvents } from './link';

/**
 * A TCP connection: an instrument's raw SCPI socket (LXI, port 5025) or a Prologix GPIB-Ethernet
 * controller (port 1234). Nagle's algorithm is off, so commands leave at once; the commands a driver
 * sends one after another without waiting (settings, then the query that measures, then output
 * off) leave together in one segment, written when the current turn of the event loop has queued
 * them all — one system call instead of one per line. The peer closing the connection (the
 * instrument switched off, the emulator killed) closes the link.
 */
export async function openTcpLink(host: string, port: number, connectTimeoutMs: number, events: LinkEvents): Promise<Link> {
  const name = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect({ host, port });
    const timer = setTimeout(() => {
      s.destroy();
      reject(new InstrumentError('open-failed', `could not connect to ${name}: no answer within ${formatDuration(connectTimeoutMs)} (is the instrument on this network, and is its raw socket enabled?)`));
    }, connectTimeoutMs);
    s.once('connect', () => {
      clearTimeout(timer);
      resolve(s);
    });
    s.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new InstrumentError('open-failed', `could not connect to ${name}: ${connectFailure(err)}`));
    });
  });
  socket.setNoDelay(true);
  socket.setKeepAlive(true, 10_000);
  let closingByUs = false;
  let gone = false;
  let lastError: string | null = null;
  let queued = '';
  const flush = () => {
    const bytes = queued;
    queued = '';
    if (bytes && !socket.destroyed && socket.writable) socket.write(bytes, 'latin1');
  };
  socket.on('data', (chunk: Buffer) => events.data(chunk));
  socket.on('error', (err: NodeJS.ErrnoException) => {
    // A reset is the peer closing with data unread (an instrument switched off, a process killed).
    lastError = err.code === 'ECONNRESET' || err.code === 'EPIPE' ? null : err.message;
    events.note(`connection error: ${err.message}`);
  });
  socket.on('close', () => {
    if (gone) return;
    gone = true;
    if (!closingByUs) events.closed(lastError ? `the connection failed (${lastError})` : 'the instrument closed the connection');
  });
  return {
    name,
    readsOnRequest: false,
    write(bytes) {
      if (socket.destroyed || !socket.writable) return;
      if (!queued) process.nextTick(flush);
      queued += bytes;
    },
    read() {},
    async discardInput() {},
    close() {
      closingByUs = true;
      return new Promise<void>((resolve) => {
        flush();
        if (socket.destroyed) return resolve();
        socket.once('close', () => resolve());
        // end() sends what is queued (an output-off command) before the FIN.
        socket.end();
        setTimeout(() => socket.destroy(), 1000).unref();
      });
    },
  };
}

function connectFailure(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connection refused (nothing listens on that port: check the port, 5025 for most SCPI instruments, and that the instrument’s raw socket is on)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'no such host (check the name or use its IP address)';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the host cannot be reached from this computer (check the network cable and the IP address)';
    default:
      return errorMessage(err);
  }
}
