/**
 * Runs as one Parquet file for analysis tools (DuckDB, pandas, polars): the tidy CSV's columns
 * (export-csv.ts TIDY_COLUMNS) preceded by the run and the device each sample belongs to, so one
 * file holds one run or a whole selection (a device's runs). Values are the doubles the store
 * holds, unrounded (Parquet keeps binary doubles; the CSV's exact decimals are for text); a value
 * the store holds as NaN (a current not measured) is NULL. The key-value metadata carries the
 * format, the column units (`units`: {"t_s": "s", …}), each column's description (`columns`) and
 * the runs' provenance (`runs`). Written by DuckDB into a hidden file next to the target and
 * renamed when complete, so a failed export leaves no partial file; an existing file is refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { DuckDBDataChunk, DuckDBInstance, type DuckDBAppender, type DuckDBValue } from '@duckdb/node-api';
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

const SQL_TYPES: Readonly<Record<string, string>> = { run_id: 'VARCHAR', device_id: 'VARCHAR', kind: 'VARCHAR', pulse: 'BIGINT', cycle: 'INTEGER', block: 'INTEGER' };
const sqlType = (c: TidyColumn) => SQL_TYPES[c.name] ?? 'DOUBLE';

/** Rows per data chunk: DuckDB's vector size, the most a chunk holds. */
const CHUNK_ROWS = 2048;

export interface ParquetExport {
  file: string;
  runs: number;
  samples: number;
}

const num = (x: number): number | null => (Number.isFinite(x) ? x : null);

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
    await connection.run(`CREATE TABLE samples (${PARQUET_COLUMNS.map((c) => `"${c.name}" ${sqlType(c)}`).join(', ')})`);
    const appender = await connection.createAppender('samples');
    try {
      for (let k = 0; k < runs.length; k++) samples += appendRun(appender, store, runs[k]!.id, onDevice[k]!.deviceId, runs[k]!.protocol);
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
    await connection.run(`COPY samples TO ${sqlString(partial)} (FORMAT parquet, COMPRESSION zstd, KV_METADATA {${kv}})`);
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

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Appends one run's samples in chunks; returns how many. */
function appendRun(appender: DuckDBAppender, store: Store, runId: string, deviceId: string, protocol: unknown): number {
  const c = store.readSamples(runId);
  const replay = replayProtocol(protocol, c);
  const types = PARQUET_COLUMNS.map((_, k) => appender.columnType(k));
  let pulses = 0;
  for (let start = 0; start < c.length; start += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, c.length - start);
    const cols: DuckDBValue[][] = PARQUET_COLUMNS.map(() => new Array<DuckDBValue>(n));
    const [run, device, t, v, i, g, kind, width, pulse, cycle, block] = cols as [DuckDBValue[], ...DuckDBValue[][]];
    for (let r = 0; r < n; r++) {
      const k = start + r;
      const isPulse = c.kind[k] === SampleKind.pulse;
      if (isPulse) pulses++;
      run[r] = runId;
      device![r] = deviceId;
      t![r] = num(c.t[k]!);
      v![r] = num(c.v[k]!);
      i![r] = num(c.i[k]!);
      g![r] = num(c.g[k]!);
      kind![r] = isPulse ? 'pulse' : 'read';
      width![r] = isPulse ? num(replay.width[k]!) : null;
      pulse![r] = BigInt(pulses);
      cycle![r] = replay.cycle[k]!;
      block![r] = c.block[k]!;
    }
    const chunk = DuckDBDataChunk.create(types, n);
    chunk.setColumns(cols);
    appender.appendDataChunk(chunk);
  }
  return c.length;
}
