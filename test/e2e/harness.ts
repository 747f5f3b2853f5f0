import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { rendererDir } from '../../electron/app-meta';
import { startWebHost, type WebHost } from '../../electron/host/web-host';
import { openAppServices, type AppServices } from '../../electron/app/app-services';
import { HARNESS_PORT } from './harness-port';

/**
 * Started by Playwright's webServer. POST /hosts starts a real web host (the production code) on a
 * fresh data folder and returns its URL; DELETE /hosts/:port stops it and removes the folder. So
 * every test has its own archive, as Actual Budget's fixtures give each test its own data folder.
 */
interface Entry {
  web: WebHost;
  services: AppServices;
  dataDir: string;
}
const hosts = new Map<number, Entry>();

const server = createServer((req, res) => {
  void (async () => {
    try {
      if (req.method === 'GET' && req.url === '/health') {
        res.end('ok');
        return;
      }
      if (req.method === 'POST' && req.url === '/hosts') {
        const dataDir = mkdtempSync(path.join(os.tmpdir(), 'wb-e2e-'));
        const services = openAppServices({ dataDir, hostKind: 'web' });
        const web = await startWebHost({ router: services.router, bus: services.bus, staticDir: rendererDir(), token: randomBytes(18).toString('base64url') });
        hosts.set(web.port, { web, services, dataDir });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ url: web.url, port: web.port, dataDir }));
        return;
      }
      const m = /^\/hosts\/(\d+)$/.exec(req.url ?? '');
      if (req.method === 'DELETE' && m) {
        const entry = hosts.get(Number(m[1]));
        if (entry) {
          hosts.delete(entry.web.port);
          await entry.web.close();
          await entry.services.close();
          rmSync(entry.dataDir, { recursive: true, force: true });
        }
        res.end('ok');
        return;
      }
      res.statusCode = 404;
      res.end();
    } catch (e) {
      res.statusCode = 500;
      res.end(e instanceof Error ? e.stack : String(e));
    }
  })();
});
server.listen(HARNESS_PORT, '127.0.0.1');
