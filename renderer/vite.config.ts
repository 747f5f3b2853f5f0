import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// The renderer is plain static files: the web host serves them over HTTP and Electron over its
// app:// scheme, so paths are relative and nothing is fetched from outside the bundle.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
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
