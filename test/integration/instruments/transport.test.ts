import { describe, expect, it } from 'vitest';
import { ConsoleLog, DEFAULT_SERIAL_SETTINGS, openTransport, resolveSettings, type SerialSettings, type Timers } from '../../../electron/services/instruments/index';
import { manualTimers, onCleanup, openRaw, ptyPair, sleep, until } from './helpers';

/** The serial line transport against a hand-driven other end of a real pty pair. */
async function setup(settings: Partial<SerialSettings> = {}, log?: ConsoleLog, timers?: Timers) {
  const pair = await ptyPair();
  const far = await openRaw(pair.instrumentEnd);
  const received: string[] = [];
  far.on('data', (d: Buffer) => received.push(d.toString('latin1')));
  const transport = await openTransport({ kind: 'serial', path: pair.clientEnd }, {
    settings: resolveSettings(DEFAULT_SERIAL_SETTINGS, settings),
    ...(log ? { log } : {}),
    ...(timers ? { timers } : {}),
  });
  onCleanup(() => transport.close());
  return { pair, far, transport, received: () => received.join('') };
}

describe('the line transport over a serial port', () => {
  it('accepts replies ending in CR, LF or CRLF, also split across reads', async () => {
    const { far, transport } = await setup();
    // Each reply as the instrument sends it: in one piece or in several, with pauses between.
    const script: string[][] = [['one\r'], ['two\n'], ['three\r\n'], ['fo', 'ur\r', '\n'], ['fi', 've\n']];
    let k = 0;
    far.on('data', () => {
      // The last reply waits until the previous one's trailing LF is surely through.
      const offset = k === script.length - 1 ? 100 : 0;
      const pieces = script[k++] ?? [];
      pieces.forEach((piece, n) => setTimeout(() => far.write(piece), offset + n * 20));
    });
    const replies: string[] = [];
    for (const q of ['A?', 'B?', 'C?', 'D?', 'E?']) replies.push(await transport.query(q));
    expect(replies).toEqual(['one', 'two', 'three', 'four', 'five']);
  });

  it.each([
    ['CR', '*IDN?\r'],
    ['LF', '*IDN?\n'],
    ['CRLF', '*IDN?\r\n'],
  ] as const)('ends every command with the configured terminator (%s)', async (terminator, bytes) => {
    const { transport, received } = await setup({ writeTerminator: terminator });
    await transport.write('*IDN?');
    await until(() => received().length >= bytes.length, 'the bytes at the far end');
    expect(received()).toBe(bytes);
  });

  it('runs concurrent queries one at a time, each getting its own reply', async () => {
    const { far, transport } = await setup();
    let buffer = '';
    far.on('data', (d: Buffer) => {
      buffer += d.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        // Answer out of step with a small delay, as a slow instrument would.
        setTimeout(() => far.write(`re:${line}\n`), 5);
      }
    });
    const out = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((c) => transport.query(c)));
    expect(out).toEqual(['re:a', 're:b', 're:c', 're:d', 're:e']);
  });

  it('a missing reply fails when its timeout fires, with an error naming the command', async () => {
    const timers = manualTimers();
    const { transport } = await setup({ timeoutMs: 150 }, undefined, timers);
    let settled = false;
    const query = transport.query(':MEAS:CURR?').finally(() => (settled = true));
    // The query armed one timeout of the configured length, and waits until it fires.
    await until(() => timers.armed().length === 1);
    expect(timers.armed()).toEqual([150]);
    await sleep(50);
    expect(settled).toBe(false);
    timers.fireAll();
    await expect(query).rejects.toMatchObject({
      kind: 'timeout',
      command: ':MEAS:CURR?',
      message: "no reply to ':MEAS:CURR?' within 150 ms",
    });
    expect(timers.armed()).toEqual([]);
  });

  it('the port vanishing rejects the waiting command with "the port closed", and every later one', async () => {
    // Timeouts never fire here: the failure can only come from the close being noticed.
    const timers = manualTimers();
    const { pair, transport } = await setup({ timeoutMs: 5000 }, undefined, timers);
    const closed = new Promise<string>((resolve) => transport.onClose(resolve));
    const waiting = transport.query('*IDN?');
    await sleep(50);
    await pair.close();
    const error = await waiting.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ kind: 'port-closed' });
    expect((error as Error).message).toMatch(/^the port closed while waiting for the reply to '\*IDN\?'/);
    await expect(closed).resolves.toBeTruthy();
    expect(transport.isOpen).toBe(false);
    await expect(transport.write(':OUTP OFF')).rejects.toMatchObject({ kind: 'port-closed' });
    await expect(transport.query('*IDN?')).rejects.toMatchObject({ kind: 'port-closed' });
  });

  it('keeps a bounded, timestamped console of the exchange, exportable as text', async () => {
    const log = new ConsoleLog(4);
    const { far, transport } = await setup({}, log);
    far.on('data', () => far.write('pong\n'));
    const t0 = Date.now();
    for (let k = 0; k < 3; k++) expect(await transport.query(`ping ${k}`)).toBe('pong');
    const entries = log.entries();
    expect(entries).toHaveLength(4);
    expect(log.droppedCount).toBeGreaterThan(0);
    expect(entries.map((e) => `${e.dir} ${e.text}`)).toEqual(['out ping 1', 'in pong', 'out ping 2', 'in pong']);
    for (const e of entries) expect(e.t).toBeGreaterThanOrEqual(t0 - 1);
    const text = log.exportText();
    expect(text).toMatch(/^# \d+ older entries were dropped/);
    expect(text).toMatch(/\n\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z > ping 2\n/);
    expect(text).toMatch(/Z < pong\n$/);
  });

  it('skips comment lines when told to (a pulse board\'s # lines), logging them', async () => {
    const pair = await ptyPair();
    const far = await openRaw(pair.instrumentEnd);
    far.on('data', () => far.write('# booted in 12 ms\n# dac ok\nOK\n'));
    const transport = await openTransport({ kind: 'serial', path: pair.clientEnd }, { settings: DEFAULT_SERIAL_SETTINGS, isComment: (l) => l.startsWith('#') });
    onCleanup(() => transport.close());
    await expect(transport.query('OFF')).resolves.toBe('OK');
    expect(transport.log.entries().filter((e) => e.dir === 'in').map((e) => e.text)).toEqual(['# booted in 12 ms', '# dac ok', 'OK']);
  });

  it('refuses to open a path that is not there, saying why', async () => {
    await expect(openTransport({ kind: 'serial', path: '/dev/does-not-exist-42' }, { settings: DEFAULT_SERIAL_SETTINGS })).rejects.toMatchObject({
      kind: 'open-failed',
      message: expect.stringMatching(/could not open \/dev\/does-not-exist-42: .*No such file.*the port is not there: plug the instrument in/),
    });
  });

  it('validates settings', () => {
    expect(() => resolveSettings(DEFAULT_SERIAL_SETTINGS, { baudRate: 12345 })).toThrow(/baud rate/);
    expect(() => resolveSettings(DEFAULT_SERIAL_SETTINGS, { writeTerminator: 'NUL' as never })).toThrow(/terminator/);
    expect(() => resolveSettings(DEFAULT_SERIAL_SETTINGS, { timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(resolveSettings(DEFAULT_SERIAL_SETTINGS, { baudRate: 115200, parity: 'even', dataBits: 7 })).toMatchObject({ baudRate: 115200, parity: 'even', dataBits: 7 });
  });
});
