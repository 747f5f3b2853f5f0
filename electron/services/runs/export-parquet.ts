/**
 * Runs as one Parquet file for analysis tools (DuckDB, pandas, polars): the tidy CSV's columns
 * (export-csv.ts TIDY_COLUMNS) preceded by the run and the device each sample belongs to, so one
 * file holds one run or a whole selection (a device's runs). Values are the doubles the store
 * holds, unrounded (Parquet keeps binary doubles; the CSV's exact decimals are for text); a value
 * the store holds as NaN (a current not measured) is NULL. The key-value metadata carries the
 * format, the column units (`units`: {"t_s": "s", …}), each column's description (`columns`) and
 * the runs' provenance (`runs`).
 *
 * Written by the workbench's own Parquet writer (files/parquet), uncompressed, a row group of
 * ROW_GROUP_ROWS samples at a time: the samples are read from the store straight into the row
 * group's columns, a window at a time, and the run's protocol replayed window by window, so only
 * one row group is ever in memory, whatever the size of the selection; a row group may span runs.
 * The file is complete under its name or not there at all (the writer's hidden partial file); an
 * existing file is refused.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Store } from '../store';
import { startReplay, type RecordingReplay } from '../../../shared/protocol';
import { allocColumns, SampleKind, sliceColumns, type SampleColumns } from '../../../shared/samples/columns';
import { TIDY_COLUMNS, type TidyColumn } from './export-csv';
import { runProvenance } from './export-provenance';
import { ServiceError } from '../errors';
import { ParquetWriter, type ColumnData, type ParquetColumn } from '../files/parquet/writer';
import { WorkBuffers } from '../files/parquet/work-buffers';
import { nanAsNull } from '../files/parquet/nan-as-null';

export const PARQUET_FORMAT = 'memristor-workbench/samples-parquet';

export const PARQUET_COLUMNS: readonly TidyColumn[] = [
  { name: 'run_id', unit: '', type: 'string', description: 'the run the sample belongs to (its UUID)' },
  { name: 'device_id', unit: '', type: 'string', description: 'the device (lab_devices) the run was on (its UUID)' },
  ...TIDY_COLUMNS.map((c) =>
    c.name === 't_s' ? { ...c, description: 'time of the sample since the run started, pauses included; the double the store holds' } : c.name === 'v_V' ? { ...c, description: 'applied voltage: the pulse amplitude on a pulse row, the read voltage on a read row' } : c,
  ),
];

/**
 * How each column is stored, in PARQUET_COLUMNS' order: the measured doubles may be NULL (NaN in
 * the store), the rest never are; `pulse` is 64-bit (a device's pulse count outgrows 32 bits).
 */
const SCHEMA: readonly ParquetColumn[] = [
  { name: 'run_id', type: 'string', optional: false },
  { name: 'device_id', type: 'string', optional: false },
  { name: 't_s', type: 'double', optional: true },
  { name: 'v_V', type: 'double', optional: true },
  { name: 'i_A', type: 'double', optional: true },
  { name: 'g_S', type: 'double', optional: true },
  { name: 'kind', type: 'string', optional: false },
  { name: 'width_s', type: 'double', optional: true },
  { name: 'pulse', type: 'int64', optional: false },
  { name: 'cycle', type: 'int32', optional: false },
  { name: 'block', type: 'int32', optional: false },
  { name: 'compliance', type: 'int32', optional: false },
];

/** The words of the kind column, indexed by SampleKind. */
const KINDS = ['read', 'pulse'] as const;

/**
 * Samples per row group (ours): 2^17, so a double column's page is 1 MiB — the page size Parquet
 * recommends — and a row group of all columns about 6 MB in memory.
 */
export const ROW_GROUP_ROWS = 1 << 17;

export interface ParquetExport {
  file: string;
  runs: number;
  samples: number;
}

/**
 * The Parquet export of one data folder's store, made once by the composition root (app services)
 * so that what it keeps from one export to the next — a full row group's memory (some 8 MB) and
 * the encoders' work arrays — is kept. Fresh memory was what a large export spent its time on:
 * every page of it faulted in from the OS (about 3,000 page faults an export, which took 1M
 * samples from 64 to 100–115 ms). Each export is synchronous, so one at a time uses them.
 */
export class ParquetExporter {
  private fullGroup: SampleRowGroup | undefined;
  private readonly work = new WorkBuffers();

  constructor(private readonly store: Store) {}

  /** Writes the runs (ids, in order) to a new Parquet file `out`. */
  async write(runIds: readonly string[], out: string): Promise<ParquetExport> {
    if (runIds.length === 0) throw new ServiceError('invalid_request', 'there are no runs to export (the device has none)');
    const target = path.resolve(out);
    if (fs.existsSync(target)) throw exists(target);
    const onDevice = this.store.labFiles.devicesOfRuns(runIds);
    const runs = onDevice.map((r) => this.store.runs.get(r.runId));
    let writer: ParquetWriter;
    try {
      writer = ParquetWriter.create(target, SCHEMA, this.work);
    } catch (e) {
      throw cannotWrite(target, e);
    }
    let samples = 0;
    try {
      const group = this.rowGroupFor(runs.reduce((n, r) => n + r.sampleCount, 0));
      const flush = () => {
        const ids = runs.slice(group.firstRun, group.lastRun + 1).map((r) => r.id);
        const devices = onDevice.slice(group.firstRun, group.lastRun + 1).map((r) => r.deviceId);
        writer.writeRowGroup(group.rows, group.columns(ids, devices));
        group.clear();
      };
      for (let k = 0; k < runs.length; k++) {
        const run = runs[k]!;
        const { replay } = startReplay(run.protocol, run.sampleCount);
        let pulses = 0;
        for (let from = 0; from < run.sampleCount; ) {
          const n = Math.min(run.sampleCount - from, group.capacity - group.rows);
          pulses = group.read(this.store, k, run.id, from, n, replay, pulses);
          from += n;
          if (group.rows === group.capacity) flush();
        }
        samples += run.sampleCount;
      }
      if (group.rows > 0) flush();
      const meta: Record<string, string> = {
        format: PARQUET_FORMAT,
        version: '1',
        units: JSON.stringify(Object.fromEntries(PARQUET_COLUMNS.map((c) => [c.name, c.unit]))),
        columns: JSON.stringify(PARQUET_COLUMNS),
        kinds: JSON.stringify(KINDS),
        runs: JSON.stringify(runs.map((r, k) => ({ ...runProvenance(r), deviceId: onDevice[k]!.deviceId }))),
      };
      writer.finish(meta, 'memristor-workbench');
    } catch (e) {
      writer.abort();
      if (e instanceof ServiceError) throw e;
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw exists(target); // appeared meanwhile: never overwritten
      throw cannotWrite(target, e);
    }
    return { file: target, runs: runs.length, samples };
  }

  /**
   * The same file as bytes, for the app (its Save dialog is the renderer's): written to a private
   * temporary folder, read back, and the folder removed whatever happens.
   */
  async bytes(runIds: readonly string[]): Promise<{ bytes: Uint8Array; runs: number; samples: number }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workbench-parquet-'));
    try {
      const r = await this.write(runIds, path.join(dir, 'export.parquet'));
      const b = fs.readFileSync(r.file);
      // A plain Uint8Array: a Buffer would serialise itself as JSON on the WebSocket wire.
      return { bytes: new Uint8Array(b.buffer, b.byteOffset, b.byteLength), runs: r.runs, samples: r.samples };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  /** A row group no bigger than the selection (a short export faults in no full row group), emptied. */
  private rowGroupFor(samples: number): SampleRowGroup {
    if (samples < ROW_GROUP_ROWS) return new SampleRowGroup(Math.max(1, samples));
    this.fullGroup ??= new SampleRowGroup(ROW_GROUP_ROWS);
    this.fullGroup.clear();
    return this.fullGroup;
  }
}

const exists = (target: string) => new ServiceError('invalid_request', `${target} already exists; choose another --out`);

/** The file system's refusal in words a person can act on (the folder, not errno alone). */
function cannotWrite(target: string, e: unknown): ServiceError {
  const err = e as NodeJS.ErrnoException;
  if (err.code === undefined || typeof err.code !== 'string') return new ServiceError('internal', `cannot write ${target}: ${String((e as Error).message ?? e)}`, undefined, { cause: e });
  const folder = path.dirname(target);
  const why: Record<string, string> = {
    ENOENT: `the folder ${folder} does not exist`,
    ENOTDIR: `${folder} is not a folder`,
    EACCES: `no permission to create files in ${folder}`,
    EPERM: `no permission to create files in ${folder}`,
    EROFS: `${folder} is on a read-only file system`,
    ENOSPC: 'the disk is full',
    EISDIR: `${target} is a folder`,
  };
  return new ServiceError('invalid_request', `cannot write ${target}: ${why[err.code] ?? err.message}; nothing was written`, undefined, { cause: e });
}

/** One row group's columns, filled from the store run by run, window by window. */
class SampleRowGroup {
  rows = 0;
  /** Index (into the export's runs) of the run of the first row, and of the last row. */
  firstRun = 0;
  lastRun = 0;
  /** The store's columns, read into directly (kind rewritten to 0/1, the kind column's dictionary indices). */
  private readonly samples: SampleColumns;
  /** Each row's run, counted from firstRun: the indices into the run_id and device_id dictionaries. */
  private readonly run: Int32Array;
  private readonly width: Float64Array;
  private readonly cycle: Int32Array;
  /** Pulse numbers as doubles (exact to 2^53; the writer writes them as int64): no BigInt per sample. */
  private readonly pulse: Float64Array;
  private readonly compliance: Int32Array;
  /** Presence flags of the doubles (NaN → null), one array per column, used when one is NaN. */
  private readonly present: Uint8Array[];

  constructor(readonly capacity: number) {
    if (!(Number.isInteger(capacity) && capacity > 0)) throw new RangeError(`row groups of ${capacity} rows`);
    this.samples = allocColumns(capacity);
    this.run = new Int32Array(capacity);
    this.width = new Float64Array(capacity);
    this.cycle = new Int32Array(capacity);
    this.pulse = new Float64Array(capacity);
    this.compliance = new Int32Array(capacity);
    this.present = Array.from({ length: 5 }, () => new Uint8Array(capacity));
  }

  /**
   * Reads samples [from, from + n) of run `run` (`runId`) into the next rows, `pulses` pulses
   * having come before them in the run, and replays them; returns the run's pulses up to their end.
   */
  read(store: Store, run: number, runId: string, from: number, n: number, replay: RecordingReplay, pulses: number): number {
    if (this.rows === 0) this.firstRun = run;
    this.lastRun = run;
    const at = this.rows;
    const got = store.readSamplesInto(runId, { from, to: from + n }, this.samples, at);
    if (got !== n) throw new ServiceError('internal', `run ${runId}: samples ${from + got}…${from + n - 1} are no longer in the store`);
    replay.feed(sliceColumns(this.samples, at, at + n), this.width, this.cycle, at);
    this.run.fill(run - this.firstRun, at, at + n);
    this.compliance.set(this.samples.compliance.subarray(at, at + n), at);
    pulses = numberPulses(this.samples.kind, this.pulse, at, at + n, pulses);
    this.rows += n;
    return pulses;
  }

  /** The row group for the writer, in SCHEMA's order; `runIds`/`deviceIds` of runs firstRun…lastRun. */
  columns(runIds: readonly string[], deviceIds: readonly string[]): ColumnData[] {
    const s = this.samples;
    const [t, v, i, g, width] = [s.t, s.v, s.i, s.g, this.width].map((values, k): ColumnData => ({ values, present: nanAsNull(values, this.rows, this.present[k]!) })) as [
      ColumnData,
      ColumnData,
      ColumnData,
      ColumnData,
      ColumnData,
    ];
    return [
      { values: { dictionary: runIds, indices: this.run } },
      { values: { dictionary: deviceIds, indices: this.run } },
      t,
      v,
      i,
      g,
      { values: { dictionary: KINDS, indices: s.kind } },
      width,
      { values: this.pulse },
      { values: this.cycle },
      { values: s.block },
      { values: this.compliance },
    ];
  }

  clear(): void {
    this.rows = 0;
  }
}

/**
 * Rewrites rows [from, to)'s kinds to 0 (read) and 1 (pulse), the kind column's dictionary indices,
 * and numbers the pulses, `pulses` having come before; returns the count at `to`. A loop alone in
 * its function: see nan-as-null.ts for why.
 */
function numberPulses(kind: Uint8Array, pulse: Float64Array, from: number, to: number, pulses: number): number {
  for (let r = from; r < to; r++) {
    const isPulse = kind[r] === SampleKind.pulse;
    if (isPulse) pulses++;
    kind[r] = isPulse ? 1 : 0;
    pulse[r] = pulses;
  }
  return pulses;
}
