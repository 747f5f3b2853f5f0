/**
 * Every transport behind the one line transport, against the emulator: a raw SCPI socket on a
 * loopback TCP port, the usbtmc character-device link (on a pseudo-terminal here — the kernel's
 * usbtmc device needs a USB-TMC instrument; a pty gives the same write-then-read semantics), and
 * GPIB through an emulated Prologix controller on a pseudo-terminal (GPIB-USB) and on TCP
 * (GPIB-Ethernet). On each: the driver chosen by *IDN?, values that are what the instrument
 * measured, garbled replies detected, timeouts naming the command, and a lost link ending every
 * waiting command with kind 'port-closed'.
 */
import { describe, expect, it } from 'vitest';
import type { DriverName } from '../../../electron/services/instruments/index';
import { instrumentDevice, type Emulator, type EmulatorOptions, type InstrumentError } from '../../../electron/services/instruments/index';
import { connect, emulator, sleep } from './helpers';

interface Case {
  name: string;
  driver: DriverName;
  start: Partial<EmulatorOptions>;
  /** The resource a client connects to. */
  resource: (emu: Emulator) => string;
}

const CASES: Case[] = [
  { name: 'LAN raw socket (2450)', driver: 'keithley2450', start: { listen: { host: '127.0.0.1', port: 0 } }, resource: (e) => e.resource },
  { name: 'usbtmc link (B2900)', driver: 'keysight-b2900', start: {}, resource: (e) => `USB::${e.path}` },
  { name: 'GPIB via Prologix GPIB-USB (B2900)', driver: 'keysight-b2900', start: { prologix: { address: 24 } }, resource: (e) => e.resource },
  { name: 'GPIB via Prologix GPIB-Ethernet (2450)', driver: 'keithley2450', start: { prologix: { address: 7 }, listen: { host: '127.0.0.1', port: 0 } }, resource: (e) => e.resource },
  { name: 'LAN raw socket (2600B, TSP)', driver: 'keithley2600', start: { listen: { host: '127.0.0.1', port: 0 } }, resource: (e) => e.resource },
];

describe.each(CASES)('$name', ({ driver, start, resource }) => {
  it('chooses the driver by *IDN?, and returns exactly what the instrument measured', async () => {
    const emu = await emulator({ driver, time: 'simulated', seed: 3, ...start });
    const inst = await connect({ path: resource(emu) });
    expect(inst.driver).toBe(driver);
    expect(inst.virtual).toBe(true);
    expect(inst.port).toBe(resource(emu).startsWith('USB::') ? resource(emu) : emu.resource);
    const device = instrumentDevice(inst, { clock: emu.clock });
    for (let k = 0; k < 5; k++) {
      const before = emu.measurements.length;
      const pulse = await device.pulse(2, 0.01);
      const read = await device.read(0.1);
      const truth = emu.measurements.slice(before).map((m) => m.current);
      expect(truth).toHaveLength(2);
      expect(Math.abs(pulse.current - truth[0]!)).toBeLessThanOrEqual(Math.abs(truth[0]!) * 1e-5);
      expect(Math.abs(read.current - truth[1]!)).toBeLessThanOrEqual(Math.abs(truth[1]!) * 1e-5);
    }
    expect(emu.output()).toEqual({ on: false, level: 0 });
  });

  it('detects garbled replies (5 %) and never returns a corrupted value', async () => {
    const emu = await emulator({ driver, time: 'simulated', seed: 21, ...start });
    const inst = await connect({ path: resource(emu), driver });
    emu.faults.garble = 0.05;
    const device = instrumentDevice(inst, { clock: emu.clock });
    const failures: InstrumentError[] = [];
    let returned = 0;
    for (let k = 0; k < 120; k++) {
      const before = emu.measurements.length;
      const outcome = await (k % 2 === 0 ? device.pulse(2, 0.01) : device.read(0.1)).then(
        (r) => ({ current: r.current }),
        (e: unknown) => ({ error: e as InstrumentError }),
      );
      if ('error' in outcome) {
        failures.push(outcome.error);
        continue;
      }
      const truth = emu.measurements.slice(before);
      expect(truth).toHaveLength(1);
      expect(Math.abs(outcome.current - truth[0]!.current)).toBeLessThanOrEqual(Math.abs(truth[0]!.current) * 1e-5);
      returned++;
    }
    expect(emu.exchanges.filter((e) => e.sent !== null && e.sent !== e.reply).length).toBeGreaterThan(2);
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.filter((f) => f.kind !== "protocol" && f.kind !== "instrument").map((f) => `${f.kind}: ${f.message}`)).toEqual([]);
    expect(failures.some((f) => /garbled reply/.test(f.message))).toBe(true);
    expect(returned).toBeGreaterThan(60);
    emu.faults.garble = 0;
    await expect(device.read(0.1)).resolves.toMatchObject({ current: expect.any(Number) });
  });

  it('a reply later than the timeout fails naming the command; the next operation resynchronises', async () => {
    const emu = await emulator({ driver, time: 'simulated', ...start });
    const inst = await connect({ path: resource(emu), driver, serial: { timeoutMs: 250 } });
    const device = instrumentDevice(inst, { clock: emu.clock });
    await device.read(0.1);
    emu.faults.delayMs = 600;
    await expect(device.read(0.1)).rejects.toMatchObject({ kind: 'timeout', message: expect.stringMatching(/^no reply to '.+' within 250 ms$/) });
    emu.faults.delayMs = 0;
    await sleep(700);
    const before = emu.measurements.length;
    const again = await device.read(0.1);
    const truth = emu.measurements.slice(before).map((m) => m.current);
    expect(truth).toHaveLength(1);
    expect(Math.abs(again.current - truth[0]!)).toBeLessThanOrEqual(Math.abs(truth[0]!) * 1e-5);
  });

  it('the instrument going away fails the waiting and later commands with "the port closed"', async () => {
    const emu = await emulator({ driver, time: 'simulated', ...start });
    const inst = await connect({ path: resource(emu), driver, serial: { timeoutMs: 60_000 } });
    const device = instrumentDevice(inst, { clock: emu.clock });
    await device.read(0.1);
    const lost = new Promise<string>((resolve) => inst.onDisconnect(resolve));
    emu.faults.delayMs = 30_000;
    const waiting = device.read(0.1).then(
      () => null,
      (e: unknown) => e,
    );
    await sleep(50);
    await emu.stop();
    // A timeout would be kind 'timeout' (and 60 s away): this is the close being noticed.
    expect(await waiting).toMatchObject({ kind: 'port-closed' });
    await expect(lost).resolves.toBeTruthy();
    await expect(device.read(0.1)).rejects.toMatchObject({ kind: 'port-closed' });
    expect(inst.connected).toBe(false);
  });
});
