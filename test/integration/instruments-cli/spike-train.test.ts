/**
 * The measure of the new transports: the paper spike train (100 spikes at 1 Hz, 100 s of
 * wall time each) from the command line on a Keithley 2450 emulator over a TCP socket and on a
 * Keysight B2900 emulator behind an emulated Prologix GPIB-USB on a pseudo-terminal, each in its
 * own process as a lab would run them, with the driver chosen by *IDN?. Each gives ΔG within 1 %
 * of `workbench simulate` of the same preset and seed; the run's provenance says virtual.
 * The two runs go side by side: their time is the protocol's, not the machine's.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emulatorProcess, readDeltaGPercent, runCliAsync, tempDir } from './helpers';

const SEED = 7;

async function simulated(): Promise<number> {
  const r = await runCliAsync(['simulate', '--device', 'intrinsic-gradient', '--protocol', 'paper-spike-train', '--seed', String(SEED), '--json']);
  expect(r.status).toBe(0);
  const doc = JSON.parse(r.stdout) as { deltaGPercent: number; basis: string };
  expect(doc.basis).toBe('reads');
  return doc.deltaGPercent;
}

async function runOn(device: string, dataDir: string): Promise<{ deltaG: number; exported: Record<string, unknown> }> {
  const r = await runCliAsync(['run', '--protocol', 'paper-spike-train', '--device', device, '--data-dir', dataDir, '--json'], 240_000);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const summary = JSON.parse(r.stdout) as { runId: string; status: string; samples: number };
  expect(summary).toMatchObject({ status: 'completed', samples: 200 });
  const exported = await runCliAsync(['export', summary.runId, '--format', 'json', '--data-dir', dataDir]);
  expect(exported.status).toBe(0);
  return { deltaG: readDeltaGPercent(exported.stdout), exported: JSON.parse(exported.stdout) as Record<string, unknown> };
}

describe('the paper spike train from the CLI on the new transports', () => {
  it('2450 over TCP and B2900 behind a Prologix GPIB-USB each give ΔG within 1 % of workbench simulate', { timeout: 300_000 }, async () => {
    const link = path.join(tempDir(), 'prologix');
    const [tcp, gpib] = await Promise.all([
      emulatorProcess(['--driver', 'keithley2450', '--listen', '127.0.0.1:0', '--seed', String(SEED)]),
      emulatorProcess(['--driver', 'keysight-b2900', '--prologix', '--gpib-address', '24', '--link', link, '--seed', String(SEED)]),
    ]);
    expect(tcp.info.listen).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(gpib.info.resource).toBe(`GPIB::24@${link}`);
    const reference = await simulated();
    const [onTcp, onGpib] = await Promise.all([runOn(`tcp:${tcp.info.listen!}`, tempDir()), runOn(`gpib:${link}:24`, tempDir())]);
    for (const { deltaG } of [onTcp, onGpib]) {
      expect(deltaG).toBeLessThan(-90);
      expect(Math.abs(deltaG - reference) / Math.abs(reference)).toBeLessThan(0.01);
    }
    // Provenance: which instrument, how it was reached, and that it was the emulator.
    const device = (x: { exported: Record<string, unknown> }) => (x.exported.run as { device: Record<string, unknown>; instrumentIdn: string }).device;
    expect(device(onTcp)).toMatchObject({ kind: 'instrument', scheme: 'tcp', driver: 'keithley2450', virtual: true, port: `TCPIP::127.0.0.1::${tcp.info.listen!.split(':')[1]}::SOCKET` });
    expect(device(onGpib)).toMatchObject({ kind: 'instrument', scheme: 'gpib', driver: 'keysight-b2900', virtual: true, port: `GPIB::24@${link}` });
    expect((onGpib.exported.run as { instrumentIdn: string }).instrumentIdn).toMatch(/^Keysight Technologies,B2901A,VIRTUAL-/);
  });
});
