import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentSchema, signBody } from '@ventanilla/connectors/core';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { MEDIA_TOO_LARGE_CAPTION } from '../../hub/src/ingest/resolve-inbound-media.js';
import { processInbound } from '../../hub/src/workers/ingest.worker.js';
import { startWhatsAppHarness, type WhatsAppHarness } from '../harness/whatsapp/index.js';
import { bearer, tokenFor } from '../support/auth.js';
import { createCampaign, createUser } from '../support/factories.js';
import { dropNamespaces, testConfig } from '../support/test-context.js';

const MEDIA_LIMIT = 8 * 1024;
const APP_SECRET = 'meta-app-secret-harness-0123456789';
const VERIFY_TOKEN = 'verifica-ventanilla-whatsapp';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR-harness-image'), Buffer.alloc(600, 7)]);

/**
 * Issue 6 item 2, end to end through the provider harness: Meta posts signed webhooks to a live
 * hub (API, workers), the hub fetches media and sends replies through the Graph API double,
 * and Meta's status callbacks move the reply to read.
 */
describe('WhatsApp Cloud API channel through the provider harness', () => {
  let dataDir: string;
  let config: ReturnType<typeof testConfig>;
  let hub: HubProcess;
  let hubUrl: string;
  let meta: WhatsAppHarness;
  let channelId: string;
  let agentToken: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ventanilla-wa-'));
    config = testConfig({ HUB_ROLE: 'all', PORT: '0', DATA_DIR: dataDir, INBOUND_MEDIA_MAX_BYTES: String(MEDIA_LIMIT), OUTBOUND_BACKOFF_MS: '20', OUTBOUND_MAX_ATTEMPTS: '3' });
    meta = await startWhatsAppHarness();
    hub = await startHubProcess(config);
    if (!hub.url) throw new Error('the hub is not listening');
    hubUrl = hub.url;
    const db = hub.ctx.db.kysely;
    const campaign = await createCampaign(db, { prefix: 'WAP' });
    // As an admin does it: settings validated by the adapter's schema, secrets typed and never shown back.
    const adminToken = await tokenFor(db, (await createUser(db, { roles: ['admin'] })).id);
    const created = await fetch(`${hubUrl}/api/v1/campaigns/${campaign.id}/channels`, {
      method: 'POST',
      headers: { ...bearer(adminToken), 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'whatsapp',
        name: 'WhatsApp Pasaportes',
        settings: {
          phoneNumberId: meta.phoneNumberId,
          graphBaseUrl: meta.baseUrl,
          templates: [{ name: 'seguimiento_tramite', language: 'es_MX', category: 'utility', body: 'Hola {{1}}, su trámite {{2}} sigue en proceso.', variables: 2 }],
        },
        secrets: { accessToken: meta.accessToken, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN },
      }),
    });
    const createdText = await created.text();
    expect(created.status, createdText).toBe(201);
    expect(createdText).not.toContain(APP_SECRET);
    expect(createdText).not.toContain(meta.accessToken);
    const channel = JSON.parse(createdText) as { id: string; settings: { graphApiVersion: string }; secretSource: string; secretsSet: string[] };
    expect(channel).toMatchObject({ settings: { graphApiVersion: 'v21.0' }, secretSource: 'provided', secretsSet: ['accessToken', 'appSecret', 'verifyToken'] });
    channelId = channel.id;
    agentToken = await tokenFor(db, (await createUser(db, { roles: ['agent'], campaignIds: [campaign.id], name: 'Laura Méndez' })).id);
  });

  afterAll(async () => {
    await hub?.stop();
    await meta?.stop();
    if (config) await dropNamespaces(config);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const db = () => hub.ctx.db.kysely;
  const storedMessage = (providerId: string) => db().selectFrom('messages').selectAll().where('channel_id', '=', channelId).where('provider_message_id', '=', providerId).executeTakeFirst();
  const messageById = (id: string) => db().selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  async function arrived(providerId: string) {
    await expect.poll(async () => (await storedMessage(providerId)) !== undefined, { timeout: 10_000 }).toBe(true);
    const row = (await storedMessage(providerId))!;
    if (!row.conversation_id) throw new Error(`inbound ${providerId} stored without a conversation`);
    // Stored attachments carry what ingest added (fileId, the provider's mediaRef).
    return { ...row, conversation_id: row.conversation_id, attachments: attachmentSchema.array().parse(row.attachments) };
  }

  async function reply(conversationId: string, body: Record<string, unknown>): Promise<{ status: number; json: { message?: { id: string }; error?: { code: string; message: string } } }> {
    const res = await fetch(`${hubUrl}/api/v1/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: { ...bearer(agentToken), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as { message?: { id: string }; error?: { code: string; message: string } } };
  }

  it('answers Meta’s verification GET with the challenge only for the right verify token', async () => {
    const get = (token: string) => fetch(`${hubUrl}/webhooks/whatsapp/${channelId}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${token}`);
    const ok = await get(VERIFY_TOKEN);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    expect((await get('otro-token')).status).toBe(403);
  });

  it('a citizen’s text opens a conversation; the agent’s reply goes through the Graph API and is read', async () => {
    const sent = await meta.postMessage(hubUrl, channelId, APP_SECRET, { from: '5215512340001', name: 'Ana López', type: 'text', text: 'Hola, ¿cómo va mi trámite de pasaporte?' });
    expect(sent.status).toBe(200);
    expect(JSON.parse(sent.body)).toEqual({ received: 1 });
    const inbound = await arrived(sent.wamid);
    expect(inbound).toMatchObject({ direction: 'inbound', content_type: 'text', text: 'Hola, ¿cómo va mi trámite de pasaporte?' });
    // Meta's 521… wa_id and the 10-digit form are one citizen: +52 55 1234 0001.
    const identities = await db().selectFrom('contact_identities').select(['kind', 'value']).where('contact_id', '=', (await db().selectFrom('conversations').select('contact_id').where('id', '=', inbound.conversation_id).executeTakeFirstOrThrow()).contact_id).execute();
    expect(identities).toContainEqual({ kind: 'phone', value: '+525512340001' });
    const again = await meta.postMessage(hubUrl, channelId, APP_SECRET, { from: '525512340001', type: 'text', text: 'Sigo aquí' });
    expect((await arrived(again.wamid)).conversation_id).toBe(inbound.conversation_id);

    const answer = await reply(inbound.conversation_id, { text: 'Su pasaporte está listo para entrega.' });
    expect(answer.status).toBe(202);
    const id = answer.json.message!.id;
    await expect.poll(async () => (await messageById(id)).status, { timeout: 10_000 }).toBe('sent');
    const call = meta.calls.find((c) => c.body['type'] === 'text' && JSON.stringify(c.body).includes('Su pasaporte'));
    expect(call).toMatchObject({
      version: 'v21.0',
      phoneNumberId: meta.phoneNumberId,
      authorized: true,
      answered: 200,
      body: { messaging_product: 'whatsapp', recipient_type: 'individual', to: '525512340001', type: 'text', text: { preview_url: false, body: 'Su pasaporte está listo para entrega.' } },
    });
    expect((await messageById(id)).provider_message_id).toBe(call!.wamid);

    const statuses = await meta.postStatusSequence(hubUrl, channelId, APP_SECRET, call!.wamid!);
    expect(statuses.map((s) => s.status)).toEqual([200, 200, 200]);
    await expect.poll(async () => (await messageById(id)).status, { timeout: 10_000 }).toBe('read');
    const read = await messageById(id);
    expect(read.read_at).toBeInstanceOf(Date);
    // The three receipts are three webhooks, applied by concurrent ingest jobs: on a loaded machine
    // «read» can be applied before «delivered», which is then stale (test/pipeline/outbound.test.ts).
    if (read.delivered_at !== null) expect(read.delivered_at.getTime()).toBeLessThanOrEqual(read.read_at!.getTime());
  });

  it('reply buttons go out as an interactive message, and the citizen’s choice comes back answering it', async () => {
    const sent = await meta.postMessage(hubUrl, channelId, APP_SECRET, { from: '5215512340009', type: 'text', text: 'Quiero una cita' });
    const inbound = await arrived(sent.wamid);
    const answer = await reply(inbound.conversation_id, {
      interactive: { text: '¿Confirma su cita del lunes?', buttons: [{ id: 'si', title: 'Sí' }, { id: 'no', title: 'No' }] },
    });
    expect(answer.status).toBe(202);
    const id = answer.json.message!.id;
    await expect.poll(async () => (await messageById(id)).status, { timeout: 10_000 }).toBe('sent');
    const wamid = (await messageById(id)).provider_message_id;
    expect(meta.calls.find((c) => c.wamid === wamid)?.body).toMatchObject({
      to: '525512340009',
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: '¿Confirma su cita del lunes?' },
        action: { buttons: [{ type: 'reply', reply: { id: 'si', title: 'Sí' } }, { type: 'reply', reply: { id: 'no', title: 'No' } }] },
      },
    });
    const chosen = await meta.postMessage(hubUrl, channelId, APP_SECRET, { from: '5215512340009', type: 'button_reply', replyId: 'si', title: 'Sí', contextId: wamid! });
    const choice = await arrived(chosen.wamid);
    expect(choice).toMatchObject({ conversation_id: inbound.conversation_id, content_type: 'interactive', text: 'Sí' });
  });

  it('a failed send shows Meta’s reason translated (undeliverable: not retried)', async () => {
    const sent = await meta.postMessage(hubUrl, channelId, APP_SECRET, { from: '5215512340002', type: 'text', text: 'Hola' });
    const inbound = await arrived(sent.wamid);
    meta.failNext({ code: 131026, message: 'Message undeliverable', details: 'Message Undeliverable.' });
    const before = meta.calls.length;
    const answer = await reply(inbound.conversation_id, { text: 'Respuesta que no llegará' });
    const id = answer.json.message!.id;
    await expect.poll(async () => (await messageById(id)).status, { timeout: 10_000 }).toBe('failed');
    const failed = await messageById(id);
    expect(failed.error_code).toBe('recipient_unreachable');
    expect(failed.error_reason).toBe('El destinatario no está disponible en este canal (recipient_unreachable: 131026: Message undeliverable — Message Undeliverable.)');
    expect(meta.calls.length - before).toBe(1);
  });

  it('an image is downloaded through the Graph API, stored, and served to the agent', async () => {
    const mediaId = meta.addMedia(PNG, 'image/png');
    const sent = await meta.postMessage(hubUrl, channelId, APP_SECRET, { from: '5215512340003', type: 'image', mediaId, mimeType: 'image/png', caption: 'Mi identificación' });
    expect(sent.status).toBe(200);
    const inbound = await arrived(sent.wamid);
    expect(inbound).toMatchObject({ content_type: 'image', text: 'Mi identificación' });
    const [attachment] = inbound.attachments;
    expect(attachment).toMatchObject({ mediaRef: mediaId, mimeType: 'image/png', size: PNG.length });
    expect(meta.media.get(mediaId)?.downloads).toBe(1);
    const file = await fetch(`${hubUrl}/api/v1/files/${attachment!.fileId}`, { headers: bearer(agentToken) });
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('media over the limit is not stored, and the message still arrives (declared or understated size)', async () => {
    const big = Buffer.alloc(MEDIA_LIMIT + 1, 1);
    const declared = meta.addMedia(big, 'video/mp4');
    const understated = meta.addMedia(big, 'application/pdf', { declaredSize: 100 });
    const first = await meta.postMessage(hubUrl, channelId, APP_SECRET, { from: '5215512340004', type: 'video', mediaId: declared, mimeType: 'video/mp4' });
    const second = await meta.postMessage(hubUrl, channelId, APP_SECRET, { from: '5215512340004', type: 'document', mediaId: understated, mimeType: 'application/pdf', filename: 'expediente.pdf' });
    for (const [wamid, contentType] of [
      [first.wamid, 'video'],
      [second.wamid, 'file'],
    ] as const) {
      const inbound = await arrived(wamid);
      expect(inbound.content_type).toBe(contentType);
      expect(inbound.attachments).toHaveLength(1);
      expect(inbound.attachments[0]!.fileId).toBeUndefined();
      expect(inbound.attachments[0]!.caption).toBe(MEDIA_TOO_LARGE_CAPTION);
    }
    // The size Meta declared is enough to skip the download.
    expect(meta.media.get(declared)?.downloads).toBe(0);
    const files = await db().selectFrom('files').select('id').where('campaign_id', '=', (await db().selectFrom('channels').select('campaign_id').where('id', '=', channelId).executeTakeFirstOrThrow()).campaign_id).execute();
    expect(files).toHaveLength(1);
  });

  it('a forged signature is refused with 401 and nothing is stored', async () => {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: '1', changes: [{ field: 'messages', value: { metadata: { phone_number_id: meta.phoneNumberId }, messages: [{ from: '5215512340005', id: 'wamid.FORGED', timestamp: '1764170100', type: 'text', text: { body: 'falso' } }] } }] }],
    });
    const forged = await meta.postRaw(hubUrl, channelId, body, signBody('not-the-app-secret', body));
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.body).error.code).toBe('HUB_ERR_WEBHOOK_SIGNATURE');
    expect((await meta.postRaw(hubUrl, channelId, body, '')).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await storedMessage('wamid.FORGED')).toBeUndefined();
  });

  it('a replayed webhook is stored once', async () => {
    const sent = await meta.postMessage(hubUrl, channelId, APP_SECRET, { from: '5215512340006', id: 'wamid.REPLAYED-0001', type: 'text', text: 'Mensaje repetido por Meta' });
    expect(sent.status).toBe(200);
    await arrived('wamid.REPLAYED-0001');
    // Meta redelivers the same bytes with the same signature when it did not see our 200 in time.
    const replays = await Promise.all([1, 2].map(() => meta.postRaw(hubUrl, channelId, sent.sentBody, signBody(APP_SECRET, sent.sentBody))));
    expect(replays.map((r) => r.status)).toEqual([200, 200]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const rows = await db().selectFrom('messages').select('id').where('provider_message_id', '=', 'wamid.REPLAYED-0001').execute();
    expect(rows).toHaveLength(1);
  });

  it('a status for a message we never sent changes nothing and is let go', async () => {
    const posted = await meta.postStatus(hubUrl, channelId, APP_SECRET, { wamid: 'wamid.NEVER-SENT', status: 'delivered', recipientId: '5215512340007' });
    expect(posted.status).toBe(200);
    const statusJob = async () =>
      (await hub.ctx.queues.inbound.getJobs(['delayed', 'active', 'waiting', 'completed'])).find((j) => j.data.event.type === 'status' && j.data.event.providerMessageId === 'wamid.NEVER-SENT');
    // A status may overtake our own "sent" record: the worker retries it a few times first…
    await expect.poll(async () => (await statusJob())?.attemptsMade ?? 0, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    const job = (await statusJob())!;
    expect(job.returnvalue).toBeFalsy();
    // …and on its last attempt lets it go as a logged no-op, never a failed job.
    job.attemptsMade = 7;
    expect(await processInbound(hub.ctx, job)).toBe('unknown_message');
    expect(await db().selectFrom('messages').select('id').where('provider_message_id', '=', 'wamid.NEVER-SENT').execute()).toEqual([]);
  });

  it('after 24 h only a catalogue template may go: free text is refused, the template is sent with its variables', async () => {
    const sent = await meta.postMessage(hubUrl, channelId, APP_SECRET, { from: '5215512340008', type: 'text', text: 'Hola' });
    const inbound = await arrived(sent.wamid);
    await db()
      .updateTable('conversations')
      .set({ last_inbound_at: new Date(Date.now() - 25 * 3_600_000) })
      .where('id', '=', inbound.conversation_id)
      .execute();
    const refused = await reply(inbound.conversation_id, { text: '¿Sigue ahí?' });
    expect(refused.status).toBe(409);
    expect(refused.json.error?.code).toBe('HUB_ERR_WINDOW_CLOSED');

    const template = await reply(inbound.conversation_id, { template: { name: 'seguimiento_tramite', language: 'es_MX', variables: ['Ana', 'DH-0001'] } });
    expect(template.status).toBe(202);
    const id = template.json.message!.id;
    await expect.poll(async () => (await messageById(id)).status, { timeout: 10_000 }).toBe('sent');
    expect((await messageById(id)).text).toBe('Hola Ana, su trámite DH-0001 sigue en proceso.');
    expect(meta.calls.at(-1)?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '525512340008',
      type: 'template',
      template: {
        name: 'seguimiento_tramite',
        language: { code: 'es_MX' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'text', text: 'DH-0001' }] }],
      },
    });
  });
});
