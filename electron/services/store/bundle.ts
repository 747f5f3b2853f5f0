/**
 * Experiment bundles: one experiment, its runs (with their provenance) and their sample chunks in
 * a small SQLite file of its own, to carry an experiment to another workbench.
 *
 * A bundle is recognised by its header's application_id ('MWBX', distinct from a workbench
 * database's 'MWB1') and a bundle_info table naming the format; it uses a rollback journal (no
 * -wal side file), so the bundle is exactly one file. It is built and read in memory
 * (better-sqlite3 serialize / deserialize): nothing touches the disk but the caller's file.
 *
 * Import is all or nothing: the bytes are checked completely first (header, integrity, format,
 * every run and every chunk), and a file that fails any check is refused with the reason and
 * nothing written; then one transaction adds the experiment (or finds it by id) and every run
 * whose UUID the archive does not hold yet — runs it already holds are skipped, so importing the
 * same bundle twice adds nothing the second time.
 */
import Database from 'better-sqlite3';
import {
  BUNDLE_APPLICATION_ID,
  BUNDLE_FORMAT,
  BUNDLE_SCHEMA,
  BUNDLE_VERSION,
  CHUNK_COLUMNS,
  EXPERIMENT_COLUMNS,
  RUN_COLUMNS,
  chunkChecksum,
  rowChecksum,
  type ChunkRow,
  type RunRow,
} from './bundle-format';
import { readBundle } from './bundle-read';
import type { StoreContext } from './context';
import type { LabDevices } from './lab-devices';
import type { Experiments } from './experiments';
import type { Experiment } from './types';
import { activeRunStatuses } from '../../../shared/contract';
import { checkUuid, MAX_NAME_LENGTH } from './validate';

export { BUNDLE_APPLICATION_ID, BUNDLE_EXTENSION, BUNDLE_FORMAT, BUNDLE_VERSION, BundleError } from './bundle-format';
export { readBundle } from './bundle-read';

export interface BundleExport {
  bytes: Buffer;
  experiment: Experiment;
  runs: number;
  samples: number;
}

export interface BundleImport {
  /** Runs added to the archive. */
  imported: number;
  /** Runs the archive already held (same UUID), left as they were. */
  skipped: number;
  experimentId: string;
  experimentName: string;
  /** True when the experiment was created by this import (false: it was there, found by id). */
  createdExperiment: boolean;
  /** The bundle's format version. */
  version: number;
  /** Every record and sample chunk matched its checksum; false for a version-1 bundle, which has none. */
  checksums: boolean;
}

const EXPORTED_ACTIVE_REASON = 'exported while it was still running: the bundle holds the samples committed by then';

export class Bundles {
  constructor(
    private readonly ctx: StoreContext,
    private readonly experiments: Experiments,
    private readonly lab?: LabDevices,
  ) {}

  /** The experiment, its runs and their samples as bundle bytes (queued runs, having no data, are left out). */
  export(experimentId: string): BundleExport {
    const key = checkUuid(experimentId, 'experiment id');
    // Commit what live writers hold, so the bundle has every sample taken so far.
    for (const w of this.ctx.writers.values()) w.flush();
    const src = this.ctx.db;
    const out = new Database(':memory:');
    try {
      out.exec(BUNDLE_SCHEMA);
      let runs = 0;
      let samples = 0;
      const experiment = this.ctx.db
        .transaction(() => {
          const exp = this.experiments.get(key);
          const expRow = { id: exp.id, name: exp.name, description: exp.description, created_at: exp.createdAt, updated_at: exp.updatedAt };
          out
            .prepare(`INSERT INTO experiments (${EXPERIMENT_COLUMNS.join(', ')}, checksum) VALUES (${EXPERIMENT_COLUMNS.map(() => '?').join(', ')}, ?)`)
            .run(...EXPERIMENT_COLUMNS.map((c) => expRow[c]), rowChecksum(expRow, EXPERIMENT_COLUMNS));
          const info = out.prepare('INSERT INTO bundle_info (key, value) VALUES (?, ?)');
          info.run('format', BUNDLE_FORMAT);
          info.run('version', String(BUNDLE_VERSION));
          info.run('app_version', this.ctx.appVersion);
          info.run('exported_at', this.ctx.now());
          info.run('experiment_id', exp.id);
          const insertRun = out.prepare(`INSERT INTO runs (${RUN_COLUMNS.join(', ')}, checksum) VALUES (${RUN_COLUMNS.map(() => '?').join(', ')}, ?)`);
          const insertChunk = out.prepare(`INSERT INTO sample_chunks (${CHUNK_COLUMNS.join(', ')}, checksum) VALUES (${CHUNK_COLUMNS.map(() => '?').join(', ')}, ?)`);
          const runRows = src
            .prepare(`SELECT ${RUN_COLUMNS.join(', ')} FROM runs WHERE experiment_id = ? AND status != 'queued' ORDER BY created_at, id`)
            .all(key) as RunRow[];
          const chunks = src.prepare(`SELECT ${CHUNK_COLUMNS.join(', ')} FROM sample_chunks WHERE run_id = ? ORDER BY seq`);
          out.transaction(() => {
            for (const row of runRows) {
              if ((activeRunStatuses as readonly unknown[]).includes(row.status)) {
                row.status = 'interrupted';
                row.exit_reason = EXPORTED_ACTIVE_REASON;
                row.ended_at = row.updated_at;
              }
              insertRun.run(...RUN_COLUMNS.map((c) => row[c]), rowChecksum(row, RUN_COLUMNS));
              for (const chunk of chunks.iterate(row.id) as IterableIterator<ChunkRow>) insertChunk.run(...CHUNK_COLUMNS.map((c) => chunk[c]), chunkChecksum(chunk));
              runs += 1;
              samples += row.sample_count as number;
            }
          })();
          return exp;
        })
        .deferred();
      out.pragma(`application_id = ${BUNDLE_APPLICATION_ID}`);
      out.pragma(`user_version = ${BUNDLE_VERSION}`);
      return { bytes: out.serialize(), experiment, runs, samples };
    } finally {
      out.close();
    }
  }

  /** Checks `bytes` completely, then adds the experiment and its new runs in one transaction. */
  import(bytes: Uint8Array): BundleImport {
    const parsed = readBundle(bytes);
    return this.ctx.tx(() => {
      const exp = parsed.experiment;
      let experimentId = exp.id;
      let experimentName = exp.name;
      let created = false;
      const existing = this.ctx.stmt('SELECT id, name FROM experiments WHERE id = ?').get(exp.id) as { id: string; name: string } | undefined;
      if (existing) experimentName = existing.name;
      else {
        experimentName = this.freeName(exp.name);
        this.ctx
          .stmt('INSERT INTO experiments (id, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
          .run(exp.id, experimentName, exp.description, exp.created_at, this.ctx.now());
        created = true;
      }
      experimentId = exp.id;
      const has = this.ctx.stmt('SELECT 1 FROM runs WHERE id = ?');
      const insertRun = this.ctx.stmt(`INSERT INTO runs (${RUN_COLUMNS.join(', ')}) VALUES (${RUN_COLUMNS.map(() => '?').join(', ')})`);
      const insertChunk = this.ctx.stmt(`INSERT INTO sample_chunks (${CHUNK_COLUMNS.join(', ')}) VALUES (${CHUNK_COLUMNS.map(() => '?').join(', ')})`);
      let imported = 0;
      let skipped = 0;
      for (const run of parsed.runs) {
        if (has.get(run.row.id) !== undefined) {
          skipped += 1;
          continue;
        }
        insertRun.run(...RUN_COLUMNS.map((c) => (c === 'experiment_id' ? experimentId : run.row[c])));
        for (const chunk of run.chunks) insertChunk.run(...CHUNK_COLUMNS.map((c) => chunk[c]));
        imported += 1;
      }
      if (imported > 0 && !created) this.ctx.stmt('UPDATE experiments SET updated_at = ? WHERE id = ?').run(this.ctx.now(), experimentId);
      // Every run has a device (#14): the imported ones go to their virtual device.
      if (imported > 0) this.lab?.attachUnassigned();
      return { imported, skipped, experimentId, experimentName, createdExperiment: created, version: parsed.version, checksums: parsed.checksums };
    });
  }

  /** `name`, or `name (imported)`, `name (imported 2)`… when another experiment has it. */
  private freeName(name: string): string {
    const taken = (n: string) => this.ctx.stmt('SELECT 1 FROM experiments WHERE name = ?').get(n) !== undefined;
    if (!taken(name)) return name;
    for (let k = 1; ; k++) {
      const suffix = k === 1 ? ' (imported)' : ` (imported ${k})`;
      const candidate = `${name.slice(0, MAX_NAME_LENGTH - suffix.length)}${suffix}`;
      if (!taken(candidate)) return candidate;
    }
  }
}
