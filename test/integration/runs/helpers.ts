/** Helpers for the run engine's integration tests: temp folders, engines on real SQLite files, test devices. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { EventName } from '../../../shared/contract';
import type { Device, DeviceReading, DeviceSnapshot, PulseResult } from '../../../shared/device/device';
import { createSimulatedDevice, DeviceError, intrinsicGradientPreset, type DevicePreset, type Pace } from '../../../shared/device';
import { EventBus } from '../../../electron/router';
import { memoryLogger, type MemoryLogEntry } from '../../../electron/services/logs';
import { RunEngine, prepareProtocol, type InstrumentDeviceFactory, type PreparedProtocol, type RunDeviceSpec, type RunEngineOptions } from '../../../electron/services/runs';
import { openStore, type Store } from '../../../electron/services/store';
import { loadProtocol } from '../../../electron/services/library';

const dirs: string[] = [];
const cleanups: (() => void | Promise<void>)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

export function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-runs-'));
  dirs.push(d);
  return d;
}

export function onCleanup(fn: () => void | Promise<void>): void {
  cleanups.push(fn);
}

export interface RecordedEvent {
  name: EventName;
  payload: unknown;
  /** performance.now() when it was emitted (ms). */
  at: number;
}

export interface Harness {
  dir: string;
  store: Store;
  bus: EventBus;
  engine: RunEngine;
  events: RecordedEvent[];
  /** What the engine logged. */
  log: MemoryLogEntry[];
  eventsOf(runId: string, name: EventName): RecordedEvent[];
}

/** A store in a fresh folder, an event bus that records everything, and an engine on both (scripted devices on 'test:'). */
export function harness(options: Partial<RunEngineOptions> = {}, dir = tempDir()): Harness {
  const store = openStore(dir, { appVersion: '0.1.0-test', host: 'test@host' });
  const bus = new EventBus();
  const events: RecordedEvent[] = [];
  // Events are stamped on the engine's clock (a virtual one when the test passes it), in ms.
  const clockMs = options.wallClock ? () => options.wallClock!() * 1000 : () => performance.now();
  bus.subscribe((name, payload) => events.push({ name, payload, at: clockMs() }));
  const logger = memoryLogger();
  const engine = new RunEngine({ store, bus, logger, instruments: { test: openScripted }, ...options });
  onCleanup(async () => {
    await engine.shutdown('the test ended', 2000);
    if (store.isOpen) store.close();
  });
  return {
    dir,
    store,
    bus,
    engine,
    events,
    log: logger.entries,
    eventsOf: (runId, name) => events.filter((e) => e.name === name && (e.payload as { runId: string }).runId === runId),
  };
}

export function prepared(doc: unknown): PreparedProtocol {
  const p = prepareProtocol(doc);
  if (!p.ok) throw new Error(`test protocol does not compile: ${JSON.stringify(p.problems)}`);
  return p.protocol;
}

/** A shipped protocol by name. */
export function shipped(name: string): PreparedProtocol {
  return prepared(loadProtocol(name).source);
}

/** `count` reads, one every `interval` (a string with units). */
export function readsDoc(count: number, interval = '1 ms', integration = '1 ms'): Record<string, unknown> {
  return { format: 'memristor-workbench/protocol', version: 1, name: `${count} reads`, blocks: [{ kind: 'read', count, interval, integration }] };
}

export function sim(seed = 1, preset: DevicePreset = intrinsicGradientPreset, noise = true): RunDeviceSpec {
  return { kind: 'simulated', preset, seed, noise };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `fn` until it returns true (or fails the test after `timeoutMs`). */
export async function until(fn: () => boolean, timeoutMs = 5000, what = 'the condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

// --- a scriptable device, opened as instrument scheme 'test' ------------------------------------

export interface ScriptSettings {
  /** Throw DeviceError(kind) on the n-th operation (pulse or read, 1-based). */
  failAt?: number;
  failKind?: string;
  /** Throw a compliance trip on the n-th pulse (1-based). */
  complianceAtPulse?: number;
  /** Each pulse and read takes this long (ms of wall time). */
  opDelayMs?: number;
  pace?: Pace;
  seed?: number;
}

export interface DeviceLog {
  ops: string[];
  outputOff: number[];
  closed: boolean;
  /** performance.now() at the start and end of each operation. */
  opTimes: [number, number][];
}

export const deviceLogs = new Map<string, DeviceLog>();

/** An instrument-like Device over a simulated model that fails, trips or dawdles on request. */
class ScriptedDevice implements Device {
  readonly kind = 'instrument' as const;
  private count = 0;
  private pulses = 0;
  constructor(
    private readonly inner: Device,
    private readonly script: ScriptSettings,
    private readonly log: DeviceLog,
  ) {}
  snapshot(): DeviceSnapshot {
    return { kind: 'instrument', driver: 'scripted', port: 'test', idn: 'TEST,SCRIPTED,0,1' };
  }
  now(): number {
    return this.inner.now();
  }
  private async op<T>(name: string, fn: () => Promise<T>, pulse = false): Promise<T> {
    const start = performance.now();
    this.count += 1;
    if (pulse) this.pulses += 1;
    this.log.ops.push(name);
    if (this.script.opDelayMs) await sleep(this.script.opDelayMs);
    if (this.script.failAt === this.count) throw new DeviceError((this.script.failKind as 'disconnected') ?? 'disconnected', `the test device failed on operation ${this.count}`);
    if (pulse && this.script.complianceAtPulse === this.pulses) throw new DeviceError('compliance', `compliance reached on pulse ${this.pulses}`);
    const r = await fn();
    this.log.opTimes.push([start, performance.now()]);
    return r;
  }
  pulse(a: number, w: number): Promise<PulseResult> {
    return this.op('pulse', () => this.inner.pulse(a, w), true);
  }
  read(v: number): Promise<DeviceReading> {
    return this.op('read', () => this.inner.read(v));
  }
  wait(s: number): Promise<void> {
    return this.inner.wait(s);
  }
  async outputOff(): Promise<void> {
    this.log.outputOff.push(performance.now());
  }
  async close(): Promise<void> {
    this.log.closed = true;
  }
}

const openScripted: InstrumentDeviceFactory = async (spec, ctx) => {
  const script = spec.settings as ScriptSettings;
  const log: DeviceLog = { ops: [], outputOff: [], closed: false, opTimes: [] };
  deviceLogs.set(spec.port, log);
  const pace = script.pace ?? 'fast';
  const inner = createSimulatedDevice(intrinsicGradientPreset, {
    seed: script.seed ?? 1,
    noise: true,
    pace,
    ...(pace === 'realtime' ? { wallClock: ctx.wallClock, sleep: ctx.sleep } : {}),
  });
  return { device: new ScriptedDevice(inner, script, log), instrumentIdn: 'TEST,SCRIPTED,0,1' };
};

/**
 * A second engine on a store that app-services opened, for runs on scripted devices (app-services'
 * own engine opens instruments through its manager only): its runs are recorded in that store.
 */
export function scriptedEngine(store: Store): RunEngine {
  const engine = new RunEngine({ store, logger: memoryLogger(), instruments: { test: openScripted } });
  onCleanup(() => engine.shutdown('the test ended', 2000));
  return engine;
}

let ports = 0;
/** A scripted device spec with its own port name (its DeviceLog is deviceLogs.get(port)). */
export function scripted(script: ScriptSettings = {}): { spec: RunDeviceSpec; port: string } {
  const port = `scripted-${process.pid}-${++ports}`;
  return { spec: { kind: 'instrument', scheme: 'test', port, driver: 'scripted', settings: { ...script } }, port };
}
