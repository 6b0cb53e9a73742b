import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { readBody, safeJson } from '../whatsapp/graph-double.js';

/** Which provider API a send went to. */
export type ProviderKind = 'whatsapp' | 'sms' | 'voice-rest';

export interface ProviderDouble {
  url: string;
  /** Calls per provider API, and those refused (bad auth, unknown path). */
  counts: Record<ProviderKind | 'refused', number>;
  stop(): Promise<void>;
}

const GRAPH_MESSAGES = /^\/v\d+\.\d+\/(\d+)\/messages$/;
const TWILIO_MESSAGES = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Messages\.json$/;
const TWILIO_ACCOUNT = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\//;

/**
 * One loopback server playing the providers the hub sends to during the load test: the Graph API
 * (`POST /vX.Y/{phone-number-id}/messages`, bearer token) and Twilio's Messages resource (form
 * `Body`, basic auth), answering as they document on success, plus any other Twilio REST call of
 * the voice bridge (201 with a fresh sid). `onSend(text, at)` gets each message's text with the
 * bench's monotonic time of arrival: reply → provider send is measured on the bench's clock.
 */
export async function startProviderDouble(input: {
  /** Read on each request: filled in once the world (and its credentials) exists. */
  auth: { graphToken: string; twilio: Map<string, string> };
  onSend: (kind: ProviderKind, text: string, at: number) => void;
}): Promise<ProviderDouble> {
  const counts: ProviderDouble['counts'] = { whatsapp: 0, sms: 0, 'voice-rest': 0, refused: 0 };
  let sequence = 0;
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const at = performance.now();
      const path = new URL(req.url ?? '/', 'http://double.invalid').pathname;
      const refuse = (status: number) => {
        counts.refused++;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'provider double: refused' } }));
      };
      sequence++;
      const graph = GRAPH_MESSAGES.exec(path);
      if (graph && req.method === 'POST') {
        if (req.headers.authorization !== `Bearer ${input.auth.graphToken}`) return refuse(401);
        counts.whatsapp++;
        const payload = safeJson(body);
        input.onSend('whatsapp', textOf(payload), at);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ messaging_product: 'whatsapp', contacts: [{ input: '', wa_id: '' }], messages: [{ id: `wamid.double-${sequence}` }] }));
        return;
      }
      const account = TWILIO_ACCOUNT.exec(path);
      const token = account?.[1] ? input.auth.twilio.get(account[1]) : undefined;
      if (!account || token === undefined) return refuse(404);
      if (req.headers.authorization !== `Basic ${Buffer.from(`${account[1]}:${token}`).toString('base64')}`) return refuse(401);
      const sid = randomBytes(16).toString('hex');
      if (TWILIO_MESSAGES.test(path) && req.method === 'POST') {
        counts.sms++;
        input.onSend('sms', new URLSearchParams(body).get('Body') ?? '', at);
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ sid: `SM${sid}`, status: 'queued', account_sid: account[1] }));
        return;
      }
      counts['voice-rest']++;
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ sid: `CA${sid}`, status: 'queued', account_sid: account[1] }));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('provider double did not bind a TCP port');
  return {
    url: `http://127.0.0.1:${(address satisfies AddressInfo).port}`,
    counts,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function textOf(payload: unknown): string {
  if (typeof payload !== 'object' || payload === null) return '';
  const text: unknown = Reflect.get(payload, 'text');
  if (typeof text !== 'object' || text === null) return '';
  const body: unknown = Reflect.get(text, 'body');
  return typeof body === 'string' ? body : '';
}
