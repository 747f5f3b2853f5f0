import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// The renderer is plain static files: the web host serves them over HTTP and Electron over its
// app:// scheme, so paths are relative and nothing is fetched from outside the bundle. This file
// runs in Node, so it lives in build/, not in renderer/ (where node:* is refused by the layer lint).
// WORKBENCH_RENDERER_DIR moves the output (and the hosts follow it, see electron/app-meta.ts), so
// two checkouts' test runs on one machine do not overwrite each other's bundle.
const outDir = process.env.WORKBENCH_RENDERER_DIR ?? fileURLToPath(new URL('../dist/renderer', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('../renderer', import.meta.url)),
  base: './',
  publicDir: false,
  build: {
    outDir,
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
    // No inline scripts or data: URLs for modules: the CSP forbids them.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  oxc: { jsx: { runtime: 'automatic' } },
});
