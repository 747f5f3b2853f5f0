#!/usr/bin/env node
// `npm start`: the desktop app when the Electron runtime is installed; otherwise, in one line,
// why not — and the same workbench through the web host in a browser.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(script) {
  const r = spawnSync(npm, ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

let electronBinary = null;
try {
  // The electron package exports the path of its binary, and throws if the binary was never fetched.
  electronBinary = require('electron');
  if (typeof electronBinary !== 'string' || !existsSync(electronBinary)) electronBinary = null;
} catch {
  electronBinary = null;
}

if (electronBinary) {
  run('build');
  const child = spawn(electronBinary, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(
    'The Electron runtime is not installed (run `node node_modules/electron/install.js` on a machine that can reach its download host); starting the web host instead.',
  );
  // `workbench serve` builds the app's pages itself when they are missing or older than renderer/.
  const child = spawn(process.execPath, [path.join(root, 'electron', 'bin', 'workbench.js'), 'serve', ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
}
