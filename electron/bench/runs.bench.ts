/**
 * Run engine benchmarks.
 *
 * runs.ingest — samples/s through the whole run engine: a fast simulated protocol of 1,000,000
 *   reads (a read block: the cheapest protocol there is) executed on the async Device interface —
 *   which, for a simulated device in fast pace, takes the block as read series, thousands of reads
 *   a call — with every sample committed to the store (on the store's writer thread, which a fast
 *   run writes through) and streamed at 25 Hz onto an EventBus (payloads validated as in the
 *   hosts), from submit to the run's end. Baseline, measured in the same run: the fastest raw
 *   better-sqlite3 write of the same samples (prepared INSERT of 4096-sample columnar chunks in one
 *   transaction, same schema and pragmas — see store.bench.ts), on this thread. Best of N
 *   interleaved repeats on each side. Target: ratio ≥ 0.8. The engine has to produce the samples
 *   as well, and the raw write does not: it can come near the raw write only by taking samples on
 *   one core while the writer thread writes the ones before on the other, so this figure needs a
 *   second core that is free (on a machine busy with other work it falls towards
 *   raw / (generate + write)). The WAL checkpoints are in both figures: the raw write's commit
 *   runs SQLite's automatic checkpoint (copy into the database file, sync the log and the file);
 *   the engine's run ends only once a third thread, which checkpoints each of the writer's commits
 *   while the writer goes on with the next, has checkpointed them all: what the engine gains there
 *   is disk waits overlapped with other work, not work left undone.
 *   A second figure, runs.ingest.floor, compares the engine with the least an engine on two cores
 *   could spend: the slower of the raw write and the simulated device alone taking the same reads
 *   (its readSeries, in the engine's slices, into columns: no store, no events). 1 means the
 *   engine adds nothing to that; below 1 is its own overhead, or a core it did not get.
 *   (Until the engine took read series and wrote on a thread, this floor was the one-at-a-time
 *   simulateProtocol plus the raw write, one after the other; the engine now beats that.)
 * runs.open — seconds from asking for a stored 1,000,000-sample run to holding the encoded wire
 *   frame: router.call('runs.samples') (input and output validated) + encodeMessage, as the web
 *   host does, a proxy for "open to drawn chart" (the browser's part is measured elsewhere).
 *   Baseline: store.readSamples alone. Median of 5.
 */
import { encodeMessage } from '../../shared/contract';
import { createSimulatedDevice, intrinsicGradientPreset } from '../../shared/device';
import { execute, stepReadRun } from '../../shared/protocol';
import type { SampleColumns } from '../../shared/samples/columns';
import { EventBus } from '../router';
import { openAppServices } from '../app/app-services';
import { silentLogger } from '../services/logs';
import { RunEngine, prepareProtocol, type PreparedProtocol } from '../services/runs';
import { CHUNK_SIZE, openStore } from '../services/store/index';
import { WriterThreads } from '../services/store/writer-thread';
import { makeSamples, timeRawIngest } from './store.bench';
import { freshDir } from './scratch';
import type { BenchContext, BenchFigure, Benchmark } from './types';
import { median } from './stats';

const FULL_SAMPLES = 1_000_000;


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
async function timeEngine(ctx: BenchContext, threads: WriterThreads, protocol: PreparedProtocol, n: number, keep: boolean): Promise<{ seconds: number; samples?: SampleColumns }> {
  const store = openStore(freshDir(ctx, 'runs-ingest'), { appVersion: 'bench' });
  try {
    const bus = new EventBus();
    let events = 0;
    bus.subscribe(() => (events += 1));
    // The writer threads outlive each engine, as they outlive each run in the app: started once.
    const engine = new RunEngine({ store, bus, logger: silentLogger, writerThreads: threads });
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

const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** The baseline: the fastest plain better-sqlite3 write of the same samples (store.bench.ts). */
const timeRaw = (ctx: BenchContext, data: SampleColumns): number => timeRawIngest(ctx, data);

const SLICE = 4096;

/**
 * Seconds for the simulated device alone to take the protocol's reads as the engine has it take
 * them: read series of SLICE reads at the interpreter's times, into columns; no store, no events.
 * The conductances must be the engine's (`engineG`), bit for bit: the same reads, not cheaper ones.
 */
async function timeGenerate(protocol: PreparedProtocol, n: number, engineG: Float64Array): Promise<number> {
  const device = createSimulatedDevice(intrinsicGradientPreset, { seed: 1, noise: true });
  const out = { t: new Float64Array(n), i: new Float64Array(n), g: new Float64Array(n), offset: 0 };
  const at = new Float64Array(SLICE);
  const read = new Uint8Array(SLICE).fill(1);
  const t0 = performance.now();
  const run = execute(protocol.program, { readRuns: true });
  for (let step = run.next(); !step.done; ) {
    const op = step.value;
    if (op.op !== 'reads') throw new Error(`runs.ingest.floor: expected a run of reads, got a ${op.op}`);
    const m = Math.min(op.count, SLICE);
    let points = 0;
    stepReadRun(op, m, (t, wait) => {
      if (wait > 0) throw new Error('runs.ingest.floor: the reads are paced back to back');
      at[points++] = t;
    });
    out.offset += await device.readSeries({ voltage: op.voltage, points, at, read, t0: 0, pausedFor: 0, epsilon: 1e-9 }, out);
    step = run.next({ reads: m });
  }
  const seconds = (performance.now() - t0) / 1000;
  if (out.offset !== n) throw new Error(`runs.ingest.floor: took ${out.offset} of ${n} reads`);
  if (Buffer.compare(bytes(out.g), bytes(engineG)) !== 0) throw new Error("runs.ingest.floor: the device alone did not give the engine's samples");
  return seconds;
}

async function ingestFigures(ctx: BenchContext, threads: WriterThreads): Promise<BenchFigure[]> {
  const n = Math.max(CHUNK_SIZE * 2, Math.round(FULL_SAMPLES * ctx.scale));
  const protocol = readsProtocol(n);
  const repeats = ctx.scale >= 0.5 ? 5 : 3;
  const warm = await timeEngine(ctx, threads, readsProtocol(Math.min(n, 50_000)), Math.min(n, 50_000), true);
  timeRaw(ctx, warm.samples as SampleColumns);
  const first = await timeEngine(ctx, threads, protocol, n, true);
  const data = first.samples as SampleColumns;
  const engine: number[] = [first.seconds];
  const raw: number[] = [];
  const gen: number[] = [];
  for (let r = 0; r < repeats; r++) {
    if (r % 2 === 0) {
      raw.push(timeRaw(ctx, data));
      if (r > 0) engine.push((await timeEngine(ctx, threads, protocol, n, false)).seconds);
    } else {
      engine.push((await timeEngine(ctx, threads, protocol, n, false)).seconds);
      raw.push(timeRaw(ctx, data));
    }
    gen.push(await timeGenerate(protocol, n, data.g));
  }
  const engineBest = Math.min(...engine);
  const rawBest = Math.min(...raw);
  const floor = Math.max(Math.min(...gen), rawBest);
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
      title: 'The same run against the least an engine on two cores could spend: the slower of the raw write and the simulated device alone taking the reads (higher is better; 1 = no engine overhead)',
      value: n / engineBest,
      unit: 'samples/s',
      baseline: { title: 'max(raw chunked write, device.readSeries of the same reads in 4096-read slices, no store)', value: n / floor, unit: 'samples/s' },
      ratio: floor / engineBest,
    },
  ] satisfies BenchFigure[];
}

const ingest: Benchmark = {
  id: 'runs.ingest',
  title: 'Run engine ingest: a fast simulated 1,000,000-read protocol through the engine into the store vs a raw chunked write of the same samples',
  async run(ctx) {
    const threads = new WriterThreads();
    try {
      return await ingestFigures(ctx, threads);
    } finally {
      await threads.close();
    }
  },
};

const open: Benchmark = {
  id: 'runs.open',
  title: "Run open: 'runs.samples' of a stored 1,000,000-sample run through the router, wire-encoded",
  async run(ctx) {
    const n = Math.max(CHUNK_SIZE * 2, Math.round(FULL_SAMPLES * ctx.scale));
    const services = openAppServices({ dataDir: freshDir(ctx, 'runs-open'), hostKind: 'cli' });
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


export const runBenchmarks: Benchmark[] = [ingest, open];
