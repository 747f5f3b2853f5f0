import type { AppInfo } from '../../shared/contract';
import type { ParquetExporter } from '../services/runs/export-parquet';
import type { EventBus } from '../router';
import type { RlManager } from '../services/rl';
import type { BackupService } from '../services/backups';
import type { LogFile, Logger } from '../services/logs';
import type { InstrumentManager } from '../services/instruments/manager';
import type { LabService } from '../services/lab/service';
import type { RunEngine } from '../services/runs';
import type { SettingsService } from '../services/settings';
import type { Store } from '../services/store';

/** What handlers may use: the services of one data folder. */
export interface HandlerContext {
  store: Store;
  bus: EventBus;
  info: AppInfo;
  /** The run engine: the queue and the running run of this process. */
  runs: RunEngine;
  /** Reinforcement-learning comparisons: the running one and its progress. */
  rl: RlManager;
  /** The instrument connection, the port list, the console and virtual instruments. */
  instruments?: InstrumentManager;
  /** Settings (`settings.currentLimits()` is the validateProtocol ceiling), backups and the log of this data folder. */
  settings: SettingsService;
  backups: BackupService;
  /** The log file, for the Logs page (`logs.tail`). */
  logs: LogFile;
  /** Where handlers log (what they must report but not refuse, the renderer's own errors). */
  logger: Logger;
  /** The lab archive: publish state, background publisher, every PC's runs (#16). */
  lab: LabService;
  /** Runs as Parquet files (#14). */
  parquet: ParquetExporter;
  /** Opens a folder in the system's file manager (desktop only): '' or an error message. */
  openPath?: (path: string) => Promise<string>;
}
