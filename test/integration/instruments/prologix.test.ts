/**
 * GPIB through a Prologix controller: the host's escaping (CR, LF, ESC and '+' inside data), the
 * controller's setup before anything reaches the instrument, replies read with '++read eoi' only
 * after queries, and the refusals — no controller on the port, nobody at the GPIB address.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { connectInstrument } from '../../../electron/services/instruments/index';
import { PrologixController } from '../../../electron/services/instruments/emulator/index';
import { escapePrologix, isPrologixVersion, prologixSetup, unescapePrologix } from '../../../electron/services/instruments/transport/prologix';
import { connect, emulator } from './helpers';

describe('Prologix escaping', () => {
  it('escapes exactly CR, LF, ESC and +, and the controller reads the data back unchanged (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (data) => {
        const escaped = escapePrologix(data);
        expect(unescapePrologix(escaped)).toBe(data);
        // No bare CR or LF is left to end the line early.
        expect(escaped.replace(/\x1b[\s\S]/g, '')).not.toMatch(/[\r\n]/);
        // Nothing else is touched.
        expect(escaped.replace(/\x1b([\r\n\x1b+])/g, '$1')).toBe(data);
      }),
      { numRuns: 2000 },
    );
  });

  it('the emulated controller splits lines only at unescaped CR or LF', () => {
    const inner = { idn: 'X', replyTerminator: '\n', handle: (l: string) => [`got ${JSON.stringify(l)}`], output: () => ({ on: false, level: 0 }) };
    const controller = new PrologixController(inner, 5);
    const lines: string[] = [];
    const split = controller.splitLines((l) => lines.push(l));
    split.push(Buffer.from(`++addr 5\n${escapePrologix('A\r\nB+C')}\n++read eoi\n`, 'latin1'));
    expect(lines).toEqual(['++addr 5', escapePrologix('A\r\nB+C'), '++read eoi']);
    controller.handle('++auto 0');
    expect(controller.handle(lines[0]!)).toEqual([]);
    expect(controller.handle(lines[1]!)).toEqual([]);
    expect(controller.handle(lines[2]!)).toEqual(['got "A\\r\\nB+C"']);
  });

  it('sets the controller up for the instrument and knows a Prologix ++ver reply', () => {
    expect(prologixSetup(24, 'LF', 2000)).toEqual(['++savecfg 0', '++mode 1', '++addr 24', '++auto 0', '++eoi 1', '++eos 2', '++read_tmo_ms 2000']);
    expect(prologixSetup(3, 'CRLF', 60_000)).toContain('++read_tmo_ms 3000');
    expect(isPrologixVersion('Prologix GPIB-USB Controller version 6.107')).toBe(true);
    expect(isPrologixVersion('Prologix GPIB-ETHERNET Controller version 01.06.06.00')).toBe(true);
    expect(isPrologixVersion('KEITHLEY INSTRUMENTS INC.,MODEL 2400,1,A')).toBe(false);
  });
});

describe('GPIB through the emulated Prologix GPIB-USB', () => {
  it('configures the controller, then reads replies with ++read eoi after queries only', async () => {
    const emu = await emulator({ driver: 'keysight-b2900', time: 'simulated', prologix: { address: 24 } });
    const inst = await connect({ path: emu.resource, driver: 'keysight-b2900' });
    expect(emu.resource).toBe(`GPIB::24@${emu.path}`);
    expect(emu.prologix!.settings()).toMatchObject({ mode: 1, addr: 24, auto: 0, eoi: 1, eos: 2 });
    await inst.read(0.1);
    const log = inst.log.entries().filter((e) => e.dir === 'out').map((e) => e.text);
    expect(log.slice(0, 9)).toEqual(['++ver', '++savecfg 0', '++mode 1', '++addr 24', '++auto 0', '++eoi 1', '++eos 2', '++read_tmo_ms 2000', '']);
    // What the controller was sent, in order: its own '++' lines and the instrument's commands, whole.
    const commands = emu.exchanges.map((x) => x.command);
    expect(commands).toContain(':MEAS:CURR? (@1)');
    // Every query was followed by a read request; no command without a reply was.
    for (let k = 0; k < commands.length - 1; k++) {
      const c = commands[k]!;
      if (c.startsWith('++')) continue;
      if (c.includes('?')) expect(commands[k + 1]).toBe('++read eoi');
      else expect(commands[k + 1]).not.toBe('++read eoi');
    }
  });

  it('refuses a port with no Prologix controller on it, before the instrument is sent anything', async () => {
    const emu = await emulator({ driver: 'keithley2400', time: 'simulated' });
    const error = await connectInstrument({ path: `GPIB::24@${emu.path}`, driver: 'keithley2400' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ kind: 'identify', message: expect.stringMatching(/^no Prologix controller answered \+\+ver/) });
  });

  it('nobody at the GPIB address: identification times out, saying what was asked', async () => {
    const emu = await emulator({ driver: 'keithley2450', time: 'simulated', prologix: { address: 24 } });
    const error = await connectInstrument({ path: `GPIB::9@${emu.path}`, driver: 'keithley2450', serial: { identifyTimeoutMs: 300 } }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ kind: 'identify', message: expect.stringMatching(/^no reply to \*IDN\? within 300 ms/) });
    expect(emu.measurements).toHaveLength(0);
  });

  it('a GPIB address without a controller is refused with what to set', async () => {
    await expect(connectInstrument({ path: 'GPIB::24', driver: 'keithley2450' })).rejects.toMatchObject({ kind: 'open-failed', message: expect.stringMatching(/needs a Prologix controller/) });
  });
});
