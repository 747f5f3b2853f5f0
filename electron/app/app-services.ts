/**
 * The composition root: everything behind the contract for one data folder — the log, the store,
 * the event bus, the services and the router — made here and nowhere else, each service given
 * what it uses (the logger, the store, the bus, its clock). Both hosts (Electron and the web host)
 * and the CLI open the workbench this way; two data folders opened in one process share nothing.
 */
import { storeAnalysesOnEnd } from '../services/runs/analysis-on-end';
import { ParquetExporter } from '../services/runs/export-parquet';
import Database from 'better-sqlite3';
import os from 'node:os';
import path from 'node:path';
import type { AppInfo } from '../../shared/contract';
import { APP_NAME, appVersion } from '../app-meta';
import { createHandlers } from '../handlers';
import { EventBus, createRouter, type Router } from '../router';
import type { BackupService } from '../services/backups';
import { instrumentLimitsFrom } from '../services/instruments/limits';
import { InstrumentManager } from '../services/instruments/manager';
import { fileLogger, openWorkbenchLog, type LogFile, type Logger, type LogLevel } from '../services/logs';
import { RlManager } from '../services/rl';
import { RunEngine } from '../services/runs';
import type { SettingsService } from '../services/settings';
import { openStore, type Store } from '../services/store';
import { closeInOrder } from './close';
import { instrumentOpeners } from './instrument-openers';
import { openMaintenance, prepareDataFolder } from './maintenance';
import { LabService, type LabSecrets } from '../services/lab/service';

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
  /** The logger every service of this data folder writes through (to `logs`). */
  readonly logger: Logger;
  /** The lab archive (#16): publish state, background publisher, every PC's runs. */
  readonly lab: LabService;
  /** Runs as Parquet files (#14), keeping its row-group memory from one export to the next. */
  readonly parquet: ParquetExporter;
  /**
   * Closes everything, in order: the run engine (the running run stopped, output off), the
   * instruments (output off, port released), RL, settings and backups, the store. Every step runs
   * even when one before it fails; failures are logged, never thrown. Safe to call twice.
   */
  close(): Promise<void>;
}

export interface AppServicesOptions {
  dataDir: string;
  hostKind: AppInfo['hostKind'];
  /** Runtime versions to report beside Node's and SQLite's (Electron adds its own and Chromium's). */
  versions?: Record<string, string | undefined>;
  /**
   * Where log lines at or above `echoLevel` also go, as readable text (the CLI: stderr). Every
   * line goes to the data folder's log file either way.
   */
  echo?: (text: string) => void;
  /** Default 'warn'. */
  echoLevel?: LogLevel;
  /** The desktop app's keeper of the lab connection (safeStorage); absent in the web host and the CLI. */
  labSecrets?: LabSecrets;
  /** Opens a folder in the system's file manager (Electron's shell.openPath); absent in the web host and the CLI. */
  openPath?: (path: string) => Promise<string>;
}

export function openAppServices(options: AppServicesOptions): AppServices {
  const logs = openWorkbenchLog(options.dataDir);
  const logger = fileLogger(logs, { ...(options.echo ? { echo: options.echo } : {}), ...(options.echoLevel ? { echoLevel: options.echoLevel } : {}) });
  prepareDataFolder(options.dataDir, options.hostKind, logger);
  const store = openStore(options.dataDir, { appVersion, host: `${options.hostKind}@${os.hostname()}` });
  const bus = new EventBus();
  const maintenance = openMaintenance({ store, bus, logs, logger, hostKind: options.hostKind, ...(options.openPath ? { openPath: options.openPath } : {}) });
  const { settings } = maintenance.handles;
  const info: AppInfo = {
    appName: APP_NAME,
    appVersion,
    hostKind: options.hostKind,
    dataDir: options.dataDir,
    dataFile: store.file,
    schemaVersion: store.schemaVersion,
    platform: `${process.platform}-${process.arch}`,
    versions: runtimeVersions(options.versions),
  };
  const instruments = new InstrumentManager({
    logger,
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
  const runs = new RunEngine({ store, bus, logger, instruments: instrumentOpeners(instruments) });
  const rl = new RlManager({ store, bus, logger });
  storeAnalysesOnEnd(bus, runs, store, logger.child('analysis'));
  const parquet = new ParquetExporter(store);
  const lab = new LabService({ store, logger, background: options.hostKind !== 'cli', ...(options.labSecrets ? { secrets: options.labSecrets } : {}) });
  const services = { store, bus, info, runs, rl, instruments, logger, lab, parquet, ...maintenance.handles } as const;
  const router = createRouter(createHandlers(services), { logger });
  const appLog = logger.child('app');
  let closing: Promise<void> | null = null;
  return {
    ...services,
    router,
    close() {
      closing ??= closeInOrder(appLog, [
        // Quitting ends the running run cleanly (output off, status 'stopped') before the store closes.
        ['stopping the run engine', () => runs.shutdown()],
        ['stopping the limits mirror', stopMirroring],
        // Output off and the port released whatever happened above; virtual instruments stopped.
        ['closing the instruments', () => instruments.close()],
        ['stopping RL', () => rl.shutdown()],
        ['stopping the lab publisher', () => lab.close()],
        ['closing settings and backups', () => maintenance.close()],
        ['closing the store', () => store.close()],
      ]).then(() => appLog.info('the workbench closed its data folder'));
      return closing;
    },
  };
}

function runtimeVersions(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const versions: Record<string, string> = { node: process.versions.node, sqlite: sqliteVersion() };
  for (const [k, v] of Object.entries(extra)) if (v) versions[k] = v;
  return versions;
}

function sqliteVersion(): string {
  const db = new Database(':memory:');
  try {
    return (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  } finally {
    db.close();
  }
}
