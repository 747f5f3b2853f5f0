/**
 * The housekeeping services of one data folder — its settings and backups, and the log file they
 * and everything else write to — opened and closed together by the composition root
 * (app-services.ts), so that file changes in two lines.
 *
 * 1. `prepareDataFolder(dataDir, logger)` before the store opens: notes the opening in the log,
 *    and makes the backup before a pending migration. Never throws.
 * 2. `openMaintenance({store, bus, logs, logger})` once the store is open: settings, backups (the
 *    schedule runs in the desktop app and the web host, not in one-shot CLI commands), and
 *    'settings.changed' events.
 */
import path from 'node:path';
import type { EventBus } from '../router';
import { BackupService, backupBeforeMigration } from '../services/backups';
import type { LogFile, Logger } from '../services/logs';
import type { Store } from '../services/store';
import { SettingsService } from '../services/settings';

export interface OpenMaintenanceOptions {
  store: Store;
  bus: EventBus;
  logs: LogFile;
  logger: Logger;
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

export function prepareDataFolder(dataDir: string, hostKind: string, logger: Logger): void {
  logger.child('app').info(`opening the workbench (${hostKind}, pid ${process.pid}) on ${path.resolve(dataDir)}`);
  backupBeforeMigration(dataDir, logger);
}

export function openMaintenance(options: OpenMaintenanceOptions): { handles: MaintenanceHandles; close(): Promise<void> } {
  const { store, bus, logs, logger } = options;
  const settings = new SettingsService(store.file, { logger });
  const backups = new BackupService({ store, logger, schedule: () => settings.get().backups, onRestored: () => settings.reload() });
  const unsubscribe = settings.onChange((s) => {
    bus.emit('settings.changed', s);
    backups.reschedule();
  });
  if (options.schedule ?? options.hostKind !== 'cli') backups.start();
  let closed = false;
  return {
    handles: { settings, backups, logs, ...(options.openPath ? { openPath: options.openPath } : {}) },
    async close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      backups.stop();
      await Promise.race([backups.idle(), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
      settings.close();
    },
  };
}
