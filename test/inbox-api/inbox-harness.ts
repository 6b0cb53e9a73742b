import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { verifyBodySignature } from '@ventanilla/connectors/core';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { createApiChannel, createCampaign } from '../support/factories.js';
import { bearer } from '../support/auth.js';
import { messageBody, signedHeaders } from '../support/webhook.js';

/** What the API channel's callback URL received: one agent reply each. */
export interface CallbackCall {
  signatureOk: boolean;
  body: {
    type: string;
    id: string;
    conversationId: string;
    folio: string;
    content: { type: string; text?: string; attachments?: { url?: string; filename?: string; mimeType?: string; size?: number }[] };
  };
}

export interface InboxHub {
  hub: HubProcess;
  db: HubProcess['ctx']['db']['kysely'];
  url: string;
  dataDir: string;
  callbackUrl: string;
  /** Every POST the callback server received, in order. */
  calls: CallbackCall[];
  /** Signing secrets of the channels whose callback is this server (to check signatures). */
  channelSecrets: Set<string>;
  api(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  cleanup(): Promise<void>;
}

/**
 * A live hub (API, socket.io and workers) with its files in a temporary DATA_DIR, and a local
 * HTTP server standing in for the external system behind an API channel (the callback URL).
 */
export async function startInboxHub(overrides: Record<string, string> = {}): Promise<InboxHub> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ventanilla-inbox-'));
  const calls: CallbackCall[] = [];
  const channelSecrets = new Set<string>();
  let seq = 0;
  const callbackServer: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const signatureOk = [...channelSecrets].some((secret) => verifyBodySignature(secret, raw, req.headers['x-ventanilla-signature']));
      calls.push({ signatureOk, body: JSON.parse(raw.toString('utf8')) as CallbackCall['body'] });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `prov-${++seq}` }));
    });
  });
  await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
  const callbackUrl = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/ventanilla`;

  const config = testConfig({ HUB_ROLE: 'all', PORT: '0', DATA_DIR: dataDir, ROUTER_SWEEP_INTERVAL_MS: '200', OUTBOUND_BACKOFF_MS: '20', ...overrides });
  const hub = await startHubProcess(config);
  const url = hub.url!;
  const harness: InboxHub = {
    hub,
    db: hub.ctx.db.kysely,
    url,
    dataDir,
    callbackUrl,
    calls,
    channelSecrets,
    async api(method, path, token, body) {
      const res = await fetch(`${url}/api/v1${path}`, {
        method,
        headers: { ...(token ? bearer(token) : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    async cleanup() {
      await hub.stop();
      await new Promise((resolve) => callbackServer.close(resolve));
      await dropNamespaces(config);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

export interface InboxCampaign {
  id: string;
  channelId: string;
  /** A citizen writes through the signed API channel webhook; resolves with the conversation. */
  citizenWrites(phone: string, content?: Record<string, unknown>): Promise<{ id: string; folio: string }>;
}

/** A campaign with an API channel whose callback is the harness's server. */
export async function createInboxCampaign(h: InboxHub, prefix: string): Promise<InboxCampaign> {
  const campaign = await createCampaign(h.db, { prefix });
  const { channel, secret } = await createApiChannel(h.db, campaign.id, { callbackUrl: h.callbackUrl });
  h.channelSecrets.add(secret);
  let seq = 0;
  return {
    id: campaign.id,
    channelId: channel.id,
    async citizenWrites(phone, content) {
      seq += 1;
      const messageId = `in-${prefix}-${seq}-${Date.now()}`;
      const body = messageBody({ id: messageId, phone, name: `Ciudadano ${phone}`, ...(content ? { content } : { text: 'Hola, necesito ayuda con mi trámite' }) });
      const res = await fetch(`${h.url}/webhooks/api/${channel.id}`, { method: 'POST', headers: signedHeaders(secret, body), body });
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
      let found: { id: string; folio: string } | undefined;
      await waitFor(async () => {
        found = await h.db
          .selectFrom('messages')
          .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
          .select(['conversations.id', 'conversations.folio'])
          .where('messages.provider_message_id', '=', messageId)
          .executeTakeFirst();
        return found !== undefined;
      }, `message ${messageId} stored`);
      return found!;
    },
  };
}

/** Polls until `check` holds (usable in beforeAll, where expect.poll is not). */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
