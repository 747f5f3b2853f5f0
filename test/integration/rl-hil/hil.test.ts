import { afterEach, describe, expect, it } from 'vitest';
import { connectInstrumentDevice, startEmulator, type Emulator, type InstrumentDevice } from '../../../electron/services/instruments/index';
import { runJobAsync } from '../../../electron/services/rl';
import { builtInPresets } from '../../../shared/device';
import { createStrategy, experimentJobs, jobSeeds, runJob } from '../../../shared/rl';
import { hardwareExperiment } from './hardware-experiment';
import { services } from '../rl-store/helpers';

/**
 * Hardware in the loop: a short RL comparison whose device-driven learning rate is read, episode by
 * episode, from the virtual instrument — a Keithley 2400 emulated on a real pseudo-terminal (socat)
 * with a simulated memristor behind it, in simulated time — through the same instrument driver and
 * Device a physical SMU would use. The run is stored like any other; its G trace is checked against
 * the emulator's own record of every measurement.
 */
const open: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of open.splice(0).reverse()) await fn().catch(() => undefined);
});

const experiment = () => hardwareExperiment(30);

async function virtualSmu(): Promise<{ emu: Emulator; device: InstrumentDevice }> {
  const emu = await startEmulator({ driver: 'keithley2400', time: 'simulated', noise: false, seed: 5 });
  open.push(async () => {
    await emu.stop();
  });
  const device = await connectInstrumentDevice({ path: emu.path, driver: 'keithley2400' }, { clock: emu.clock });
  open.push(() => device.close());
  return { emu, device };
}

describe('hardware in the loop', () => {
  it('runs an RL comparison with α read from the virtual instrument, to completion, and stores its G trace', async () => {
    const x = experiment();
    const { emu, device } = await virtualSmu();
    const s = services();
    const { id, finished } = await s.rl.startOnDevice({ experiment: x, name: 'HIL', hardware: { strategyId: 'smu', device, restSeconds: 5000 } });
    const run = await finished;
    expect(run.status).toBe('completed');
    expect(run.jobsDone).toBe(4);
    expect(run.hardware).toMatchObject({ strategyId: 'smu', restSeconds: 5000, device: { kind: 'instrument' } });
    expect(JSON.stringify(run.hardware)).toMatch(/KEITHLEY INSTRUMENTS INC\.,MODEL 2400/);

    // The G trace stored in rl_episodes, per seed, is what the instrument measured.
    const traces = s.store.rlRuns.traces(id, 'small', 'smu');
    expect(traces.map((t) => t.seed)).toEqual([0, 1]);
    const reads = emu.measurements.filter((m) => m.kind === 'read');
    const pulses = emu.measurements.filter((m) => m.kind === 'pulse');
    // A burst of five reads for G0, then per job: one read before the first episode and one after each episode.
    expect(reads).toHaveLength(5 + 2 * (1 + 30));
    const g0 = reads.slice(0, 5).map((m) => m.conductance).sort((a, b) => a - b)[2]!;
    const preset = builtInPresets.find((p) => p.name === 'intrinsic-gradient')!;
    const floor = (preset.params as { gMin: number }).gMin * g0;
    for (const [k, { trace }] of traces.entries()) {
      const measured = reads.slice(5 + k * 31, 5 + (k + 1) * 31 - 1).map((m) => m.conductance);
      expect(trace.conductance).toHaveLength(30);
      for (let e = 0; e < 30; e++) {
        expect(trace.conductance[e]! / measured[e]! - 1).toBeCloseTo(0, 5);
        // α follows G through the linear map, clipped to [α_min, α_max].
        const xg = Math.min(1, Math.max(0, (trace.conductance[e]! - floor) / (g0 - floor)));
        expect(trace.alpha[e]).toBeCloseTo(0.01 + 0.89 * xg, 12);
      }
      // Success-gated spikes: as many pulses as successful episodes, each 2 V for 10 ms.
      const successes = trace.success.reduce((n, v) => n + v, 0);
      expect(successes).toBeGreaterThan(10);
      // The device was depressed by the spikes, and α with it.
      expect(trace.conductance[29]!).toBeLessThan(0.6 * trace.conductance[0]!);
      expect(trace.alpha[29]!).toBeLessThan(trace.alpha[0]!);
    }
    const spikes = traces.reduce((n, t) => n + t.trace.success.reduce((m, v) => m + v, 0), 0);
    expect(pulses).toHaveLength(spikes);
    expect(pulses.every((p) => p.voltage === 2 && p.width === 0.01)).toBe(true);
    // The device starts pristine, and the 5000 s rest before the second seed let it recover.
    expect(traces[0]!.trace.alpha[0]).toBeCloseTo(0.9, 12);
    expect(traces[1]!.trace.conductance[0]! / g0).toBeGreaterThan(0.95);
    // The output was left off.
    expect(emu.output().on).toBe(false);

    // The schedule ran in the pool beside it, and the comparison covers both.
    const constant = s.store.rlRuns.traces(id, 'small', 'constant');
    expect(constant.map((t) => t.trace.steps)).toEqual([0, 1].map((seed) => runJob(x, { environmentId: 'small', strategyId: 'constant', seed }).episodes.steps));
    expect((run.comparison as { rows: { id: string; seeds: number }[] }[])[0]!.rows.map((r) => [r.id, r.seeds])).toEqual([
      ['smu', 2],
      ['constant', 2],
    ]);

    // And the stored hardware run replays: the agent's path in an episode, checked against the stored episode.
    const path = await s.router.call('rl.path', { id, strategy: 'smu', environment: 'small', seed: 1, episode: 12 });
    expect(path.ok && (path.value as { matchesStored: boolean }).matchesStored).toBe(true);
  });

  it('cancels between episodes and leaves the output off', async () => {
    const x = experiment();
    const { emu, device } = await virtualSmu();
    const s = services();
    const { id, finished } = await s.rl.startOnDevice({ experiment: { ...x, episodes: 30, environments: x.environments.map((e) => ({ ...e, episodes: 30 })) }, seeds: 50, hardware: { strategyId: 'smu', device } });
    while (emu.measurements.filter((m) => m.kind === 'read').length < 10) await new Promise((r) => setTimeout(r, 5));
    await s.rl.cancel(id);
    const run = await finished;
    expect(run.status).toBe('cancelled');
    expect(run.message).toMatch(/aborted by the user.*resume/);
    expect(run.jobsDone).toBeLessThan(100);
    expect(emu.output().on).toBe(false);
  });

  it('refuses to put a schedule on hardware', async () => {
    const { device } = await virtualSmu();
    const s = services();
    await expect(s.rl.startOnDevice({ experiment: experiment(), hardware: { strategyId: 'constant', device } })).rejects.toThrow(/only a device strategy/);
    expect(s.store.rlRuns.list()).toEqual([]);
  });
});

describe('the awaited episode loop', () => {
  it('gives exactly what shared/rl’s runJob gives with the same (synchronous) strategy', async () => {
    const x = experiment();
    for (const job of experimentJobs(x)) {
      const spec = x.strategies.find((s) => s.id === job.strategyId)!;
      const awaited = await runJobAsync(x, job, createStrategy(spec, jobSeeds(job.seed).device));
      expect(awaited).toEqual(runJob(x, job));
    }
  });

  it('stops at the next episode when aborted', async () => {
    const x = experiment();
    const controller = new AbortController();
    const spec = x.strategies[0]!;
    const seen: number[] = [];
    const run = runJobAsync(x, { environmentId: 'small', strategyId: spec.id, seed: 0 }, createStrategy(spec, 1), {
      signal: controller.signal,
      onEpisode: (e) => {
        seen.push(e);
        if (e === 4) controller.abort();
      },
    });
    await expect(run).rejects.toThrow(/abort/i);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });
});
