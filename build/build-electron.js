// Bundles the Electron main process (ESM) and the sandboxed preload (CommonJS: sandboxed preloads
// cannot be modules) with esbuild. Native modules stay external: electron-builder ships them.
import { build } from 'esbuild';
import { esmRequireBanner, nodeBundleOptions, workerEntryPoints } from './esbuild-options.js';

await build({
  ...nodeBundleOptions,
  entryPoints: { main: 'electron/main.ts', ...workerEntryPoints },
  outdir: 'dist/electron',
  format: 'esm',
  banner: esmRequireBanner,
});
await build({
  ...nodeBundleOptions,
  entryPoints: { preload: 'electron/preload.ts' },
  outdir: 'dist/electron',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
});
