/** The CLI as a lab uses it: `workbench emulator` and `workbench run` as separate processes. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { runCliAsync } from '../instruments-manager/run-cli';

export { runCliAsync };

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
const bin = path.join(repoRoot, 'electron', 'bin', 'workbench.js');

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await Promise.resolve(fn()).catch(() => undefined);
});

export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-instr-cli-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface EmulatorInfo {
  path: string;
  resource: string;
  listen: string | null;
  idn: string;
}

/** `workbench emulator …--json` in its own process, once it prints where it answers; killed after the test. */
export async function emulatorProcess(args: string[]): Promise<{ child: ChildProcess; info: EmulatorInfo; exit: Promise<number | null> }> {
  const child = spawn(process.execPath, [bin, 'emulator', ...args, '--json'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exit.then(() => undefined);
  });
  const info = await new Promise<EmulatorInfo>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(out.slice(0, nl)) as EmulatorInfo);
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    void exit.then((code) => reject(new Error(`workbench emulator exited (${code}) before it was ready: ${err}`)));
  });
  return { child, info, exit };
}

/** ΔG (%) over the reads of an exported run, the basis `workbench simulate` reports. */
export function readDeltaGPercent(exported: string): number {
  const doc = JSON.parse(exported) as { kinds: Record<string, string>; samples: { g: number[]; kind: number[] } };
  const read = Number(Object.entries(doc.kinds).find(([, name]) => name === 'read')![0]);
  const reads = doc.samples.g.filter((_, k) => doc.samples.kind[k] === read);
  return ((reads[reads.length - 1]! - reads[0]!) / reads[0]!) * 100;
}
