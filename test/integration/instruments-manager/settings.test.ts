/**
 * Settings as the one home of the safety limits and of auto-reconnect, seen from the instrument
 * side: the limits are mirrored to the instrument's own protections when it connects and again
 * when they change (at once when idle, after the run when one is running); runs.start refuses a
 * protocol over a lowered limit, or one the connected instrument cannot make, with the paths;
 * auto-reconnect follows the setting, and instruments.configure no longer takes it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InstrumentState } from '../../../shared/contract';
import type { ConnectionConfig, InstrumentLimitsInfo } from '../../../shared/contract/areas/instruments';
import { startEmulator } from '../../../electron/services/instruments/emulator';
import { emulatorOf, open, readsProtocol, until } from './helpers';

const doc = (blocks: unknown[]) => ({ format: 'memristor-workbench/protocol', version: 1, name: 'check', blocks });
const paths = (e: { details?: { problems?: { path: string }[] } }) => (e.details?.problems ?? []).map((p) => p.path);
const sent = (emu: { exchanges: readonly { command: string }[] }, from = 0) => emu.exchanges.slice(from).map((x) => x.command);

describe('Settings limits on the instrument', () => {
  it('mirrors the limits in Settings to the instrument when it connects, and records them with a run', { timeout: 60_000 }, async () => {
    const { s, call } = open();
    await call('settings.update', { limits: { maxVoltage: 3, compliance: 1e-4, maxWidth: 0.5 } });
    const v = await call<{ id: string; path: string; idn: string }>('instruments.startVirtual', { driver: 'keithley2400', seed: 4 });
    await call('instruments.connect', { path: v.path, driver: 'keithley2400' });

    expect(s.instruments.connected!.limits).toEqual({ maxVoltage: 3, compliance: 1e-4, readCompliance: 1e-4, maxWidth: 0.5 });
    // Mirrored to the instrument's own protections, not only checked in software.
    const commands = sent(emulatorOf(s, v.id));
    expect(commands).toContain(':SENS:CURR:PROT 0.0001');
    expect(commands).toContain(':SOUR:VOLT:PROT 3');
    expect(commands).not.toContain(':SENS:CURR:PROT 0.001'); // the default compliance never reached it

    const info = await call<InstrumentLimitsInfo>('instruments.limits');
    expect(info.instrument).toMatchObject({ driver: 'keithley2400', port: v.path, idn: v.idn, applied: { compliance: 1e-4, maxVoltage: 3 }, pending: false });
    expect(info.instrument!.minPulseWidth).toBeGreaterThan(0);

    const run = s.runs.submit({ protocol: readsProtocol(3, '10 ms'), device: { kind: 'instrument', scheme: 'serial', port: v.path, driver: 'keithley2400', settings: {} } });
    const done = await s.runs.whenDone(run.runId);
    expect(done.status).toBe('completed');
    expect((s.store.runs.get(run.runId).device as { limits: unknown }).limits).toMatchObject({ compliance: 1e-4, maxVoltage: 3, maxWidth: 0.5 });
  });

  it('mirrors changed limits at once when the instrument is idle, and only after the run when one is running', { timeout: 90_000 }, async () => {
    const { s, call, events } = open();
    const v = await call<{ id: string; path: string }>('instruments.startVirtual', { driver: 'keithley2400', seed: 6 });
    await call('instruments.connect', { path: v.path, driver: 'keithley2400' });
    const emu = emulatorOf(s, v.id);
    expect(s.instruments.connected!.limits.compliance).toBe(1e-3);

    await call('settings.update', { limits: { compliance: 2e-4 } });
    await until(() => s.instruments.connected?.limits.compliance === 2e-4, 10_000, 'the new compliance on the instrument');
    await until(() => sent(emu).includes(':SENS:CURR:PROT 0.0002'), 5000, 'the compliance command');
    // The console's note follows the command: wait for it rather than read it in between.
    const note = /safety limits from Settings mirrored.*compliance 200 µA/;
    await until(() => events.some((e) => e.name === 'instruments.console' && (e.payload as { lines: { text: string }[] }).lines.some((l) => note.test(l.text))), 5000, 'the console note of the mirrored limits');
    const con = await call<{ lines: { text: string }[] }>('instruments.console');
    expect(con.lines.some((l) => note.test(l.text))).toBe(true);

    // A run holds the instrument: the change waits for its end, and the run is not disturbed.
    const run = s.runs.submit({ protocol: readsProtocol(150, '10 ms'), device: { kind: 'instrument', scheme: 'serial', port: v.path, driver: 'keithley2400', settings: {} } });
    await until(() => (s.runs.active().running?.progress.done ?? 0) >= 5, 20_000, 'the run to take samples');
    const before = emu.exchanges.length;
    await call('settings.update', { limits: { compliance: 5e-4 } });
    const pending = await call<InstrumentLimitsInfo>('instruments.limits');
    expect(pending.instrument).toMatchObject({ pending: true, applied: { compliance: 2e-4 } });
    expect(s.instruments.state().message).toMatch(/when the running run ends/);
    const done = await s.runs.whenDone(run.runId);
    expect(done.status).toBe('completed');
    expect(done.sampleCount).toBe(150);
    expect((s.store.runs.get(run.runId).device as { limits: { compliance: number } }).limits.compliance).toBe(2e-4);
    await until(() => s.instruments.connected?.limits.compliance === 5e-4, 10_000, 'the compliance after the run');
    await until(() => sent(emu, before).includes(':SENS:CURR:PROT 0.0005'), 5000, 'the compliance command after the run');
    const after = sent(emu, before);
    const runEnd = after.lastIndexOf(':SENS:CURR:PROT 0.0005');
    // Not one read followed it: it went in after the run's last read.
    expect(after.slice(runEnd).filter((c) => c === ':READ?')).toEqual([]);
    expect((await call<InstrumentLimitsInfo>('instruments.limits')).instrument?.pending).toBe(false);
    // The note clears once the whole configuration (its queries too) has gone through.
    await until(() => s.instruments.state().message === null, 10_000, 'the pending-limits note to clear');
    expect(s.instruments.state()).toMatchObject({ state: 'connected', message: null });
  });

  it('runs.start refuses, with paths, a protocol over a lowered limit or one the connected instrument cannot make', { timeout: 60_000 }, async () => {
    const { s, call, refusal } = open();
    const v = await call<{ id: string; path: string }>('instruments.startVirtual', { driver: 'keithley2400', seed: 7 });
    await call('instruments.connect', { path: v.path, driver: 'keithley2400' });
    const device = { kind: 'instrument', port: v.path, driver: 'keithley2400' };

    await call('settings.update', { limits: { maxVoltage: 1.5 } });
    const over = await refusal('runs.start', { protocol: 'paper-spike-train', device });
    expect(over.code).toBe('invalid_request');
    expect(paths(over)).toEqual(['protocol.blocks[0].amplitude']);
    expect(over.message).toContain('1.5 V');
    await call('settings.update', { limits: { maxVoltage: 5 } });

    // Within every Settings limit, but shorter than a Keithley 2400 can make a pulse.
    const short = doc([{ kind: 'pulse', amplitude: '1 V', width: '50 us', read: true }]);
    const tooShort = await refusal('runs.start', { protocol: short, device });
    expect(tooShort.code).toBe('invalid_request');
    expect(paths(tooShort)).toEqual(['protocol.blocks[0].width']);
    expect(tooShort.message).toMatch(/cannot run on the connected Keithley 2400.*cannot make a pulse shorter than its integration time/);
    // A swept width points at the sweep's values.
    const swept = doc([{ kind: 'sweep', parameter: 'width', values: ['1 ms', '50 us'], body: [{ kind: 'pulse', amplitude: '1 V', read: true }] }]);
    expect(paths(await refusal('runs.start', { protocol: swept, device }))).toEqual(['protocol.blocks[0].values']);
    expect(s.store.runs.list().total).toBe(0);

    // The same protocol is fine on the simulated device: the refusal was the instrument's.
    const sim = await call<{ runId: string }>('runs.start', { protocol: short, device: { kind: 'simulated', preset: 'intrinsic-gradient', seed: 1 } });
    expect((await s.runs.whenDone(sim.runId)).status).toBe('completed');
    // And one it can make runs on it.
    const fine = await call<{ runId: string }>('runs.start', { protocol: doc([{ kind: 'pulse', amplitude: '1 V', width: '5 ms', read: true }]), device });
    expect((await s.runs.whenDone(fine.runId)).status).toBe('completed');
  });
});

describe('auto-reconnect lives in Settings', () => {
  it('instruments.config shows the setting, instruments.configure refuses it, and the manager follows it', { timeout: 90_000 }, async () => {
    const { s, call, refusal } = open();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-link-'));
    const link = path.join(dir, 'ttyVIRTUAL0');
    const emulators: { stop(): Promise<void> }[] = [];
    try {
      const refused = await refusal('instruments.configure', { autoReconnect: true });
      expect(refused.code).toBe('invalid_request');
      expect(refused.message).toMatch(/autoReconnect/);
      expect((await call<ConnectionConfig>('instruments.config')).autoReconnect).toBe(false);
      await call('settings.update', { autoReconnect: true });
      expect((await call<ConnectionConfig>('instruments.config')).autoReconnect).toBe(true);

      // A device that comes back on the same path (a fixed link, as a udev rule gives a real adapter).
      const start = async () => {
        const e = await startEmulator({ driver: 'pulse-board', seed: 1, link, time: 'wall' });
        emulators.push(e);
        return e;
      };
      const first = await start();
      await call('instruments.configure', { path: link, driver: 'pulse-board' });
      expect((await call<InstrumentState>('instruments.connect')).state).toBe('connected');
      await first.stop();
      await until(() => s.instruments.state().state === 'error', 10_000, 'the lost connection');
      await start();
      await until(() => s.instruments.state().state === 'connected', 20_000, 'the automatic reconnect');

      // Turned off in Settings while waiting for the device: no reconnect, and the state says so.
      await emulators.at(-1)!.stop();
      await until(() => s.instruments.state().state === 'error', 10_000, 'the second lost connection');
      await call('settings.update', { autoReconnect: false });
      expect(s.instruments.state().message).toMatch(/auto-reconnect was turned off in Settings/);
      expect((await call<ConnectionConfig>('instruments.config')).autoReconnect).toBe(false);
      await start();
      await new Promise((r) => setTimeout(r, 3000));
      expect(s.instruments.state().state).toBe('error');
      // Connecting by hand still works.
      expect((await call<InstrumentState>('instruments.connect')).state).toBe('connected');
    } finally {
      await s.instruments.disconnect();
      for (const e of emulators) await e.stop().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
