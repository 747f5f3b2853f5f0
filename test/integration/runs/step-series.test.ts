/**
 * Step series: on a simulated device in fast pace the engine takes each I–V sweep's staircase with
 * one device.stepSeries call per slice. The samples — and the run's summary, and whether each step
 * was in compliance — must be bit for bit those of the one-step-at-a-time path (an engine with
 * `stepSeries: false`), for every shape of sweep, every device model with its noise on, any slice,
 * and random protocols and seeds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bipolarOxidePreset, builtInPresets, type DevicePreset } from '../../../shared/device';
import type { SampleColumns } from '../../../shared/samples/columns';
import type { RunDetail } from '../../../electron/services/store';
import { enduranceProtocol } from '../../../electron/bench/analysis.bench';
import { validProtocol } from '../../unit/protocol/arbitraries';
import { analysisOptions, analyzeSwitching } from '../../../shared/analysis';
import { analyzeRun } from '../../../electron/services/runs';
import { harness, prepared, sim, type Harness } from './helpers';

const doc = (blocks: unknown[]) => ({ format: 'memristor-workbench/protocol', version: 1, name: 'steps', limits: { maxVoltage: '4 V' }, blocks });

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
function expectSameRun(got: Outcome, want: Outcome): void {
  expect(got.run.status).toBe(want.run.status);
  expect(got.run.exitReason).toBe(want.run.exitReason);
  expect(got.run.sampleCount).toBe(want.run.sampleCount);
  expect([got.run.initialG, got.run.finalG, got.run.minG, got.run.maxG]).toEqual([want.run.initialG, want.run.finalG, want.run.minG, want.run.maxG]);
  expect(got.samples.length).toBe(want.samples.length);
  for (const key of ['t', 'v', 'i', 'g', 'kind', 'block', 'compliance'] as const) {
    const a = got.samples[key];
    const b = want.samples[key];
    for (let k = 0; k < a.length; k++) {
      if (!Object.is(a[k], b[k])) throw new Error(`${key}[${k}]: ${a[k]} differs from ${b[k]}`);
    }
  }
}

const SHAPES: unknown[][] = [
  [{ kind: 'iv-sweep', points: ['0 V', '1.5 V', '0 V', '-1.5 V', '-15 mV'], step: '15 mV', dwell: '1 ms', cycles: 5, compliance: '1 mA' }],
  [{ kind: 'iv-sweep', points: ['10 mV', '2 V', '10 mV'], spacing: 'log', pointsPerDecade: 20, floor: '10 mV', dwell: '0.5 ms', compliance: { positive: '100 µA', negative: '1 mA' } }],
  [
    { kind: 'wait', duration: '2 s', readEvery: '0.1 s' },
    { kind: 'repeat', times: 3, body: [{ kind: 'iv-sweep', points: ['0 V', '1.2 V', '0 V'], rate: '2 V/s', step: '20 mV', compliance: '300 µA' }, { kind: 'read' }, { kind: 'pulse', amplitude: '-1.5 V', width: '1 ms' }] },
  ],
  [{ kind: 'forming', mode: 'staircase', from: '0 V', to: '3.5 V', step: '50 mV', width: '1 ms', compliance: '100 µA', targetCurrent: '50 µA' }, { kind: 'iv-sweep', points: ['0 V', '-1.5 V', '0 V'], step: '50 mV', dwell: '1 ms', compliance: '1 mA' }],
];

describe('step series', () => {
  it('give the one-step-at-a-time samples bit for bit: every sweep shape, every model with noise on, any slice', async () => {
    const perStep = harness({ stepSeries: false });
    // (The last writes on the main thread, as when the writer thread cannot start.)
    const series = [harness(), harness({ seriesSlice: 1 }), harness({ seriesSlice: 37 }), harness({ writerThread: false })];
    const shapes = [...SHAPES, (enduranceProtocol(20) as { blocks: unknown[] }).blocks];
    for (const [k, blocks] of shapes.entries()) {
      for (const preset of builtInPresets) {
        const want = await runOn(perStep, doc(blocks), preset, 300 + k);
        expect(want.run.status).toBe('completed');
        for (const h of series) expectSameRun(await runOn(h, doc(blocks), preset, 300 + k), want);
      }
    }
  });

  it('give the one-step-at-a-time samples bit for bit on random protocols and seeds', async () => {
    const perStep = harness({ stepSeries: false });
    const series = harness({ seriesSlice: 50 });
    await fc.assert(
      fc.asyncProperty(validProtocol, fc.constantFrom<DevicePreset>(...builtInPresets, bipolarOxidePreset), fc.integer({ min: 0, max: 2 ** 31 - 1 }), async ({ document }, preset, seed) => {
        const want = await runOn(perStep, document, preset, seed);
        expectSameRun(await runOn(series, document, preset, seed), want);
      }),
      { numRuns: 40 },
    );
  });

  it('keep a run with sweeps in batches of its own and none past keepSamplesUpTo: batches and stored samples are whole all the same', async () => {
    // Realtime: many batches while the run goes, so the limit is crossed between two of them.
    const endurance = enduranceProtocol(2);
    // (1: the very first batch crosses the limit, so a batch that went out as a view starts at the front of the builder.)
    for (const keepSamplesUpTo of [1, 100, 100_000]) {
      const h = harness({ keepSamplesUpTo, batchIntervalMs: 20 });
      const { runId } = h.engine.submit({ protocol: prepared(endurance), device: sim(3, bipolarOxidePreset), pace: 'realtime' });
      await h.engine.whenDone(runId);
      const stored = h.store.readSamples(runId);
      expect(stored.length).toBeGreaterThan(100);
      const kept = h.engine.takeSamples(runId);
      if (keepSamplesUpTo < stored.length) expect(kept).toBeNull();
      else expect(kept?.t).toEqual(stored.t);
      const sent = h.eventsOf(runId, 'run.samples').map((e) => (e.payload as { columns: SampleColumns }).columns);
      expect(sent.length).toBeGreaterThan(2);
      expect(Float64Array.from(sent.flatMap((c) => [...c.t]))).toEqual(stored.t);
      expect(Float64Array.from(sent.flatMap((c) => [...c.i]))).toEqual(stored.i);
    }
  });

  it('keep the samples of a run with sweeps for its analysis as it ends: exactly those stored, once, and the analysis is the one the store gives', async () => {
    const h = harness();
    const endurance = enduranceProtocol(30);
    const { runId } = h.engine.submit({ protocol: prepared(endurance), device: sim(7, bipolarOxidePreset) });
    const run = await h.engine.whenDone(runId);
    const kept = h.engine.takeSamples(runId);
    const stored = h.store.readSamples(runId);
    expect(kept).not.toBeNull();
    expectSameRun({ run, samples: kept! }, { run, samples: stored });
    expect(h.engine.takeSamples(runId)).toBeNull();
    const fromKept = analyzeRun(h.store, runId, () => new Date(0), kept!);
    expect(fromKept.analysis).toEqual(analyzeSwitching(stored, analysisOptions(run.protocol, run.device)));
    expect(fromKept.analysis.cycles).toHaveLength(30);
    // Samples that are not all of the run's are not taken for them.
    const fewer = { ...stored, length: stored.length - 1, t: stored.t.subarray(1), v: stored.v.subarray(1), i: stored.i.subarray(1), g: stored.g.subarray(1), kind: stored.kind.subarray(1), block: stored.block.subarray(1), compliance: stored.compliance.subarray(1) };
    h.store.analyses.put(runId, 1, 0, fromKept.analysis); // an outdated one (version 1), so the next call computes again
    expect(analyzeRun(h.store, runId, () => new Date(0), fewer).sampleCount).toBe(stored.length);

    // Its batches went out as views on the samples kept (no copy: the builder only appends while it
    // keeps a run, so nothing a listener holds is written over), together the samples kept.
    const sent = h.eventsOf(runId, 'run.samples').map((e) => (e.payload as { columns: SampleColumns }).columns);
    expect(sent.every((c) => c.t.buffer === kept!.t.buffer && c.i.buffer === kept!.i.buffer)).toBe(true);
    expect(sent.reduce((n, c) => n + c.length, 0)).toBe(stored.length);
    expect(Float64Array.from(sent.flatMap((c) => [...c.i]))).toEqual(stored.i);

    // A run without sweeps keeps nothing.
    const reads = h.engine.submit({ protocol: prepared(doc([{ kind: 'read', count: 100, interval: '1 ms' }])), device: sim(7) });
    await h.engine.whenDone(reads.runId);
    expect(h.engine.takeSamples(reads.runId)).toBeNull();
  });
});
