import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { createDevice, intrinsicGradientPreset, type IntrinsicGradientParams } from '../../../shared/device';
import type { MeasuredTrace, PulseEvent, ReadEvent } from '../../../shared/fit';
import { runCli, type CliResult } from '../cli/run-cli';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh temp folder, removed after the test. */
export function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'wb-cli-science-'));
  dirs.push(d);
  return d;
}

/** Known parameters, away from the shipped defaults a fit starts from. */
export const truth: IntrinsicGradientParams = { ...intrinsicGradientPreset.params, kD: 0.045, tauG: 220 };

/**
 * A measured run as shared/fit's own tests make it: the paper's spike train (100 × 2 V, 10 ms at
 * 1 Hz) with a read between spikes, then 600 s of reads every 10 s; read noise 1 %, no other noise.
 */
export function noisyTrace(seed: number, params: IntrinsicGradientParams = truth): MeasuredTrace {
  const device = createDevice({ ...intrinsicGradientPreset, params, variation: { c2c: 0, d2d: 0, read: 0.01 } }, { seed });
  const pulses: PulseEvent[] = [];
  const reads: ReadEvent[] = [];
  let t = 0;
  const wait = (dt: number): void => {
    device.relax(dt);
    t += dt;
  };
  const read = (): void => {
    reads.push({ t, v: 0.1, i: device.read(0.1).current });
  };
  read();
  wait(0.5);
  for (let k = 0; k < 100; k++) {
    device.pulse(2, 0.01);
    pulses.push({ t, v: 2, width: 0.01 });
    wait(0.5);
    read();
    if (k < 99) wait(0.5);
  }
  for (let k = 0; k < 60; k++) {
    wait(10);
    read();
  }
  return { pulses, reads };
}

/** Runs the CLI and parses its stdout as one JSON document. */
export function cliJson<T = Record<string, unknown>>(args: string[]): { result: CliResult; doc: T } {
  const result = runCli(args);
  let doc: T;
  try {
    doc = JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`stdout is not one JSON document (exit ${result.status}): ${result.stdout.slice(0, 500)}\nstderr: ${result.stderr}`);
  }
  return { result, doc };
}

export { runCli };
