/**
 * The housekeeping services of one data folder — its log, settings and backups — opened and
 * closed together by app-services, so that file changes in two lines.
 *
 * 1. `prepareDataFolder(dataDir)` before the store opens: the log file (and makes it the process's
 *    log), and the backup before a pending migration. Never throws.
 * 2. `openMaintenance({store, bus, logs})` once the store is open: settings (made the process's,
 *    for `currentLimits()`), backups (the schedule runs in the desktop app and the web host, not in
 *    one-shot CLI commands), and 'settings.changed' events.
 */
import path from 'node:path';
import type { EventBus } from '../../router';
import { BackupService, backupBeforeMigration } from '../backups';
import { openWorkbenchLog, releaseProcessLog, setProcessLog, type LogFile } from '../logs';
import type { Store } from '../store';
import { SettingsService, releaseProcessSettings, setProcessSettings } from './index';

export interface Maintenance {
  readonly logs: LogFile;
  readonly settings: SettingsService;
  readonly backups: BackupService;
}

export interface OpenMaintenanceOptions {
  store: Store;
  bus: EventBus;
  logs: LogFile;
  hostKind: string;
  /** Run the backup schedule (default: not for the CLI). */
  schedule?: boolean;
  /** Opens a folder in the system's file manager (desktop only). */
  openPath?: (path: string) => Promise<string>;
}

/** What handlers (and AppServices) get: see HandlerContext. */
export interface MaintenanceHandles {
  settings: SettingsService;
  backups: BackupService;
  logs: LogFile;
  openPath?: (path: string) => Promise<string>;
}

export function prepareDataFolder(dataDir: string, hostKind: string): LogFile {
  const logs = openWorkbenchLog(dataDir);
  setProcessLog(logs);
  logs.log('info', 'app', `opening the workbench (${hostKind}, pid ${process.pid}) on ${path.resolve(dataDir)}`);
  backupBeforeMigration(dataDir, (...a) => logs.log(...a));
  return logs;
}

export function openMaintenance(options: OpenMaintenanceOptions): Maintenance & { handles: MaintenanceHandles; close(): Promise<void> } {
  const { store, bus, logs } = options;
  const log = logs.log.bind(logs);
  const settings = new SettingsService(store.file, { log });
  const backups = new BackupService({ store, log, schedule: () => settings.get().backups, onRestored: () => settings.reload() });
  const unsubscribe = settings.onChange((s) => {
    bus.emit('settings.changed', s);
    backups.reschedule();
  });
  setProcessSettings(settings);
  if (options.schedule ?? options.hostKind !== 'cli') backups.start();
  let closed = false;
  return {
    logs,
    settings,
    backups,
    handles: { settings, backups, logs, ...(options.openPath ? { openPath: options.openPath } : {}) },
    async close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      backups.stop();
      await Promise.race([backups.idle(), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
      releaseProcessSettings(settings);
      settings.close();
      logs.log('info', 'app', 'the workbench closed its data folder');
      releaseProcessLog(logs);
    },
  };
}
