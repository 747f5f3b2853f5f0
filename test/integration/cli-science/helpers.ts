import { tempDirs } from '../../fixtures/temp-dirs';
import { runCli, type CliResult } from '../cli/run-cli';

/** A fresh temp folder, removed after the test. */
export const tempDir = tempDirs('wb-cli-science-');

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
