import Database from 'better-sqlite3';
import os from 'node:os';
import path from 'node:path';
import type { AppInfo } from '../../shared/contract';
import { APP_NAME, appVersion } from '../app-meta';
import { createHandlers } from '../handlers';
import { EventBus, createRouter, type Router } from '../router';
import { instrumentLimitsFrom } from './instruments/limits';
import { InstrumentManager } from './instruments/manager';
import { RlManager } from './rl';
import { RunEngine } from './runs';
import { registerDeviceFactory } from './runs/devices';
import { openStore, type Store } from './store';
import type { BackupService } from './backups';
import type { LogFile } from './logs';
import type { SettingsService } from './settings';
import { openMaintenance, prepareDataFolder } from './settings/maintenance';

/**
 * Everything behind the contract for one data folder: the store, the event bus and the router.
 * Both hosts (Electron and the web host) and the CLI open it the same way.
 */
export interface AppServices {
  readonly store: Store;
  readonly bus: EventBus;
  readonly router: Router;
  readonly info: AppInfo;
  /** Runs protocols on devices, one at a time from a queue. */
  readonly runs: RunEngine;
  /** Runs RL comparisons on the worker pool, storing every job. */
  readonly rl: RlManager;
  /** The instrument connection (one at a time), the port list and virtual instruments. */
  readonly instruments: InstrumentManager;
  /** Settings, backups and the log file (`<dataDir>/logs/workbench.log`) of this data folder. */
  readonly settings: SettingsService;
  readonly backups: BackupService;
  readonly logs: LogFile;
  close(): Promise<void>;
}

export interface AppServicesOptions {
  dataDir: string;
  hostKind: AppInfo['hostKind'];
  /** Runtime versions to report beside Node's and SQLite's (Electron adds its own and Chromium's). */
  versions?: Record<string, string | undefined>;
  /** Where unexpected failures are reported; stderr by default. */
  log?: (line: string) => void;
  /** Opens a folder in the system's file manager (Electron's shell.openPath); absent in the web host and the CLI. */
  openPath?: (path: string) => Promise<string>;
}

export function openAppServices(options: AppServicesOptions): AppServices {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const logs = prepareDataFolder(options.dataDir, options.hostKind);
  const store = openStore(options.dataDir, { appVersion, host: `${options.hostKind}@${os.hostname()}` });
  const bus = new EventBus();
  const maintenance = openMaintenance({ store, bus, logs, hostKind: options.hostKind, openPath: options.openPath });
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
  const runs = new RunEngine({ store, bus, log });
  const rl = new RlManager({ store, bus, log });
  const { settings } = maintenance.handles;
  const instruments = new InstrumentManager({
    log,
    emit: {
      state: (s) => bus.emit('instrument.state', s),
      ports: (p) => bus.emit('ports.changed', p),
      console: (lines) => bus.emit('instruments.console', { lines }),
      usage: (inUse) => bus.emit('instruments.usage', { inUse }),
    },
    memoryFile: path.join(options.dataDir, 'instruments.json'),
    // Settings is the one home of the safety limits and of auto-reconnect.
    limits: () => instrumentLimitsFrom(settings.currentLimits()),
    autoReconnect: () => settings.get().autoReconnect,
  });
  const stopMirroring = settings.onChange(() => void instruments.settingsChanged());
  // Until the run engine takes the bridge as an option: runs on instruments open this manager's connection.
  const unregisterInstruments = instruments.runBridge.schemes.map((scheme) => registerDeviceFactory(scheme, instruments.runBridge.open));
  const services = { store, bus, info, runs, rl, instruments, ...maintenance.handles } as const;
  const router = createRouter(createHandlers(services), {
    onInternalError: (method, error) => {
      log(`internal error in ${method}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      logs.error('router', `internal error in ${method}`, error);
    },
  });
  let closed = false;
  return {
    ...services,
    router,
    async close() {
      if (closed) return;
      closed = true;
      // Quitting ends the running run cleanly (output off, status 'stopped') before the store closes.
      await runs.shutdown();
      stopMirroring();
      for (const unregister of unregisterInstruments) unregister();
      // Output off and the port released on quit; virtual instruments stopped.
      await instruments.close();
      await rl.shutdown();
      await maintenance.close();
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
