import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The citizens' portal (issue 11): a small React app of its own, not part of the inbox bundle,
 * served by the hub at /portal with its hashed bundles under /portal/assets/
 * (hub/src/appointments/portal-page/). It calls the public API /portal/v1 on the same origin;
 * `vite --config vite.portal.config.ts` in development proxies it to a hub on HUB_URL.
 */
const hub = process.env['HUB_URL'] ?? 'http://127.0.0.1:3000';

// Vite reads a config file's default export.
// eslint-disable-next-line no-restricted-syntax
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/portal/',
  publicDir: false,
  plugins: [react()],
  build: {
    outDir: 'dist-portal',
    emptyOutDir: true,
    sourcemap: false,
    // No inline module-preload polyfill: the page's CSP allows scripts from this origin only.
    modulePreload: { polyfill: false },
    rolldownOptions: { input: fileURLToPath(new URL('./portal.html', import.meta.url)) },
  },
  server: { proxy: { '/portal/v1': hub } },
});
