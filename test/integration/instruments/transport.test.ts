import { describe, expect, it } from 'vitest';
import { ConsoleLog, DEFAULT_SERIAL_SETTINGS, SerialTransport, resolveSettings, type SerialSettings } from '../../../electron/services/instruments/index';
import { onCleanup, openRaw, ptyPair, sleep } from './helpers';

/** The serial line transport against a hand-driven other end of a real pty pair. */
async function setup(settings: Partial<SerialSettings> = {}, log?: ConsoleLog) {
  const pair = await ptyPair();
  const far = await openRaw(pair.instrumentEnd);
  const received: string[] = [];
  far.on('data', (d: Buffer) => received.push(d.toString('latin1')));
  const transport = await SerialTransport.open(pair.clientEnd, { settings: resolveSettings(DEFAULT_SERIAL_SETTINGS, settings), ...(log ? { log } : {}) });
  onCleanup(() => transport.close());
  return { pair, far, transport, received: () => received.join('') };
}

describe('SerialTransport', () => {
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
    await sleep(100);
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

  it('a missing reply fails after the timeout with an error naming the command', async () => {
    const { transport } = await setup({ timeoutMs: 150 });
    const started = performance.now();
    await expect(transport.query(':MEAS:CURR?')).rejects.toMatchObject({
      kind: 'timeout',
      command: ':MEAS:CURR?',
      message: "no reply to ':MEAS:CURR?' within 150 ms",
    });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(600);
  });

  it('the port vanishing rejects the waiting command with "the port closed", and every later one', async () => {
    const { pair, transport } = await setup({ timeoutMs: 5000 });
    const closed = new Promise<string>((resolve) => transport.onClose(resolve));
    const waiting = transport.query('*IDN?');
    await sleep(50);
    const started = performance.now();
    await pair.close();
    const error = await waiting.then(
      () => null,
      (e: unknown) => e,
    );
    expect(performance.now() - started).toBeLessThan(1500);
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
    const transport = await SerialTransport.open(pair.clientEnd, { settings: DEFAULT_SERIAL_SETTINGS, isComment: (l) => l.startsWith('#') });
    onCleanup(() => transport.close());
    await expect(transport.query('OFF')).resolves.toBe('OK');
    expect(transport.log.entries().filter((e) => e.dir === 'in').map((e) => e.text)).toEqual(['# booted in 12 ms', '# dac ok', 'OK']);
  });

  it('refuses to open a path that is not there, saying why', async () => {
    await expect(SerialTransport.open('/dev/does-not-exist-42', { settings: DEFAULT_SERIAL_SETTINGS })).rejects.toMatchObject({
      kind: 'open-failed',
      message: expect.stringMatching(/could not open \/dev\/does-not-exist-42: .*No such file/),
    });
  });

  it('validates settings', () => {
    expect(() => resolveSettings(DEFAULT_SERIAL_SETTINGS, { baudRate: 12345 })).toThrow(/baud rate/);
    expect(() => resolveSettings(DEFAULT_SERIAL_SETTINGS, { writeTerminator: 'NUL' as never })).toThrow(/terminator/);
    expect(() => resolveSettings(DEFAULT_SERIAL_SETTINGS, { timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(resolveSettings(DEFAULT_SERIAL_SETTINGS, { baudRate: 115200, parity: 'even', dataBits: 7 })).toMatchObject({ baudRate: 115200, parity: 'even', dataBits: 7 });
  });
});
