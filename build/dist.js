#!/usr/bin/env node
// `npm run dist [-- --linux|--win|--mac] [-- --electron-dist DIR]`: packages the desktop app.
//
// electron-builder rebuilds native modules (better-sqlite3) for Electron's ABI in node_modules
// itself. That must never outlive packaging — the tests and the CLI run on Node's ABI — so the
// Node build of each native binary is kept aside first and put back afterwards, whatever happens.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const nativeBinaries = ['node_modules/better-sqlite3/build/Release/better_sqlite3.node'];

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status}`);
}

const args = process.argv.slice(2);
const builderArgs = ['--config', 'build/electron-builder.json', '--publish', 'never'];
for (let k = 0; k < args.length; k++) {
  const a = args[k];
  if (a === '--electron-dist') builderArgs.push(`-c.electronDist=${path.resolve(args[++k])}`);
  else builderArgs.push(a);
}

const keep = mkdtempSync(path.join(os.tmpdir(), 'wb-dist-'));
const saved = nativeBinaries.filter((rel) => existsSync(path.join(root, rel)));
saved.forEach((rel, k) => copyFileSync(path.join(root, rel), path.join(keep, `${k}.node`)));
let failed = false;
try {
  run(process.execPath, ['build/build-electron.js']);
  run(process.execPath, ['build/build-renderer.js']);
  run('npx', ['electron-builder', ...builderArgs]);
} catch (e) {
  failed = true;
  console.error(`dist: ${e.message}`);
} finally {
  saved.forEach((rel, k) => copyFileSync(path.join(keep, `${k}.node`), path.join(root, rel)));
  rmSync(keep, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
