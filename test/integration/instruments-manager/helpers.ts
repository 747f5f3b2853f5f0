/** Helpers for the instrument manager's integration tests: app-services on a temp folder, called through the router. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { EventName } from '../../../shared/contract';
import { openAppServices, type AppServices } from '../../../electron/app/app-services';
import type { Emulator } from '../../../electron/services/instruments/emulator';
import { prepareProtocol } from '../../../electron/services/runs';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) {
    try {
      await fn();
    } catch {
      // keep cleaning up
    }
  }
});

export interface Opened {
  s: AppServices;
  /** The data folder (removed after the test). */
  dir: string;
  events: { name: EventName; payload: unknown }[];
  /** The value, or throws with the error's code and message. */
  call<T>(method: string, params?: unknown): Promise<T>;
  /** The error of a call that must fail (throws if it succeeds). */
  refusal(method: string, params?: unknown): Promise<{ code: string; message: string; details?: { problems?: { path: string; message: string }[] } }>;
}

export function open(): Opened {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-instr-mgr-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return openAt(dir);
}

/** App-services on an existing data folder (a restart). */
export function openAt(dir: string): Opened {
  const s = openAppServices({ dataDir: dir, hostKind: 'cli' });
  // close() stops every emulator the manager started (socat killed) and switches the output off.
  cleanups.push(() => s.close());
  const events: { name: EventName; payload: unknown }[] = [];
  s.bus.subscribe((name, payload) => events.push({ name, payload }));
  return {
    s,
    dir,
    events,
    async call<T>(method: string, params: unknown = {}): Promise<T> {
      const r = await s.router.call(method, params);
      if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
      return r.value as T;
    },
    async refusal(method: string, params: unknown = {}) {
      const r = await s.router.call(method, params);
      if (r.ok) throw new Error(`${method} unexpectedly succeeded`);
      return r.error as never;
    },
  };
}

export async function until(fn: () => boolean, timeoutMs = 10_000, what = 'the condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function readsProtocol(count: number, interval: string) {
  const p = prepareProtocol({ format: 'memristor-workbench/protocol', version: 1, name: `${count} reads`, blocks: [{ kind: 'read', count, interval, integration: '1 ms' }] });
  if (!p.ok) throw new Error(JSON.stringify(p.problems));
  return p.protocol;
}

/** The emulator behind a virtual instrument the manager started: what it was sent, and its output. */
export function emulatorOf(s: AppServices, id: string): Emulator {
  const emulator = s.instruments.virtual.emulator(id);
  if (!emulator) throw new Error(`no emulator ${id}`);
  return emulator;
}
