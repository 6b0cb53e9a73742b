import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';

/** One `POST /{version}/{phone-number-id}/messages`, timed on the bench's monotonic clock. */
export interface TimedGraphCall {
  phoneNumberId: string;
  /** performance.now() when the request's body had arrived. */
  at: number;
  to: string;
  text: string;
}

export interface GraphDouble {
  baseUrl: string;
  accessToken: string;
  calls: TimedGraphCall[];
  /** Resolves once `phoneNumberId` has had `count` calls; rejects after `timeoutMs`. */
  waitFor(phoneNumberId: string, count: number, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

const MESSAGES_PATH = /^\/v\d+\.\d+\/(\d+)\/messages$/;
const sentPayload = z.looseObject({ to: z.string().default(''), text: z.looseObject({ body: z.string() }).optional() });

/**
 * A minimal Graph API for the send-rate phases. The provider harness (test/harness/whatsapp)
 * plays Meta for correctness but does not time its calls, and the figures here are the time of
 * each send, so this double records `performance.now()` per call in the bench process — the
 * same clock as the agent replies' acknowledgements — and answers as Meta does on success.
 */
export async function startGraphDouble(): Promise<GraphDouble> {
  const accessToken = `EAAG${randomBytes(16).toString('hex')}`;
  const calls: TimedGraphCall[] = [];
  const counts = new Map<string, number>();
  const waiters: Array<{ phoneNumberId: string; count: number; resolve: () => void }> = [];
  let sequence = 0;

  const server = createServer((req, res) => {
    void readBody(req).then((text) => {
      const at = performance.now();
      const match = MESSAGES_PATH.exec(new URL(req.url ?? '/', 'http://graph.invalid').pathname);
      if (req.method !== 'POST' || !match || req.headers.authorization !== `Bearer ${accessToken}`) {
        res.writeHead(match ? 401 : 404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'graph double: refused', code: match ? 190 : 100 } }));
        return;
      }
      const phoneNumberId = match[1] ?? '';
      const payload = sentPayload.safeParse(safeJson(text));
      const to = payload.success ? payload.data.to : '';
      calls.push({ phoneNumberId, at, to, text: payload.success ? (payload.data.text?.body ?? '') : '' });
      const count = (counts.get(phoneNumberId) ?? 0) + 1;
      counts.set(phoneNumberId, count);
      for (let i = waiters.length - 1; i >= 0; i--) {
        const waiter = waiters[i];
        if (waiter && waiter.phoneNumberId === phoneNumberId && count >= waiter.count) {
          waiters.splice(i, 1);
          waiter.resolve();
        }
      }
      sequence += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id: `wamid.double-${sequence}` }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('graph double did not bind a TCP port');

  return {
    baseUrl: `http://127.0.0.1:${(address satisfies AddressInfo).port}`,
    accessToken,
    calls,
    waitFor(phoneNumberId, count, timeoutMs) {
      if ((counts.get(phoneNumberId) ?? 0) >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const waiter = {
          phoneNumberId,
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`graph double: ${counts.get(phoneNumberId) ?? 0} of ${count} sends for ${phoneNumberId} after ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The request body as text (shared with the system-load bench's provider double). */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
