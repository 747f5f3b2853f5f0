import { existsSync, lstatSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeviceModel, ReadResult } from '../../../shared/device/model';
import { connectInstrument, instrumentDevice, type Emulator } from '../../../electron/services/instruments/index';
import { connect, emulator, onCleanup, openRaw, sleep, tempDir } from './helpers';

/** A model that only records how much time it was asked to relax, and answers reads with G0. */
class ClockModel implements DeviceModel {
  readonly kind = 'clock';
  readonly g0 = 1e-5;
  relaxed = 0;
  pulses: [number, number][] = [];
  pulse(amplitude: number, width: number): void {
    this.pulses.push([amplitude, width]);
  }
  relax(dt: number): void {
    this.relaxed += dt;
  }
  read(voltage: number): ReadResult {
    return { current: this.g0 * voltage, conductance: this.g0 };
  }
  conductance(): number {
    return this.g0;
  }
  state(): Readonly<Record<string, number>> {
    return { relaxed: this.relaxed };
  }
  efficacyOf(amplitude: number): number {
    return amplitude > 1 ? 1 : 0;
  }
}

/** Talks to an emulator by hand, one line at a time, as firmware authors would with a terminal. */
async function terminal(emu: Emulator, terminator = '\n') {
  const port = await openRaw(emu.path);
  let buffer = '';
  const lines: string[] = [];
  port.on('data', (d: Buffer) => {
    buffer += d.toString('latin1');
    const parts = buffer.split(/\r\n|\r|\n/);
    buffer = parts.pop()!;
    lines.push(...parts.filter((l) => l !== ''));
  });
  return async (command: string, expectReply = true, ending = terminator): Promise<string | null> => {
    const before = lines.length;
    port.write(command + ending);
    if (!expectReply) {
      await sleep(30);
      return lines.length > before ? lines[before]! : null;
    }
    for (let k = 0; k < 200 && lines.length === before; k++) await sleep(5);
    return lines[before] ?? null;
  };
}

describe('emulator time', () => {
  it('simulated time advances by exactly what the commands and waits ask for', async () => {
    const model = new ClockModel();
    const emu = await emulator({ driver: 'pulse-board', time: 'simulated', model });
    const inst = await connect({ path: emu.path, driver: 'pulse-board' });
    const device = instrumentDevice(inst, { clock: emu.clock });
    await device.pulse(2, 0.01);
    await device.read(0.1);
    await device.wait(100);
    await sleep(50);
    // 10 ms pulse + 1 ms read integration + 100 s wait, and none of the real 50 ms.
    expect(model.relaxed).toBeCloseTo(100.011, 9);
    expect(device.now()).toBeCloseTo(100.011, 9);
    expect(model.pulses).toEqual([[2, 0.01]]);
  });

  it('wall time: the model relaxes by the wall-clock time between commands, a pulse counted once', async () => {
    const model = new ClockModel();
    // The emulator's wall clock, moved by hand: what the model relaxes by is then exact.
    let nowMs = 1000;
    const emu = await emulator({ driver: 'pulse-board', time: 'wall', model, wallClockMs: () => nowMs });
    const inst = await connect({ path: emu.path, driver: 'pulse-board' });
    const device = instrumentDevice(inst);
    await device.read(0.1);
    nowMs += 100;
    await device.pulse(2, 0.2);
    expect(model.pulses).toEqual([[2, 0.2]]);
    const before = model.relaxed;
    nowMs += 500;
    await device.read(0.1);
    // 500 ms passed since the pulse began: its own 200 ms are in the pulse, the other 300 ms relax.
    expect(model.relaxed - before).toBeCloseTo(0.3, 9);
    expect(emu.dut.now()).toBeCloseTo(0.6, 9);
    expect(() => emu.dut.advance(1)).toThrow(/simulated time/);
  });
});

describe('emulator lifecycle', () => {
  it('makes the --link symlink, and removes it and stops socat on stop()', async () => {
    const link = path.join(tempDir(), 'k2400');
    const emu = await emulator({ driver: 'keithley2400', time: 'simulated', link });
    expect(emu.path).toBe(link);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    const inst = await connectInstrument({ path: link, driver: 'keithley2400' });
    onCleanup(() => inst.close());
    await emu.stop();
    await emu.stopped;
    expect(existsSync(link)).toBe(false);
    expect(() => process.kill(emu.socatPid!, 0)).toThrow();
    for (let k = 0; k < 100 && inst.connected; k++) await sleep(10);
    expect(inst.connected).toBe(false);
  });

  it('refuses to overwrite a file at the --link path', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'taken');
    await import('node:fs').then((fs) => fs.writeFileSync(file, 'mine'));
    await expect(emulator({ driver: 'pulse-board', link: file })).rejects.toThrow(/a file already exists there/);
  });
});

describe('pulse-board reference firmware (the protocol as documented)', () => {
  it('answers every command exactly once with OK or ERR and the documented fields', async () => {
    const emu = await emulator({ driver: 'pulse-board', time: 'simulated', noise: false });
    const say = await terminal(emu);
    expect(await say('*IDN?')).toMatch(/^OK MWB-PULSE-BOARD,1,[^,]+,[^,]+,[^,]+,[^,]+$/);
    expect(await say('PULSE 2V 0.01s')).toBe('ERR NOLIMITS send LIMITS before PULSE or READ');
    expect(await say('LIMITS?')).toMatch(/^ERR NOLIMITS /);
    expect(await say('LIMITS 20V 0.5A 1s 0.001A')).toBe('OK 10V 0.1A 1s 0.001A');
    expect(await say('LIMITS 5V 0.001A 1s 0.0001A')).toBe('OK 5V 0.001A 1s 0.0001A');
    expect(await say('PULSE 6V 0.01s')).toMatch(/^ERR LIMIT /);
    expect(await say('PULSE 2V 2s')).toMatch(/^ERR LIMIT /);
    expect(await say('PULSE 2 0.01')).toMatch(/^ERR SYNTAX /);
    expect(await say('PULSE 2V 10ms')).toMatch(/^ERR SYNTAX expected a number with the unit s/);
    expect(await say('pulse 2V 0.01s')).toBe('OK 2V 0.01s 2.000000e-5A');
    expect(await say('READ 0.1V')).toMatch(/^OK 0\.1V 9\.\d{6}e-7A$/);
    expect(await say('OFF')).toBe('OK');
    expect(await say('ERR?')).toBe('OK NONE');
    expect(await say('FROB')).toBe("ERR UNKNOWN unknown command 'FROB'");
    expect(await say('', false)).toBeNull();
    // CR and CRLF terminators work too.
    expect(await say('OFF', true, '\r\n')).toBe('OK');
    expect(await say('ERR?', true, '\r')).toBe('OK NONE');
  });
});

describe('Keithley 2400 emulation', () => {
  it('takes long and short SCPI forms, ;-chained commands, and queues errors', async () => {
    const emu = await emulator({ driver: 'keithley2400', time: 'simulated', noise: false });
    const say = await terminal(emu, '\r');
    await say(':SOURce:VOLTage:PROTection 5;:SENSe:CURRent:PROTection 1E-3', false);
    expect(await say(':SENS:CURR:PROT?')).toBe('+1.000000E-03');
    expect(await say(':FORM:ELEM VOLT,CURR;:SOUR:CLE:AUTO ON;:SOUR:VOLT 0.1;:READ?')).toBe('+1.000000E-01,+1.000000E-06');
    expect(emu.output().on).toBe(false);
    await say(':SOUR:VOLT 7', false);
    expect(await say(':SYST:ERR?')).toBe('-222,"Parameter data out of range"');
    await say(':NOPE', false);
    expect(await say(':SYSTem:ERRor?')).toBe('-113,"Undefined header"');
    expect(await say(':SYST:ERR?')).toBe('0,"No error"');
  });
});
