import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { rendererDir } from '../../../electron/app-meta';
import { startWebHost } from '../../../electron/host/web-host';
import { openAppServices } from '../../../electron/app/app-services';
import { tempDirs } from '../../fixtures/temp-dirs';

const tmp = tempDirs('wb-web-host-');

/** A raw TCP client on the host's port that has sent half a request and waits for the rest of its own. */
function halfRequest(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`); // no blank line: the request never ends
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

describe('web host close', () => {
  it('ends the connections still open (a request half sent, a kept-alive socket) instead of waiting for them', async () => {
    const services = openAppServices({ dataDir: tmp(), hostKind: 'web' });
    const web = await startWebHost({ router: services.router, bus: services.bus, staticDir: rendererDir(), token: 'test-token-0123456789abcdef' });
    try {
      const pending = await halfRequest(web.port);
      const ended = new Promise<void>((resolve) => pending.once('close', () => resolve()));
      // Without ending them, close() would wait as long as the client keeps the socket open: forever.
      await web.close();
      await ended;
      expect(pending.destroyed).toBe(true);
    } finally {
      await services.close();
    }
  });
});
