/**
 * #13, bad input on the instrument side of an I–V sweep: a compliance of 0, or one above what the
 * instrument can hold, is refused before anything is sent, naming the block's path; the 2450, the
 * B2900 and the pulse board run a sweep with the same flags as simulate; a garbled reply during a sweep ends the run
 * with the output off and every sample taken before it stored (the same as `simulate` gives).
 */
import { describe, expect, it } from 'vitest';
import { bipolarOxidePreset, createDevice } from '../../../shared/device';
import { compileProtocol, simulateProtocol } from '../../../shared/protocol';
import { loadProtocol } from '../../../electron/services/library';
import { prepareProtocol } from '../../../electron/services/runs';
import { emulatorOf, open, until } from './helpers';

const sweep = (compliance: unknown, maxCompliance?: number) => {
  const p = prepareProtocol({
    format: 'memristor-workbench/protocol',
    version: 1,
    name: 'sweep',
    blocks: [{ kind: 'read', voltage: '0.1 V' }, { kind: 'iv-sweep', points: ['0 V', '1 V', '0 V', '-1 V', '0 V'], step: '0.1 V', dwell: '10 ms', compliance }],
  }, maxCompliance === undefined ? {} : { limits: { compliance: maxCompliance } });
  if (!p.ok) throw new Error(JSON.stringify(p.problems));
  return p.protocol;
};
const serial = (path: string, driver: string) => ({ kind: 'instrument' as const, scheme: 'serial', port: path, driver, settings: {} });

describe('I–V sweeps on an instrument: bad input and a garbled reply', () => {
  it('refuses a compliance above what the pulse board can hold before anything is sent, naming the block path', { timeout: 60_000 }, async () => {
    const { s, call, refusal } = open();
    // The workbench allows 500 mA; the board's hardware holds 100 mA at most (it says so in LIMITS).
    await call('settings.update', { limits: { compliance: 0.5 } });
    const v = await call<{ id: string; path: string }>('instruments.startVirtual', { driver: 'pulse-board', preset: 'bipolar-oxide', seed: 2 });
    const emu = emulatorOf(s, v.id);
    const run = s.runs.submit({ protocol: sweep({ positive: '200 mA', negative: '1 mA' }, 0.5), device: serial(v.path, 'pulse-board') });
    const done = await s.runs.whenDone(run.runId);
    expect(done.status).toBe('failed');
    expect(done.exitReason).toMatch(/blocks\[1\]\.compliance\.positive: refused a compliance of 200 mA: a DIY pulse board limits the current to at most 100 mA/);
    // Connected and configured, but nothing of the protocol reached the board.
    const sent = emu.exchanges.map((x) => x.command);
    expect(sent.some((c) => /^LIMITS /.test(c))).toBe(true);
    expect(sent.some((c) => /^(STEP|READ|PULSE) /.test(c))).toBe(false);
    expect(done.sampleCount).toBe(0);

    // Connected first, runs.start refuses it at once, with the path under the protocol.
    await call('instruments.connect', { path: v.path, driver: 'pulse-board' });
    const refused = await refusal('runs.start', { protocol: sweep({ positive: '200 mA', negative: '1 mA' }, 0.5).document, device: { kind: 'instrument', port: v.path, driver: 'pulse-board' } });
    expect(refused.details?.problems?.map((p) => p.path)).toEqual(['protocol.blocks[1].compliance.positive']);
    expect(emu.exchanges.some((x) => /^(STEP|READ|PULSE) /.test(x.command))).toBe(false);
  });

  it('the instrument refuses a step with a compliance of 0 or above its limit, sending nothing', { timeout: 60_000 }, async () => {
    const { s, call } = open();
    const v = await call<{ id: string; path: string }>('instruments.startVirtual', { driver: 'keithley2400', preset: 'bipolar-oxide', seed: 2 });
    await call('instruments.connect', { path: v.path, driver: 'keithley2400' });
    const inst = s.instruments.connected!;
    const emu = emulatorOf(s, v.id);
    const before = emu.exchanges.length;
    await expect(inst.pulse(1, 0.01, { compliance: 0 })).rejects.toMatchObject({ kind: 'unsafe', message: /compliance of 0 A: a sweep step's compliance must be a positive current/ });
    await expect(inst.pulse(1, 0.01, { compliance: Number.NaN })).rejects.toMatchObject({ kind: 'unsafe' });
    await expect(inst.pulse(1, 0.01, { compliance: 5e-3 })).rejects.toMatchObject({ kind: 'unsafe', message: /compliance of 5 mA: it exceeds the limit of 1 mA/ });
    expect(inst.stepRefusal(1, 0.01, 2)).toMatch(/limit of 1 mA/);
    expect(emu.exchanges.length).toBe(before);
    // Within the limits it runs, and reports the flag.
    const r = await inst.pulse(0.2, 0.01, { compliance: 1e-3 });
    expect(r).toMatchObject({ inCompliance: false });
    expect(Number.isFinite(r.current)).toBe(true);
    expect(emu.output().on).toBe(false);

  });

  it.each(['keithley2450', 'keysight-b2900', 'pulse-board'] as const)('%s runs a short hysteresis with the same compliance flags as simulate', { timeout: 60_000 }, async (driver) => {
    const { s, call } = open();
    const seed = 4;
    const v = await call<{ id: string; path: string }>('instruments.startVirtual', { driver, preset: 'bipolar-oxide', seed });
    const doc = structuredClone(loadProtocol('iv-hysteresis').source) as { blocks: { cycles?: number }[] };
    doc.blocks[1]!.cycles = 1;
    const protocol = prepareProtocol(doc);
    if (!protocol.ok) throw new Error('does not prepare');
    const run = s.runs.submit({ protocol: protocol.protocol, device: serial(v.path, driver) });
    const done = await s.runs.whenDone(run.runId);
    expect(done.status, done.exitReason ?? '').toBe('completed');
    const stored = s.store.readSamples(run.runId);
    const compiled = compileProtocol(protocol.protocol.document);
    if (!compiled.ok) throw new Error('does not compile');
    const sim = simulateProtocol(compiled.program, createDevice(bipolarOxidePreset, { seed, noise: true }));
    expect(stored.length).toBe(sim.length);
    expect([...stored.compliance]).toEqual([...sim.compliance]);
    expect(stored.compliance.filter((x) => x === 1).length).toBeGreaterThan(5);
    expect(emulatorOf(s, v.id).output().on).toBe(false);
  });

  it('a garbled reply mid-sweep ends the run failed, the output off, every earlier sample stored as simulate gives it', { timeout: 120_000 }, async () => {
    const { s, call } = open();
    const seed = 3;
    const v = await call<{ id: string; path: string }>('instruments.startVirtual', { driver: 'keithley2400', preset: 'bipolar-oxide', seed });
    const emu = emulatorOf(s, v.id);
    const protocol = prepareProtocol(loadProtocol('iv-hysteresis').source);
    if (!protocol.ok) throw new Error('iv-hysteresis does not prepare');
    const run = s.runs.submit({ protocol: protocol.protocol, device: serial(v.path, 'keithley2400') });
    // Past the forming sweep and into the first SET, then line noise on every reply.
    await until(() => (s.runs.active().running?.progress.done ?? 0) >= 200, 60_000, 'the sweep to take 200 steps');
    emu.faults.garble = 1;
    const done = await s.runs.whenDone(run.runId);
    emu.faults.garble = 0;
    expect(done.status).toBe('failed');
    expect(done.exitReason).toMatch(/garbled reply to ':READ\?'|garbled reply to ':SENS:CURR:PROT:TRIP\?'/);
    expect(emu.output().on).toBe(false);

    // Nothing lost: every step answered before the noise is stored, as the simulation has it.
    const stored = s.store.readSamples(run.runId);
    expect(stored.length).toBe(done.sampleCount);
    expect(stored.length).toBeGreaterThanOrEqual(200);
    const compiled = compileProtocol(protocol.protocol.document);
    if (!compiled.ok) throw new Error('does not compile');
    const sim = simulateProtocol(compiled.program, createDevice(bipolarOxidePreset, { seed, noise: true }));
    expect([...stored.v]).toEqual([...sim.v.subarray(0, stored.length)]);
    expect([...stored.compliance]).toEqual([...sim.compliance.subarray(0, stored.length)]);
    expect(stored.compliance.some((x) => x === 1)).toBe(true);
  });
});
