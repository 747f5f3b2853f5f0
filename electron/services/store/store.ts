/**
 * The workbench's archive: one SQLite file (`workbench.sqlite` in the data folder) holding
 * experiments, runs with their provenance and their samples. Synchronous (better-sqlite3): every
 * call is a short transaction on the main process's thread.
 */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { Bundles } from './bundle';
import { StoreContext } from './context';
import { DevicePresets } from './device-presets';
import { StoreError } from './errors';
import { Experiments } from './experiments';
import { DATABASE_FILE_NAME } from './identity';
import { ensureDataDir, openDatabase } from './open';
import type { Migration } from './migrations/index';
import { LabPublishLedger } from './lab-publish';
import { Protocols } from './protocols';
import { LabDevices } from './lab-devices';
import { DeviceArchive } from './device-archive';
import { LabFiles } from './lab-files';
import { version as LAB_SCHEMA_VERSION } from './migrations/010-lab-devices';
import { RlRuns } from './rl-runs';
import { RlCheckpoints } from './rl-checkpoints';
import { Runs } from './runs';
import { RunAnalyses } from './run-analyses';
import { readSamples, readSamplesInto, SampleWriter, writerStart, type Columns, type SampleRange, type SampleWriterOptions } from './samples';
import { isTerminalRunStatus } from '../../../shared/contract';
import { checkText, checkUuid } from './validate';

export interface StoreOptions {
  /** Recorded in every run's provenance. */
  appVersion: string;
  /** Recorded in every run's provenance; os.hostname() when absent. */
  host?: string;
  /** Wall clock for timestamps (tests). */
  now?: () => Date;
}

export class Store {
  readonly experiments: Experiments;
  readonly runs: Runs;
  /** Experiment bundles: export one experiment to its own file, import one atomically. */
  readonly bundles: Bundles;
  readonly protocols: Protocols;
  /** Device presets the user saved or fitted (the shipped ones are files). */
  readonly devicePresets: DevicePresets;
  /** Reinforcement-learning runs and their per-episode traces. */
  readonly rlRuns: RlRuns;
  readonly rlCheckpoints: RlCheckpoints;
  /** What this data folder has published to the lab archive and what it still owes it (#16). */
  readonly labPublish: LabPublishLedger;
  /** Samples → chips → devices (#14), and the virtual devices runs on presets and instruments go to. */
  readonly lab: LabDevices;
  /** A device's timeline, a chip's map, the values of the variability statistics. */
  readonly deviceArchive: DeviceArchive;
  /** Runs' devices for the files (Parquet), and an ArC ONE session imported as a chip. */
  readonly labFiles: LabFiles;
  /** Switching figures extracted from runs (#13), one stored analysis per run. */
  readonly analyses: RunAnalyses;
  /** Runs found 'running' or 'paused' at open (left so by a process that died), now 'interrupted'. */
  readonly interruptedAtOpen: number;
  /** True when the file was created by this open. */
  readonly created: boolean;

  private constructor(
    private readonly ctx: StoreContext,
    readonly dataDir: string,
    readonly file: string,
    readonly schemaVersion: number,
    created: boolean,
  ) {
    this.experiments = new Experiments(ctx);
    this.lab = new LabDevices(ctx);
    this.deviceArchive = new DeviceArchive(ctx, this.lab);
    this.runs = new Runs(ctx, this.experiments, this.lab);
    this.labFiles = new LabFiles(ctx, this.lab, this.runs);
    this.bundles = new Bundles(ctx, this.experiments, this.lab);
    this.protocols = new Protocols(ctx);
    this.devicePresets = new DevicePresets(ctx);
    this.rlRuns = new RlRuns(ctx, this.lab);
    this.rlCheckpoints = new RlCheckpoints(ctx);
    this.labPublish = new LabPublishLedger(ctx);
    this.analyses = new RunAnalyses(ctx);
    this.created = created;
    this.interruptedAtOpen = this.runs.markInterrupted();
    if (schemaVersion >= LAB_SCHEMA_VERSION) this.lab.attachUnassigned();
  }

  /** @internal use openStore */
  static open(dataDir: string, options: StoreOptions, list?: readonly Migration[]): Store {
    if (typeof dataDir !== 'string' || dataDir.trim() === '') throw new StoreError('invalid', 'The data folder must be a path.');
    const appVersion = checkText(options?.appVersion, 'appVersion', 100);
    const dir = path.resolve(dataDir);
    const file = path.join(dir, DATABASE_FILE_NAME);
    ensureDataDir(dir, file);
    const { db, schemaVersion, created } = openDatabase(file, list);
    const ctx = new StoreContext(db, file, appVersion, options.host ?? os.hostname(), options.now ?? (() => new Date()));
    try {
      return new Store(ctx, dir, file, schemaVersion, created);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /**
   * A writer for a run's samples (see SampleWriter). One at a time per run ('conflict' otherwise);
   * a run that has ended takes no more samples.
   */
  openWriter(runId: string, options?: SampleWriterOptions): SampleWriter {
    const key = checkUuid(runId, 'run id');
    this.ctx.assertOpen();
    if (this.ctx.writers.has(key)) throw new StoreError('conflict', `Run ${key} already has an open sample writer.`);
    const run = this.runs.get(key);
    if (isTerminalRunStatus(run.status)) {
      throw new StoreError('conflict', `Run "${run.name}" is ${run.status}; it takes no more samples.`, { status: run.status });
    }
    const writer = new SampleWriter(this.ctx, key, writerStart(this.ctx, key), options);
    this.ctx.writers.set(key, writer);
    return writer;
  }

  /** Samples [from, to) of a run (all committed samples by default), as SampleColumns. */
  readSamples(runId: string, range?: SampleRange): Columns {
    this.ctx.assertOpen();
    return readSamples(this.ctx, runId, range);
  }

  /** Samples [from, to) of a run (clamped to those committed) read into `dst` from index `at`; how many. */
  readSamplesInto(runId: string, range: Required<SampleRange>, dst: Columns, at: number): number {
    this.ctx.assertOpen();
    return readSamplesInto(this.ctx, runId, range, dst, at);
  }

  /** Marks runs left running/paused by a dead process as 'interrupted' (done by openStore). */
  markInterruptedRuns(): number {
    return this.runs.markInterrupted();
  }

  /**
   * Copies the whole database, consistently, to `toPath` (a new file) while the store stays usable.
   */
  async backup(toPath: string): Promise<void> {
    this.ctx.assertOpen();
    const target = path.resolve(checkText(toPath, 'backup path', 4096));
    if (target === this.file) throw new StoreError('invalid', 'A backup cannot overwrite the database itself.');
    if (fs.existsSync(target)) throw new StoreError('conflict', `${target} already exists; choose a new file for the backup.`);
    await this.ctx.db.backup(target);
  }

  /** The SQLite library's version, e.g. '3.53.2'. */
  get sqliteVersion(): string {
    this.ctx.assertOpen();
    return this.ctx.stmt('SELECT sqlite_version()').pluck().get() as string;
  }

  get isOpen(): boolean {
    return !this.ctx.isClosed;
  }

  /**
   * Commits what open writers hold, closes them and the database. Safe to call twice. The database
   * is closed even when a writer cannot commit; the first such error is thrown afterwards.
   */
  close(): void {
    if (this.ctx.isClosed) return;
    const errors: unknown[] = [];
    for (const w of [...this.ctx.writers.values()]) {
      try {
        w.flush();
      } catch (e) {
        errors.push(e);
      } finally {
        w.detach('the store was closed');
      }
    }
    this.ctx.markClosed();
    this.ctx.db.close();
    if (errors.length > 0) throw errors[0];
  }
}

/**
 * Opens the workbench database in `dataDir` (created, with the folder, when missing), refusing —
 * with a StoreOpenError, the file untouched — one that is not a workbench database, is damaged or
 * has a newer schema. Runs a previous process left active are marked 'interrupted'
 * (`store.interruptedAtOpen` says how many).
 */
export function openStore(dataDir: string, options: StoreOptions): Store {
  return Store.open(dataDir, options);
}
