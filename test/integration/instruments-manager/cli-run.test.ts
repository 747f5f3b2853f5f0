/**
 * `workbench run --device serial:PATH --driver NAME` goes through the same device factory as the
 * app: against an emulator on a pseudo-terminal (simulated time), a short protocol completes with
 * the instrument's IDN in the run's provenance.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../electron/services/instruments/index';
import { runCliAsync } from './run-cli';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await Promise.resolve(fn()).catch(() => undefined);
});

describe('workbench run on an instrument', () => {
  it('runs a short protocol on serial:PATH through the instrument factory', { timeout: 90_000 }, async () => {
    const emu: Emulator = await startEmulator({ driver: 'keithley2400', seed: 4, time: 'simulated' });
    cleanups.push(() => emu.stop());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-instr-cli-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const protocol = path.join(dir, 'short.json');
    fs.writeFileSync(protocol, JSON.stringify({ format: 'memristor-workbench/protocol', version: 1, name: 'short', blocks: [{ kind: 'read', count: 4, interval: '10 ms', integration: '1 ms' }] }));
    const r = await runCliAsync(['run', '--protocol', protocol, '--device', `serial:${emu.path}`, '--driver', 'keithley2400', '--data-dir', dir, '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout) as { runId: string; status: string; samples: number };
    expect(summary.status).toBe('completed');
    expect(summary.samples).toBe(4);
    // Provenance: the IDN and the serial settings recorded with the run.
    const exported = await runCliAsync(['export', summary.runId, '--format', 'json', '--data-dir', dir]);
    expect(exported.status).toBe(0);
    expect(exported.stdout).toContain(emu.idn);
    expect(exported.stdout).toContain('baudRate');
  });
});
