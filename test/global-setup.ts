import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * Before any test file runs: the `workbench` bundle (dist/cli) and the app's pages (dist/renderer)
 * match the sources, built here if they do not. Tests that spawn the command then run the code
 * under test, built once rather than by the first of many CLI processes started at the same moment
 * (whose stderr would carry the build's notice), and `workbench serve` finds its pages.
 */
export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '..');
  for (const script of ['build/build-cli.js', 'build/build-renderer.js']) {
    const r = spawnSync(process.execPath, [script, '--if-stale'], { cwd: root, stdio: 'inherit' });
    // A source error is left to the tests that run the command: each then says what failed.
    if (r.status !== 0) process.stderr.write(`test setup: ${script} --if-stale failed (exit ${r.status}); tests that run the command line will fail\n`);
  }
}
