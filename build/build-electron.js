// Bundles the Electron main process (ESM) and the sandboxed preload (CommonJS: sandboxed preloads
// cannot be modules) with esbuild. Native modules stay external: electron-builder ships them.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  external: ['electron', 'better-sqlite3', 'serialport', '@serialport/*', 'bufferutil', 'utf-8-validate'],
};

await build({
  ...common,
  // The RL worker pool loads ./worker.js, the store's sample writer thread ./writer-worker.js,
  // both beside the bundle.
  entryPoints: { main: 'electron/main.ts', worker: 'electron/services/rl/worker.ts', 'writer-worker': 'electron/services/store/writer-worker.ts' },
  outdir: 'dist/electron',
  format: 'esm',
  // Bundled CommonJS dependencies still call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __wbCreateRequire } from 'node:module'; const require = __wbCreateRequire(import.meta.url);" },
});
await build({
  ...common,
  entryPoints: { preload: 'electron/preload.ts' },
  outdir: 'dist/electron',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
});
