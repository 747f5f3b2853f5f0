/**
 * File benchmarks (#14).
 *
 * files.parquet — seconds to export 1,000,000 stored samples of one run to a Parquet file
 *   (ParquetExporter.write: the samples read from the store a row group at a time, the protocol
 *   replayed, encoded and written by the workbench's own writer, files/parquet), against the raw
 *   sample read: the SELECT of the same run's chunk BLOBs through a read-only connection, as
 *   store.read's baseline. The two alternate, after a warm-up round of each, median of 5 on each
 *   side; ratio = raw read time / export time (higher is better). Target: ratio ≥ 0.3 (reported).
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { openStore, CHUNK_SIZE } from '../services/store/index';
import { ParquetExporter } from '../services/runs/export-parquet';
import { makeSamples } from './store.bench';
import { freshDir } from './scratch';
import { median } from './stats';
import type { Benchmark } from './types';

const FULL_SAMPLES = 1_000_000;
/** Measured repeats on each side: the export's time varies with the disk cache and the machine's load. */
const REPEATS = 5;

const parquetExport: Benchmark = {
  id: 'files.parquet',
  title: 'Parquet export of 1,000,000 samples against the raw sample read',
  async run(ctx) {
    const n = Math.max(CHUNK_SIZE * 2, Math.round(FULL_SAMPLES * ctx.scale));
    const dir = freshDir(ctx, 'files-parquet');
    const store = openStore(dir, { appVersion: 'bench' });
    let rawDb: Database.Database | undefined;
    try {
      const runId = store.runs.create({ experimentName: 'bench', name: 'parquet', status: 'running', device: { kind: 'simulated' } }).id;
      const writer = store.openWriter(runId);
      writer.append(makeSamples(n));
      writer.close();
      store.runs.setStatus(runId, 'completed');
      rawDb = new Database(store.file, { readonly: true, fileMustExist: true });
      // One exporter for every round, as the app keeps one (its row-group memory reused).
      const exporter = new ParquetExporter(store);
      const rawSelect = rawDb.prepare('SELECT t, v, i, g, kind, block FROM sample_chunks WHERE run_id = ? ORDER BY seq').raw(true);
      const times: number[] = [];
      const rawTimes: number[] = [];
      // Round 0 warms both sides up (the writer's code compiled, the run's pages cached) and is not counted.
      for (let r = 0; r <= REPEATS; r++) {
        let t0 = performance.now();
        const out = await exporter.write([runId], path.join(dir, `run-${r}.parquet`));
        const exportTime = (performance.now() - t0) / 1000;
        if (out.samples !== n) throw new Error('files.parquet: wrong sample count');
        t0 = performance.now();
        rawSelect.all(runId);
        const rawTime = (performance.now() - t0) / 1000;
        if (r === 0) continue;
        times.push(exportTime);
        rawTimes.push(rawTime);
      }
      const value = median(times);
      const base = median(rawTimes);
      const ratio = base / value;
      return [
        {
          id: 'files.parquet',
          title: `Seconds to export ${n.toLocaleString('en')} samples of one run to Parquet (median of ${REPEATS}); ratio = raw read time / export time (higher is better)`,
          value,
          unit: 's',
          baseline: { title: 'raw SELECT of the same chunk BLOBs', value: base, unit: 's' },
          ratio,
          target: { description: 'ratio ≥ 0.3', met: ratio >= 0.3 },
        },
      ];
    } finally {
      rawDb?.close();
      store.close();
    }
  },
};

export const fileBenchmarks: readonly Benchmark[] = [parquetExport];
