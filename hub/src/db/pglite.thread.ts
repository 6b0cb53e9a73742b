/**
 * Worker-thread entry that owns the embedded PostgreSQL (PGlite). PGlite runs PostgreSQL as
 * WebAssembly on whichever thread calls it, so keeping it here leaves the main event loop free
 * for HTTP while ingest transactions run. Started by pglite-thread-client.ts; speaks the
 * messages in pglite-thread-protocol.ts.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import {
  isThreadInit,
  isThreadRequest,
  serializeError,
  type ThreadRequest,
  type ThreadResponse,
} from './pglite-thread-protocol.js';

// int8 (counts, bigserial ids) stays a string, as on the pg path: no silent precision loss.
const INT8_OID = 20;

const port = requireParentPort();
if (!isThreadInit(workerData)) throw new Error('pglite.thread.ts: workerData must be { dataDir, schema }');
const { dataDir, schema } = workerData;

function requireParentPort(): MessagePort {
  if (!parentPort) throw new Error('pglite.thread.ts must run in a worker thread (see pglite-thread-client.ts)');
  return parentPort;
}

function send(response: ThreadResponse): void {
  try {
    port.postMessage(response);
  } catch (error) {
    // A row value that cannot be structured-cloned must fail that request, not the thread.
    if (response.type !== 'result') throw error;
    port.postMessage({ type: 'error', id: response.id, error: serializeError(error) } satisfies ThreadResponse);
  }
}

async function open(): Promise<PGlite> {
  const db = await PGlite.create(dataDir, { parsers: { [INT8_OID]: (value: string) => value } });
  await db.exec(`CREATE SCHEMA IF NOT EXISTS "${schema}"; SET search_path TO "${schema}";`);
  return db;
}

async function handle(opening: Promise<PGlite>, request: ThreadRequest): Promise<void> {
  try {
    const db = await opening;
    switch (request.op) {
      case 'query': {
        const result = await db.query(request.sql, request.params);
        send({
          type: 'result',
          id: request.id,
          rows: result.rows,
          ...(result.affectedRows === undefined ? {} : { affectedRows: result.affectedRows }),
        });
        return;
      }
      case 'exec':
        await db.exec(request.sql);
        send({ type: 'result', id: request.id, rows: [] });
        return;
      case 'close':
        await db.close();
        send({ type: 'result', id: request.id, rows: [] });
        // Nothing else keeps this thread alive once the port is closed, so it exits cleanly.
        port.close();
        return;
    }
  } catch (error) {
    send({ type: 'error', id: request.id, error: serializeError(error) });
  }
}

const opening = open();
opening.then(
  () => send({ type: 'ready' }),
  (error: unknown) => {
    const serialized = serializeError(error);
    send({ type: 'failed', error: { ...serialized, message: `Cannot open the embedded PostgreSQL in ${dataDir}: ${serialized.message}` } });
    port.close();
  },
);

// Requests run strictly in arrival order. The main side already hands the single session to
// one Kysely connection at a time; this chain also keeps `close` behind anything sent before it.
let queue: Promise<void> = Promise.resolve();
port.on('message', (message: unknown) => {
  if (!isThreadRequest(message)) throw new Error(`pglite.thread.ts: unexpected message ${JSON.stringify(message)}`);
  queue = queue.then(async () => handle(opening, message));
});
