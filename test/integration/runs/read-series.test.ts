/**
 * Read series: on a simulated device in fast pace the engine takes paced loops of reads with one
 * device.readSeries call per slice. The samples must be bit for bit those of the one-at-a-time
 * path (an engine with `readSeries: false`), for every shape of read loop, every device model with
 * its noise on, any slice size, either sample writer, and random protocols; and pause, stop and
 * abort must act within one slice of samples inside a long read block.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { filamentaryPreset, idealPreset, intrinsicGradientPreset, type DevicePreset } from '../../../shared/device';
import type { SampleColumns } from '../../../shared/samples/columns';
import type { RunDetail } from '../../../electron/services/store';
import { validProtocol } from '../../unit/protocol/arbitraries';
import { harness, prepared, readsDoc, sim, until, type Harness } from './helpers';

const doc = (blocks: unknown[]) => ({ format: 'memristor-workbench/protocol', version: 1, name: 'series', blocks });

interface Outcome {
  run: RunDetail;
  samples: SampleColumns;
}

async function runOn(h: Harness, document: unknown, preset: DevicePreset, seed: number): Promise<Outcome> {
  const { runId } = h.engine.submit({ protocol: prepared(document), device: sim(seed, preset) });
  const run = await h.engine.whenDone(runId);
  return { run, samples: h.store.readSamples(runId) };
}

/** Bit for bit: every column, NaN and the sign of zero included. */
function expectIdentical(got: SampleColumns, want: SampleColumns): void {
  expect(got.length).toBe(want.length);
  for (const key of ['t', 'v', 'i', 'g', 'kind', 'block'] as const) {
    const a = got[key];
    const b = want[key];
    for (let k = 0; k < a.length; k++) {
      if (!Object.is(a[k], b[k])) throw new Error(`${key}[${k}]: ${a[k]} differs from ${b[k]}`);
    }
  }
}

function expectSameRun(got: Outcome, want: Outcome): void {
  expect(got.run.status).toBe(want.run.status);
  expect(got.run.exitReason).toBe(want.run.exitReason);
  expect(got.run.sampleCount).toBe(want.run.sampleCount);
  expect([got.run.initialG, got.run.finalG, got.run.minG, got.run.maxG]).toEqual([want.run.initialG, want.run.finalG, want.run.minG, want.run.maxG]);
  expectIdentical(got.samples, want.samples);
}

const SHAPES: unknown[][] = [
  [{ kind: 'read', count: 20_000, interval: '1 ms', integration: '1 ms' }],
  [{ kind: 'read', count: 5_000, interval: '3 ms', integration: '1 ms', voltage: '-50 mV' }],
  [{ kind: 'wait', duration: '600 s', readEvery: '0.7 s' }],
  [
    { kind: 'train', count: 20, amplitude: '2 V', width: '10 ms', period: '100 ms', read: true },
    { kind: 'wait', duration: '30 s', readEvery: '10 ms' },
    { kind: 'sweep', parameter: 'interval', values: ['2 ms', '7 ms'], body: [{ kind: 'read', count: 3_000 }] },
  ],
  [{ kind: 'repeat', times: 5, body: [{ kind: 'pulse', amplitude: '1.5 V', width: '5 ms' }, { kind: 'read', count: 700, interval: '1 ms' }, { kind: 'wait', duration: '2 s' }] }],
];

describe('read series', () => {
  it('give the one-at-a-time samples bit for bit: every read-loop shape, every model with noise on, any slice', async () => {
    const perOp = harness({ readSeries: false });
    // (The last writes on the main thread, as when the writer thread cannot start.)
    const series = [harness(), harness({ seriesSlice: 1 }), harness({ seriesSlice: 333 }), harness({ writerThread: false })];
    for (const [k, blocks] of SHAPES.entries()) {
      for (const preset of [intrinsicGradientPreset, filamentaryPreset, idealPreset]) {
        const want = await runOn(perOp, doc(blocks), preset, 100 + k);
        expect(want.run.status).toBe('completed');
        for (const h of series) expectSameRun(await runOn(h, doc(blocks), preset, 100 + k), want);
      }
    }
  });

  it('give the one-at-a-time samples bit for bit on random protocols', async () => {
    const perOp = harness({ readSeries: false });
    const series = harness({ seriesSlice: 3 });
    await fc.assert(
      fc.asyncProperty(
        validProtocol,
        fc.constantFrom<DevicePreset>(intrinsicGradientPreset, filamentaryPreset, idealPreset),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        async ({ document }, preset, seed) => {
          const want = await runOn(perOp, document, preset, seed);
          expectSameRun(await runOn(series, document, preset, seed), want);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('inside a long read block', () => {
  const n = 400_000;
  const slice = 1000;

  /** Starts a long fast read run and sends `action` from the first batch event; the progress then. */
  function actOnFirstBatch(h: Harness, action: 'pause' | 'stop' | 'abort'): { runId: string; doneAtRequest: () => number } {
    let doneAtRequest = -1;
    const { runId } = h.engine.submit({ protocol: prepared(readsDoc(n)), device: sim(5) });
    const off = h.bus.subscribe((name) => {
      if (name !== 'run.samples' || doneAtRequest >= 0) return;
      doneAtRequest = h.engine.active().running?.progress.done ?? -1;
      off();
      void h.engine.control(runId, action);
    });
    return { runId, doneAtRequest: () => doneAtRequest };
  }

  it('a pause acts within one slice of samples; resumed, the run gives the samples of an unpaused one', async () => {
    const h = harness({ seriesSlice: slice });
    const { runId, doneAtRequest } = actOnFirstBatch(h, 'pause');
    await until(() => h.engine.active().running?.status === 'paused', 10_000, 'the pause');
    const paused = h.engine.active().running!;
    expect(doneAtRequest()).toBeGreaterThan(0);
    expect(paused.progress.done).toBeLessThan(n);
    expect(paused.progress.done - doneAtRequest()).toBeLessThanOrEqual(slice);
    // Everything taken before the pause is committed, and nothing more is taken while paused.
    expect(h.store.runs.get(runId).sampleCount).toBe(paused.progress.done);
    expect((await h.engine.control(runId, 'resume')).status).toBe('running');
    const run = await h.engine.whenDone(runId);
    expect(run.status).toBe('completed');
    expect(run.events.map((e) => e.kind)).toEqual(['started', 'paused', 'resumed', 'completed']);

    const plain = harness({ seriesSlice: slice });
    const want = await runOn(plain, readsDoc(n), intrinsicGradientPreset, 5);
    expectIdentical(h.store.readSamples(runId), want.samples);
  });

  for (const action of ['stop', 'abort'] as const) {
    it(`${action} ends the run within one slice of samples, keeping them all`, async () => {
      const h = harness({ seriesSlice: slice });
      const { runId, doneAtRequest } = actOnFirstBatch(h, action);
      const run = await h.engine.whenDone(runId);
      expect(run.status).toBe(action === 'stop' ? 'stopped' : 'aborted');
      expect(doneAtRequest()).toBeGreaterThan(0);
      expect(run.sampleCount).toBeLessThan(n);
      expect(run.sampleCount - doneAtRequest()).toBeLessThanOrEqual(slice);
      const want = await runOn(harness({ readSeries: false }), readsDoc(run.sampleCount), intrinsicGradientPreset, 5);
      expectIdentical(h.store.readSamples(runId), want.samples);
    });
  }
});
