/**
 * The instrument manager with the new transports, through app-services and the contract: a
 * Keithley 2450 emulator in its own process on a loopback TCP port, connected by resource string
 * with the driver chosen by *IDN?; killed mid-run, the run ends interrupted with its samples; the
 * console sends commands and queries, is refused while a run owns the instrument, and mirrors the
 * limits again after a command that touches sources or protections; the instrument is remembered
 * per data folder; GPIB addresses go through the configured Prologix controller.
 */
import { describe, expect, it } from 'vitest';
import type { InstrumentState } from '../../../shared/contract';
import type { ConnectionConfig, InstrumentLimitsInfo, PortList } from '../../../shared/contract/areas/instruments';
import { startEmulator } from '../../../electron/services/instruments/emulator';
import { emulatorProcess } from '../instruments-cli/helpers';
import { open, openAt, readsProtocol, until } from './helpers';

type SendResult = { reply: string | null; remirrored: boolean; warning: string | null };

describe('a LAN instrument through the manager', () => {
  it('connects by resource string with the driver chosen by *IDN?; killing the emulator mid-run ends the run interrupted with its samples', { timeout: 90_000 }, async () => {
    const { s, call, events } = open();
    const emu = await emulatorProcess(['--driver', 'keithley2450', '--listen', '127.0.0.1:0', '--seed', '3']);
    const config = await call<ConnectionConfig>('instruments.configure', { path: emu.info.resource });
    expect(config).toMatchObject({ path: emu.info.resource, kind: 'tcp', driver: 'auto' });
    const state = await call<InstrumentState>('instruments.connect');
    expect(state).toMatchObject({ state: 'connected', port: emu.info.resource, idn: emu.info.idn });
    const info = await call<InstrumentLimitsInfo>('instruments.limits');
    expect(info.instrument).toMatchObject({ driver: 'keithley2450', virtual: true, inUse: false, capabilities: { minPulseWidth: 0.002, pulse: 'output-switched' } });

    const run = s.runs.submit({ protocol: readsProtocol(3000, '10 ms'), device: { kind: 'instrument', scheme: 'serial', port: emu.info.resource, driver: 'keithley2450', settings: {} } });
    await until(() => (s.runs.active().running?.progress.done ?? 0) >= 10, 20_000, 'the run to take samples');
    expect((await call<InstrumentLimitsInfo>('instruments.limits')).instrument?.inUse).toBe(true);
    emu.child.kill('SIGKILL');
    const ended = await s.runs.whenDone(run.runId);
    expect(ended.status).toBe('interrupted');
    expect(ended.exitReason).toMatch(/connection was lost mid-run/);
    expect(ended.sampleCount).toBeGreaterThanOrEqual(10);
    await until(() => s.instruments.state().state === 'error', 5000, 'the manager to see the lost connection');
    expect(s.instruments.state().message).toMatch(/disconnected \(the instrument closed the connection\)/);
    // The console was told when the run took the instrument and when it let go.
    const usage = events.filter((e) => e.name === 'instruments.usage').map((e) => (e.payload as { inUse: boolean }).inUse);
    expect(usage).toEqual([true, false]);
  });

  it('the console sends a query and shows its reply, mirrors the limits again after a source command, and is refused during a run', { timeout: 60_000 }, async () => {
    const { s, call, refusal } = open();
    expect((await refusal('instruments.send', { command: '*IDN?' })).code).toBe('conflict');
    const emu = await startEmulator({ driver: 'keithley2450', time: 'wall', seed: 4, listen: { host: '127.0.0.1', port: 0 } });
    try {
      await call('instruments.connect', { path: emu.resource });
      const idn = await call<SendResult>('instruments.send', { command: '*IDN?' });
      expect(idn).toEqual({ reply: emu.idn, remirrored: false, warning: null });
      const con = await call<{ lines: { dir: string; text: string }[] }>('instruments.console');
      expect(con.lines.filter((l) => l.dir === 'in' && l.text === emu.idn).length).toBeGreaterThanOrEqual(2);

      // A source command typed by hand: the output and the limits are set back by the workbench.
      const before = emu.exchanges.length;
      const on = await call<SendResult>('instruments.send', { command: ':OUTP ON' });
      expect(on).toMatchObject({ reply: null, remirrored: true, warning: expect.stringMatching(/limits were set on the instrument again \(output off\)/) });
      expect(emu.output().on).toBe(false);
      const after = emu.exchanges.slice(before).map((x) => x.command);
      expect(after).toEqual(expect.arrayContaining([':OUTP ON', '*RST', ':OUTP OFF', ':SOUR:VOLT:ILIM 0.001', ':SOUR:VOLT:PROT PROT5']));
      expect(after.indexOf(':SOUR:VOLT:ILIM 0.001')).toBeGreaterThan(after.indexOf(':OUTP ON'));
      // A command without a reply and one that changes nothing that matters.
      expect(await call<SendResult>('instruments.send', { command: '*CLS' })).toEqual({ reply: null, remirrored: false, warning: null });
      expect((await refusal('instruments.send', { command: 'A\nB' })).code).toBe('invalid_request');

      const run = s.runs.submit({ protocol: readsProtocol(400, '10 ms'), device: { kind: 'instrument', scheme: 'serial', port: emu.resource, driver: null, settings: {} } });
      await until(() => (s.runs.active().running?.progress.done ?? 0) >= 3, 20_000, 'the run to start');
      const refused = await refusal('instruments.send', { command: '*IDN?' });
      expect(refused).toMatchObject({ code: 'conflict', message: expect.stringMatching(/a run is using the instrument/) });
      await s.runs.control(run.runId, 'stop');
      await s.runs.whenDone(run.runId);
      await until(() => s.instruments.limitsInfo().instrument?.inUse === false, 5000, 'the run to let go');
      expect((await call<SendResult>('instruments.send', { command: '*IDN?' })).reply).toBe(emu.idn);
    } finally {
      await s.instruments.disconnect();
      await emu.stop();
    }
  });

  it('remembers the instrument per data folder: listed after a restart, its driver and settings back when chosen', { timeout: 60_000 }, async () => {
    const first = open();
    const emu = await startEmulator({ driver: 'keithley2450', time: 'simulated', listen: { host: '127.0.0.1', port: 0 } });
    try {
      await first.call('instruments.configure', { path: emu.resource, settings: { timeoutMs: 3500 } });
      expect((await first.call<InstrumentState>('instruments.connect')).state).toBe('connected');
      await first.call('instruments.disconnect');
      await first.s.close();
      const again = openAt(first.dir);
      const list = await again.call<PortList>('instruments.ports', { refresh: true });
      const row = list.ports.find((p) => p.path === emu.resource);
      expect(row).toMatchObject({ kind: 'tcp', source: 'remembered', remembered: { driver: 'keithley2450', idn: emu.idn } });
      const config = await again.call<ConnectionConfig>('instruments.configure', { path: emu.resource });
      expect(config).toMatchObject({ driver: 'keithley2450', settings: { timeoutMs: 3500 } });
      const forgotten = await again.call<PortList>('instruments.forget', { path: emu.resource });
      expect(forgotten.ports.some((p) => p.path === emu.resource)).toBe(false);
      expect((await again.refusal('instruments.forget', { path: emu.resource })).code).toBe('not_found');
    } finally {
      await emu.stop();
    }
  });

  it('auto-reconnect returns to the same LAN address when the instrument comes back, as on a serial port', { timeout: 60_000 }, async () => {
    const { s, call } = open();
    await call('settings.update', { autoReconnect: true });
    const first = await startEmulator({ driver: 'keithley2450', time: 'simulated', listen: { host: '127.0.0.1', port: 0 } });
    const port = first.tcp!.port;
    let again: Awaited<ReturnType<typeof startEmulator>> | null = null;
    try {
      expect((await call<InstrumentState>('instruments.connect', { path: first.resource })).state).toBe('connected');
      await first.stop();
      await until(() => s.instruments.state().state === 'error', 10_000, 'the lost connection');
      expect(s.instruments.state().message).toMatch(/reconnecting|could not connect/);
      // The instrument is back on the same address: the manager finds it by itself.
      again = await startEmulator({ driver: 'keithley2450', time: 'simulated', listen: { host: '127.0.0.1', port } });
      await until(() => s.instruments.state().state === 'connected', 30_000, 'the reconnection');
      expect(s.instruments.state()).toMatchObject({ port: first.resource, idn: again.idn });
    } finally {
      await s.instruments.disconnect();
      await first.stop();
      await again?.stop();
    }
  });

  it('reaches a GPIB address through the configured Prologix controller', { timeout: 60_000 }, async () => {
    const { s, call, refusal } = open();
    const emu = await startEmulator({ driver: 'keysight-b2900', time: 'simulated', prologix: { address: 24 } });
    try {
      expect((await refusal('instruments.configure', { path: 'GPIB::99' })).message).toMatch(/0 to 30/);
      const config = await call<ConnectionConfig>('instruments.configure', { path: 'GPIB::24', gpibController: emu.path });
      expect(config).toMatchObject({ kind: 'gpib', gpibController: emu.path });
      const state = await call<InstrumentState>('instruments.connect');
      expect(state).toMatchObject({ state: 'connected', port: `GPIB::24@${emu.path}` });
      expect(s.instruments.connected?.driver).toBe('keysight-b2900');
      // A run naming the bare address goes through the same controller.
      const run = s.runs.submit({ protocol: readsProtocol(3, '10 ms'), device: { kind: 'instrument', scheme: 'gpib', port: '24', driver: 'keysight-b2900', settings: {} } });
      expect((await s.runs.whenDone(run.runId)).status).toBe('completed');
    } finally {
      await s.instruments.disconnect();
      await emu.stop();
    }
  });
});
