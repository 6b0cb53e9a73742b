import { performance } from 'node:perf_hooks';
import { io as connect, type Socket } from 'socket.io-client';
import { z } from 'zod';
import { WIDGET_NAMESPACE, type WidgetMessage } from '../../../hub/src/webchat/widget.contract.js';
import { summarize, type LatencySummary } from '../ingest/stats.js';
import { runLanes } from './run-lanes.js';
import { Waiters } from './waiters.js';
import { ECHO_EVENT, type VisitorEntry } from './widget-protocol.js';

export interface EchoPhase {
  name: string;
  concurrency: number;
  attempted: number;
  completed: number;
  wallMs: number;
  /** Client emit → the server's echo back on the same socket. */
  roundTripMs: LatencySummary;
}

const echoSchema = z.object({ key: z.string() });

/**
 * The baseline of the round trips: a raw socket.io emit round trip on the same machine — the
 * client emits a message the size of the widget's `message.created`, the raw server's /widget
 * namespace emits it straight back — one socket per lane, `concurrency` lanes, closed loop.
 */
export async function echoRoundTrips(input: {
  url: string;
  origin: string;
  visitors: VisitorEntry[];
  name: string;
  count: number;
  concurrency: number;
  warmup: number;
  timeoutMs: number;
}): Promise<EchoPhase> {
  const waiters = new Waiters();
  const lanes = Math.max(1, Math.min(input.concurrency, input.count));
  const sockets: Socket[] = [];
  try {
    for (const visitor of input.visitors.slice(0, lanes)) {
      const socket = connect(`${input.url}${WIDGET_NAMESPACE}`, { auth: { token: visitor.token }, extraHeaders: { origin: input.origin }, transports: ['websocket'], forceNew: true, reconnection: false });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', (error) => reject(new Error(`echo socket: ${error.message}`)));
      });
      socket.on(ECHO_EVENT, (payload: unknown) => {
        const at = performance.now();
        const parsed = echoSchema.safeParse(payload);
        if (parsed.success) waiters.settle(parsed.data.key, at);
      });
      sockets.push(socket);
    }
    if (sockets.length < lanes) throw new Error(`echo: ${sockets.length} of ${lanes} sockets`);
    const once = async (key: string, socket: Socket): Promise<number> => {
      const arrived = waiters.wait(key, input.timeoutMs);
      const t0 = performance.now();
      socket.emit(ECHO_EVENT, { key, message: sampleMessage(key) });
      return (await arrived) - t0;
    };
    const first = sockets[0];
    if (first) for (let i = 0; i < input.warmup; i++) await once(`${input.name}-warm-${i}`, first);
    const samples: number[] = [];
    const t0 = performance.now();
    await runLanes(input.count, lanes, async (i, lane) => {
      const socket = sockets[lane];
      if (!socket) return;
      const ms = await once(`${input.name}-${i}`, socket);
      if (Number.isFinite(ms)) samples.push(ms);
    });
    return { name: input.name, concurrency: lanes, attempted: input.count, completed: samples.length, wallMs: performance.now() - t0, roundTripMs: summarize(samples) };
  } finally {
    for (const socket of sockets) socket.disconnect();
  }
}

/** What the hub sends a visitor for an agent's reply, so both round trips carry the same bytes. */
function sampleMessage(key: string): WidgetMessage {
  return {
    id: '3f0c1c7e-5b1d-4a59-9d2c-2f7f3f9d8a10',
    clientMessageId: null,
    sender: 'agent',
    senderName: 'Agente 1',
    text: `Respuesta ${key}: con gusto, ¿me comparte su CURP?`,
    attachments: [],
    createdAt: new Date().toISOString(),
  };
}
