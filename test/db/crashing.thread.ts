/**
 * Stand-in for pglite.thread.ts in embedded.test.ts: starts like the real thread, then exits in
 * the middle of the first query, the way a WebAssembly abort would take the thread down.
 */
import { parentPort } from 'node:worker_threads';

parentPort?.postMessage({ type: 'ready' });
parentPort?.on('message', () => {
  process.exit(3);
});
