/**
 * Lab archive benchmark (#16).
 *
 * lab.publish — samples/s through `publish` for one ended run of 1,000,000 samples (read from
 *   workbench.sqlite, hashed, sent by COPY with its run row in one transaction, committed),
 *   against a raw COPY of the same rows into the same table (the COPY text built beforehand, not
 *   timed; then streamed and committed). Each repeat on a fresh database of one throwaway cluster;
 *   best of 3 interleaved repeats on each side. Target: ratio ≥ 0.5.
 *
 * The PostgreSQL: WORKBENCH_BENCH_PG_URL (a server where the bench may create and drop databases),
 * else a throwaway cluster started from the PostgreSQL binaries (electron/bench/pg-cluster.ts);
 * with neither, the benchmark is skipped, saying why on stderr.
 */
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { openStore } from '../services/store/index';
import { labConfigFromUrl } from '../services/lab/config';
import { applyLabMigrations } from '../services/lab/migrate';
import { publishToLab } from '../services/lab/publish';
import { copyRows } from '../services/lab/samples-copy';
import { freeLoopbackPort, pgUnavailableReason, startPgCluster, type PgCluster } from './pg-cluster';
import { freshDir } from './scratch';
import { makeSamples } from './store.bench';
import type { BenchContext, BenchFigure, Benchmark } from './types';

const FULL_SAMPLES = 1_000_000;
const REPEATS = 3;

interface Server {
  /** A fresh, empty database; its URL. */
  database(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function server(id: string): Promise<Server | null> {
  const given = process.env.WORKBENCH_BENCH_PG_URL;
  if (given) {
    const admin = async (sql: string) => {
      const c = new pg.Client({ connectionString: given });
      await c.connect();
      try {
        await c.query(sql);
      } finally {
        await c.end();
      }
    };
    return {
      async database(name) {
        await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin(`CREATE DATABASE ${name}`);
        const u = new URL(given);
        u.pathname = `/${name}`;
        return u.toString();
      },
      close: async () => undefined,
    };
  }
  const reason = pgUnavailableReason();
  if (reason !== null) {
    process.stderr.write(`${id} skipped: no PostgreSQL (${reason}; or set WORKBENCH_BENCH_PG_URL)\n`);
    return null;
  }
  let cluster: PgCluster;
  try {
    cluster = await startPgCluster({ port: await freeLoopbackPort() });
  } catch (e) {
    process.stderr.write(`${id} skipped: the throwaway PostgreSQL cluster did not start: ${(e as Error).message}\n`);
    return null;
  }
  return { database: (name) => cluster.createDatabase(name), close: () => cluster.destroy() };
}

async function timePublish(ctx: BenchContext, url: string, dataDir: string, n: number): Promise<number> {
  const store = openStore(dataDir, { appVersion: 'bench' });
  try {
    const t0 = performance.now();
    const report = await publishToLab({ store, config: labConfigFromUrl(url, 'env'), kinds: ['run'], pcName: 'bench', userName: 'bench' });
    const dt = (performance.now() - t0) / 1000;
    if (report.published.length !== 1 || report.stopped) throw new Error(`lab.publish: the publish did not complete (${report.stopped ?? 'nothing published'})`);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const rows = await c.query<{ n: string }>('SELECT count(*) AS n FROM lab_samples');
    await c.end();
    if (Number(rows.rows[0]!.n) !== n) throw new Error('lab.publish: sample count mismatch');
    return dt;
  } finally {
    store.close();
  }
}

async function timeRawCopy(url: string, runId: string, text: Buffer[], n: number): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await applyLabMigrations(c);
    await c.query("INSERT INTO lab_pcs (pc_id, name, user_name) VALUES ('00000000-0000-4000-8000-000000000001', 'bench', 'bench')");
    await c.query(
      `INSERT INTO lab_runs (run_id, pc_id, pc_name, user_name, experiment_name, name, status, created_at, sample_count, samples_hash, content_hash, detail)
       VALUES ($1, '00000000-0000-4000-8000-000000000001', 'bench', 'bench', 'bench', 'raw', 'completed', now(), $2, '', '', '{}')`,
      [runId, n],
    );
    const t0 = performance.now();
    await c.query('BEGIN');
    await pipeline(Readable.from(text), c.query(copyFrom('COPY lab_samples (run_id, idx, t, v, i, g, kind, block, compliance) FROM STDIN')));
    await c.query('COMMIT');
    return (performance.now() - t0) / 1000;
  } finally {
    await c.end();
  }
}

const publish: Benchmark = {
  id: 'lab.publish',
  title: 'Lab publish of a 1,000,000-sample run vs a raw COPY of the same rows',
  async run(ctx: BenchContext): Promise<BenchFigure[]> {
    const srv = await server('lab.publish');
    if (srv === null) return [];
    try {
      const n = Math.max(1000, Math.round(FULL_SAMPLES * ctx.scale));
      const data = makeSamples(n);
      // One data folder per repeat (each ledger starts with the run pending), written before timing.
      const folders: { dir: string; runId: string }[] = [];
      for (let k = 0; k < REPEATS; k++) {
        const dir = freshDir(ctx, 'lab-publish');
        const store = openStore(dir, { appVersion: 'bench' });
        const run = store.runs.create({ experimentName: 'bench', name: 'publish', status: 'running', device: { kind: 'simulated' } });
        const w = store.openWriter(run.id);
        w.append(data);
        w.close();
        store.runs.setStatus(run.id, 'completed');
        store.close();
        folders.push({ dir: path.resolve(dir), runId: run.id });
      }
      const rawText: Buffer[] = [];
      for await (const piece of copyRows(folders[0]!.runId, data)) rawText.push(Buffer.from(piece as string));
      const ours: number[] = [];
      const raw: number[] = [];
      for (let k = 0; k < REPEATS; k++) {
        raw.push(await timeRawCopy(await srv.database(`bench_raw_${k}`), folders[0]!.runId, rawText, n));
        ours.push(await timePublish(ctx, await srv.database(`bench_pub_${k}`), folders[k]!.dir, n));
      }
      const best = Math.min(...ours);
      const bestRaw = Math.min(...raw);
      const ratio = bestRaw / best;
      return [
        {
          id: 'lab.publish',
          title: `publish throughput of a ${n.toLocaleString('en')}-sample run (read, hash, COPY, one transaction)`,
          value: n / best,
          unit: 'samples/s',
          baseline: { title: 'raw COPY of the same rows, text prepared beforehand', value: n / bestRaw, unit: 'samples/s' },
          ratio,
          target: { description: 'ratio ≥ 0.5', met: ratio >= 0.5 },
        },
      ];
    } finally {
      await srv.close();
    }
  },
};

export const labBenchmarks: readonly Benchmark[] = [publish];
