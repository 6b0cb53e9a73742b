import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { TwilioHarness } from '../harness/twilio/twilio-harness.js';
import { bearer, tokenFor } from '../support/auth.js';
import { createCampaign, createUser } from '../support/factories.js';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { createSmsChannel, SMS_FROM } from './sms-channel.js';

/**
 * Issue 6 item 4 end to end through the Twilio harness: a citizen's SMS opens a conversation,
 * the agent's reply goes out through the twilio SDK to the harness's REST API, and the signed
 * status callbacks move it to delivered; MMS media is stored; forged or replayed webhooks and
 * ALTO/STOP are honoured.
 */
describe('SMS through Twilio (harness)', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0', OUTBOUND_BACKOFF_MS: '20', OUTBOUND_MAX_ATTEMPTS: '3' });
  const harness = new TwilioHarness();
  let hub: HubProcess;
  let hubUrl = '';
  let channelId: string;
  let webhookUrl: string;
  let agentToken: string;

  beforeAll(async () => {
    await harness.start();
    hub = await startHubProcess(config);
    const db = hub.ctx.db.kysely;
    const campaign = await createCampaign(db, { prefix: 'SMS' });
    hubUrl = hub.url ?? '';
    channelId = (await createSmsChannel(db, campaign.id, harness, hubUrl)).id;
    webhookUrl = `${hubUrl}/webhooks/sms/${channelId}`;
    agentToken = await tokenFor(db, (await createUser(db, { roles: ['agent'], campaignIds: [campaign.id] })).id);
  });

  afterAll(async () => {
    await hub?.stop();
    await harness.stop();
    await dropNamespaces(config);
  });

  const db = () => hub.ctx.db.kysely;
  const byProviderId = (sid: string) => db().selectFrom('messages').selectAll().where('channel_id', '=', channelId).where('provider_message_id', '=', sid).execute();
  const message = (id: string) => db().selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  async function citizenWrites(from: string, body: string, media?: Array<{ url: string; contentType: string }>) {
    const { response, sid } = await harness.webhooks.inbound(webhookUrl, { from, to: SMS_FROM, body, ...(media ? { media } : {}) });
    expect(response.status).toBe(200);
    await expect.poll(async () => (await byProviderId(sid)).length, { timeout: 10_000 }).toBe(1);
    const [stored] = await byProviderId(sid);
    return stored!;
  }

  async function reply(conversationId: string, text: string): Promise<string> {
    const res = await fetch(`${hubUrl}/api/v1/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: { ...bearer(agentToken), 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });
    expect(res.status).toBe(202);
    return ((await res.json()) as { message: { id: string } }).message.id;
  }

  it('a citizen SMS opens a conversation; the reply goes out through the REST API and status callbacks make it delivered', async () => {
    const inbound = await citizenWrites('+525512340001', 'Hola, ¿cuál es el estado de mi trámite?');
    expect(inbound).toMatchObject({ direction: 'inbound', content_type: 'text', text: 'Hola, ¿cuál es el estado de mi trámite?' });
    harness.statusesFor('+525512340001', [{ status: 'sent' }, { status: 'delivered' }]);

    const id = await reply(inbound.conversation_id, 'Su trámite está en revisión.');
    await expect.poll(async () => (await message(id)).status, { timeout: 10_000 }).toBe('delivered');
    const [sent] = harness.sentTo('+525512340001');
    expect(sent).toMatchObject({ body: 'Su trámite está en revisión.', from: SMS_FROM, statusCallback: webhookUrl });
    const stored = await message(id);
    expect(stored.provider_message_id).toBe(sent!.sid);
    expect(stored.delivered_at).toBeInstanceOf(Date);
    expect(harness.callbackErrors).toEqual([]);
  });

  it('stores MMS media fetched from MediaUrl with the account credentials', async () => {
    const jpeg = Buffer.from('\xff\xd8\xff\xe0 fake jpeg bytes for the test', 'latin1');
    const url = harness.addMedia(jpeg, 'image/jpeg');
    const inbound = await citizenWrites('+525512340002', 'Mi comprobante', [{ url, contentType: 'image/jpeg' }]);
    expect(inbound).toMatchObject({ content_type: 'image', text: 'Mi comprobante' });
    const attachment = z.object({ fileId: z.uuid(), mimeType: z.string(), size: z.number() }).parse(inbound.attachments[0]);
    expect(attachment).toMatchObject({ mimeType: 'image/jpeg', size: jpeg.length });
    const file = await db().selectFrom('files').selectAll().where('id', '=', attachment.fileId).executeTakeFirstOrThrow();
    expect(file.size).toBe(jpeg.length);
  });

  it('refuses a forged signature with 401 and stores nothing', async () => {
    const params = harness.webhooks.inboundParams({ from: '+525512340003', to: SMS_FROM, body: 'Mensaje falso' });
    const forged = await harness.webhooks.post(webhookUrl, params, harness.webhooks.sign(`${webhookUrl}?x=1`, params));
    expect(forged.status).toBe(401);
    const unsigned = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() });
    expect(unsigned.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await byProviderId(params['MessageSid']!)).toHaveLength(0);
  });

  it('stores a replayed webhook once', async () => {
    const params = harness.webhooks.inboundParams({ from: '+525512340004', to: SMS_FROM, body: 'Una sola vez' });
    for (let i = 0; i < 3; i++) expect((await harness.webhooks.post(webhookUrl, params)).status).toBe(200);
    await expect.poll(async () => (await byProviderId(params['MessageSid']!)).length, { timeout: 10_000 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await byProviderId(params['MessageSid']!)).toHaveLength(1);
  });

  it('ALTO opts the number out: the message is kept and a later reply is refused with the reason; START re-enables', async () => {
    const phone = '+525512340005';
    const first = await citizenWrites(phone, 'Quiero información');
    const stop = await citizenWrites(phone, '¡Alto!');
    expect(stop).toMatchObject({ conversation_id: first.conversation_id, text: '¡Alto!' });
    await expect.poll(async () => db().selectFrom('sms_opt_outs').select('keyword').where('phone', '=', phone).execute(), { timeout: 10_000 }).toEqual([{ keyword: '¡Alto!' }]);

    const refused = await reply(first.conversation_id, '¿Sigue ahí?');
    await expect.poll(async () => (await message(refused)).status, { timeout: 10_000 }).toBe('failed');
    const failed = await message(refused);
    expect(failed.error_code).toBe('recipient_opted_out');
    expect(failed.error_reason).toMatch(/^El ciudadano pidió no recibir más mensajes en este canal/);
    expect(harness.sentTo(phone)).toHaveLength(0);

    await citizenWrites(phone, 'START');
    await expect.poll(async () => (await db().selectFrom('sms_opt_outs').select('phone').where('phone', '=', phone).execute()).length, { timeout: 10_000 }).toBe(0);
    const again = await reply(first.conversation_id, 'Con gusto le atendemos.');
    await expect.poll(async () => (await message(again)).status, { timeout: 10_000 }).toBe('sent');
    expect(harness.sentTo(phone).map((m) => m.body)).toEqual(['Con gusto le atendemos.']);
  });

  it('stores SÍ as a choice (interactive, replyId yes) and does not opt out', async () => {
    const yes = await citizenWrites('+525512340006', 'Sí');
    expect(yes).toMatchObject({ content_type: 'interactive', text: 'Sí', raw: { replyId: 'yes' } });
  });

  it('a number Twilio rejects (21211) fails the reply with the translated reason, without retries', async () => {
    const phone = '+525512340007';
    const inbound = await citizenWrites(phone, 'Hola');
    harness.failFor(phone, { status: 400, code: 21211, message: `The 'To' number ${phone} is not a valid phone number.` });
    const id = await reply(inbound.conversation_id, 'Buenas tardes');
    await expect.poll(async () => (await message(id)).status, { timeout: 10_000 }).toBe('failed');
    const failed = await message(id);
    expect(failed.error_code).toBe('invalid_phone');
    expect(failed.error_reason).toBe(`El número telefónico del destinatario no es válido (invalid_phone: 21211: The 'To' number ${phone} is not a valid phone number.)`);
    expect(failed.attempts).toBe(1);
  });

  it('an undelivered callback (30003) fails the reply with the handset reason', async () => {
    const phone = '+525512340008';
    const inbound = await citizenWrites(phone, 'Hola');
    harness.statusesFor(phone, [{ status: 'sent' }, { status: 'undelivered', errorCode: '30003' }]);
    const id = await reply(inbound.conversation_id, '¿Me confirma su CURP?');
    await expect.poll(async () => (await message(id)).status, { timeout: 10_000 }).toBe('failed');
    expect((await message(id)).error_reason).toBe('El destinatario no está disponible en este canal (recipient_unreachable: 30003: Unreachable destination handset)');
  });
});
