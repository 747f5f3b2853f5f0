// npm's `prepare` script, run by `npm ci` and `npm install` in a checkout: builds the command line
// (dist/cli) and the app's pages (dist/renderer) so that the first `workbench` starts fast and the
// first `workbench serve` has its pages. It never fails the install: what cannot be built here (a
// package left out, a source error) is said in one line, and the first `workbench` or `workbench
// serve` builds it instead — or says why it cannot.
import { ensureCli } from './build-cli.js';
import { ensureRenderer } from './build-renderer.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (line) => process.stdout.write(`${line}\n`);

for (const [what, build, later] of [
  ['the command line (dist/cli)', () => ensureCli(root, { say }), 'the first `workbench` command builds it'],
  ["the app's pages (dist/renderer)", () => ensureRenderer({ say }), 'the first `workbench serve` builds them'],
]) {
  try {
    await build();
  } catch (e) {
    say(`prepare: could not build ${what} now: ${e instanceof Error ? e.message : String(e)}. ${later} instead.`);
  }
}
