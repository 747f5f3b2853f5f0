// The app's pages (renderer/), built with Vite (build/vite.config.ts) into dist/renderer — or
// WORKBENCH_RENDERER_DIR, as the hosts read it (electron/app-meta.ts rendererDir()) — with a stamp
// beside the folder (dist/renderer.stamp.json; see build/freshness.js) listing every file the build
// read: each module Rolldown loaded (renderer/, shared/, the packages in node_modules) and every
// file in renderer/ (index.html's favicon is not a module).
//
//   node build/build-renderer.js             build now (`npm run build:renderer`)
//   node build/build-renderer.js --if-stale  build only when missing or older than its sources
//                                            (`workbench serve`, `npm start`, `npm install`, the
//                                            test runner's setup); exit 1 when that build fails
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inputsUnchanged, makeStamp, readStamp, withLock, writeFileAtomic } from './freshness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Files that shape the build without being modules of it. */
const BUILD_INPUTS = ['build/build-renderer.js', 'build/vite.config.ts', 'renderer/tsconfig.json', 'tsconfig.base.json'];

export function rendererOutDir() {
  return process.env.WORKBENCH_RENDERER_DIR ?? path.join(root, 'dist', 'renderer');
}
const stampFile = (outDir) => `${outDir}.stamp.json`;
const lockFile = (outDir) => `${outDir}.lock`;

/** True when the built pages exist and match their sources. */
export function rendererIsFresh(outDir = rendererOutDir()) {
  const stamp = readStamp(stampFile(outDir));
  return stamp !== null && existsSync(path.join(outDir, 'index.html')) && inputsUnchanged(stamp, root);
}

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath ?? e.path, e.name));
}

/** Builds the pages into `outDir` and stamps them. */
export async function buildRenderer({ outDir = rendererOutDir(), quiet = false } = {}) {
  let vite;
  try {
    vite = await import('vite');
  } catch {
    throw new Error(`Vite is not installed, so the app's pages cannot be built: run \`npm ci\` (or \`npm install\`) in ${root}`);
  }
  const read = new Set();
  const startedAt = Date.now();
  await vite.build({
    configFile: path.join(root, 'build', 'vite.config.ts'),
    logLevel: quiet ? 'warn' : 'info',
    build: { outDir },
    plugins: [
      {
        name: 'workbench-build-inputs',
        generateBundle() {
          for (const id of this.getModuleIds()) {
            const file = id.split('?')[0];
            if (!id.startsWith('\0') && path.isAbsolute(file) && existsSync(file)) read.add(file);
          }
        },
      },
    ],
  });
  for (const file of filesUnder(path.join(root, 'renderer'))) read.add(file);
  const inputs = [...read].map((file) => path.relative(root, file));
  const stamp = makeStamp(root, [...inputs, ...BUILD_INPUTS], startedAt);
  if (stamp) writeFileAtomic(stampFile(outDir), `${JSON.stringify(stamp)}\n`);
}

/** Builds the pages unless they are fresh (once, however many processes ask at the same moment). */
export async function ensureRenderer({ outDir = rendererOutDir(), say = (line) => process.stdout.write(`${line}\n`) } = {}) {
  if (rendererIsFresh(outDir)) return false;
  return withLock(lockFile(outDir), async () => {
    if (rendererIsFresh(outDir)) return false;
    const why = existsSync(path.join(outDir, 'index.html')) ? 'their sources changed since the last build' : 'they were never built here';
    say(`Building the app's pages from renderer/ (${why})…`);
    const start = Date.now();
    await buildRenderer({ outDir, quiet: true });
    say(`Built the app's pages in ${((Date.now() - start) / 1000).toFixed(1)} s.`);
    return true;
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    if (process.argv.includes('--if-stale')) await ensureRenderer();
    else await withLock(lockFile(rendererOutDir()), () => buildRenderer());
  } catch (e) {
    // Vite has printed the source errors themselves.
    process.stderr.write(`build-renderer: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
