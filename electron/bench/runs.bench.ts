/**
 * Run engine benchmarks.
 *
 * runs.ingest — samples/s through the whole run engine: a fast simulated protocol of 1,000,000
 *   reads (a read block, one interpreter operation per sample: the cheapest protocol there is)
 *   executed on the async Device interface, batched at 25 Hz into the store's SampleWriter and
 *   onto an EventBus (payloads validated as in the hosts), from submit to the run's end. Baseline,
 *   measured in the same run: the fastest raw better-sqlite3 write of the same samples (prepared
 *   INSERT of 4096-sample columnar chunks in one transaction, same schema and pragmas — see
 *   store.bench.ts). Best of N interleaved repeats on each side. Target: ratio ≥ 0.8.
 *   The engine also has to produce the samples, and the raw write does not: a second figure,
 *   runs.ingest.floor, compares the engine with the least any engine on this interpreter could
 *   spend — the synchronous simulateProtocol of the same program on the same model plus the same
 *   raw write — so the engine's own overhead is visible apart from the interpreter's cost.
 * runs.open — seconds from asking for a stored 1,000,000-sample run to holding the encoded wire
 *   frame: router.call('runs.samples') (input and output validated) + encodeMessage, as the web
 *   host does, a proxy for "open to drawn chart" (the browser's part is measured elsewhere).
 *   Baseline: store.readSamples alone. Median of 5.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { encodeMessage } from '../../shared/contract';
import { createDevice, intrinsicGradientPreset } from '../../shared/device';
import { simulateProtocol } from '../../shared/protocol';
import type { SampleColumns } from '../../shared/samples/columns';
import { EventBus } from '../router';
import { openAppServices } from '../services/app-services';
import { RunEngine, prepareProtocol, type PreparedProtocol } from '../services/runs';
import { CHUNK_SIZE, openStore } from '../services/store/index';
import { APPLICATION_ID, NEW_DATABASE_PAGE_SIZE } from '../services/store/identity';
import { migrations } from '../services/store/migrations/index';
import { makeSamples } from './store.bench';
import type { BenchContext, BenchFigure, Benchmark } from './types';

const FULL_SAMPLES = 1_000_000;

let fresh = 0;
function freshDir(ctx: BenchContext, label: string): string {
  const dir = path.join(ctx.tmpDir, `runs-${label}-${process.pid}-${fresh++}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function readsProtocol(n: number): PreparedProtocol {
  const prepared = prepareProtocol({
    format: 'memristor-workbench/protocol',
    version: 1,
    name: `${n} reads`,
    blocks: [{ kind: 'read', count: n, interval: '1 ms', integration: '1 ms' }],
  });
  if (!prepared.ok) throw new Error(`runs bench: the protocol does not compile: ${prepared.problems[0]?.message}`);
  return prepared.protocol;
}

/** Seconds for the engine to run the protocol into a fresh store; returns the samples for the raw side. */
async function timeEngine(ctx: BenchContext, protocol: PreparedProtocol, n: number, keep: boolean): Promise<{ seconds: number; samples?: SampleColumns }> {
  const store = openStore(freshDir(ctx, 'ingest'), { appVersion: 'bench' });
  try {
    const bus = new EventBus();
    let events = 0;
    bus.subscribe(() => (events += 1));
    const engine = new RunEngine({ store, bus });
    const t0 = performance.now();
    const { runId } = engine.submit({ protocol, device: { kind: 'simulated', preset: intrinsicGradientPreset, seed: 1, noise: true }, pace: 'fast', experimentName: 'bench' });
    const run = await engine.whenDone(runId);
    const seconds = (performance.now() - t0) / 1000;
    if (run.status !== 'completed' || run.sampleCount !== n) throw new Error(`runs.ingest: the run ended ${run.status} with ${run.sampleCount} of ${n} samples`);
    if (events > 2 + 40 * seconds + 10) throw new Error(`runs.ingest: ${events} events in ${seconds.toFixed(2)} s is not batched`);
    return keep ? { seconds, samples: store.readSamples(runId) } : { seconds };
  } finally {
    store.close();
  }
}

const bytes = (a: Float64Array | Uint8Array | Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Seconds for the fastest plain better-sqlite3 write of `data`: 4096-sample chunks, one transaction. */
function timeRaw(ctx: BenchContext, data: SampleColumns): number {
  const db = new Database(path.join(freshDir(ctx, 'raw'), 'raw.sqlite'));
  try {
    db.pragma(`page_size = ${NEW_DATABASE_PAGE_SIZE}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    for (const m of migrations) db.exec(m.sql);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    const id = '00000000-0000-4000-8000-000000000000';
    const now = new Date().toISOString();
    db.prepare(`INSERT INTO experiments (id, name, created_at, updated_at) VALUES (?, 'bench', ?, ?)`).run(id, now, now);
    db.prepare(`INSERT INTO runs (id, experiment_id, name, status, app_version, host, created_at, updated_at) VALUES (?, ?, 'raw', 'running', 'bench', 'bench', ?, ?)`).run(id, id, now, now);
    const insert = db.prepare('INSERT INTO sample_chunks (run_id, seq, start, n, t, v, i, g, kind, block) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const t0 = performance.now();
    db.transaction(() => {
      let seq = 0;
      for (let k = 0; k < data.length; k += CHUNK_SIZE) {
        const e = Math.min(data.length, k + CHUNK_SIZE);
        insert.run(id, seq++, k, e - k, bytes(data.t.subarray(k, e)), bytes(data.v.subarray(k, e)), bytes(data.i.subarray(k, e)), bytes(data.g.subarray(k, e)), bytes(data.kind.subarray(k, e)), bytes(data.block.subarray(k, e)));
      }
    })();
    return (performance.now() - t0) / 1000;
  } finally {
    db.close();
  }
}

/** Seconds for the synchronous interpreter on the model alone (no store, no events). */
function timeSimulate(protocol: PreparedProtocol): number {
  const model = createDevice(intrinsicGradientPreset, { seed: 1, noise: true });
  const t0 = performance.now();
  simulateProtocol(protocol.program, model);
  return (performance.now() - t0) / 1000;
}

const ingest: Benchmark = {
  id: 'runs.ingest',
  title: 'Run engine ingest: a fast simulated 1,000,000-read protocol through the engine into the store vs a raw chunked write of the same samples',
  async run(ctx) {
    const n = Math.max(CHUNK_SIZE * 2, Math.round(FULL_SAMPLES * ctx.scale));
    const protocol = readsProtocol(n);
    const repeats = ctx.scale >= 0.5 ? 5 : 3;
    const warm = await timeEngine(ctx, readsProtocol(Math.min(n, 50_000)), Math.min(n, 50_000), true);
    timeRaw(ctx, warm.samples as SampleColumns);
    const first = await timeEngine(ctx, protocol, n, true);
    const data = first.samples as SampleColumns;
    const engine: number[] = [first.seconds];
    const raw: number[] = [];
    const sim: number[] = [];
    for (let r = 0; r < repeats; r++) {
      if (r % 2 === 0) {
        raw.push(timeRaw(ctx, data));
        if (r > 0) engine.push((await timeEngine(ctx, protocol, n, false)).seconds);
      } else {
        engine.push((await timeEngine(ctx, protocol, n, false)).seconds);
        raw.push(timeRaw(ctx, data));
      }
      sim.push(timeSimulate(protocol));
    }
    const engineBest = Math.min(...engine);
    const rawBest = Math.min(...raw);
    const floor = Math.min(...sim) + rawBest;
    const ratio = rawBest / engineBest;
    return [
      {
        id: 'runs.ingest',
        title: `Samples/s from submit to end of a fast simulated run of ${n.toLocaleString('en')} reads (engine + store + events, best of ${engine.length}); ratio to the raw write (higher is better)`,
        value: n / engineBest,
        unit: 'samples/s',
        baseline: { title: 'raw better-sqlite3: prepared INSERT of 4096-sample chunks of the same samples, one transaction', value: n / rawBest, unit: 'samples/s' },
        ratio,
        target: { description: 'ratio ≥ 0.8', met: ratio >= 0.8 },
      },
      {
        id: 'runs.ingest.floor',
        title: 'The same run against the least any engine on this interpreter could spend: synchronous simulateProtocol of the same program + the raw write (higher is better; 1 = no engine overhead)',
        value: n / engineBest,
        unit: 'samples/s',
        baseline: { title: 'simulateProtocol (shared/protocol, synchronous, no store) + raw chunked write', value: n / floor, unit: 'samples/s' },
        ratio: floor / engineBest,
      },
    ] satisfies BenchFigure[];
  },
};

const open: Benchmark = {
  id: 'runs.open',
  title: "Run open: 'runs.samples' of a stored 1,000,000-sample run through the router, wire-encoded",
  async run(ctx) {
    const n = Math.max(CHUNK_SIZE * 2, Math.round(FULL_SAMPLES * ctx.scale));
    const services = openAppServices({ dataDir: freshDir(ctx, 'open'), hostKind: 'cli', log: () => undefined });
    try {
      const { store, router } = services;
      const runId = store.runs.create({ experimentName: 'bench', name: 'open', status: 'running', device: { kind: 'simulated' } }).id;
      const writer = store.openWriter(runId);
      writer.append(makeSamples(n));
      writer.close();
      store.runs.setStatus(runId, 'completed');
      const times: number[] = [];
      const readTimes: number[] = [];
      let frameBytes = 0;
      for (let r = 0; r < 6; r++) {
        let t0 = performance.now();
        const result = await router.call('runs.samples', { id: runId });
        if (!result.ok) throw new Error(`runs.open: ${result.error.message}`);
        const frame = encodeMessage({ type: 'response', id: 1, result });
        const dt = (performance.now() - t0) / 1000;
        frameBytes = typeof frame === 'string' ? frame.length : frame.byteLength;
        t0 = performance.now();
        const cols = store.readSamples(runId);
        const rt = (performance.now() - t0) / 1000;
        if (cols.length !== n) throw new Error('runs.open: wrong sample count');
        if (r === 0) continue; // warm-up
        times.push(dt);
        readTimes.push(rt);
      }
      const value = median(times);
      const base = median(readTimes);
      return [
        {
          id: 'runs.open',
          title: `Seconds from router.call('runs.samples') to an encoded ${(frameBytes / 1e6).toFixed(1)} MB wire frame for ${n.toLocaleString('en')} samples (median of 5); ratio = readSamples time / this (higher is better)`,
          value,
          unit: 's',
          baseline: { title: 'store.readSamples of the same run, alone', value: base, unit: 's' },
          ratio: base / value,
        },
      ];
    } finally {
      await services.close();
    }
  },
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

export const runBenchmarks: Benchmark[] = [ingest, open];
