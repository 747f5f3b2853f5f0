import { describe, expect, it } from 'vitest';
import { DRIVER_NAMES, InstrumentError, instrumentDevice, isInstrumentError, type DriverName } from '../../../electron/services/instruments/index';
import { connect, emulator, paperSpikeTrain, runOnDevice, settled, sleep } from './helpers';

/**
 * The failures a lab meets: the instrument vanishes mid-run, line noise, a slow or silent
 * instrument. Each must end in a clear error, the output switched off (or the attempt recorded),
 * and never a hang or a wrong value.
 */
const MEASURE_COMMAND: Record<DriverName, string> = {
  keithley2400: ':READ?',
  keithley2450: ':READ? "defbuffer1", SOUR, READ',
  keithley2600: 'print(smua.measure.i())',
  'keysight-b2900': ':MEAS:CURR? (@1)',
  'pulse-board': 'READ 0.1V',
};

describe.each(DRIVER_NAMES)('%s under faults', (driver) => {
  it('socat killed mid-run: the next operation fails with "the port closed", output off attempted, no hang', async () => {
    const emu = await emulator({ driver, time: 'simulated', seed: 5 });
    const inst = await connect({ path: emu.path, driver });
    const device = instrumentDevice(inst, { clock: emu.clock });
    const disconnected = new Promise<string>((resolve) => inst.onDisconnect(resolve));
    let killedAt = -1;
    const error = await runOnDevice(paperSpikeTrain(), device, {
      afterOp: (k) => {
        if (k === 60) {
          killedAt = k;
          process.kill(emu.socatPid!, 'SIGKILL');
        }
      },
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(killedAt).toBe(60);
    expect(error).toBeInstanceOf(InstrumentError);
    expect(error).toMatchObject({ kind: 'port-closed' });
    // The close is detected, not waited out: a timeout would have been kind 'timeout'.
    expect((error as Error).message).toMatch(/the port closed/);
    await expect(disconnected).resolves.toBeTruthy();
    expect(inst.connected).toBe(false);
    // The output-off was attempted and its failure recorded (the attempt follows the notice).
    const failedOff = () => inst.safetyEvents.filter((e) => e.action === 'output-off' && !e.ok);
    for (let i = 0; i < 100 && failedOff().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const offAttempts = failedOff();
    expect(offAttempts.length).toBeGreaterThan(0);
    expect(offAttempts.some((e) => /port closed/.test(e.error ?? ''))).toBe(true);
    // Later operations fail at once with the same kind; output off and close never throw.
    await expect(device.read(0.1)).rejects.toMatchObject({ kind: 'port-closed' });
    await expect(device.outputOff()).resolves.toBeUndefined();
    await expect(device.close()).resolves.toBeUndefined();
    await emu.stopped;
  });

  it('garbled replies (5 %) become errors; every value returned matches what the instrument measured', async () => {
    const emu = await emulator({ driver, time: 'simulated', seed: 21 });
    const inst = await connect({ path: emu.path, driver });
    emu.faults.garble = 0.05;
    const device = instrumentDevice(inst, { clock: emu.clock });
    let returned = 0;
    const failures: InstrumentError[] = [];
    for (let k = 0; k < 150; k++) {
      const before = emu.measurements.length;
      const op = k % 2 === 0 ? device.pulse(2, 0.01).then((r) => r.current) : device.read(0.1).then((r) => r.current);
      const outcome = await op.then(
        (current) => ({ current }),
        (e: unknown) => ({ error: e }),
      );
      if ('error' in outcome) {
        expect(isInstrumentError(outcome.error)).toBe(true);
        failures.push(outcome.error as InstrumentError);
        continue;
      }
      // Exactly one source–measure cycle happened for this operation, and its value came back.
      const cycles = emu.measurements.slice(before);
      expect(cycles).toHaveLength(1);
      const truth = cycles[0]!.current;
      expect(Math.abs(outcome.current - truth)).toBeLessThanOrEqual(Math.abs(truth) * 1e-5);
      returned++;
    }
    const garbled = emu.exchanges.filter((e) => e.sent !== null && e.sent !== e.reply).length;
    expect(garbled).toBeGreaterThan(3);
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((f) => f.kind === 'protocol' || f.kind === 'instrument')).toBe(true);
    expect(failures.some((f) => /garbled reply/.test(f.message))).toBe(true);
    expect(returned).toBeGreaterThan(100);
    // Once the line is clean again the instrument carries on.
    emu.faults.garble = 0;
    await expect(device.read(0.1)).resolves.toMatchObject({ current: expect.any(Number) });
  });

  it('a reply slower than the timeout fails with an error naming the command; the next operation resynchronises', async () => {
    const emu = await emulator({ driver, time: 'simulated' });
    const inst = await connect({ path: emu.path, driver, serial: { timeoutMs: 250 } });
    const device = instrumentDevice(inst, { clock: emu.clock });
    const first = await device.read(0.1);
    emu.faults.delayMs = 600;
    const error = await device.read(0.1).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ kind: 'timeout', command: MEASURE_COMMAND[driver] });
    expect((error as Error).message).toBe(`no reply to '${MEASURE_COMMAND[driver]}' within 250 ms`);
    // The late reply must not be taken for the next command's: a fresh read returns a fresh value.
    emu.faults.delayMs = 0;
    await sleep(700);
    const before = emu.measurements.length;
    const again = await device.read(0.1);
    const truth = emu.measurements.slice(before).map((m) => m.current);
    expect(truth).toHaveLength(1);
    expect(Math.abs(again.current - truth[0]!)).toBeLessThanOrEqual(Math.abs(truth[0]!) * 1e-5);
    expect(again.current).not.toBe(first.current);
    expect(inst.log.entries().some((e) => e.text.includes('resynchronising'))).toBe(true);
  });

  it('an instrument slower than the identification timeout is refused with a clear message', async () => {
    const emu = await emulator({ driver, time: 'simulated', delayMs: 500 });
    const error = await connect({ path: emu.path, driver, serial: { identifyTimeoutMs: 200 } }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ kind: 'identify' });
    expect((error as Error).message).toMatch(/^no reply to \*IDN\? within 200 ms/);
  });

  it('an instrument that stops answering (--drop-after) gives timeouts, not a hang', async () => {
    const emu = await emulator({ driver, time: 'simulated' });
    const inst = await connect({ path: emu.path, driver, serial: { timeoutMs: 200 } });
    const device = instrumentDevice(inst, { clock: emu.clock });
    await device.read(0.1);
    await settled(emu, inst);
    emu.faults.dropAfter = emu.commandCount;
    await expect(device.pulse(2, 0.01)).rejects.toMatchObject({ kind: 'timeout' });
    await expect(device.read(0.1)).rejects.toMatchObject({ kind: 'timeout' });
    // The output-off after each failure was sent but could not be confirmed.
    const last = inst.safetyEvents.at(-1)!;
    expect(last.confirmed).toBe(false);
    await device.close();
  });
});
