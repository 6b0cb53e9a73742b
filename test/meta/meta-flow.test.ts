import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { metaChannelAdapter } from '@ventanilla/connectors';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { createCampaign, createUser } from '../support/factories.js';
import { bearer, tokenFor } from '../support/auth.js';
import { GRAPH_ERRORS, startGraphApiDouble, type GraphApiDouble } from '../harness/meta/graph-api-double.js';
import { MetaWebhookClient } from '../harness/meta/meta-webhook-client.js';

const PAGE_ID = '102030405060708';
const IG_ACCOUNT_ID = '17841400000000001';
const PSID = '6100000000000001';
const IGSID = '5200000000000002';
const PSID_LATE = '6100000000000003';
const secrets = { pageAccessToken: 'EAAG-harness-page-token', appSecret: 'harness-app-secret-0123456789', verifyToken: 'verifica-ventanilla-meta' };

/**
 * Issue 6 item 5 end to end: a Messenger user and an Instagram user write to one Meta channel
 * (the harness signs and posts exactly as Meta does), each gets a conversation an agent answers,
 * the replies reach the Graph API double as RESPONSE sends to the right PSID/IGSID, and Meta's
 * receipts move the ticks. Forgeries are refused, replays count once, echoes are not citizens.
 */
describe('Messenger and Instagram through the Meta webhook', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0', OUTBOUND_BACKOFF_MS: '20', OUTBOUND_MAX_ATTEMPTS: '2' });
  let hub: HubProcess;
  let graph: GraphApiDouble;
  let meta: MetaWebhookClient;
  let channelId: string;
  let agentToken: string;

  beforeAll(async () => {
    graph = await startGraphApiDouble({ pageAccessToken: secrets.pageAccessToken });
    hub = await startHubProcess(config);
    const db = hub.ctx.db.kysely;
    const campaign = await createCampaign(db, { prefix: 'META' });
    const channel = await db
      .insertInto('channels')
      .values({
        campaign_id: campaign.id,
        kind: 'meta',
        name: 'Página de la Secretaría',
        settings: JSON.stringify({ pageId: PAGE_ID, instagramAccountId: IG_ACCOUNT_ID, graphBaseUrl: graph.url, graphApiVersion: 'v21.0' }),
        secrets: JSON.stringify(secrets),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    channelId = channel.id;
    agentToken = await tokenFor(db, (await createUser(db, { roles: ['agent'], campaignIds: [campaign.id] })).id);
    meta = new MetaWebhookClient({ hubUrl: hub.url!, channelId, appSecret: secrets.appSecret, pageId: PAGE_ID, instagramAccountId: IG_ACCOUNT_ID });
  });

  afterAll(async () => {
    await hub?.stop();
    await graph?.close();
    await dropNamespaces(config);
  });

  const db = () => hub.ctx.db.kysely;
  const inbound = (mid: string) => db().selectFrom('messages').selectAll().where('channel_id', '=', channelId).where('provider_message_id', '=', mid).execute();
  const statusOf = async (id: string) => (await db().selectFrom('messages').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

  async function conversationOf(mid: string): Promise<{ id: string; contactId: string }> {
    await expect.poll(async () => (await inbound(mid)).length, { timeout: 10_000 }).toBe(1);
    const [message] = await inbound(mid);
    const conversation = await db().selectFrom('conversations').select(['id', 'contact_id']).where('id', '=', message!.conversation_id).executeTakeFirstOrThrow();
    return { id: conversation.id, contactId: conversation.contact_id };
  }

  async function reply(conversationId: string, text: string): Promise<string> {
    const res = await fetch(`${hub.url}/api/v1/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: { ...bearer(agentToken), 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });
    expect(res.status).toBe(202);
    const { message } = (await res.json()) as { message: { id: string } };
    return message.id;
  }

  it('answers the verification handshake only with the channel verify token', async () => {
    const ok = await meta.handshake(secrets.verifyToken, '1158201444');
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    expect((await meta.handshake('otro-token', '1158201444')).status).toBe(403);
  });

  it('a Messenger user and an Instagram user each reach an agent and get the reply on their network', async () => {
    expect((await meta.messengerText(PSID, 'm_fb-flow-1', 'Hola, ¿cómo va mi trámite?')).status).toBe(200);
    expect((await meta.instagramText(IGSID, 'ig_flow-1', '¿Dónde tramito mi licencia?')).status).toBe(200);
    const messenger = await conversationOf('m_fb-flow-1');
    const instagram = await conversationOf('ig_flow-1');
    expect(messenger.id).not.toBe(instagram.id);
    expect(messenger.contactId).not.toBe(instagram.contactId);
    const identities = await db().selectFrom('contact_identities').select(['contact_id', 'kind', 'value', 'channel_id']).where('channel_id', '=', channelId).execute();
    expect(identities).toEqual(
      expect.arrayContaining([
        { contact_id: messenger.contactId, kind: 'external', value: `fb-${PSID}`, channel_id: channelId },
        { contact_id: instagram.contactId, kind: 'external', value: `ig-${IGSID}`, channel_id: channelId },
      ]),
    );

    // The agent sees both conversations of the channel in the inbox.
    const list = await fetch(`${hub.url}/api/v1/conversations?channelId=${channelId}`, { headers: bearer(agentToken) });
    expect(list.status).toBe(200);
    const listed = JSON.stringify(await list.json());
    expect(listed).toContain(messenger.id);
    expect(listed).toContain(instagram.id);

    const toMessenger = await reply(messenger.id, 'Su trámite está en revisión.');
    const toInstagram = await reply(instagram.id, 'En cualquier módulo con cita previa.');
    await expect.poll(() => statusOf(toMessenger), { timeout: 10_000 }).toBe('sent');
    await expect.poll(() => statusOf(toInstagram), { timeout: 10_000 }).toBe('sent');

    const callTo = (recipientId: string) => graph.calls.find((c) => c.recipientId === recipientId);
    expect(callTo(PSID)).toMatchObject({ version: 'v21.0', token: secrets.pageAccessToken, messagingType: 'RESPONSE', tag: undefined, message: { text: 'Su trámite está en revisión.' }, status: 200 });
    expect(callTo(IGSID)).toMatchObject({ messagingType: 'RESPONSE', message: { text: 'En cualquier módulo con cita previa.' }, status: 200 });
    const providerId = async (id: string) => (await db().selectFrom('messages').select('provider_message_id').where('id', '=', id).executeTakeFirstOrThrow()).provider_message_id!;
    const messengerMid = await providerId(toMessenger);
    const instagramMid = await providerId(toInstagram);
    expect(messengerMid).toBe(callTo(PSID)?.messageId);

    // Receipts: Messenger delivery names the mid; Instagram's seen names its mid.
    expect(await (await meta.messengerDelivery(PSID, [messengerMid])).json()).toEqual({ received: 1 });
    await expect.poll(() => statusOf(toMessenger), { timeout: 10_000 }).toBe('delivered');
    expect(await (await meta.instagramSeen(IGSID, instagramMid)).json()).toEqual({ received: 1 });
    await expect.poll(() => statusOf(toInstagram), { timeout: 10_000 }).toBe('read');
    // A Messenger read is a watermark that names no message: acknowledged, nothing enqueued.
    expect(await (await meta.messengerRead(PSID)).json()).toEqual({ received: 0 });

    // Meta echoes our own reply to the Page: acknowledged, never stored as the citizen's.
    expect(await (await meta.messengerEcho(PSID, messengerMid, 'Su trámite está en revisión.')).json()).toEqual({ received: 0 });
    const inboundCount = await db().selectFrom('messages').select(db().fn.countAll<string>().as('n')).where('conversation_id', '=', messenger.id).where('direction', '=', 'inbound').executeTakeFirstOrThrow();
    expect(Number(inboundCount.n)).toBe(1);
  });

  it('through the hub: 30 h after the citizen wrote an agent still answers (HUMAN_AGENT tag, 7-day window); after 8 days the reply is refused', async () => {
    expect((await meta.messengerText(PSID_LATE, 'm_fb-late-1', 'Sigo esperando respuesta')).status).toBe(200);
    const late = await conversationOf('m_fb-late-1');
    const setLastInbound = (hours: number) =>
      db().updateTable('conversations').set({ last_inbound_at: new Date(Date.now() - hours * 3_600_000) }).where('id', '=', late.id).execute();
    await setLastInbound(30);
    const options = await fetch(`${hub.url}/api/v1/conversations/${late.id}/reply-options`, { headers: bearer(agentToken) });
    expect(await options.json()).toMatchObject({ windowHours: 168, windowOpen: true, templates: [] });
    const id = await reply(late.id, 'Una disculpa por la demora: su trámite quedó listo.');
    await expect.poll(() => statusOf(id), { timeout: 10_000 }).toBe('sent');
    expect(graph.calls.find((c) => c.recipientId === PSID_LATE)).toMatchObject({ messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });

    await setLastInbound(24 * 8);
    const refused = await fetch(`${hub.url}/api/v1/conversations/${late.id}/messages`, {
      method: 'POST',
      headers: { ...bearer(agentToken), 'content-type': 'application/json' },
      body: JSON.stringify({ text: '¿Sigue ahí?' }),
    });
    expect(refused.status).toBe(409);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('HUB_ERR_WINDOW_CLOSED');
    expect(body.error.message).toContain('no admite plantillas');
  });

  it('refuses a forged signature with 401 and stores nothing', async () => {
    const body = meta.body('page', { sender: { id: PSID }, recipient: { id: PAGE_ID }, timestamp: Date.now(), message: { mid: 'm_forged-1', text: 'Soy Meta, créeme' } });
    const res = await meta.post(body, { signWith: 'not-the-app-secret' });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'HUB_ERR_WEBHOOK_SIGNATURE' } });
    // A genuine message posted after it is processed, so the forged one had its chance to land.
    await meta.messengerText(PSID, 'm_after-forged-1', 'Sigo aquí');
    await conversationOf('m_after-forged-1');
    expect(await inbound('m_forged-1')).toHaveLength(0);
  });

  it('counts a replayed delivery once', async () => {
    const body = meta.body('page', { sender: { id: '6100000000000077' }, recipient: { id: PAGE_ID }, timestamp: Date.now(), message: { mid: 'm_replay-1', text: 'Una sola vez' } });
    expect((await meta.post(body)).status).toBe(200);
    expect((await meta.post(body)).status).toBe(200);
    await conversationOf('m_replay-1');
    await meta.messengerText('6100000000000077', 'm_replay-2', 'Y otra');
    await conversationOf('m_replay-2');
    expect(await inbound('m_replay-1')).toHaveLength(1);
  });

  it('after 24 h an agent reply goes with the HUMAN_AGENT tag, and a stored file is uploaded as filedata (adapter against the harness)', async () => {
    // The hub passes the conversation's last inbound time once the outbound worker sets
    // OutboundMessage.lastInboundAt; here the adapter is driven directly against the same double.
    const settings = metaChannelAdapter.settingsSchema.parse({ pageId: PAGE_ID, instagramAccountId: IG_ACCOUNT_ID, graphBaseUrl: graph.url });
    const message = {
      id: 'c0ffee00-0000-4000-8000-000000000001',
      conversationId: 'c0ffee00-0000-4000-8000-000000000002',
      folio: 'META-20261126-000001',
      to: { externalId: `ig-${IGSID}` },
      content: { type: 'file' as const, text: 'Su acta', attachments: [{ fileId: 'c0ffee00-0000-4000-8000-000000000003' }] },
      sender: { type: 'agent' as const, name: 'Ana' },
      lastInboundAt: new Date(Date.now() - 30 * 3_600_000).toISOString(),
    };
    const before = graph.calls.length;
    const openFile = async () => ({ filename: 'acta.pdf', mimeType: 'application/pdf', content: Readable.from([Buffer.from('%PDF-1.7 acta')]) });
    const result = await metaChannelAdapter.send(metaChannelAdapter.encodeOutbound(message, settings), settings, secrets, { fetch, openFile });
    expect(result).toMatchObject({ ok: true });
    const [upload, text] = graph.calls.slice(before);
    expect(upload).toMatchObject({ recipientId: IGSID, messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', file: { filename: 'acta.pdf', type: 'application/pdf', size: 13 }, status: 200 });
    expect(upload?.contentType).toMatch(/^multipart\/form-data/);
    expect(text).toMatchObject({ messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', message: { text: 'Su acta' } });

    // A bot eight days later is refused before Meta is called.
    const late = { ...message, sender: { type: 'bot' as const }, lastInboundAt: new Date(Date.now() - 8 * 24 * 3_600_000).toISOString() };
    expect(await metaChannelAdapter.send(metaChannelAdapter.encodeOutbound(late, settings), settings, secrets, { fetch })).toMatchObject({ ok: false, code: 'window_closed', retryable: false });
    expect(graph.calls.length).toBe(before + 2);
  });

  it("shows Meta's refusal on the message: a user who is not available fails with a translated reason", async () => {
    await meta.messengerText('6100000000000088', 'm_unavailable-1', 'Hola');
    const conversation = await conversationOf('m_unavailable-1');
    graph.failNext(GRAPH_ERRORS.userUnavailable);
    const id = await reply(conversation.id, '¿Sigue ahí?');
    await expect.poll(() => statusOf(id), { timeout: 10_000 }).toBe('failed');
    const failed = await db().selectFrom('messages').select(['error_code', 'error_reason']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(failed.error_code).toBe('recipient_unreachable');
    expect(failed.error_reason).toContain('El destinatario no está disponible');
    expect(failed.error_reason).toContain('551');
  });
});
