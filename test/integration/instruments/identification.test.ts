import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectInstrument, DRIVER_NAMES, type DriverName } from '../../../electron/services/instruments/index';
import { emulator, openRaw, ptyPair, socat, tempDir } from './helpers';

/**
 * Whatever answers on the port must identify as the instrument the driver expects; anything else is
 * refused at identification, with what it said — and is sent nothing but the identification query.
 */
const EXPECTED: Record<DriverName, string> = {
  keithley2400: 'expected a Keithley 2400-series reply to *IDN?',
  keithley2450: 'expected a Keithley 2450 reply to *IDN?',
  keithley2600: 'expected a Keithley 2600-series reply to *IDN?',
  'keysight-b2900': 'expected a Keysight B2901A/B2902A reply to *IDN?',
  'pulse-board': "expected an 'MWB-PULSE-BOARD,1,…' reply to *IDN?",
};

async function refusal(driver: DriverName, port: string, identifyTimeoutMs = 300): Promise<Error & { kind?: string }> {
  const error = await connectInstrument({ path: port, driver, serial: { identifyTimeoutMs } }).then(
    async (inst) => {
      await inst.close();
      return null;
    },
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error(`the ${driver} driver accepted what is on ${port}`);
  return error;
}

describe.each(DRIVER_NAMES)('%s identification', (driver) => {
  it('refuses a device that answers nonsense, quoting it, and sends it nothing else', async () => {
    const pair = await ptyPair();
    const far = await openRaw(pair.instrumentEnd);
    let received = '';
    far.on('data', (d: Buffer) => {
      received += d.toString('latin1');
      if (/[\r\n]/.test(d.toString('latin1')) && received.includes('IDN')) far.write('hello\r\n');
    });
    const error = await refusal(driver, pair.clientEnd);
    expect(error.kind).toBe('identify');
    expect(error.message).toBe(`${EXPECTED[driver]}, got 'hello'`);
    // Only a bare terminator and the query: no reset, no configuration, no output command.
    expect(received.split(/[\r\n]+/).filter((l) => l !== '')).toEqual(['*IDN?']);
  });

  it('refuses a port that echoes what it is sent (a loopback or terminal), saying so', async () => {
    const dir = tempDir();
    const link = path.join(dir, 'echo');
    await socat([`pty,raw,echo=0,link=${link}`, 'EXEC:cat']);
    const error = await refusal(driver, link);
    expect(error.kind).toBe('identify');
    expect(error.message).toMatch(/got '\*IDN\?' — the port echoes what it is sent/);
  });

  it('refuses a port where nothing answers, after the identification timeout', async () => {
    const pair = await ptyPair();
    await openRaw(pair.instrumentEnd);
    const error = await refusal(driver, pair.clientEnd, 300);
    expect(error.kind).toBe('identify');
    expect(error.message).toMatch(/^no reply to \*IDN\? within 300 ms \(expected .* at \d+ baud with (CR|LF) line endings\)$/);
  });

  it('refuses the wrong kind of instrument, quoting its identity', async () => {
    const other: DriverName = driver === 'keithley2400' ? 'keithley2600' : 'keithley2400';
    const emu = await emulator({ driver: other, time: 'simulated' });
    const error = await refusal(driver, emu.path);
    expect(error.kind).toBe('identify');
    expect(error.message).toContain(`${EXPECTED[driver]}, got '${emu.idn}'`);
    // Nothing but the identification reached it.
    expect(emu.exchanges.map((e) => e.command)).toEqual(['*IDN?']);
  });
});
