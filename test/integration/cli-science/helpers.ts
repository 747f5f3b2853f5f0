import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
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

export { measuredTrace as noisyTrace, truth } from '../../fixtures/measured-trace';

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
