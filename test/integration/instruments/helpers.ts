import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { afterEach } from 'vitest';
import { builtInPresets, createDevice } from '../../../shared/device';
import { compileProtocol, execute, simulateProtocol, type Program } from '../../../shared/protocol';
import { SampleKind } from '../../../shared/samples/columns';
import type { Device } from '../../../shared/device/device';
import { connectInstrument, type ConnectOptions, type Emulator, type EmulatorOptions, type Instrument, type Timers, startEmulator } from '../../../electron/services/instruments/index';
import { createPtyPair, findSocat, type PtyPair } from '../../../electron/services/instruments/emulator/index';

/**
 * Everything a test starts is registered here and torn down in afterEach, also when the test
 * failed: instruments closed, emulators stopped (socat killed), child processes killed, temp
 * folders removed.
 */
const cleanups: (() => Promise<void> | void)[] = [];

export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}

afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) {
    try {
      await fn();
    } catch {
      // keep cleaning up the rest
    }
  }
});

export async function emulator(options: EmulatorOptions): Promise<Emulator> {
  const emu = await startEmulator(options);
  onCleanup(async () => {
    await emu.stop();
    killQuietly(emu.socatPid ?? undefined);
  });
  return emu;
}

export async function connect(options: ConnectOptions): Promise<Instrument> {
  const inst = await connectInstrument(options);
  onCleanup(() => inst.close());
  return inst;
}

export async function ptyPair(): Promise<PtyPair> {
  const pair = await createPtyPair();
  onCleanup(async () => {
    await pair.close();
    killQuietly(pair.pid);
  });
  return pair;
}

/** Opens a raw serial port (the "other end" a test drives by hand). */
export async function openRaw(p: string): Promise<SerialPort> {
  const port = await new Promise<SerialPort>((resolve, reject) => {
    const sp = new SerialPort({ path: p, baudRate: 9600, autoOpen: false });
    sp.open((err) => (err ? reject(err) : resolve(sp)));
  });
  onCleanup(() => new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())));
  return port;
}

export function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wb-inst-test-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** socat with the given addresses, resolved once its transfer loop runs. */
export async function socat(args: string[]): Promise<ChildProcess> {
  const child = spawn(findSocat(), ['-d', '-d', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  await new Promise<void>((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`socat did not start: ${err}`)), 5000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('starting data transfer loop')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`socat exited with ${code}: ${err}`));
    });
  });
  return child;
}

export function killQuietly(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls until `probe` holds (a test's own deadline ends it: this asserts nothing about time). */
export async function until(probe: () => boolean, what = 'the condition', deadlineMs = 10_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await sleep(5);
  }
}

/** Timers that fire only when the test says: which timeouts were armed, and firing them by hand. */
export function manualTimers(): Timers & { armed(): number[]; fireAll(): void } {
  const pending = new Map<number, { fire: () => void; ms: number }>();
  let next = 0;
  return {
    set(fire, ms) {
      const id = next++;
      pending.set(id, { fire, ms });
      return id;
    },
    clear(handle) {
      pending.delete(handle as number);
    },
    armed: () => [...pending.values()].map((p) => p.ms),
    fireAll() {
      const all = [...pending.values()];
      pending.clear();
      for (const p of all) p.fire();
    },
  };
}

/** Waits until the emulator has executed every command the instrument sent (so its state is final). */
export async function settled(emu: Emulator, inst: Instrument, timeoutMs = 2000): Promise<void> {
  const sent = () => inst.log.entries().filter((e) => e.dir === 'out' && e.text.trim() !== '').length;
  const start = Date.now();
  // Commands the instrument sent before this emulator's counter started (none here) would offset
  // the count; every test connects to a fresh emulator.
  while (emu.commandCount < sent()) {
    if (Date.now() - start > timeoutMs) throw new Error(`the emulator executed ${emu.commandCount} of ${sent()} commands`);
    await sleep(2);
  }
}

export const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');

export function paperSpikeTrain(): Program {
  const doc: unknown = JSON.parse(readFileSync(path.join(repoRoot, 'resources', 'protocols', 'paper-spike-train.json'), 'utf8'));
  const compiled = compileProtocol(doc);
  if (!compiled.ok) throw new Error(`paper-spike-train.json does not compile: ${JSON.stringify(compiled.problems)}`);
  return compiled.program;
}

export interface RunHooks {
  /** Called after every completed operation with its index. */
  afterOp?: (index: number) => void;
}

/** Drives a program through a Device with shared/protocol's interpreter; returns the read conductances. */
export async function runOnDevice(program: Program, device: Device, hooks: RunHooks = {}): Promise<number[]> {
  const reads: number[] = [];
  const run = execute(program);
  let index = 0;
  for (let step = run.next(); !step.done; ) {
    const op = step.value;
    if (op.op === 'pulse') {
      await device.pulse(op.amplitude, op.width);
      step = run.next(undefined);
    } else if (op.op === 'read') {
      const r = await device.read(op.voltage);
      reads.push(r.conductance);
      step = run.next({ conductance: r.conductance });
    } else if (op.op === 'step') {
      await device.pulse(op.voltage, op.dwell, { compliance: op.compliance });
      step = run.next(undefined);
    } else {
      await device.wait(op.duration);
      step = run.next(undefined);
    }
    hooks.afterOp?.(index++);
  }
  return reads;
}

/** The same program simulated directly on the same preset and seed: the reference. */
export function simulateReads(program: Program, presetName: string, seed: number): number[] {
  const preset = builtInPresets.find((p) => p.name === presetName);
  if (!preset) throw new Error(`no preset ${presetName}`);
  const cols = simulateProtocol(program, createDevice(preset, { seed }));
  const out: number[] = [];
  for (let k = 0; k < cols.length; k++) if (cols.kind[k] === SampleKind.read) out.push(cols.g[k]!);
  return out;
}

export const relativeChange = (xs: number[]) => (xs[xs.length - 1]! - xs[0]!) / xs[0]!;
