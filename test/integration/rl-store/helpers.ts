/** Helpers for the RL storage tests: temp data folders, a small experiment, cleanup. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { openAppServices, type AppServices } from '../../../electron/app/app-services';
import { openStore, type Store } from '../../../electron/services/store';

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

export function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-rl-'));
  cleanups.push(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

export function openTestStore(dir = tempDir()): Store {
  const s = openStore(dir, { appVersion: '0.1.0-test' });
  cleanups.push(() => {
    if (s.isOpen) s.close();
  });
  return s;
}

export function services(dir = tempDir()): AppServices {
  const s = openAppServices({ dataDir: dir, hostKind: 'cli' });
  cleanups.push(() => s.close());
  return s;
}

export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}

// The small comparison lives apart (no vitest hooks), for the e2e specs too.
export { smallExperiment, smallExperimentJson } from './small-experiment';
