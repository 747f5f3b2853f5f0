#!/usr/bin/env node
// The `workbench` command. It runs the bundle in dist/cli/ (build/build-cli.js), which `npm ci` /
// `npm install` build (the `prepare` script). Before each start it checks, with one stat per source
// file, that the bundle still matches electron/ and shared/ (build/freshness.js); when it does not —
// a fresh clone installed without scripts, or a source edited since — it is rebuilt first, saying
// so in one line on stderr, so nobody runs stale code and there is no manual build step.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureCli } from '../../build/build-cli.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let entry;
try {
  entry = await ensureCli(root);
} catch (e) {
  process.stderr.write(`workbench: the command line could not be built: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
// Stack traces point into the TypeScript sources only when asked (reading the maps costs start-up time).
if (process.env.WORKBENCH_DEBUG) process.setSourceMapsEnabled(true);
const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv.slice(2));
