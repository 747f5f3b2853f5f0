/**
 * The run engine on real SQLite files: what a run records, how it is controlled (pause, resume,
 * stop, abort), the queue, failures, compliance trips and how samples are batched.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { createDevice, filamentaryPreset, intrinsicGradientPreset } from '../../../shared/device';
import { simulateProtocol } from '../../../shared/protocol';
import { SampleKind, type SampleColumns } from '../../../shared/samples/columns';
import { QUEUE_LIMITS } from '../../../shared/contract/limits';
import { formatCount } from '../../../shared/units';
import { canonicalJson, DEFAULT_EXPERIMENT, RunEngineError } from '../../../electron/services/runs';
import { loadProtocol } from '../../../electron/services/library';
import { deviceLogs, harness, prepared, readsDoc, scripted, shipped, sim, sleep, until } from './helpers';
import { virtualClock } from '../../fixtures/virtual-clock';

type StatePayload = { runId: string; status: string; progress: { done: number; total: number; fraction: number; etaS: number | null }; message: string | null };
type SamplesPayload = { runId: string; from: number; columns: SampleColumns };

const deltaG = (g: Float64Array) => {
  const finite = [...g].filter(Number.isFinite);
  return (finite[finite.length - 1]! - finite[0]!) / finite[0]!;
};

function expectClose(actual: Float64Array, expected: Float64Array, rel = 1e-9): void {
  expect(actual.length).toBe(expected.length);
  for (let k = 0; k < actual.length; k++) {
    const a = actual[k]!;
    const e = expected[k]!;
    if (Math.abs(a - e) > rel * Math.max(Math.abs(e), 1e-300)) {
      throw new Error(`sample ${k}: ${a} differs from ${e} by more than ${rel} relative`);
    }
  }
}

describe('a completed run', () => {
  it('gives the same samples and ΔG as simulateProtocol on the same preset and seed', async () => {
    for (const [protocolName, preset, seed] of [
      ['paper-spike-train', intrinsicGradientPreset, 7],
      ['relaxation', intrinsicGradientPreset, 3],
      ['paper-spike-train', filamentaryPreset, 11],
    ] as const) {
      const h = harness();
      const protocol = shipped(protocolName);
      const { runId } = h.engine.submit({ protocol, device: sim(seed, preset) });
      const run = await h.engine.whenDone(runId);
      expect(run.status).toBe('completed');
      const got = h.store.readSamples(runId);
      const want = simulateProtocol(protocol.program, createDevice(preset, { seed, noise: true }));
      expect(got.length).toBe(want.length);
      expect([...got.kind]).toEqual([...want.kind]);
      expect([...got.block]).toEqual([...want.block]);
      expectClose(got.t, want.t, 1e-12);
      expectClose(got.v, want.v, 0);
      expectClose(got.g, want.g);
      expectClose(got.i, want.i);
      expect(deltaG(got.g)).toBeCloseTo(deltaG(want.g), 10);
      // The run's summary says the same.
      expect((run.finalG! - run.initialG!) / run.initialG!).toBeCloseTo(deltaG(want.g), 10);
      if (protocolName === 'paper-spike-train' && preset === intrinsicGradientPreset) expect(deltaG(got.g)).toBeLessThan(-0.95);
    }
  });

  it('records its full provenance', async () => {
    const h = harness();
    const source = loadProtocol('paper-spike-train').source as Record<string, unknown>;
    const protocol = prepared(source);
    const before = new Date().toISOString();
    const { runId } = h.engine.submit({ protocol, device: sim(42), notes: 'first try', tags: ['paper', 'sim'] });
    const running = h.store.runs.get(runId);
    expect(running.owner).toMatchObject({ pid: process.pid, host: os.hostname() });
    const run = await h.engine.whenDone(runId);

    expect(run.experimentName).toBe(DEFAULT_EXPERIMENT);
    expect(run.name).toBe('Paper spike train');
    expect(run.protocol).toEqual(source); // as written: units in strings
    expect(run.protocolHash).toBe(createHash('sha256').update(canonicalJson(source)).digest('hex'));
    // The hash does not depend on key order or formatting.
    const reordered = Object.fromEntries(Object.entries(source).reverse());
    expect(prepared(reordered).hash).toBe(run.protocolHash);
    expect(run.device).toMatchObject({
      kind: 'simulated',
      model: 'intrinsic-gradient',
      preset: 'intrinsic-gradient',
      params: intrinsicGradientPreset.params,
      variation: intrinsicGradientPreset.variation,
      seed: 42,
      noise: true,
      pace: 'fast',
    });
    const device = run.device as { instanceParams: Record<string, number>; g0: number; initialState: Record<string, number> };
    expect(Object.keys(device.instanceParams).sort()).toEqual(Object.keys(intrinsicGradientPreset.params).sort());
    expect(device.g0).toBe(run.initialG); // the first pulse sees the pristine device
    expect(device.initialState).toEqual({ g: 1, s: 0 });
    expect(run.appVersion).toBe('0.1.0-test');
    expect(run.host).toBe('test@host');
    expect(run.createdAt >= before).toBe(true);
    expect(run.startedAt! >= run.createdAt).toBe(true);
    expect(run.endedAt! >= run.startedAt!).toBe(true);
    expect(run.status).toBe('completed');
    expect(run.exitReason).toBe('the protocol finished');
    expect(run.notes).toBe('first try');
    expect(run.tags).toEqual(['paper', 'sim']);
    expect(run.events.map((e) => e.kind)).toEqual(['started', 'completed']);
    expect(run.sampleCount).toBe(200);
  });

  it('goes into the experiment it is given, by id or by name', async () => {
    const h = harness();
    const exp = h.store.experiments.create({ name: 'Rate dependence' });
    const a = h.engine.submit({ protocol: shipped('paper-spike-train'), device: sim(1), experimentId: exp.id, name: 'by id' });
    const b = h.engine.submit({ protocol: shipped('paper-spike-train'), device: sim(1), experimentName: 'New one', name: 'by name' });
    expect((await h.engine.whenDone(a.runId)).experimentId).toBe(exp.id);
    const rb = await h.engine.whenDone(b.runId);
    expect(rb.experimentName).toBe('New one');
    expect(h.store.experiments.findByName('New one')?.id).toBe(rb.experimentId);
  });
});

describe('control', () => {
  it('pauses at a safe point, holds still while paused, resumes and stops cleanly', async () => {
    const h = harness();
    const { spec, port } = scripted({ pace: 'realtime' });
    const { runId } = h.engine.submit({ protocol: prepared(readsDoc(400, '10 ms')), device: spec });
    await until(() => h.engine.active().running?.status === 'running' && h.engine.active().running!.samples > 5, 5000, 'samples');

    expect(await h.engine.control(runId, 'pause')).toEqual({ runId, status: 'paused' });
    expect(h.store.runs.get(runId).status).toBe('paused');
    const pausedAt = h.store.runs.get(runId).sampleCount;
    const opsAtPause = deviceLogs.get(port)!.ops.length;
    await sleep(300);
    expect(deviceLogs.get(port)!.ops.length).toBe(opsAtPause); // nothing applied while paused
    expect(h.store.runs.get(runId).sampleCount).toBe(pausedAt);
    expect(deviceLogs.get(port)!.outputOff.length).toBeGreaterThanOrEqual(1); // the pause switched the output off

    expect(await h.engine.control(runId, 'resume')).toEqual({ runId, status: 'running' });
    await until(() => deviceLogs.get(port)!.ops.length > opsAtPause + 5, 5000, 'more operations after resume');

    const offBefore = deviceLogs.get(port)!.outputOff.length;
    expect((await h.engine.control(runId, 'stop')).status).toBe('stopped');
    const run = await h.engine.whenDone(runId);
    expect(run.status).toBe('stopped');
    expect(run.exitReason).toBe('stopped by the user');
    expect(run.sampleCount).toBeGreaterThan(pausedAt);
    expect(run.sampleCount).toBeLessThan(400);
    expect(run.sampleCount).toBe(deviceLogs.get(port)!.ops.length); // every operation's sample was kept
    expect(deviceLogs.get(port)!.outputOff.length).toBeGreaterThan(offBefore);
    expect(deviceLogs.get(port)!.closed).toBe(true);
    expect(run.events.map((e) => e.kind)).toEqual(['started', 'paused', 'resumed', 'stopped']);
    const statuses = h.eventsOf(runId, 'run.state').map((e) => (e.payload as StatePayload).status);
    expect(dedupe(statuses)).toEqual(['queued', 'running', 'paused', 'running', 'stopped']);
  });

  it('resumes a paced protocol where it stopped: no burst of catch-up pulses after a pause', async () => {
    const h = harness();
    const protocol = prepared({
      format: 'memristor-workbench/protocol',
      version: 1,
      name: 'paced',
      blocks: [{ kind: 'train', count: 10, amplitude: '2 V', width: '1 ms', period: '100 ms', read: true }],
    });
    const { runId } = h.engine.submit({ protocol, device: sim(1), pace: 'realtime' });
    await until(() => (h.engine.active().running?.progress.done ?? 0) >= 6, 5000, 'three pulses');
    await h.engine.control(runId, 'pause');
    await sleep(500);
    await h.engine.control(runId, 'resume');
    const run = await h.engine.whenDone(runId);
    expect(run.status).toBe('completed');
    const c = h.store.readSamples(runId);
    const pulses = [...c.t].filter((_, k) => c.kind[k] === SampleKind.pulse);
    expect(pulses).toHaveLength(10);
    const gaps = pulses.slice(1).map((t, k) => t - pulses[k]!);
    // A burst would put pulses ~1 ms apart; timer jitter only moves single pulses by a few ms.
    for (const g of gaps) expect(g).toBeGreaterThan(0.03);
    const pause = gaps.findIndex((g) => g > 0.5);
    expect(gaps.filter((g) => g > 0.5)).toHaveLength(1); // the pause shows once in the sample times
    // After the pause the train keeps its period from where it stopped.
    const after = pulses.slice(pause + 1);
    after.forEach((t, k) => expect(t - after[0]!).toBeGreaterThan(k * 0.1 - 0.03));
    expect(pulses.at(-1)! - pulses[0]!).toBeGreaterThan(0.9 + 0.5 - 0.06); // (the first pulse may start late)
  });

  it('can stop a paused run; repeated pauses and resumes are harmless; actions that do not apply are refused', async () => {
    const h = harness();
    const { runId } = h.engine.submit({ protocol: prepared(readsDoc(200, '10 ms')), device: sim(1), pace: 'realtime' });
    const queued = h.engine.submit({ protocol: prepared(readsDoc(10)), device: sim(2) });
    await until(() => h.engine.active().running?.status === 'running', 5000, 'running');
    expect(await h.engine.control(runId, 'resume')).toEqual({ runId, status: 'running' }); // already running
    await expect(h.engine.control(queued.runId, 'pause')).rejects.toMatchObject({ code: 'conflict' });
    await h.engine.control(runId, 'pause');
    expect(await h.engine.control(runId, 'pause')).toEqual({ runId, status: 'paused' }); // already paused
    expect((await h.engine.control(runId, 'stop')).status).toBe('stopped');
    expect(h.store.runs.get(runId).events.map((e) => e.kind)).toEqual(['started', 'paused', 'stopped']);
    await expect(h.engine.control(runId, 'pause')).rejects.toBeInstanceOf(RunEngineError);
    await expect(h.engine.control(runId, 'abort')).rejects.toMatchObject({ code: 'conflict' });
    await expect(h.engine.control('123e4567-e89b-42d3-a456-426614174000', 'stop')).rejects.toMatchObject({ code: 'not_found' });
    expect((await h.engine.whenDone(queued.runId)).status).toBe('completed'); // the queue goes on
  });

  it('abort switches the output off at once, without waiting for the operation in progress', async () => {
    const h = harness();
    const { spec, port } = scripted({ opDelayMs: 400 });
    const { runId } = h.engine.submit({ protocol: prepared(readsDoc(50, '10 ms')), device: spec });
    await until(() => (deviceLogs.get(port)?.ops.length ?? 0) >= 1, 5000, 'the first operation');
    await sleep(50); // the first read is in progress (it takes 400 ms)
    const reply = h.engine.control(runId, 'abort');
    await until(() => deviceLogs.get(port)!.outputOff.length >= 1, 1000, 'output off');
    // Off before the read in progress (400 ms) finished: the abort did not wait for it.
    expect(deviceLogs.get(port)!.opTimes.length).toBe(0);
    expect((await reply).status).toBe('aborted');
    const run = await h.engine.whenDone(runId);
    expect(run.status).toBe('aborted');
    expect(run.exitReason).toBe('aborted by the user');
    expect(deviceLogs.get(port)!.ops.length).toBe(1); // nothing after the abort
  });
});

describe('the queue', () => {
  it('runs one at a time in the order submitted; a queued run can be stopped or aborted before it starts', async () => {
    const h = harness();
    const protocol = prepared(readsDoc(20_000));
    const a = h.engine.submit({ protocol, device: sim(1), name: 'a' });
    const b = h.engine.submit({ protocol, device: sim(2), name: 'b' });
    const c = h.engine.submit({ protocol, device: sim(3), name: 'c' });
    const d = h.engine.submit({ protocol, device: sim(4), name: 'd' });
    expect([a, b, c, d].map((r) => r.queuePosition)).toEqual([0, 1, 2, 3]);
    expect(h.engine.active().queue.map((r) => r.name)).toEqual(['b', 'c', 'd']);
    expect((await h.engine.control(b.runId, 'stop')).status).toBe('stopped');
    expect((await h.engine.control(c.runId, 'abort')).status).toBe('aborted');
    const [ra, rb, rc, rd] = await Promise.all([a, b, c, d].map((r) => h.engine.whenDone(r.runId)));
    expect(ra!.status).toBe('completed');
    expect(rd!.status).toBe('completed');
    expect(rb!).toMatchObject({ status: 'stopped', startedAt: null, sampleCount: 0, exitReason: 'stopped before it started' });
    expect(rc!).toMatchObject({ status: 'aborted', startedAt: null, sampleCount: 0 });
    expect(rd!.startedAt! >= ra!.endedAt!).toBe(true);
    const started = h.events
      .filter((e) => e.name === 'run.state' && (e.payload as StatePayload).status === 'running')
      .map((e) => (e.payload as StatePayload).runId);
    expect(dedupe(started)).toEqual([a.runId, d.runId]);
    expect(h.engine.active()).toEqual({ running: null, queue: [] });
  });
});

describe('a full queue', () => {
  /** A run that lasts (realtime, 10 s of reads), so the runs submitted after it wait. */
  const blocker = () => prepared(readsDoc(1000, '10 ms'));

  it('refuses the run past QUEUE_LIMITS.runs waiting, naming the limit, and records nothing for it', () => {
    const h = harness();
    h.engine.submit({ protocol: blocker(), device: sim(1), pace: 'realtime' });
    const small = prepared(readsDoc(1));
    for (let k = 0; k < QUEUE_LIMITS.runs; k++) h.engine.submit({ protocol: small, device: sim(2) });
    const refused = (() => {
      try {
        h.engine.submit({ protocol: small, device: sim(2), name: 'one too many' });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(refused).toBeInstanceOf(RunEngineError);
    expect((refused as RunEngineError).code).toBe('unavailable');
    expect((refused as RunEngineError).message).toBe('the run queue is full: 1,000 runs are waiting (at most 1,000); stop some or wait for them to start');
    expect(h.store.runs.list({ search: 'one too many' }).total).toBe(0);
  });

  it('refuses a run whose protocol would take the waiting runs past QUEUE_LIMITS.steps compiled steps (memory), and takes it once there is room', async () => {
    const h = harness();
    const first = h.engine.submit({ protocol: blocker(), device: sim(1), pace: 'realtime' });
    // One of the largest protocols a request may carry: 300,000 reads, each its own block.
    const big = prepared({ format: 'memristor-workbench/protocol', version: 1, name: 'big', blocks: Array.from({ length: 300_000 }, () => ({ kind: 'read' })) });
    const steps = big.program.instructions.length;
    const fit = Math.floor(QUEUE_LIMITS.steps / steps);
    expect(fit).toBeGreaterThanOrEqual(1);
    const waiting = Array.from({ length: fit }, () => h.engine.submit({ protocol: big, device: sim(2) }));
    expect(() => h.engine.submit({ protocol: big, device: sim(2) })).toThrow(
      `the run queue is full: the ${formatCount(fit)} waiting runs' protocols hold ${formatCount(fit * steps)} compiled steps and this one ${formatCount(steps)}, more than ${formatCount(QUEUE_LIMITS.steps)} in all; stop some or wait for them to start`,
    );
    // A small protocol still fits; stopping a waiting run makes room for a big one again.
    h.engine.submit({ protocol: prepared(readsDoc(1)), device: sim(3) });
    await h.engine.control(waiting[0]!.runId, 'stop');
    expect(h.engine.submit({ protocol: big, device: sim(2) }).status).toBe('queued');
    await h.engine.control(first.runId, 'abort');
  });
});

describe('failures', () => {
  it('a device failure fails the run with the reason, keeps the samples and switches the output off', async () => {
    const h = harness();
    const { spec, port } = scripted({ failAt: 50, failKind: 'disconnected' });
    const { runId } = h.engine.submit({ protocol: prepared(readsDoc(200)), device: spec });
    const run = await h.engine.whenDone(runId);
    expect(run.status).toBe('failed');
    expect(run.exitReason).toContain('the test device failed on operation 50');
    expect(run.exitReason).toContain('disconnected');
    expect(run.sampleCount).toBe(49);
    expect(h.store.readSamples(runId).length).toBe(49);
    expect(deviceLogs.get(port)!.outputOff.length).toBeGreaterThanOrEqual(1);
    expect(run.events.at(-1)).toMatchObject({ kind: 'failed' });
  });

  it('a safety error from the interpreter fails the run before the offending pulse', async () => {
    const h = harness();
    const protocol = prepared({
      format: 'memristor-workbench/protocol',
      version: 1,
      name: 'tampered',
      blocks: [
        { kind: 'read', count: 5, interval: '1 ms' },
        { kind: 'pulse', amplitude: '2 V', width: '1 ms' },
      ],
    });
    // A program whose limits no longer allow its own pulse (as a tampered program would be).
    protocol.program.limits = { ...protocol.program.limits, maxVoltage: 1 };
    const { runId } = h.engine.submit({ protocol, device: sim(1) });
    const run = await h.engine.whenDone(runId);
    expect(run.status).toBe('failed');
    expect(run.exitReason).toMatch(/^safety limit: pulse amplitude 2 V exceeds/);
    expect(run.sampleCount).toBe(5);
    expect([...h.store.readSamples(runId).kind]).toEqual([0, 0, 0, 0, 0]);
  });

  it('a compliance trip pauses the run and logs it; resuming finishes the protocol', async () => {
    const h = harness();
    const { spec, port } = scripted({ complianceAtPulse: 3 });
    const protocol = prepared({
      format: 'memristor-workbench/protocol',
      version: 1,
      name: 'train',
      blocks: [{ kind: 'train', count: 10, amplitude: '2 V', width: '1 ms', period: '10 ms', read: true }],
    });
    const { runId } = h.engine.submit({ protocol, device: spec });
    await until(() => h.store.runs.get(runId).status === 'paused', 5000, 'the pause');
    const paused = h.store.runs.get(runId);
    expect(paused.events.map((e) => e.kind)).toEqual(['started', 'compliance', 'paused']);
    expect(paused.events[1]!.message).toContain('compliance reached on pulse 3');
    const state = h.eventsOf(runId, 'run.state').at(-1)!.payload as StatePayload;
    expect(state.status).toBe('paused');
    expect(state.message).toContain('compliance');
    expect(deviceLogs.get(port)!.outputOff.length).toBeGreaterThanOrEqual(1);
    await h.engine.control(runId, 'resume');
    const run = await h.engine.whenDone(runId);
    expect(run.status).toBe('completed');
    const c = h.store.readSamples(runId);
    expect(c.length).toBe(19); // the tripped pulse left no sample
    expect([...c.kind].filter((k) => k === SampleKind.pulse)).toHaveLength(9);
  });

  it('a store closed under a running run fails it without taking the process down', async () => {
    const h = harness();
    const { runId } = h.engine.submit({ protocol: prepared(readsDoc(1000, '5 ms')), device: sim(1), pace: 'realtime' });
    await until(() => h.store.runs.get(runId).sampleCount > 0, 5000, 'samples');
    h.store.close();
    await expect(h.engine.whenDone(runId)).rejects.toThrow(/closed/);
    expect(h.engine.active()).toEqual({ running: null, queue: [] });
  });

  it('an instrument without a registered driver is refused before anything is recorded', () => {
    const h = harness();
    expect(() =>
      h.engine.submit({ protocol: shipped('paper-spike-train'), device: { kind: 'instrument', scheme: 'gpib', port: '0::24', driver: 'keithley2400', settings: {} } }),
    ).toThrow(/not available yet/);
    expect(h.store.runs.list().total).toBe(0);
  });
});

describe('batching', () => {
  it('streams a realtime run in batches at 10–30 Hz, never one event per sample, indices contiguous', async () => {
    // On a virtual clock: rates are counted on the clock the engine paced and batched by.
    const clock = virtualClock();
    const h = harness({ wallClock: clock.now, timers: clock.timers });
    const { runId } = h.engine.submit({ protocol: prepared(readsDoc(600, '2 ms')), device: sim(1), pace: 'realtime' });
    const run = await h.engine.whenDone(runId);
    const seconds = clock.now();
    expect(run.status).toBe('completed');
    expect(seconds).toBeGreaterThanOrEqual(1.198); // paced: 600 reads 2 ms apart
    const sent = h.eventsOf(runId, 'run.samples');
    const batches = sent.map((e) => e.payload as SamplesPayload);
    expect(batches.length).toBeLessThanOrEqual(Math.ceil(30 * seconds) + 2);
    // At most ~30 Hz at every moment, not only on average (the last batch comes at the end).
    const spacing = sent.slice(1, -1).map((e, k) => e.at - sent[k]!.at);
    expect(Math.min(...spacing)).toBeGreaterThanOrEqual(33);
    // Live, not at the end: at least ~10 Hz.
    expect(batches.length).toBeGreaterThanOrEqual(Math.floor(10 * seconds) - 1);
    expect(600 / batches.length).toBeGreaterThan(5);
    let next = 0;
    for (const b of batches) {
      expect(b.from).toBe(next);
      next += b.columns.length;
    }
    expect(next).toBe(600);
    // What was streamed is what was stored.
    const stored = h.store.readSamples(runId);
    expect([...batches.flatMap((b) => [...b.columns.g])]).toEqual([...stored.g]);
    const states = h.eventsOf(runId, 'run.state');
    expect(states.length).toBeLessThanOrEqual(Math.ceil(5 * seconds) + 6);
    const last = states.at(-1)!.payload as StatePayload;
    expect(last).toMatchObject({ status: 'completed', progress: { done: 600, total: 600, fraction: 1, etaS: 0 } });
  });

  it('batches a fast run too: at most ~30 events a second of its clock', async () => {
    const clock = virtualClock();
    const h = harness({ wallClock: clock.now, timers: clock.timers });
    const n = 300_000;
    const { runId } = h.engine.submit({ protocol: prepared(readsDoc(n)), device: sim(1) });
    const run = await h.engine.whenDone(runId);
    expect(run.sampleCount).toBe(n);
    const sent = h.eventsOf(runId, 'run.samples');
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.length).toBeLessThanOrEqual(Math.ceil(30 * clock.now()) + 2);
    const spacing = sent.slice(1, -1).map((e, k) => e.at - sent[k]!.at);
    if (spacing.length > 0) expect(Math.min(...spacing)).toBeGreaterThanOrEqual(33);
    const progress = h.eventsOf(runId, 'run.state').map((e) => (e.payload as StatePayload).progress.done);
    expect(progress).toEqual([...progress].sort((x, y) => x - y)); // progress only moves forward
  });

  it('commits each batch as it goes: a reader sees a live run grow within a batch interval', async () => {
    const h = harness();
    const { runId } = h.engine.submit({ protocol: prepared(readsDoc(400, '5 ms')), device: sim(1), pace: 'realtime' });
    await until(() => h.store.runs.get(runId).sampleCount > 20, 5000, 'committed samples');
    const streamed = () =>
      h
        .eventsOf(runId, 'run.samples')
        .map((e) => (e.payload as SamplesPayload).columns.length)
        .reduce((a, b) => a + b, 0);
    for (let k = 0; k < 5; k++) {
      await sleep(30);
      expect(h.store.runs.get(runId).sampleCount).toBe(streamed()); // committed exactly what was streamed
    }
    await h.engine.control(runId, 'stop');
  });
});

function dedupe<T>(xs: T[]): T[] {
  return xs.filter((x, k) => k === 0 || xs[k - 1] !== x);
}
