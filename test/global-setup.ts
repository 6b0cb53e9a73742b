import { ensureInboxBuilt, ensurePortalBuilt, ensureWidgetBuilt } from './e2e/e2e-support.js';

/**
 * Builds the inbox and the web chat widget once, before any test file runs. Each browser test
 * also calls ensureInboxBuilt(), which is then a no-op: without this, test files starting together
 * on a fresh clone each ran `vite build` into the same folder, and one build emptied it while
 * another file's page was loading it (the wallboard e2e hung on a CI run).
 */
export function setup(): void {
  ensureInboxBuilt();
  ensureWidgetBuilt();
  ensurePortalBuilt();
}
