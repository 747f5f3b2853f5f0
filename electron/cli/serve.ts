import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { rendererDir } from '../app-meta';
import { startWebHost } from '../host/web-host';
import { installProcessErrorHandlers } from '../services/logs';
import { UsageError } from './args';
import { defineCommand } from './command';
import { ensureRendererBuilt } from './renderer-build';
import { openCliServices } from './services';

export const serveCommand = defineCommand({
  name: 'serve',
  synopsis: 'serve [--port N] [--host 127.0.0.1] [--data-dir D]',
  summary: 'Start the web host: the whole workbench in a browser on this machine.',
  flags: {
    port: { type: 'number', description: 'TCP port (0 picks a free one; default 0)', placeholder: 'N' },
    host: { type: 'string', description: 'address to bind (default 127.0.0.1; anything else is reachable from the network)', placeholder: 'ADDR' },
    'data-dir': { type: 'string', description: 'data folder (default: WORKBENCH_DATA_DIR, else the desktop app’s folder)', placeholder: 'D' },
    json: { type: 'boolean', description: 'print {"url", "dataFile"} as JSON once listening' },
  },
  async run(flags) {
    const host = flags.host ?? '127.0.0.1';
    if (host !== 'localhost' && isIP(host) === 0) throw new UsageError(`--host must be an IP address (or localhost), got '${host}'`);
    const port = flags.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535, got ${port}`);
    const loopback = host === 'localhost' || host === '::1' || host.startsWith('127.');
    if (!loopback) {
      process.stderr.write(
        `workbench serve: warning: binding to ${host} makes the workbench reachable from other machines; anyone with the URL's token can drive the instruments.\n`,
      );
    }
    await ensureRendererBuilt();
    const services = openCliServices(flags['data-dir'], { hostKind: 'web' });
    let web: Awaited<ReturnType<typeof startWebHost>> | null = null;
    // As in the desktop app: an error nothing caught is logged; an uncaught exception closes the
    // services (output off, samples committed) and ends the host, saying where the details are.
    const uninstall = installProcessErrorHandlers({
      logger: services.logger,
      shutdown: async () => {
        await web?.close();
        await services.close();
      },
      fatal: (error) => {
        const file = services.logs.file;
        process.stderr.write(
          `workbench serve: stopped after an unexpected error: ${error instanceof Error ? error.message : String(error)}\n` +
            `The database was closed; runs are written as they happen. Details: ${file}\n`,
        );
        process.exit(1);
      },
    });
    const token = randomBytes(24).toString('base64url');
    const webLog = services.logger.child('web-host');
    web = await startWebHost({
      router: services.router,
      bus: services.bus,
      staticDir: rendererDir(),
      token,
      host,
      port,
      log: (line) => webLog.warn(line),
    });
    if (flags.json) process.stdout.write(`${JSON.stringify({ url: web.url, dataFile: services.info.dataFile })}\n`);
    else {
      process.stdout.write(`Memristor Workbench is running. Open this address in a browser on this machine:\n\n  ${web.url}\n\n`);
      process.stdout.write(`Data: ${services.info.dataFile}\nPress Ctrl+C to stop.\n`);
    }
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    uninstall();
    await web.close();
    await services.close();
    return 0;
  },
});
