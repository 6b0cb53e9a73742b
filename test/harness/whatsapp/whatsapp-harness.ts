import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signBody } from '@ventanilla/connectors/core';
import { messageWebhook, newWamid, statusWebhook, type CitizenMessage, type MetaStatusWord, type StatusUpdate } from './whatsapp-payloads.js';

/** One `POST /{version}/{phone-number-id}/messages` the hub made. */
export interface GraphCall {
  version: string;
  phoneNumberId: string;
  /** The bearer token matched the harness's access token. */
  authorized: boolean;
  body: Record<string, unknown>;
  answered: number;
  /** The wamid the harness issued (2xx answers only). */
  wamid?: string;
}

/** A documented Graph error to answer the next send with. */
export interface GraphFailure {
  code: number;
  message: string;
  details?: string;
  /** HTTP status (Meta answers most errors with 400). */
  status?: number;
}

export interface HarnessMedia {
  id: string;
  content: Buffer;
  mimeType: string;
  /** What `GET /{media-id}` declares as file_size (defaults to the real length). */
  declaredSize: number;
  downloads: number;
}

export interface WebhookResult {
  status: number;
  body: string;
}

export interface WhatsAppHarness {
  /** Point a channel's `graphBaseUrl` here. */
  baseUrl: string;
  accessToken: string;
  phoneNumberId: string;
  calls: GraphCall[];
  media: Map<string, HarnessMedia>;
  /** The next send answers with this error (queue several by calling it again). */
  failNext(error: GraphFailure): void;
  /** Media the hub may fetch by id, as Meta keeps a citizen's upload. */
  addMedia(content: Buffer, mimeType: string, options?: { declaredSize?: number }): string;
  /** Posts a citizen's message to the hub, signed like Meta; returns its wamid. */
  postMessage(hubUrl: string, channelId: string, appSecret: string, message: CitizenMessage): Promise<WebhookResult & { wamid: string; sentBody: string }>;
  /** Posts status callbacks for a message the hub sent (one webhook per update, in order). */
  postStatus(hubUrl: string, channelId: string, appSecret: string, update: StatusUpdate): Promise<WebhookResult>;
  /** sent → delivered → read for a wamid the harness issued, as Meta reports a read reply. */
  postStatusSequence(hubUrl: string, channelId: string, appSecret: string, wamid: string, words?: MetaStatusWord[]): Promise<WebhookResult[]>;
  /** Posts exact bytes with a given (or the correct) signature: replays and forgeries. */
  postRaw(hubUrl: string, channelId: string, body: string, signature: string): Promise<WebhookResult>;
  stop(): Promise<void>;
}

const MESSAGES_PATH = /^\/(v\d+\.\d+)\/([^/]+)\/messages$/;
const MEDIA_INFO_PATH = /^\/(v\d+\.\d+)\/([^/]+)$/;
const MEDIA_BYTES_PATH = /^\/whatsapp_business\/attachments\/$/;

/**
 * Plays Meta for tests and benchmarks: a Graph API double (messages, media) on 127.0.0.1 and a
 * webhook client that signs payloads with the app secret (`X-Hub-Signature-256`) exactly as
 * Meta does, over the exact bytes it sends.
 */
export async function startWhatsAppHarness(options: { accessToken?: string; phoneNumberId?: string } = {}): Promise<WhatsAppHarness> {
  const accessToken = options.accessToken ?? `EAAG${randomBytes(16).toString('hex')}`;
  const phoneNumberId = options.phoneNumberId ?? '106540352242922';
  const calls: GraphCall[] = [];
  const media = new Map<string, HarnessMedia>();
  const failures: GraphFailure[] = [];
  /** Who each issued wamid went to (for status callbacks' recipient_id). */
  const recipients = new Map<string, string>();
  let baseUrl = '';

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => send(res, 500, { error: { message: String(error), code: 1 } }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://harness.invalid');
    const authorized = req.headers.authorization === `Bearer ${accessToken}`;
    const messages = MESSAGES_PATH.exec(url.pathname);
    if (req.method === 'POST' && messages) {
      const payload = parseObject(body);
      const record: GraphCall = { version: messages[1]!, phoneNumberId: decodeURIComponent(messages[2]!), authorized, body: payload, answered: 0 };
      calls.push(record);
      if (!authorized) return graphError(res, record, { status: 401, code: 190, message: 'Invalid OAuth access token - Cannot parse access token' });
      if (record.phoneNumberId !== phoneNumberId) return graphError(res, record, { code: 100, message: `Unsupported post request. Object with ID '${record.phoneNumberId}' does not exist` });
      const failure = failures.shift();
      if (failure) return graphError(res, record, failure);
      const wamid = newWamid();
      const to = typeof payload['to'] === 'string' ? payload['to'] : '';
      recipients.set(wamid, to);
      record.answered = 200;
      record.wamid = wamid;
      return send(res, 200, { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: waIdOf(to) }], messages: [{ id: wamid }] });
    }
    const info = MEDIA_INFO_PATH.exec(url.pathname);
    if (req.method === 'GET' && info) {
      if (!authorized) return send(res, 401, { error: { message: 'Invalid OAuth access token', type: 'OAuthException', code: 190 } });
      const item = media.get(decodeURIComponent(info[2]!));
      if (!item) return send(res, 400, { error: { message: 'Unsupported get request.', type: 'GraphMethodException', code: 100 } });
      return send(res, 200, {
        messaging_product: 'whatsapp',
        url: `${baseUrl}/whatsapp_business/attachments/?mid=${item.id}&ext=${Date.now()}`,
        mime_type: item.mimeType,
        sha256: createHash('sha256').update(item.content).digest('hex'),
        file_size: String(item.declaredSize),
        id: item.id,
      });
    }
    if (req.method === 'GET' && MEDIA_BYTES_PATH.test(url.pathname)) {
      // Meta's media URLs need the same bearer token; without it they answer 404.
      const item = media.get(url.searchParams.get('mid') ?? '');
      if (!authorized || !item) return send(res, 404, { error: { message: 'not found' } });
      item.downloads += 1;
      res.writeHead(200, { 'content-type': item.mimeType, 'content-length': String(item.content.length) });
      res.end(item.content);
      return;
    }
    send(res, 404, { error: { message: `harness: no route ${req.method} ${url.pathname}`, code: 100 } });
  }

  function graphError(res: ServerResponse, record: GraphCall, failure: GraphFailure): void {
    record.answered = failure.status ?? 400;
    send(res, record.answered, {
      error: {
        message: failure.message,
        type: 'OAuthException',
        code: failure.code,
        ...(failure.details ? { error_data: { messaging_product: 'whatsapp', details: failure.details } } : {}),
        fbtrace_id: `A${randomBytes(8).toString('hex')}`,
      },
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('harness did not bind a TCP port');
  baseUrl = `http://127.0.0.1:${(address satisfies AddressInfo).port}`;

  async function postRaw(hubUrl: string, channelId: string, body: string, signature: string): Promise<WebhookResult> {
    const res = await fetch(`${hubUrl}/webhooks/whatsapp/${channelId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature, 'user-agent': 'facebookexternalua' },
      body,
    });
    return { status: res.status, body: await res.text() };
  }

  const signedPost = async (hubUrl: string, channelId: string, appSecret: string, payload: unknown) => {
    const body = JSON.stringify(payload);
    return { ...(await postRaw(hubUrl, channelId, body, signBody(appSecret, body))), sentBody: body };
  };

  async function postStatus(hubUrl: string, channelId: string, appSecret: string, update: StatusUpdate): Promise<WebhookResult> {
    const { status, body } = await signedPost(hubUrl, channelId, appSecret, statusWebhook(phoneNumberId, [update]));
    return { status, body };
  }

  return {
    baseUrl,
    accessToken,
    phoneNumberId,
    calls,
    media,
    failNext(error) {
      failures.push(error);
    },
    addMedia(content, mimeType, opts = {}) {
      const id = String(1_000_000_000_000 + media.size + Math.floor(Math.random() * 1_000_000) * 1000);
      media.set(id, { id, content, mimeType, declaredSize: opts.declaredSize ?? content.length, downloads: 0 });
      return id;
    },
    async postMessage(hubUrl, channelId, appSecret, message) {
      const { wamid, body } = messageWebhook(phoneNumberId, message);
      return { ...(await signedPost(hubUrl, channelId, appSecret, body)), wamid };
    },
    postStatus,
    async postStatusSequence(hubUrl, channelId, appSecret, wamid, words = ['sent', 'delivered', 'read']) {
      const results: WebhookResult[] = [];
      for (const status of words) results.push(await postStatus(hubUrl, channelId, appSecret, { wamid, status, recipientId: waIdOf(recipients.get(wamid) ?? '') }));
      return results;
    },
    postRaw,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Meta reports a Mexican mobile with the legacy 1 after the country code. */
function waIdOf(to: string): string {
  return /^52\d{10}$/.test(to) ? `521${to.slice(2)}` : to;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value)) : {};
  } catch {
    return {};
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
