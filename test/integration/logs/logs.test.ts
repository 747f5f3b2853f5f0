import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { openAppServices, type AppServices } from '../../../electron/app/app-services';
import { LogFile, ReportLimiter, installProcessErrorHandlers, memoryLogger, parseLine, reverseLines } from '../../../electron/services/logs';
import { openStore, type Columns } from '../../../electron/services/store';
import { makeDir } from '../../../electron/services/files/make-dir';
import { runCli } from '../cli/run-cli';

const dirs: string[] = [];
const open: AppServices[] = [];

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-logs-'));
  dirs.push(d);
  return d;
}

function services(dataDir = tempDir()): AppServices {
  const s = openAppServices({ dataDir, hostKind: 'web' });
  open.push(s);
  return s;
}

afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function lines(file: string): Record<string, unknown>[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('the log file', () => {
  it('is JSON lines with ISO time, level, source, message and details; errors keep their stack and cause', () => {
    const dir = tempDir();
    const file = new LogFile({ dir: path.join(dir, 'logs'), now: () => new Date('2025-02-03T04:05:06.007Z') });
    file.log('info', 'instrument', '> *IDN?', { port: '/dev/ttyUSB0' });
    const cause = new Error('port vanished');
    file.error('instrument', 'the read failed', new Error('timeout after 2000 ms', { cause }), { command: ':READ?' });
    const got = lines(path.join(dir, 'logs', 'workbench.log'));
    expect(got[0]).toEqual({ time: '2025-02-03T04:05:06.007Z', level: 'info', source: 'instrument', message: '> *IDN?', details: { port: '/dev/ttyUSB0' } });
    expect(got[1]).toMatchObject({ level: 'error', message: 'the read failed', details: { command: ':READ?', error: { name: 'Error', message: 'timeout after 2000 ms', cause: { message: 'port vanished' } } } });
    expect((got[1]!.details as { error: { stack: string } }).error.stack).toContain('logs.test.ts');
  });

  it('writes any details it is given as valid JSON: cycles, bigints, typed arrays, functions', () => {
    const dir = tempDir();
    const file = new LogFile({ dir });
    const cyclic: Record<string, unknown> = { n: 1n, f: () => 1, samples: new Float64Array(1000), nan: NaN };
    cyclic.self = cyclic;
    file.log('warn', 'test', 'odd details', cyclic);
    file.log('info', 'test', 'x'.repeat(200_000));
    const got = lines(file.file);
    expect(got[0]!.details).toEqual({ n: '1', f: '[function]', samples: '[Float64Array of 8000 bytes]', nan: 'NaN', self: '[circular]' });
    expect(JSON.stringify(got[1]).length).toBeLessThanOrEqual(64 * 1024);
    expect(got[1]!.details).toEqual({ truncated: expect.stringContaining('longer than') });
  });

  it('rotates at the size limit, keeping the given number of files, newest entries in workbench.log', () => {
    const dir = tempDir();
    const file = new LogFile({ dir, maxBytes: 4096, keep: 3 });
    for (let k = 0; k < 400; k++) file.log('info', 'test', `entry ${k} ${'.'.repeat(40)}`);
    const names = fs.readdirSync(dir).sort();
    expect(names).toEqual(['workbench.log', 'workbench.log.1', 'workbench.log.2']);
    for (const n of names) expect(fs.statSync(path.join(dir, n)).size).toBeLessThanOrEqual(4096);
    const newest = lines(path.join(dir, 'workbench.log'));
    expect(newest.at(-1)!.message).toMatch(/^entry 399 /);
    // The files together hold an unbroken run of the newest entries.
    const all = [...lines(path.join(dir, 'workbench.log.2')), ...lines(path.join(dir, 'workbench.log.1')), ...newest].map((e) => Number(/entry (\d+)/.exec(e.message as string)![1]));
    expect(all).toEqual(all.map((_, k) => all[0]! + k));
    expect(all.at(-1)).toBe(399);
    expect(all[0]).toBeGreaterThan(0); // the oldest were dropped
  });

  it('tail: newest N across rotated files, oldest first, by minimum level and text', () => {
    const dir = tempDir();
    const file = new LogFile({ dir, maxBytes: 2048, keep: 5 });
    for (let k = 0; k < 100; k++) file.log(k % 10 === 0 ? 'error' : k % 3 === 0 ? 'warn' : 'debug', k % 2 ? 'odd' : 'even', `line ${k}`);
    fs.appendFileSync(file.file, 'a plain text line somebody added\n');
    const last5 = file.tail({ lines: 5 });
    expect(last5.entries.map((e) => e.message)).toEqual(['line 96', 'line 97', 'line 98', 'line 99', 'a plain text line somebody added']);
    expect(last5.scannedAll).toBe(false);
    const errors = file.tail({ lines: 1000, minLevel: 'error' });
    const kept = new Set(fs.readdirSync(dir).flatMap((n) => fs.readFileSync(path.join(dir, n), 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => parseLine(l).message)));
    expect(errors.entries.map((e) => e.message)).toEqual(['line 0', 'line 10', 'line 20', 'line 30', 'line 40', 'line 50', 'line 60', 'line 70', 'line 80', 'line 90'].filter((m) => kept.has(m)));
    expect(errors.scannedAll).toBe(true);
    expect(file.tail({ search: 'LINE 4', minLevel: 'warn', lines: 50 }).entries.map((e) => e.message)).toEqual(['line 40', 'line 42', 'line 45', 'line 48'].filter((m) => kept.has(m)));
    expect(file.tail({ search: 'somebody' }).entries).toEqual([{ time: '', level: 'info', source: '', message: 'a plain text line somebody added' }]);
  });

  it('reads lines backwards exactly as they are, whatever the chunk boundaries', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => s.replace(/\n/g, ' ')), { maxLength: 40 }), fc.integer({ min: 1, max: 64 }), fc.boolean(), (ls, chunk, finalNewline) => {
        const dir = tempDir();
        const f = path.join(dir, 'x.log');
        fs.writeFileSync(f, ls.join('\n') + (finalNewline && ls.length > 0 ? '\n' : ''));
        const back = [...reverseLines(f, chunk)].map((x) => x.line).reverse();
        const expected = ls.join('\n') === '' ? [] : ls;
        expect(back.filter((l) => l !== '')).toEqual(expected.filter((l) => l !== ''));
      }),
      { numRuns: 150 },
    );
  });

  it('never throws: when the folder cannot be written, lines go to the fallback', () => {
    const dir = tempDir();
    const blocker = path.join(dir, 'not-a-folder');
    fs.writeFileSync(blocker, 'x');
    const fallback: string[] = [];
    const file = new LogFile({ dir: blocker, fallback: (l) => fallback.push(l) });
    expect(() => file.log('error', 'test', 'still recorded somewhere')).not.toThrow();
    expect(fallback.some((l) => parseLine(l).message === 'still recorded somewhere')).toBe(true);
  });

  it.runIf(process.platform === 'linux')('does not hang on a folder where mkdir answers ENOENT under a parent that exists (/proc/self): the command ends with its error', () => {
    // In a child process: Node's recursive mkdir looped there forever, which would stall this worker.
    const r = runCli(['runs', '--data-dir', '/proc/self'], { timeoutMs: 60_000 });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain('the log file /proc/self/logs/workbench.log cannot be written');
    expect(r.stderr).toContain('The workbench database /proc/self/workbench.sqlite could not be opened');
    // The data folder itself under /proc: the store's mkdir looped the same way.
    const sub = runCli(['runs', '--data-dir', '/proc/self/sub'], { timeoutMs: 60_000 });
    expect(sub.status, sub.stderr).toBe(1);
    expect(sub.stderr).toContain("its folder /proc/self/sub could not be created: ENOENT: no such file or directory, mkdir '/proc/self/sub'");
  });

  it('makeDir makes any missing chain of folders, and leaves an existing one as it is', () => {
    const root = tempDir();
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z0-9 ._-]{1,12}$/).filter((n) => n !== '.' && n !== '..'), { minLength: 1, maxLength: 5 }), (names) => {
        const dir = path.join(root, ...names);
        makeDir(dir);
        expect(fs.statSync(dir).isDirectory()).toBe(true);
        expect(() => makeDir(dir)).not.toThrow();
      }),
    );
    const file = path.join(root, 'a-file');
    fs.writeFileSync(file, 'x');
    expect(() => makeDir(path.join(file, 'below'))).toThrow(/ENOTDIR/);
  });
});

describe('the workbench log', () => {
  it('is <dataDir>/logs/workbench.log; the services’ logger writes to it; internal errors arrive with their stack', async () => {
    const dir = tempDir();
    const s = services(dir);
    expect(s.logs.file).toBe(path.join(dir, 'logs', 'workbench.log'));
    s.logger.child('instrument').debug('< KEITHLEY INSTRUMENTS INC.,MODEL 2400', { ms: 12 });
    s.settings.get = () => {
      throw new Error('settings exploded in a test');
    };
    const r = await s.router.call('settings.get', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'internal' } });
    const entries = s.logs.tail({ lines: 50 }).entries;
    expect(entries[0]).toMatchObject({ level: 'info', source: 'app', message: expect.stringContaining(`opening the workbench (web, pid ${process.pid})`) });
    expect(entries).toContainEqual(expect.objectContaining({ level: 'debug', source: 'instrument', message: '< KEITHLEY INSTRUMENTS INC.,MODEL 2400' }));
    const internal = entries.find((e) => e.source === 'router');
    expect(internal?.message).toBe('internal error in settings.get');
    expect((internal?.details as { error: { stack: string } }).error.stack).toContain('settings exploded in a test');
  });

  it('a run that fails is in the log, and in what the Logs page reads (logs.tail)', async () => {
    const s = services();
    // /dev/null passes the start-up check (a character device that exists) and then fails as a
    // serial line: the run starts, fails, and that failure is what must reach the log.
    const started = await s.router.call('runs.start', {
      protocol: 'paper-spike-train',
      device: { kind: 'instrument', port: '/dev/null', driver: 'keithley2400' },
    });
    if (!started.ok) throw new Error(started.error.message);
    const { runId } = started.value as { runId: string };
    const run = await s.runs.whenDone(runId);
    expect(run.status).toBe('failed');
    const tail = await s.router.call('logs.tail', { minLevel: 'error', search: runId });
    if (!tail.ok) throw new Error(tail.error.message);
    const entries = (tail.value as { entries: { level: string; source: string; message: string }[] }).entries;
    expect(entries).toContainEqual(expect.objectContaining({ level: 'error', source: 'runs', message: `run ${runId} failed: ${run.exitReason}` }));
    expect(run.exitReason).toContain('/dev/null');
    // And in the file itself, as a line another process (or a person with a text editor) reads.
    const lines = fs.readFileSync(s.logs.file, 'utf8').split('\n').filter((l) => l.includes(runId)).map(parseLine);
    expect(lines.some((e) => e.level === 'error' && e.message.includes('failed'))).toBe(true);
  });

  it("'logs.tail' answers through the router; 'logs.report' records the window's errors and limits their rate", async () => {
    const s = services();
    const first = await s.router.call('logs.report', { kind: 'error', message: 'TypeError: x is undefined', stack: 'at App (app.js:1:2)', where: 'app.js:1:2', page: 'live' });
    expect(first).toEqual({ ok: true, value: { logged: true } });
    const tail = await s.router.call('logs.tail', { minLevel: 'error', search: 'x is undefined' });
    expect(tail).toMatchObject({ ok: true, value: { entries: [{ level: 'error', source: 'renderer', message: 'uncaught error in the window: TypeError: x is undefined', details: { stack: 'at App (app.js:1:2)', page: 'live' } }] } });
    const results = [];
    for (let k = 0; k < 40; k++) results.push(await s.router.call('logs.report', { kind: 'unhandledrejection', message: `flood ${k}` }));
    const logged = results.filter((r) => r.ok && (r.value as { logged: boolean }).logged).length;
    expect(logged).toBeGreaterThan(10);
    expect(logged).toBeLessThan(40);
    expect(s.logs.tail({ search: 'flood', lines: 100 }).entries).toHaveLength(logged);
  });

  it('the report limiter lets a burst through, then a steady rate, and counts what it dropped', () => {
    let now = 0;
    const limiter = new ReportLimiter(3, 60, () => now);
    expect([1, 2, 3, 4, 5].map(() => limiter.take().allowed)).toEqual([true, true, true, false, false]);
    now += 1000; // one more token a second
    expect(limiter.take()).toEqual({ allowed: true, dropped: 2 });
    expect(limiter.take().allowed).toBe(false);
  });
});

describe('errors nothing caught on the Node side', () => {
  it('an unhandled rejection is logged and the process carries on', () => {
    const target = new EventEmitter();
    const logger = memoryLogger();
    let fatal = false;
    const off = installProcessErrorHandlers({ logger, target, fatal: () => (fatal = true) });
    target.emit('unhandledRejection', new Error('forgotten catch'));
    expect(fatal).toBe(false);
    expect(logger.entries).toEqual([
      { level: 'error', source: 'process', message: 'unhandled promise rejection: forgotten catch', details: { error: expect.objectContaining({ message: 'forgotten catch', stack: expect.any(String) }) } },
    ]);
    off();
    expect(target.listenerCount('unhandledRejection')).toBe(0);
  });

  it('an uncaught exception is logged, the workbench closes its data cleanly (pending samples committed), then the fatal handler runs', async () => {
    const dir = tempDir();
    const s = services(dir);
    const run = s.store.runs.create({ experimentName: 'E', name: 'open run', status: 'running', device: { kind: 'simulated' } });
    const writer = s.store.openWriter(run.id, { maxPendingMs: 3_600_000 });
    const n = 1234; // less than a chunk: held in memory until flushed
    const cols: Columns = { length: n, t: new Float64Array(n).map((_, k) => k), v: new Float64Array(n).fill(0.1), i: new Float64Array(n).fill(1e-6), g: new Float64Array(n).fill(1e-5), kind: new Uint8Array(n), block: new Int32Array(n), compliance: new Uint8Array(n) };
    writer.append(cols);
    expect(s.store.runs.get(run.id).sampleCount).toBe(0);

    const target = new EventEmitter();
    let fatal: unknown = null;
    const done = new Promise<void>((resolve) => {
      installProcessErrorHandlers({
        logger: s.logger,
        shutdown: () => s.close(),
        target,
        fatal: (e) => {
          fatal = e;
          resolve();
        },
      });
    });
    target.emit('uncaughtException', new Error('a bug in a timer'), 'uncaughtException');
    await done;
    expect((fatal as Error).message).toBe('a bug in a timer');
    expect(s.store.isOpen).toBe(false);

    const reopened = openStore(dir, { appVersion: 'test' });
    try {
      expect(reopened.runs.get(run.id).sampleCount).toBe(n);
      expect([...reopened.readSamples(run.id).t]).toEqual([...cols.t]);
    } finally {
      reopened.close();
    }
    const entries = new LogFile({ dir: path.join(dir, 'logs') }).tail({ lines: 20 }).entries.map((e) => `${e.level} ${e.message}`);
    expect(entries).toContainEqual('error uncaught exception: a bug in a timer');
    expect(entries).toContainEqual('info the workbench closed its data cleanly after the uncaught exception');
  });
});
