/**
 * Runs as one Parquet file for analysis tools (DuckDB, pandas, polars): the tidy CSV's columns
 * (export-csv.ts TIDY_COLUMNS) preceded by the run and the device each sample belongs to, so one
 * file holds one run or a whole selection (a device's runs). Values are the doubles the store
 * holds, unrounded (Parquet keeps binary doubles; the CSV's exact decimals are for text); a value
 * the store holds as NaN (a current not measured) is NULL. The key-value metadata carries the
 * format, the column units (`units`: {"t_s": "s", …}), each column's description (`columns`) and
 * the runs' provenance (`runs`). Written by DuckDB (snappy, its default compression) into a hidden file next to the target and
 * renamed when complete, so a failed export leaves no partial file; an existing file is refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { DuckDBDataChunk, DuckDBInstance, type DuckDBAppender, type DuckDBVector } from '@duckdb/node-api';
import type { Store } from '../store';
import { replayProtocol } from '../../../shared/protocol';
import { SampleKind } from '../../../shared/samples/columns';
import { TIDY_COLUMNS, type TidyColumn } from './export-csv';
import { runProvenance } from './export-provenance';
import { ServiceError } from '../errors';

export const PARQUET_FORMAT = 'memristor-workbench/samples-parquet';

export const PARQUET_COLUMNS: readonly TidyColumn[] = [
  { name: 'run_id', unit: '', type: 'string', description: 'the run the sample belongs to (its UUID)' },
  { name: 'device_id', unit: '', type: 'string', description: 'the device (lab_devices) the run was on (its UUID)' },
  ...TIDY_COLUMNS.map((c) =>
    c.name === 't_s' ? { ...c, description: 'time of the sample since the run started, pauses included; the double the store holds' } : c.name === 'v_V' ? { ...c, description: 'applied voltage: the pulse amplitude on a pulse row, the read voltage on a read row' } : c,
  ),
];

/**
 * The samples go into an in-memory staging table of numbers only (typed-array values written
 * straight into DuckDB's vectors); the words — run and device ids, 'read'/'pulse' — are made by
 * the COPY's projection, natively, which keeps the export near the speed of reading the samples.
 */
const STAGING = 'run_idx INTEGER, t_s DOUBLE, v_V DOUBLE, i_A DOUBLE, g_S DOUBLE, kind UTINYINT, width_s DOUBLE, pulse INTEGER, cycle INTEGER, block INTEGER, compliance UTINYINT';

/** Rows per data chunk: DuckDB's vector size, the most a chunk holds. */
const CHUNK_ROWS = 2048;

export interface ParquetExport {
  file: string;
  runs: number;
  samples: number;
}

/** Writes the runs (ids, in order) to a new Parquet file `out`. */
export async function exportRunsParquet(store: Store, runIds: readonly string[], out: string): Promise<ParquetExport> {
  if (runIds.length === 0) throw new ServiceError('invalid_request', 'there are no runs to export (the device has none)');
  const target = path.resolve(out);
  if (fs.existsSync(target)) throw new ServiceError('invalid_request', `${target} already exists; choose another --out`);
  const onDevice = store.labFiles.devicesOfRuns(runIds);
  const runs = onDevice.map((r) => store.runs.get(r.runId));
  const partial = path.join(path.dirname(target), `.${path.basename(target)}.${randomUUID().slice(0, 8)}.partial`);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  let samples = 0;
  try {
    await connection.run(`CREATE TABLE samples (${STAGING})`);
    const appender = await connection.createAppender('samples');
    try {
      for (let k = 0; k < runs.length; k++) samples += appendRun(appender, store, k, runs[k]!.id, runs[k]!.protocol);
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    const meta: Record<string, string> = {
      format: PARQUET_FORMAT,
      version: '1',
      units: JSON.stringify(Object.fromEntries(PARQUET_COLUMNS.map((c) => [c.name, c.unit]))),
      columns: JSON.stringify(PARQUET_COLUMNS),
      kinds: JSON.stringify(['read', 'pulse']),
      runs: JSON.stringify(runs.map((r, k) => ({ ...runProvenance(r), deviceId: onDevice[k]!.deviceId }))),
    };
    const kv = Object.entries(meta)
      .map(([k, v]) => `${k}: ${sqlString(v)}`)
      .join(', ');
    const list = (xs: readonly string[]) => `[${xs.map(sqlString).join(', ')}]`;
    const select = `SELECT list_extract(${list(runs.map((r) => r.id))}, run_idx + 1) AS run_id, list_extract(${list(onDevice.map((r) => r.deviceId))}, run_idx + 1) AS device_id,
      ${['t_s', 'v_V', 'i_A', 'g_S'].map(nanAsNull).join(', ')}, CASE kind WHEN 1 THEN 'pulse' ELSE 'read' END AS kind, ${nanAsNull('width_s')},
      CAST(pulse AS BIGINT) AS pulse, cycle, block, CAST(compliance AS INTEGER) AS compliance FROM samples`;
    await connection.run(`COPY (${select}) TO ${sqlString(partial)} (FORMAT parquet, KV_METADATA {${kv}})`);
    fs.linkSync(partial, target); // fails if the target appeared meanwhile: never overwrites
  } catch (e) {
    if (e instanceof ServiceError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new ServiceError('invalid_request', `${target} already exists; choose another --out`);
    throw new ServiceError('internal', `cannot write ${target}: ${(e as Error).message}`, undefined, { cause: e });
  } finally {
    fs.rmSync(partial, { force: true });
    connection.closeSync();
    instance.closeSync();
  }
  return { file: target, runs: runs.length, samples };
}

/** Staged as NaN (so no vector needs a validity mask, the slow path of the client), written as NULL. */
const nanAsNull = (column: string) => `CASE WHEN isnan(${column}) THEN NULL ELSE ${column} END AS ${column}`;

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Appends one run's samples in chunks, each value written straight into its column's vector; returns how many. */
function appendRun(appender: DuckDBAppender, store: Store, runIdx: number, runId: string, protocol: unknown): number {
  const c = store.readSamples(runId);
  const replay = replayProtocol(protocol, c);
  const types = Array.from({ length: appender.columnCount }, (_, k) => appender.columnType(k));
  let pulses = 0;
  for (let start = 0; start < c.length; start += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, c.length - start);
    const chunk = DuckDBDataChunk.create(types, n);
    const vectors = Array.from({ length: types.length }, (_, k) => chunk.getColumnVector(k) as DuckDBVector<number | null>);
    const [run, t, v, i, g, kind, width, pulse, cycle, block, compliance] = vectors as [DuckDBVector<number | null>, ...DuckDBVector<number | null>[]];
    for (let r = 0; r < n; r++) {
      const k = start + r;
      const isPulse = c.kind[k] === SampleKind.pulse;
      if (isPulse) pulses++;
      run.setItem(r, runIdx);
      t!.setItem(r, c.t[k]!);
      v!.setItem(r, c.v[k]!);
      i!.setItem(r, c.i[k]!);
      g!.setItem(r, c.g[k]!);
      kind!.setItem(r, isPulse ? 1 : 0);
      width!.setItem(r, isPulse ? replay.width[k]! : Number.NaN);
      pulse!.setItem(r, pulses);
      cycle!.setItem(r, replay.cycle[k]!);
      block!.setItem(r, c.block[k]!);
      compliance!.setItem(r, c.compliance[k]!);
    }
    for (const vec of vectors) vec.flush();
    appender.appendDataChunk(chunk);
  }
  return c.length;
}
