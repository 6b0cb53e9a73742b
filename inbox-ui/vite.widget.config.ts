import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The citizen's web chat widget: one classic script (IIFE) a ministry's page loads with one tag,
 * served by the hub at GET /widget.js (hub/src/http/app.ts). Plain DOM + socket.io-client, no
 * React, no CSS file (its styles live in its shadow root), no code splitting.
 */
// Vite reads a config file's default export.
// eslint-disable-next-line no-restricted-syntax
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  publicDir: false,
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: 'dist-widget',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2020',
    lib: {
      entry: fileURLToPath(new URL('./src/widget/widget.main.ts', import.meta.url)),
      name: 'VentanillaWidget',
      formats: ['iife'],
      fileName: () => 'widget.js',
    },
  },
});
