import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { startHubProcess, type HubProcess, type MessageCreatedPayload, type MessageStatusChangedPayload } from '@ventanilla/hub';
import { verifyBodySignature } from '@ventanilla/connectors/core';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { bearer, tokenFor } from '../support/auth.js';
import { messageBody, signedHeaders } from '../support/webhook.js';

interface CallbackCall {
  signatureOk: boolean;
  idempotencyKey: string | undefined;
  body: { type: string; id: string; conversationId: string; folio: string; to: { phone?: string }; content: { type: string; text: string } };
  answered: number;
  providerId?: string;
}

interface Answer {
  status: number;
  body?: unknown;
  /** Post this status callback for the id we answer with before answering (a fast provider). */
  statusFirst?: 'delivered';
}

/**
 * Issue 2, item 8: an agent's reply is stored pending, sent by the outbound worker to the API
 * channel's callback URL (a real HTTP server here), retried with backoff when that can help,
 * and every status change — ours and the provider's callbacks — reaches the agent's socket.
 */
describe('outbound pipeline', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0', OUTBOUND_BACKOFF_MS: '20', OUTBOUND_MAX_ATTEMPTS: '3' });
  let hub: HubProcess;
  let callbackServer: Server;
  let socket: Socket;
  let channelId: string;
  let secret: string;
  let agentToken: string;
  let otherAgentToken: string;
  let auditorToken: string;

  /** What the callback answers, scripted per message text; unscripted sends succeed. */
  const scripts = new Map<string, Answer[]>();
  const calls: CallbackCall[] = [];
  let providerSeq = 0;
  const socketEvents: Array<{ name: 'message.created'; payload: MessageCreatedPayload } | { name: 'message.status_changed'; payload: MessageStatusChangedPayload }> = [];

  beforeAll(async () => {
    callbackServer = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const signatureOk = verifyBodySignature(secret, raw, req.headers['x-ventanilla-signature']);
        const body = JSON.parse(raw.toString('utf8')) as CallbackCall['body'];
        const scripted = scripts.get(body.content.text)?.shift();
        const answer: Answer = !signatureOk
          ? { status: 401, body: { error: 'bad signature' } }
          : (scripted ?? { status: 200, body: { id: `prov-${++providerSeq}` } });
        const providerId = answer.status === 200 ? (answer.body as { id: string }).id : undefined;
        calls.push({ signatureOk, idempotencyKey: req.headers['idempotency-key'] as string | undefined, body, answered: answer.status, ...(providerId ? { providerId } : {}) });
        const respond = () => {
          res.writeHead(answer.status, { 'content-type': 'application/json' });
          res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {}));
        };
        if (answer.statusFirst && providerId) {
          const status = JSON.stringify({ type: 'status', id: providerId, status: answer.statusFirst });
          void fetch(`${hub.url}/webhooks/api/${channelId}`, { method: 'POST', headers: signedHeaders(secret, status), body: status }).then(respond, respond);
        } else {
          respond();
        }
      });
    });
    await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
    const callbackUrl = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/ventanilla`;

    hub = await startHubProcess(config);
    const db = hub.ctx.db.kysely;
    const campaign = await createCampaign(db, { prefix: 'OUT' });
    const otherCampaign = await createCampaign(db);
    ({ channel: { id: channelId }, secret } = await createApiChannel(db, campaign.id, { callbackUrl }));
    const agent = await createUser(db, { roles: ['agent'], campaignIds: [campaign.id] });
    agentToken = await tokenFor(db, agent.id);
    otherAgentToken = await tokenFor(db, (await createUser(db, { roles: ['agent'], campaignIds: [otherCampaign.id] })).id);
    auditorToken = await tokenFor(db, (await createUser(db, { roles: ['auditor'], campaignIds: [campaign.id] })).id);

    socket = connect(`${hub.url}/staff`, { auth: { token: agentToken }, transports: ['websocket'] });
    // Delivery is at least once; like the inbox, count each outbox event once.
    const seen = new Set<string>();
    const fresh = (eventId: string) => !seen.has(eventId) && Boolean(seen.add(eventId));
    socket.on('message.created', (payload) => fresh(payload.eventId) && socketEvents.push({ name: 'message.created', payload }));
    socket.on('message.status_changed', (payload) => fresh(payload.eventId) && socketEvents.push({ name: 'message.status_changed', payload }));
    await new Promise<void>((resolve, reject) => {
      socket.on('connect', () => resolve());
      socket.on('connect_error', reject);
    });
  });

  afterAll(async () => {
    socket?.disconnect();
    await hub?.stop();
    await new Promise((resolve) => callbackServer?.close(resolve));
    await dropNamespaces(config);
  });

  const db = () => hub.ctx.db.kysely;

  async function postWebhook(payload: unknown): Promise<void> {
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    const res = await fetch(`${hub.url}/webhooks/api/${channelId}`, { method: 'POST', headers: signedHeaders(secret, body), body });
    expect(res.status).toBe(200);
  }

  /** A citizen writes in through the API channel; returns the conversation the worker opened. */
  async function citizenConversation(phone: string): Promise<{ id: string; folio: string }> {
    await postWebhook(messageBody({ id: `in-${phone}`, phone, text: 'Necesito ayuda con mi trámite' }));
    let conversation: { id: string; folio: string } | undefined;
    await expect
      .poll(
        async () => {
          conversation = await db()
            .selectFrom('messages')
            .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
            .select(['conversations.id', 'conversations.folio'])
            .where('messages.provider_message_id', '=', `in-${phone}`)
            .executeTakeFirst();
          return conversation !== undefined;
        },
        { timeout: 10_000 },
      )
      .toBe(true);
    return conversation!;
  }

  async function reply(conversationId: string, text: string, token = agentToken): Promise<Response> {
    return fetch(`${hub.url}/api/v1/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });
  }

  async function replyOk(conversationId: string, text: string): Promise<string> {
    const res = await reply(conversationId, text);
    expect(res.status).toBe(202);
    const { message } = (await res.json()) as { message: { id: string; status: string; direction: string; text: string } };
    expect(message).toMatchObject({ status: 'pending', direction: 'outbound', text });
    return message.id;
  }

  const message = (id: string) => db().selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const statusOf = async (id: string) => (await message(id)).status;
  const callsFor = (id: string) => calls.filter((c) => c.body.id === id);
  const eventsFor = (id: string) =>
    db().selectFrom('interaction_events').select(['type', 'payload', 'actor_type']).where('message_id', '=', id).orderBy('id').execute();
  const statusPushes = (id: string) =>
    socketEvents.flatMap((e) => (e.name === 'message.status_changed' && e.payload.messageId === id ? [e.payload] : []));
  const statusJob = async (providerId: string, status: string) =>
    (await hub.ctx.queues.inbound.getCompleted(0, 1000)).find(
      (j) => j.data.event.type === 'status' && j.data.event.providerMessageId === providerId && j.data.event.status === status,
    );

  it('sends a reply signed to the callback URL, marks it sent, and follows delivered and read callbacks', async () => {
    const conversation = await citizenConversation('+52 55 4000 0001');
    const id = await replyOk(conversation.id, 'Su trámite está en proceso, folio en camino.');

    await expect.poll(() => statusOf(id), { timeout: 10_000 }).toBe('sent');
    const [call] = callsFor(id);
    expect(callsFor(id)).toHaveLength(1);
    expect(call).toMatchObject({ signatureOk: true, idempotencyKey: id, answered: 200 });
    expect(call!.body).toMatchObject({
      type: 'message',
      id,
      conversationId: conversation.id,
      folio: conversation.folio,
      to: { phone: '+525540000001' },
      content: { type: 'text', text: 'Su trámite está en proceso, folio en camino.' },
    });
    const providerId = call!.providerId!;
    const sent = await message(id);
    expect(sent.provider_message_id).toBe(providerId);
    expect(sent.attempts).toBe(1);
    expect(sent.sent_at).toBeInstanceOf(Date);

    // The agent's screen: the reply appears, then turns "sent".
    await expect.poll(() => statusPushes(id).map((p) => p.status), { timeout: 5_000 }).toEqual(['sent']);
    const created = socketEvents.findIndex((e) => e.name === 'message.created' && e.payload.message.id === id);
    const changed = socketEvents.findIndex((e) => e.name === 'message.status_changed' && e.payload.messageId === id);
    expect(created).toBeGreaterThanOrEqual(0);
    expect(created).toBeLessThan(changed);
    const createdPayload = socketEvents[created]!.payload as MessageCreatedPayload;
    expect(createdPayload.folio).toBe(conversation.folio);
    expect(createdPayload.message.status).toBe('pending');

    await postWebhook({ type: 'status', id: providerId, status: 'delivered', timestamp: new Date().toISOString() });
    await expect.poll(() => statusOf(id), { timeout: 10_000 }).toBe('delivered');
    await postWebhook({ type: 'status', id: providerId, status: 'read' });
    await expect.poll(() => statusOf(id), { timeout: 10_000 }).toBe('read');
    await expect.poll(() => statusPushes(id).map((p) => p.status), { timeout: 5_000 }).toEqual(['sent', 'delivered', 'read']);
    const read = await message(id);
    expect(read.delivered_at).toBeInstanceOf(Date);
    expect(read.read_at).toBeInstanceOf(Date);
    expect((await eventsFor(id)).map((e) => e.type)).toEqual(['message.queued', 'message.sent', 'message.delivered', 'message.read']);
  });

  it('a late delivered callback after read does not move the message back', async () => {
    const conversation = await citizenConversation('+52 55 4000 0002');
    const id = await replyOk(conversation.id, 'Gracias por esperar.');
    await expect.poll(() => statusOf(id), { timeout: 10_000 }).toBe('sent');
    const providerId = callsFor(id)[0]!.providerId!;

    // The provider's callbacks arrive out of order: read first, delivered later.
    await postWebhook({ type: 'status', id: providerId, status: 'read' });
    await expect.poll(() => statusOf(id), { timeout: 10_000 }).toBe('read');
    await postWebhook({ type: 'status', id: providerId, status: 'delivered' });
    await expect.poll(async () => (await statusJob(providerId, 'delivered'))?.returnvalue, { timeout: 10_000 }).toBe('stale');
    expect(await statusOf(id)).toBe('read');
    expect((await message(id)).delivered_at).toBeNull();
    expect(statusPushes(id).map((p) => p.status)).toEqual(['sent', 'read']);
    // And a late "sent" callback neither.
    await postWebhook({ type: 'status', id: providerId, status: 'sent' });
    await expect.poll(async () => (await statusJob(providerId, 'sent'))?.returnvalue, { timeout: 10_000 }).toBe('stale');
    expect(await statusOf(id)).toBe('read');
  });

  it('retries a 500 twice and sends on the third attempt, recording each retry', async () => {
    const conversation = await citizenConversation('+52 55 4000 0003');
    const text = 'Reintento: su cita es el lunes.';
    scripts.set(text, [{ status: 500, body: 'upstream down' }, { status: 500, body: 'upstream down' }]);
    const id = await replyOk(conversation.id, text);

    await expect.poll(() => statusOf(id), { timeout: 10_000 }).toBe('sent');
    expect(callsFor(id).map((c) => c.answered)).toEqual([500, 500, 200]);
    expect(callsFor(id).every((c) => c.signatureOk && c.idempotencyKey === id)).toBe(true);
    const sent = await message(id);
    expect(sent.attempts).toBe(3);
    expect(sent.provider_message_id).toBe(callsFor(id)[2]!.providerId);
    const events = await eventsFor(id);
    expect(events.map((e) => e.type)).toEqual(['message.queued', 'message.send_retried', 'message.send_retried', 'message.sent']);
    expect(events.map((e) => (e.payload as { attempt?: number }).attempt)).toEqual([undefined, 1, 2, 3]);
    expect(events[1]!.payload).toMatchObject({ code: 'http_500', reason: 'upstream down' });
    await expect.poll(() => statusPushes(id).map((p) => p.status), { timeout: 5_000 }).toEqual(['sent']);
  });

  it('retries a 429 (rate limited) too', async () => {
    const conversation = await citizenConversation('+52 55 4000 0004');
    const text = 'Mensaje tras límite de tasa.';
    scripts.set(text, [{ status: 429, body: 'slow down' }]);
    const id = await replyOk(conversation.id, text);
    await expect.poll(() => statusOf(id), { timeout: 10_000 }).toBe('sent');
    expect(callsFor(id).map((c) => c.answered)).toEqual([429, 200]);
    expect((await eventsFor(id)).map((e) => e.type)).toEqual(['message.queued', 'message.send_retried', 'message.sent']);
  });

  it('a permanent 400 fails at once with a reason in Spanish', async () => {
    const conversation = await citizenConversation('+52 55 4000 0005');
    const text = 'Este no se puede entregar.';
    scripts.set(text, [{ status: 400, body: 'recipient format not accepted' }]);
    const id = await replyOk(conversation.id, text);

    await expect.poll(() => statusOf(id), { timeout: 10_000 }).toBe('failed');
    const failed = await message(id);
    expect(failed.error_code).toBe('http_400');
    expect(failed.error_reason).toBe('El proveedor rechazó el mensaje (http_400: recipient format not accepted)');
    expect(failed.attempts).toBe(1);
    expect(failed.failed_at).toBeInstanceOf(Date);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(callsFor(id)).toHaveLength(1);
    await expect.poll(() => statusPushes(id), { timeout: 5_000 }).toEqual([
      expect.objectContaining({ status: 'failed', errorCode: 'http_400', errorReason: failed.error_reason }),
    ]);
    expect((await eventsFor(id)).map((e) => e.type)).toEqual(['message.queued', 'message.failed']);
  });

  it('a 500 on every attempt fails after OUTBOUND_MAX_ATTEMPTS', async () => {
    const conversation = await citizenConversation('+52 55 4000 0006');
    const text = 'El proveedor nunca contesta bien.';
    scripts.set(text, Array.from({ length: 10 }, () => ({ status: 503, body: 'maintenance' })));
    const id = await replyOk(conversation.id, text);

    await expect.poll(() => statusOf(id), { timeout: 10_000 }).toBe('failed');
    const failed = await message(id);
    expect(failed.attempts).toBe(3);
    expect(failed.error_code).toBe('http_503');
    expect(failed.error_reason).toMatch(/^El proveedor tuvo un error interno \(http_503: maintenance\)$/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(callsFor(id).map((c) => c.answered)).toEqual([503, 503, 503]);
    expect((await eventsFor(id)).map((e) => e.type)).toEqual(['message.queued', 'message.send_retried', 'message.send_retried', 'message.failed']);
    await expect.poll(() => statusPushes(id).map((p) => p.status), { timeout: 5_000 }).toEqual(['failed']);
  });

  it('a failed status callback marks a sent message failed with the translated reason', async () => {
    const conversation = await citizenConversation('+52 55 4000 0007');
    const id = await replyOk(conversation.id, 'Quizá me bloquearon.');
    await expect.poll(() => statusOf(id), { timeout: 10_000 }).toBe('sent');
    const providerId = callsFor(id)[0]!.providerId!;

    await postWebhook({ type: 'status', id: providerId, status: 'failed', error: { code: 'recipient_blocked', reason: 'User blocked the business' } });
    await expect.poll(() => statusOf(id), { timeout: 10_000 }).toBe('failed');
    const failed = await message(id);
    expect(failed.error_code).toBe('recipient_blocked');
    expect(failed.error_reason).toBe('El ciudadano bloqueó los mensajes de este número (recipient_blocked: User blocked the business)');
    await expect.poll(() => statusPushes(id).map((p) => [p.status, p.errorReason]), { timeout: 5_000 }).toEqual([
      ['sent', null],
      ['failed', failed.error_reason],
    ]);
    const events = await eventsFor(id);
    expect(events.at(-1)).toMatchObject({ type: 'message.failed', actor_type: 'provider', payload: { code: 'recipient_blocked' } });
  });

  it('a delivered callback that overtakes our own "sent" record is applied once the message is known', async () => {
    const conversation = await citizenConversation('+52 55 4000 0010');
    const text = 'Proveedor muy rápido.';
    scripts.set(text, [{ status: 200, body: { id: 'prov-fast' }, statusFirst: 'delivered' }]);
    const id = await replyOk(conversation.id, text);
    await expect.poll(() => statusOf(id), { timeout: 10_000 }).toBe('delivered');
    const job = await statusJob('prov-fast', 'delivered');
    expect(job?.returnvalue).toBe('applied');
    expect(job!.attemptsMade).toBeGreaterThanOrEqual(2);
    await expect.poll(() => statusPushes(id).map((p) => p.status), { timeout: 5_000 }).toEqual(['sent', 'delivered']);
  });

  it('fails with a translated reason when the callback URL is unreachable or missing', async () => {
    const db = hub.ctx.db.kysely;
    const campaignId = (await db.selectFrom('channels').select('campaign_id').where('id', '=', channelId).executeTakeFirstOrThrow()).campaign_id;
    const cases = [
      { callbackUrl: 'http://127.0.0.1:1/closed', code: 'network_error', reason: /^No se pudo contactar al proveedor \(network_error: /, calls: 3 },
      { callbackUrl: undefined, code: 'no_callback_url', reason: /^El canal no tiene URL de retorno configurada \(no_callback_url: /, calls: 1 },
    ];
    for (const c of cases) {
      const other = await createApiChannel(db, campaignId, c.callbackUrl ? { callbackUrl: c.callbackUrl } : {});
      const body = messageBody({ id: `in-${c.code}`, phone: '+52 55 4000 0011', text: 'Hola por otro canal' });
      const res = await fetch(`${hub.url}/webhooks/api/${other.channel.id}`, { method: 'POST', headers: signedHeaders(other.secret, body), body });
      expect(res.status).toBe(200);
      let conversationId: string | undefined;
      await expect
        .poll(async () => {
          conversationId = (await db.selectFrom('conversations').select('id').where('channel_id', '=', other.channel.id).executeTakeFirst())?.id;
          return conversationId;
        }, { timeout: 10_000 })
        .toBeDefined();
      const id = await replyOk(conversationId!, `Respuesta sin destino ${c.code}`);
      await expect.poll(() => statusOf(id), { timeout: 10_000 }).toBe('failed');
      const failed = await message(id);
      expect(failed.error_code).toBe(c.code);
      expect(failed.error_reason).toMatch(c.reason);
      expect(failed.attempts).toBe(c.calls);
    }
  });

  it('refuses replies to closed conversations, other campaigns, roles that do not handle conversations, and empty text', async () => {
    const conversation = await citizenConversation('+52 55 4000 0008');
    const callsBefore = calls.length;
    const outboundCount = async () =>
      (await db().selectFrom('messages').select('id').where('conversation_id', '=', conversation.id).where('direction', '=', 'outbound').execute()).length;

    const expectError = async (res: Response, status: number, code: string) => {
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    };
    await expectError(await reply(conversation.id, 'Hola desde otra campaña', otherAgentToken), 403, 'HUB_ERR_FORBIDDEN_CAMPAIGN');
    await expectError(await reply(conversation.id, 'Soy auditor', auditorToken), 403, 'HUB_ERR_FORBIDDEN_ROLE');
    await expectError(await reply(conversation.id, ''), 400, 'HUB_ERR_VALIDATION');
    await expectError(await reply(conversation.id, '   \n  '), 400, 'HUB_ERR_VALIDATION');

    await db().updateTable('conversations').set({ closed_at: new Date(), status: 'resolved' }).where('id', '=', conversation.id).execute();
    await expectError(await reply(conversation.id, 'Ya estaba cerrada'), 409, 'HUB_ERR_CONVERSATION_CLOSED');

    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await outboundCount()).toBe(0);
    expect(calls.length).toBe(callsBefore);
    expect(await hub.ctx.queues.outbound.getJobCounts('waiting', 'active', 'delayed')).toMatchObject({ waiting: 0, active: 0, delayed: 0 });
  });

  it('a provider id the callback already used for another message does not leave the reply pending and re-sent', async () => {
    const conversation = await citizenConversation('+52 55 4000 0009');
    const same = () => [{ status: 200, body: { id: 'prov-same' } }];
    scripts.set('Primera respuesta.', same());
    scripts.set('Segunda respuesta.', [...same(), ...same(), ...same()]);
    const first = await replyOk(conversation.id, 'Primera respuesta.');
    await expect.poll(() => statusOf(first), { timeout: 10_000 }).toBe('sent');
    const second = await replyOk(conversation.id, 'Segunda respuesta.');

    // The citizen got it once: it is sent, and not sent again on every retry.
    await expect.poll(() => statusOf(second), { timeout: 10_000 }).toBe('sent');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(callsFor(second)).toHaveLength(1);
    expect((await message(second)).attempts).toBe(1);
    expect((await message(first)).provider_message_id).toBe('prov-same');
    expect((await message(second)).provider_message_id).toBeNull();
    await expect.poll(() => statusPushes(second).map((p) => p.status), { timeout: 5_000 }).toEqual(['sent']);
  });

  it('every request the callback received carried a valid signature', () => {
    expect(calls.length).toBeGreaterThanOrEqual(10);
    expect(calls.filter((c) => !c.signatureOk)).toEqual([]);
  });
});
