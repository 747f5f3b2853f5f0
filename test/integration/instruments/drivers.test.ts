import { describe, expect, it } from 'vitest';
import { DRIVER_NAMES, InstrumentError, instrumentDevice, type DriverName } from '../../../electron/services/instruments/index';
import { connect, emulator, paperSpikeTrain, relativeChange, runOnDevice, settled, simulateReads } from './helpers';

/**
 * Every driver against the emulator over a real pseudo-terminal pair: identification, the paper's
 * spike train through the instrument-backed Device (via shared/protocol's interpreter) matching a
 * direct simulation of the same preset and seed, and the safety rules.
 */
const IDENTITY: Record<DriverName, RegExp> = {
  keithley2400: /^KEITHLEY INSTRUMENTS INC\.,MODEL 2400,VIRTUAL-/,
  keithley2450: /^KEITHLEY INSTRUMENTS,MODEL 2450,VIRTUAL-/,
  keithley2600: /^Keithley Instruments, Model 2602B, VIRTUAL-/,
  'keysight-b2900': /^Keysight Technologies,B2901A,VIRTUAL-/,
  'pulse-board': /^OK MWB-PULSE-BOARD,1,Memristor Workbench,Virtual pulse board,/,
};

/** Commands that can switch an output on, per driver, and the command that sets the compliance. */
const OUTPUT_ON: Record<DriverName, RegExp> = {
  keithley2400: /^:READ\?$|^:OUTP ON$/,
  keithley2450: /^:OUTP ON$|^:READ\?/,
  keithley2600: /OUTPUT_ON|PulseVMeasureI/,
  'keysight-b2900': /^:OUTP ON$|^:INIT|^:MEAS/,
  'pulse-board': /^(PULSE|READ) /,
};
const COMPLIANCE_SET: Record<DriverName, RegExp> = {
  keithley2400: /^:SENS:CURR:PROT 0\.0002$/,
  keithley2450: /^:SOUR:VOLT:ILIM 0\.0002$/,
  keithley2600: /^smua\.source\.limiti = 0\.0002$/,
  'keysight-b2900': /^:SENS:CURR:PROT 0\.0002$/,
  'pulse-board': /^LIMITS 3V 0\.0002A 0\.5s 0\.0002A$/,
};
/** The over-voltage protection, or (where an instrument has none for a voltage source) the smallest source range above the limit. */
const OVER_VOLTAGE_SET: Record<DriverName, RegExp> = {
  keithley2400: /^:SOUR:VOLT:PROT 3$/,
  keithley2450: /^:SOUR:VOLT:PROT PROT5$/,
  keithley2600: /^smua\.source\.rangev = 6$/,
  'keysight-b2900': /^:SOUR:VOLT:RANG 20$/,
  'pulse-board': /^LIMITS 3V /,
};

describe.each(DRIVER_NAMES)('%s driver over a pty', (driver) => {
  it('identifies, and the paper spike train gives the same ΔG as simulating the model directly', async () => {
    const seed = 11;
    const emu = await emulator({ driver, time: 'simulated', seed });
    const inst = await connect({ path: emu.path, driver });
    expect(inst.idn).toMatch(IDENTITY[driver]);
    const device = instrumentDevice(inst, { clock: emu.clock });
    const program = paperSpikeTrain();
    const measured = await runOnDevice(program, device);
    const simulated = simulateReads(program, 'intrinsic-gradient', seed);

    expect(measured).toHaveLength(100);
    expect(simulated).toHaveLength(100);
    // Same seed, same read-noise stream: read by read within the 1 % read noise, and the same ΔG.
    for (let k = 0; k < 100; k++) expect(Math.abs(measured[k]! / simulated[k]! - 1)).toBeLessThan(0.01);
    const dG = relativeChange(measured);
    expect(Math.abs(dG - relativeChange(simulated))).toBeLessThan(0.005);
    expect(dG).toBeLessThan(-0.9);
    // The device lived through the protocol's 100 s on the emulator's simulated clock.
    expect(device.now()).toBeGreaterThan(99);
    expect(device.now()).toBeLessThan(101);
    expect(emu.measurements.filter((m) => m.kind === 'pulse')).toHaveLength(100);
  });

  it('sets the compliance and mirrors the voltage limit before any output can go on', async () => {
    const emu = await emulator({ driver, time: 'simulated' });
    const inst = await connect({ path: emu.path, driver, limits: { maxVoltage: 3, compliance: 2e-4, maxWidth: 0.5 } });
    const device = instrumentDevice(inst, { clock: emu.clock });
    await device.read(0.1);
    await device.pulse(2, 0.01);
    await settled(emu, inst);
    const commands = emu.exchanges.map((e) => e.command);
    const compliance = commands.findIndex((c) => COMPLIANCE_SET[driver].test(c));
    const overVoltage = commands.findIndex((c) => OVER_VOLTAGE_SET[driver].test(c));
    const firstOn = commands.findIndex((c) => OUTPUT_ON[driver].test(c));
    expect(compliance).toBeGreaterThanOrEqual(0);
    expect(overVoltage).toBeGreaterThanOrEqual(0);
    expect(firstOn).toBeGreaterThan(compliance);
    expect(firstOn).toBeGreaterThan(overVoltage);
    expect(inst.limits).toMatchObject({ maxVoltage: 3, compliance: 2e-4, maxWidth: 0.5 });
  });

  it('leaves the output off at 0 V after every operation, and after close', async () => {
    const emu = await emulator({ driver, time: 'simulated' });
    const inst = await connect({ path: emu.path, driver });
    const device = instrumentDevice(inst, { clock: emu.clock });
    for (let k = 0; k < 5; k++) {
      await device.pulse(2, 0.01);
      await settled(emu, inst);
      expect(emu.output()).toEqual({ on: false, level: 0 });
      await device.read(0.1);
      await settled(emu, inst);
      expect(emu.output()).toEqual({ on: false, level: 0 });
    }
    await device.outputOff();
    await device.outputOff();
    expect(inst.safetyEvents.filter((e) => e.reason === 'requested').every((e) => e.ok && e.confirmed)).toBe(true);
    await device.close();
    expect(emu.output()).toEqual({ on: false, level: 0 });
    expect(inst.safetyEvents.at(-1)).toMatchObject({ reason: 'close', ok: true });
    expect(inst.connected).toBe(false);
    await expect(device.read(0.1)).rejects.toMatchObject({ kind: 'closed' });
  });

  it('refuses an unsafe pulse or read before sending a single byte', async () => {
    const emu = await emulator({ driver, time: 'simulated' });
    const inst = await connect({ path: emu.path, driver, limits: { maxVoltage: 3, maxWidth: 0.1 } });
    const device = instrumentDevice(inst, { clock: emu.clock });
    await settled(emu, inst);
    const sentBefore = inst.log.entries().filter((e) => e.dir === 'out').length;
    const commandsBefore = emu.commandCount;
    const refusals: [() => Promise<unknown>, RegExp][] = [
      [() => device.pulse(3.5, 0.01), /3\.5 V.*limit of 3 V/],
      [() => device.pulse(-4, 0.01), /limit of 3 V/],
      [() => device.pulse(2, 0.2), /limit of 100 ms/],
      [() => device.pulse(2, 0), /width must be positive/],
      [() => device.pulse(Number.NaN, 0.01), /finite/],
      [() => device.read(5), /limit of 3 V/],
      [() => device.read(0), /non-zero/],
    ];
    for (const [attempt, message] of refusals) {
      const error = await attempt().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InstrumentError);
      expect(error).toMatchObject({ kind: 'unsafe' });
      expect((error as Error).message).toMatch(message);
    }
    expect(inst.log.entries().filter((e) => e.dir === 'out').length).toBe(sentBefore);
    expect(emu.commandCount).toBe(commandsBefore);
    expect(emu.measurements).toHaveLength(0);
    // The limits still allow what is inside them.
    await expect(device.pulse(3, 0.1)).resolves.toBeDefined();
  });

  it('reports a compliance trip as its own kind of error, with the output switched off', async () => {
    const emu = await emulator({ driver, time: 'simulated', noise: false });
    // 2 V on a pristine 10 µS device draws 20 µA; the limit is 10 µA. Reads (1 µA) stay below.
    const inst = await connect({ path: emu.path, driver, limits: { compliance: 1e-5, readCompliance: 1e-5 } });
    const device = instrumentDevice(inst, { clock: emu.clock });
    const before = await device.read(0.1);
    expect(before.conductance).toBeCloseTo(1e-5, 9);
    await expect(device.pulse(2, 0.01)).rejects.toMatchObject({ kind: 'compliance' });
    await settled(emu, inst);
    expect(emu.output()).toEqual({ on: false, level: 0 });
    expect(emu.measurements.at(-1)).toMatchObject({ kind: 'pulse', tripped: true });
    expect(inst.safetyEvents.at(-1)).toMatchObject({ ok: true });
    expect(inst.safetyEvents.at(-1)!.reason).toMatch(/compliance/);
    // The run can resume: the instrument is still usable.
    await expect(device.read(0.1)).resolves.toMatchObject({ current: expect.any(Number) });
  });

  it('uses a separate, tighter compliance for reads', async () => {
    const emu = await emulator({ driver, time: 'simulated', noise: false });
    const inst = await connect({ path: emu.path, driver, limits: { compliance: 1e-3, readCompliance: 1e-7 } });
    const device = instrumentDevice(inst, { clock: emu.clock });
    await expect(device.pulse(2, 0.01)).resolves.toBeDefined();
    // 0.1 V on ~9 µS is ~0.9 µA, above the 0.1 µA read limit.
    await expect(device.read(0.1)).rejects.toMatchObject({ kind: 'compliance' });
    await expect(device.pulse(2, 0.01)).resolves.toBeDefined();
  });

  it('drains the error queue and reports none after a clean configuration', async () => {
    const emu = await emulator({ driver, time: 'simulated' });
    const inst = await connect({ path: emu.path, driver });
    await expect(inst.queryErrors()).resolves.toEqual([]);
  });
});

describe('keithley2400 specifics', () => {
  it('turns a 2400 error queue entry into an error that names it', async () => {
    const emu = await emulator({ driver: 'keithley2400', time: 'simulated' });
    const inst = await connect({ path: emu.path, driver: 'keithley2400' });
    // Something outside the driver (a user at the front panel, a script) left an error behind.
    const raw = (inst as unknown as { transport: { write(c: string): Promise<void> } }).transport;
    await raw.write(':BOGUS:COMMAND 1');
    await expect(inst.queryErrors()).resolves.toEqual(['-113, Undefined header']);
  });

  it('refuses a pulse shorter than the integration time of one reading', async () => {
    const emu = await emulator({ driver: 'keithley2400', time: 'simulated' });
    const inst = await connect({ path: emu.path, driver: 'keithley2400' });
    await expect(inst.pulse(2, 1e-4)).rejects.toMatchObject({ kind: 'unsafe', message: expect.stringMatching(/integration time/) });
  });
});

describe('connectInstrumentDevice', () => {
  it('gives the run engine a Device whose snapshot records the instrument and its settings', async () => {
    const { connectInstrumentDevice } = await import('../../../electron/services/instruments/index');
    const emu = await emulator({ driver: 'pulse-board', time: 'simulated' });
    const device = await connectInstrumentDevice({ path: emu.path, driver: 'pulse-board', limits: { maxVoltage: 4 } }, { clock: emu.clock });
    try {
      expect(device.kind).toBe('instrument');
      expect(device.snapshot()).toMatchObject({
        kind: 'instrument',
        driver: 'pulse-board',
        port: emu.path,
        idn: emu.idn,
        serial: { baudRate: 115200, writeTerminator: 'LF' },
        limits: { maxVoltage: 4, compliance: 1e-3, maxWidth: 1 },
        boardLimits: { maxVoltage: 4 },
      });
    } finally {
      await device.close();
    }
    expect(device.instrument.connected).toBe(false);
  });
});
