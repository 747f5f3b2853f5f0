import { afterEach, describe, expect, it } from 'vitest';
import { connectInstrumentDevice, startEmulator, type Emulator, type InstrumentDevice } from '../../../electron/services/instruments/index';
import type { RlDeviceState } from '../../../shared/contract/areas/rl-device';
import { runJob } from '../../../shared/rl';
import { startDeviceRun } from '../../../electron/services/rl/device-run';
import { hardwareExperiment } from './hardware-experiment';
import { services } from '../rl-store/helpers';

/**
 * Steering an RL comparison whose device strategy runs on the virtual Keithley 2400 (a real
 * pseudo-terminal, the real driver): pause switches the output off and holds the device side
 * between episodes while the simulated strategies go on; stop ends the run after the episode in
 * flight, resumable; resume continues it to the end on the same instrument, every episode before
 * the stop unchanged, and a different instrument is refused with nothing written.
 */
const open: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of open.splice(0).reverse()) await fn().catch(() => undefined);
});

const experiment = () => hardwareExperiment(40);

async function virtualSmu(seed = 5): Promise<{ emu: Emulator; device: InstrumentDevice }> {
  // Real time on the emulator's side, so a pause is a pause the test can watch.
  const emu = await startEmulator({ driver: 'keithley2400', time: 'simulated', noise: false, seed });
  open.push(() => emu.stop());
  const device = await connectInstrumentDevice({ path: emu.path, driver: 'keithley2400' }, { clock: emu.clock });
  open.push(() => device.close());
  return { emu, device };
}

const until = async (what: string, ok: () => boolean) => {
  const deadline = Date.now() + 60_000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('steering an RL run on the virtual 2400', () => {
  it('pauses with the output off, stops after an episode, and resumes to the end with the episodes before the stop unchanged', { timeout: 120_000 }, async () => {
    const x = experiment();
    const { emu, device } = await virtualSmu();
    const s = services();
    const states: RlDeviceState[] = [];
    s.bus.subscribe((name, d) => name === 'rl.device' && states.push(d as RlDeviceState));
    const identity = (device.snapshot() as unknown as { idn: string }).idn;
    const { id, finished } = await s.rl.startOnDevice({ experiment: x, name: 'steered', hardware: { strategyId: 'smu', device, identity, reopen: { device: 'connected' } } });

    await until('five episodes on the device', () => s.store.rlCheckpoints.deviceEpisodes(id).length >= 5);
    s.rl.pause(id);
    await until('the pause to take hold', () => states.some((d) => d.state === 'paused'));
    const heldAt = s.store.rlCheckpoints.deviceEpisodes(id).length;
    await new Promise((r) => setTimeout(r, 300));
    // Held between episodes (at most the one in flight finishes), output off.
    expect(s.store.rlCheckpoints.deviceEpisodes(id).length).toBeLessThanOrEqual(heldAt + 1);
    expect(emu.output().on).toBe(false);
    expect(s.rl.deviceState()?.state).toBe('paused');

    s.rl.continue(id);
    await until('more episodes after the pause', () => s.store.rlCheckpoints.deviceEpisodes(id).length >= heldAt + 5);
    s.rl.stop(id);
    const stopped = await finished;
    expect(stopped.status).toBe('cancelled');
    expect(stopped.message).toMatch(/stopped by the user.*resume/);
    expect(emu.output().on).toBe(false);
    const before = s.store.rlCheckpoints.deviceEpisodes(id);
    expect(before.length).toBeLessThan(80);
    // Each live report carried α and the G read behind it.
    const last = states.filter((d) => d.last !== null).at(-1)!;
    expect(last.last!.alpha).toBeGreaterThan(0);
    expect(last.last!.g).toBeGreaterThan(0);

    // Another instrument (another serial number) is refused, and nothing is written.
    const other = await virtualSmu(6);
    expect(() => s.rl.resume(id, { device: other.device, identity: 'KEITHLEY INSTRUMENTS INC.,MODEL 2400,9999999,C32' })).toThrow(/not the instrument the run started on/);
    expect(s.store.rlRuns.get(id).status).toBe('cancelled');
    expect(s.store.rlCheckpoints.deviceEpisodes(id)).toEqual(before);

    const resumed = s.rl.resume(id, { device, identity });
    const run = await resumed.finished;
    expect(run.status).toBe('completed');
    expect(run.jobsDone).toBe(4);
    const after = s.store.rlCheckpoints.deviceEpisodes(id);
    expect(after).toHaveLength(80);
    expect(after.slice(0, before.length)).toEqual(before);
    // The simulated strategy ran in the pool as in any comparison.
    const constant = s.store.rlRuns.traces(id, 'small', 'constant');
    expect(constant.map((t) => t.trace.steps)).toEqual([0, 1].map((seed) => runJob(x, { environmentId: 'small', strategyId: 'constant', seed }).episodes.steps));
    // The device strategy's stored traces are the episodes on record, in order.
    const smu = s.store.rlRuns.traces(id, 'small', 'smu');
    expect(Array.from(smu[0]!.trace.alpha)).toEqual(after.filter((e) => e.seed === 0).map((e) => e.alpha));
    expect(JSON.stringify(run.hardware)).toMatch(/MODEL 2400/);
  });

  it('refuses a run over the work bound (ours) before the instrument is read: the device side is bounded by the same agent steps; nothing sent, nothing stored', { timeout: 60_000 }, async () => {
    // 1,000,000 episodes × 50 steps a job: within the bound on the file's 2 seeds, not on 10,000.
    const x = hardwareExperiment(1_000_000);
    const { emu, device } = await virtualSmu();
    const s = services();
    const identity = (device.snapshot() as unknown as { idn: string }).idn;
    const sent = emu.commandCount;
    // The app's way (a comparison with its device strategy on the instrument): 2 strategies.
    await expect(s.rl.startOnDevice({ experiment: x, seeds: 10_000, name: 'too big', hardware: { strategyId: 'smu', device, identity, reopen: { device: 'connected' } } })).rejects.toMatchObject({
      code: 'invalid_request',
      message: expect.stringMatching(/^seeds: this asks for up to 1,000,000,000,000 agent steps .* over the bound of 50,000,000,000 per request \(ours\): reduce seeds to at most 500$/),
    });
    // The device strategy alone (`workbench rl`'s service): 1 strategy.
    const seeds = Array.from({ length: 10_000 }, (_, k) => k);
    await expect(startDeviceRun({ store: s.store, experiment: x, strategyId: 'smu', seeds, device, identity, reopen: {}, name: 'too big' })).rejects.toThrow(/seeds: this asks for up to 500,000,000,000 agent steps .* reduce seeds to at most 1,000$/);
    expect(emu.commandCount).toBe(sent);
    expect(s.store.rlRuns.list()).toEqual([]);
  });

  it('refuses pause and stop for a run without a device strategy', async () => {
    const s = services();
    const x = experiment();
    const { id, finished } = s.rl.start({ experiment: { ...x, strategies: [x.strategies[1]!], comparison: { primary: 'constant', baseline: 'constant' } }, seeds: 1 });
    expect(() => s.rl.pause(id)).toThrow(/no strategy on a device/);
    expect(() => s.rl.stop(id)).toThrow(/no strategy on a device/);
    await finished;
  });
});
