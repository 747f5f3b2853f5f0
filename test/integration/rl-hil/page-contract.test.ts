import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RlPlan } from '../../../shared/contract/areas/rl-device';
import { open, until } from '../instruments-manager/helpers';

/**
 * What the RL page asks of the host for a run on the connected instrument (#12), through the
 * router against a virtual 2400 the manager started: the plan (pulses against the limits with the
 * field's path, wall time with the measured overhead, G0 and the device far from it flagged), the
 * start refused with nothing written when the pulses or the connection say no, and a resume
 * refused on another instrument.
 */
const paper = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '..', '..', '..', 'resources', 'experiments', 'paper.json'), 'utf8')) as Record<string, unknown> & {
  strategies: { id: string; kind: string }[];
  environments: { id: string }[];
};

/** The paper's static maze for `episodes` episodes, its device strategy at 0.2 s per episode against one constant. */
function small(episodes: number, amplitude = 1.58): Record<string, unknown> {
  const device = { ...(paper.strategies.find((s) => s.id === 'device-intrinsic-gradient') as object), secondsPerEpisode: 0.2, pulse: { amplitude, width: 0.01 } };
  const constant = paper.strategies.find((s) => s.id === 'constant')!;
  return {
    ...paper,
    seeds: 1,
    environments: [{ ...paper.environments.find((e) => e.id === 'static'), episodes }],
    strategies: [device, constant],
    comparison: { primary: 'device-intrinsic-gradient', baseline: 'constant' },
  };
}

const onInstrument = { strategy: 'device-intrinsic-gradient', g0: { kind: 'read' as const } };

describe('RL on the connected instrument, through the router', () => {
  it('plans: pulses against the limits, wall time with the measured overhead, G0 and a device far from it', { timeout: 60_000 }, async () => {
    const { call, s } = open();
    // Not connected: the plan says so first, and the start is refused with nothing written.
    const unplugged = await call<RlPlan>('rl.plan', { experiment: small(40), hardware: onInstrument });
    expect(unplugged.instrument).toBeNull();
    expect(unplugged.problems[0]).toMatchObject({ path: 'hardware', message: expect.stringMatching(/no instrument is connected/) });
    await expect(call('rl.start', { experiment: small(40), hardware: onInstrument })).rejects.toThrow(/conflict: no instrument is connected/);
    expect(s.store.rlRuns.list()).toEqual([]);

    const v = await call<{ id: string; path: string; idn: string }>('instruments.startVirtual', { driver: 'keithley2400', seed: 11 });
    await call('instruments.connect', { path: v.path, driver: 'keithley2400' });
    const plan = await call<RlPlan>('rl.plan', { experiment: small(40), seeds: 2, hardware: { ...onInstrument, restSeconds: 30 } });
    expect(plan.instrument).toMatchObject({ driver: 'keithley2400', idn: v.idn });
    expect(plan.problems).toEqual([]);
    expect(plan).toMatchObject({ seeds: 2, episodesPerSeed: 40, secondsPerEpisode: 0.2, restSeconds: 30, pulses: { max: 80, amplitude: 1.58, width: 0.01 } });
    expect(plan.overheadPerEpisode).toBeGreaterThan(0);
    expect(plan.wallSeconds).toBeCloseTo(80 * (0.2 + plan.overheadPerEpisode!) + 30, 9);
    expect(plan.gNow).toBeGreaterThan(0);
    expect(plan.g0).toBeNull();
    expect(plan.warning).toBeNull();

    // An entered G0 twice what the device reads: flagged before anything starts.
    const far = await call<RlPlan>('rl.plan', { experiment: small(40), hardware: { ...onInstrument, g0: { kind: 'entered', value: 2 * plan.gNow! } } });
    expect(far.g0).toEqual({ value: 2 * plan.gNow!, source: 'entered' });
    expect(far.warning).toMatch(/50 % below its reference G0.*α starts low/);

    // Pulses over the limit: every problem with the strategy field's path; the start refused, nothing written.
    const over = await call<RlPlan>('rl.plan', { experiment: small(40, 40), hardware: onInstrument });
    expect(over.problems.map((p) => p.path)).toContain('strategies[0].pulse.amplitude');
    await expect(call('rl.start', { experiment: small(40, 40), hardware: onInstrument })).rejects.toThrow(/invalid_request: .*pulse\.amplitude/);
    expect(s.store.rlRuns.list()).toEqual([]);
    // A strategy that is not a device strategy, with the path of the choice.
    await expect(call('rl.plan', { experiment: small(40), hardware: { ...onInstrument, strategy: 'constant' } })).rejects.toThrow(/only a device strategy/);
  });

  it('starts on the instrument, reports each episode, stops; resume refuses another instrument and finishes on the same', { timeout: 90_000 }, async () => {
    const { call, s, events } = open();
    const v = await call<{ id: string; path: string; idn: string }>('instruments.startVirtual', { driver: 'keithley2400', seed: 12 });
    await call('instruments.connect', { path: v.path, driver: 'keithley2400' });
    // Filed under a device of a chip (#14), as the RL page's device picker does.
    const sample = await call<{ id: string }>('samples.create', { name: 'RL wafer', kind: 'wafer' });
    const chip = await call<{ id: string }>('samples.chips.create', { sampleId: sample.id, name: 'C1', rows: 2, cols: 2 });
    const device = await call<{ id: string }>('samples.devices.create', { chipId: chip.id, name: 'D11', wordLine: 0, bitLine: 0 });
    const { rlRunId } = await call<{ rlRunId: string }>('rl.start', { experiment: small(30), hardware: onInstrument, deviceId: device.id });
    await until(() => events.filter((e) => e.name === 'rl.device' && (e.payload as { last: unknown }).last !== null).length >= 3, 30_000, 'three episodes reported');
    const active = await call<{ device: { state: string; g0: number } | null }>('rl.active');
    expect(active.device).toMatchObject({ state: 'running' });
    await call('rl.stop', { id: rlRunId });
    await until(() => s.store.rlRuns.get(rlRunId).status === 'cancelled', 30_000, 'the stop');
    const done = s.store.rlCheckpoints.deviceEpisodes(rlRunId).length;
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(30);

    await call('instruments.disconnect');
    // Another instrument on the connection (a virtual 2600B): refused, nothing written.
    const other = await call<{ id: string; path: string; idn: string }>('instruments.startVirtual', { driver: 'keithley2600', seed: 13 });
    await call('instruments.connect', { path: other.path, driver: 'keithley2600' });
    expect(other.idn).not.toBe(v.idn);
    await expect(call('rl.resume', { id: rlRunId })).rejects.toThrow(/not the instrument the run started on/);
    expect(s.store.rlRuns.get(rlRunId).status).toBe('cancelled');
    expect(s.store.rlCheckpoints.deviceEpisodes(rlRunId)).toHaveLength(done);
    await call('instruments.disconnect');
    await expect(call('rl.resume', { id: rlRunId })).rejects.toThrow(/no instrument is connected/);

    await call('instruments.connect', { path: v.path, driver: 'keithley2400' });
    await call('rl.resume', { id: rlRunId });
    await until(() => s.store.rlRuns.get(rlRunId).status === 'completed', 60_000, 'the resumed run to finish');
    expect(s.store.rlCheckpoints.deviceEpisodes(rlRunId)).toHaveLength(30);
    expect(s.store.rlRuns.get(rlRunId).hardware).toMatchObject({ identity: v.idn, reopen: { driver: 'keithley2400', port: v.path } });
    const timeline = await call<{ entries: { id?: string; runId?: string }[] }>('samples.devices.timeline', { id: device.id });
    expect(JSON.stringify(timeline.entries)).toContain(rlRunId);
  });
});
