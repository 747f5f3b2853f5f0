/**
 * The composition root's close: every step runs even when one before it throws, so a run engine
 * that cannot stop never keeps the instrument's output on. A real emulator on a pseudo-terminal
 * (socat) is the instrument; what it received is what it saw.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openAppServices } from '../../../electron/app/app-services';
import { closeInOrder } from '../../../electron/app/close';
import { startEmulator, type Emulator } from '../../../electron/services/instruments/emulator/index';
import { memoryLogger, parseLine } from '../../../electron/services/logs';
import { prepareProtocol } from '../../../electron/services/runs';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) {
    try {
      await fn();
    } catch {
      // keep cleaning up
    }
  }
});

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-app-close-'));
  cleanups.push(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

async function emulator(): Promise<Emulator> {
  const emu = await startEmulator({ driver: 'keithley2400', seed: 3, time: 'wall' });
  cleanups.push(() => emu.stop());
  return emu;
}

async function until(fn: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function reads(count: number, interval: string) {
  const p = prepareProtocol({ format: 'memristor-workbench/protocol', version: 1, name: `${count} reads`, blocks: [{ kind: 'read', count, interval, integration: '1 ms' }] });
  if (!p.ok) throw new Error(JSON.stringify(p.problems));
  return p.protocol;
}

describe('closing the workbench', () => {
  it('switches a real instrument’s output off even when stopping the run engine throws before it', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const s = openAppServices({ dataDir: dir, hostKind: 'cli' });
    cleanups.push(() => s.close());
    const emu = await emulator();
    expect((await s.instruments.connect({ path: emu.path, driver: 'keithley2400' })).state).toBe('connected');
    // A run in progress on the instrument: reads every 10 ms, the source at the read voltage inside each.
    const { runId } = s.runs.submit({ protocol: reads(5000, '10 ms'), device: { kind: 'instrument', scheme: 'serial', port: emu.path, driver: 'keithley2400', settings: {} } });
    await until(() => s.store.runs.get(runId).sampleCount > 0, 'the run’s first samples');

    // The run engine breaks while quitting: it cannot stop its run.
    s.runs.shutdown = () => Promise.reject(new Error('the run engine could not stop (a test)'));
    const before = emu.clock.now();
    await s.close();

    // The instrument saw its output switched off after the failure, by the close path itself.
    const offs = emu.exchanges.filter((e) => e.command === ':OUTP OFF' && e.t >= before);
    expect(offs.length).toBeGreaterThan(0);
    expect(emu.output().on).toBe(false);
    expect(s.instruments.consoleLines().lines.map((l) => l.text)).toContainEqual(expect.stringMatching(/^output off \(close\)/));
    // Every later step ran too: the port released, the store closed.
    expect(s.instruments.state().state).toBe('disconnected');
    expect(s.store.isOpen).toBe(false);
    // And the failure is in the log, with its stack.
    const logged = fs
      .readFileSync(s.logs.file, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map(parseLine)
      .find((e) => e.message.startsWith('closing the workbench: stopping the run engine failed'));
    expect(logged).toMatchObject({ level: 'error', source: 'app', message: 'closing the workbench: stopping the run engine failed: the run engine could not stop (a test)' });
    expect(JSON.stringify(logged?.details)).toContain('the run engine could not stop (a test)');
  });
});

describe('closeInOrder', () => {
  it('runs every step in order, past throws and rejections, and logs each failure', async () => {
    const logger = memoryLogger();
    const ran: string[] = [];
    const failed = await closeInOrder(logger, [
      ['a', () => ran.push('a')],
      [
        'b',
        () => {
          ran.push('b');
          throw new Error('b broke');
        },
      ],
      ['c', async () => (ran.push('c'), Promise.reject(new Error('c broke')))],
      ['d', async () => ran.push('d')],
    ]);
    expect(ran).toEqual(['a', 'b', 'c', 'd']);
    expect(failed).toEqual(['b', 'c']);
    expect(logger.entries.map((e) => `${e.level} ${e.message}`)).toEqual(['error closing the workbench: b failed: b broke', 'error closing the workbench: c failed: c broke']);
  });

  it('carries on past a step that never finishes, after its time (fake timers: no real waiting)', async () => {
    vi.useFakeTimers();
    try {
      const logger = memoryLogger();
      const ran: string[] = [];
      const closing = closeInOrder(
        logger,
        [
          ['hangs', () => new Promise(() => undefined)],
          ['after it', () => ran.push('after it')],
        ],
        5000,
      );
      await vi.advanceTimersByTimeAsync(4999);
      expect(ran).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(await closing).toEqual(['hangs']);
      expect(ran).toEqual(['after it']);
      expect(logger.entries.map((e) => e.message)).toEqual(['closing the workbench: hangs did not finish within 5 s; carrying on without it']);
    } finally {
      vi.useRealTimers();
    }
  });
});
