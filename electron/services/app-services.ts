import Database from 'better-sqlite3';
import os from 'node:os';
import type { AppInfo } from '../../shared/contract';
import { APP_NAME, appVersion } from '../app-meta';
import { createHandlers } from '../handlers';
import { EventBus, createRouter, type Router } from '../router';
import { openStore, type Store } from './store';

/**
 * Everything behind the contract for one data folder: the store, the event bus and the router.
 * Both hosts (Electron and the web host) and the CLI open it the same way.
 */
export interface AppServices {
  readonly store: Store;
  readonly bus: EventBus;
  readonly router: Router;
  readonly info: AppInfo;
  close(): Promise<void>;
}

export interface AppServicesOptions {
  dataDir: string;
  hostKind: AppInfo['hostKind'];
  /** Runtime versions to report beside Node's and SQLite's (Electron adds its own and Chromium's). */
  versions?: Record<string, string | undefined>;
  /** Where unexpected failures are reported; stderr by default. */
  log?: (line: string) => void;
}

export function openAppServices(options: AppServicesOptions): AppServices {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const store = openStore(options.dataDir, { appVersion, host: `${options.hostKind}@${os.hostname()}` });
  const bus = new EventBus();
  const versions: Record<string, string> = { node: process.versions.node, sqlite: sqliteVersion() };
  for (const [k, v] of Object.entries(options.versions ?? {})) if (v) versions[k] = v;
  const info: AppInfo = {
    appName: APP_NAME,
    appVersion,
    hostKind: options.hostKind,
    dataDir: options.dataDir,
    dataFile: store.file,
    schemaVersion: store.schemaVersion,
    platform: `${process.platform}-${process.arch}`,
    versions,
  };
  const services = { store, bus, info } as const;
  const router = createRouter(createHandlers(services), {
    onInternalError: (method, error) => log(`internal error in ${method}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  });
  let closed = false;
  return {
    ...services,
    router,
    async close() {
      if (closed) return;
      closed = true;
      store.close();
    },
  };
}

function sqliteVersion(): string {
  const db = new Database(':memory:');
  try {
    return (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  } finally {
    db.close();
  }
}
