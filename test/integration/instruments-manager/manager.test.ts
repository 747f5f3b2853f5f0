/**
 * The instrument manager through app-services and the contract: a virtual instrument started,
 * connected, its console filled, the output off on disconnect; a run on the connected instrument
 * with the IDN and settings in its provenance; the emulator killed mid-run (run interrupted with a
 * clear message, samples kept, no hang) and a reconnect that works without restarting; a line that
 * goes silent and then closes (interrupted too) against one that only goes silent (failed, naming
 * the command); auto-reconnect as Settings has it.
 */
import { describe, expect, it } from 'vitest';
import type { InstrumentState } from '../../../shared/contract';
import { startEmulator } from '../../../electron/services/instruments/emulator';
import { emulatorOf, open, readsProtocol, until } from './helpers';

describe('instrument manager', () => {
  it('connects to a virtual instrument, reports states in order, fills the console and turns the output off on disconnect', { timeout: 60_000 }, async () => {
    const { s, events, call } = open();
    const v = await call<{ id: string; path: string; idn: string }>('instruments.startVirtual', { driver: 'keithley2400', seed: 3 });
    expect(v.id).toMatch(/^virtual:keithley2400/);
    const ports = await call<{ ports: { path: string; source: string; virtual?: { id: string } }[] }>('instruments.ports', { refresh: true });
    expect(ports.ports.some((p) => p.path === v.path && p.source === 'virtual' && p.virtual?.id === v.id)).toBe(true);

    await call('instruments.configure', { path: v.path, driver: 'keithley2400', settings: { timeoutMs: 3000 } });
    const state = await call<InstrumentState>('instruments.connect', {});
    expect(state.state).toBe('connected');
    expect(state.idn).toBe(v.idn);
    expect(state.idn).toMatch(/KEITHLEY INSTRUMENTS INC\.,MODEL 2400/);

    const states = events.filter((e) => e.name === 'instrument.state').map((e) => (e.payload as InstrumentState).state);
    expect(states).toEqual(['connecting', 'connected']);

    // Settings cannot change while connected.
    const refused = await s.router.call('instruments.configure', { settings: { baudRate: 19200 } });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('conflict');

    const con = await call<{ lines: { dir: string; text: string; t: number; seq: number }[] }>('instruments.console', {});
    expect(con.lines.some((l) => l.dir === 'out' && l.text === '*IDN?')).toBe(true);
    expect(con.lines.some((l) => l.dir === 'in' && l.text === v.idn)).toBe(true);
    expect(con.lines.every((l) => l.t > 0)).toBe(true);
    await until(() => events.some((e) => e.name === 'instruments.console'), 2000, 'a batched console event');

    // Switch the output on through a pulse, then disconnect: the emulator must end with it off.
    const inst = s.instruments.connected!;
    await inst.pulse(1, 0.01);
    const emu = emulatorOf(s, v.id);
    const before = emu.exchanges.length;
    const off = await call<InstrumentState>('instruments.disconnect', {});
    expect(off.state).toBe('disconnected');
    expect(emu.output().on).toBe(false);
    expect(emu.exchanges.slice(before).some((x) => /OUTP OFF/i.test(x.command))).toBe(true);
    const after = events.filter((e) => e.name === 'instrument.state').map((e) => (e.payload as InstrumentState).state);
    expect(after).toEqual(['connecting', 'connected', 'disconnected']);

    // The console is kept after the disconnect, and says the output went off.
    const kept = await call<{ lines: { text: string }[] }>('instruments.console', {});
    expect(kept.lines.length).toBeGreaterThanOrEqual(con.lines.length);
    expect(kept.lines.some((l) => /output off \(disconnect\)/.test(l.text))).toBe(true);
  });

  it('runs on the connected instrument, fails clearly when the emulator dies mid-run, keeps samples and reconnects', { timeout: 90_000 }, async () => {
    const { s, events, call } = open();
    const v = await call<{ id: string; path: string; idn: string }>('instruments.startVirtual', { driver: 'keithley2400', seed: 5 });
    await call('instruments.connect', { path: v.path, driver: 'keithley2400' });

    // A short run completes, with the IDN and every serial setting in its provenance.
    const short = s.runs.submit({ protocol: readsProtocol(5, '20 ms'), device: { kind: 'instrument', scheme: 'serial', port: v.path, driver: 'keithley2400', settings: {} }, experimentName: 'HW' });
    const done = await s.runs.whenDone(short.runId);
    expect(done.status).toBe('completed');
    expect(done.sampleCount).toBe(5);
    const detail = s.store.runs.get(short.runId) as unknown as { instrumentIdn: string | null; device: Record<string, unknown> };
    expect(detail.instrumentIdn).toBe(v.idn);
    expect(detail.device).toMatchObject({ kind: 'instrument', driver: 'keithley2400', port: v.path, idn: v.idn });
    expect(detail.device.serial).toMatchObject({ baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 });
    // The connection survives the run.
    expect(s.instruments.state().state).toBe('connected');

    // A long run, and the emulator (socat) killed in the middle of it.
    const long = s.runs.submit({ protocol: readsProtocol(2000, '10 ms'), device: { kind: 'instrument', scheme: 'virtual', port: v.id.slice('virtual:'.length), driver: 'keithley2400', settings: {} }, experimentName: 'HW' });
    await until(() => (s.runs.active().running?.progress.done ?? 0) >= 10, 20_000, 'the long run to take samples');
    await call('instruments.stopVirtual', { id: v.id });
    const ended = await s.runs.whenDone(long.runId);
    expect(ended.status).not.toBe('completed');
    expect(ended.status).toBe('interrupted');
    expect(ended.exitReason).toMatch(/connection was lost mid-run/);
    expect(ended.exitReason).toMatch(/samples taken so far are kept/);
    expect(ended.sampleCount).toBeGreaterThanOrEqual(10);
    const runState = events.filter((e) => e.name === 'run.state' && (e.payload as { runId: string }).runId === long.runId).at(-1)?.payload as { status: string; message: string | null };
    expect(runState.status).toBe('interrupted');
    expect(runState.message).toMatch(/connection was lost/);
    // The port's close event may reach the manager a moment after the run failed on a write.
    await until(() => s.instruments.state().state === 'error', 2000, 'the manager to see the lost connection');
    const lostState = s.instruments.state();
    expect(lostState.message).toMatch(/disconnected/);
    // Auto-reconnect is off here: the message says what to do.
    expect(lostState.message).toMatch(/then Connect again$/);

    // Reconnect without restarting: a new virtual instrument, connected, a run completes.
    const v2 = await call<{ id: string; path: string }>('instruments.startVirtual', { driver: 'keithley2400', seed: 6 });
    const again = await call<InstrumentState>('instruments.connect', { path: v2.path });
    expect(again.state).toBe('connected');
    const third = s.runs.submit({ protocol: readsProtocol(3, '10 ms'), device: { kind: 'instrument', scheme: 'serial', port: v2.path, driver: 'keithley2400', settings: {} }, experimentName: 'HW' });
    expect((await s.runs.whenDone(third.runId)).status).toBe('completed');
  });

  it('a line that goes silent and then closes mid-run ends the run interrupted, not failed', { timeout: 60_000 }, async () => {
    const { s, call } = open();
    // Answers the handshake and a few reads, then nothing (as a dying line does); closed by the test.
    const emulator = await startEmulator({ driver: 'keithley2400', seed: 8, dropAfter: 60, time: 'wall' });
    try {
      await call('instruments.configure', { path: emulator.path, driver: 'keithley2400', settings: { timeoutMs: 300 } });
      expect((await call<InstrumentState>('instruments.connect', {})).state).toBe('connected');
      const run = s.runs.submit({ protocol: readsProtocol(500, '10 ms'), device: { kind: 'instrument', scheme: 'serial', port: emulator.path, driver: 'keithley2400', settings: {} } });
      const silent = () => s.instruments.consoleLines().lines.some((l) => /^no reply to '/.test(l.text));
      await until(silent, 20_000, 'a command that gets no reply');
      await emulator.stop();
      const ended = await s.runs.whenDone(run.runId);
      expect(ended.status).toBe('interrupted');
      expect(ended.exitReason).toMatch(/connection was lost mid-run \(no reply to '[^']+' within 300 ms, and then the port closed\)/);
      expect(ended.sampleCount).toBeGreaterThan(0);
    } finally {
      await emulator.stop();
    }
  });

  it('a command that times out on a line that stays open ends the run interrupted (#18: a quiet line is a lost line), naming the command', { timeout: 60_000 }, async () => {
    const { s, call } = open();
    const emulator = await startEmulator({ driver: 'keithley2400', seed: 9, dropAfter: 60, time: 'wall' });
    try {
      await call('instruments.configure', { path: emulator.path, driver: 'keithley2400', settings: { timeoutMs: 300 } });
      await call('instruments.connect', {});
      const run = s.runs.submit({ protocol: readsProtocol(500, '10 ms'), device: { kind: 'instrument', scheme: 'serial', port: emulator.path, driver: 'keithley2400', settings: {} } });
      const ended = await s.runs.whenDone(run.runId);
      expect(ended.status).toBe('interrupted');
      expect(ended.exitReason).toMatch(/no reply to '[^']+' within 300 ms/);
      expect(s.instruments.state().state).toBe('connected');
    } finally {
      await s.instruments.disconnect();
      await emulator.stop();
    }
  });

  it('reconnects automatically to the same path when opted in (in Settings), with backoff', { timeout: 60_000 }, async () => {
    const { s, call, events } = open();
    const v = await call<{ id: string; path: string }>('instruments.startVirtual', { driver: 'pulse-board', seed: 2 });
    await call('instruments.configure', { path: v.path, driver: 'pulse-board' });
    await call('settings.update', { autoReconnect: true });
    expect((await call<InstrumentState>('instruments.connect', {})).state).toBe('connected');
    const from = events.length;
    await call('instruments.stopVirtual', { id: v.id });
    // Every state the manager published since, not a poll of the current one: between its tries
    // the state may be 'connecting', and a loaded machine can poll past a short 'error'.
    const lost = () => events.slice(from).map((e) => (e.name === 'instrument.state' ? (e.payload as InstrumentState) : null)).find((st) => st?.state === 'error');
    // Nothing is sent: an idle line whose far end vanished is noticed by its path going away.
    await until(() => lost() !== undefined, 20_000, 'the lost connection');
    expect(lost()!.message).toMatch(/reconnecting|waiting for the same device/);
    // The same path never comes back (a new pty gets a new path): still waiting, never connected elsewhere.
    const other = await call<{ path: string }>('instruments.startVirtual', { driver: 'pulse-board', seed: 3 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(s.instruments.state().state).not.toBe('connected');
    expect(other.path).not.toBe(v.path);
    // Disconnect cancels the pending reconnect.
    expect((await call<InstrumentState>('instruments.disconnect', {})).state).toBe('disconnected');
  });
});
