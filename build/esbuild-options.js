// What the Node-side bundles share: the Electron main process (build/build-electron.js) and the
// `workbench` command line (build/build-cli.js).

export const nodeBundleOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // Native modules are loaded from node_modules (electron-builder ships them); playwright-core is
  // optional and only the browser benchmarks look for it.
  external: ['electron', 'better-sqlite3', 'serialport', '@serialport/*', '@duckdb/*', 'bufferutil', 'utf-8-validate', 'playwright-core'],
};

/**
 * The worker-thread entries, built beside the bundle that starts them: the RL worker pool loads
 * ./worker.js, the store's sample writer thread ./writer-worker.js (see electron/services/rl/pool.ts
 * and electron/services/store/writer-thread.ts).
 */
export const workerEntryPoints = {
  worker: 'electron/services/rl/worker.ts',
  'writer-worker': 'electron/services/store/writer-worker.ts',
};

/** Bundled CommonJS dependencies still call require(); give an ESM bundle one. */
export const esmRequireBanner = {
  js: "import { createRequire as __wbCreateRequire } from 'node:module'; const require = __wbCreateRequire(import.meta.url);",
};
