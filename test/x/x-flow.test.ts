import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { createCampaign, createUser } from '../support/factories.js';
import { bearer, tokenFor } from '../support/auth.js';
import { startXApiDouble, X_ERRORS, XWebhookClient, type XApiDouble, type XUser } from '../harness/x/index.js';

const ACCOUNT_ID = '4337869213';
const CONSUMER_SECRET = 'x-consumer-secret-for-tests-0123456789';
const USER_TOKEN = 'x-user-access-token-for-tests';

/**
 * Issue 6 item 6 end to end through the X harness: X's CRC, a citizen's DM opening a
 * conversation, the agent's reply reaching X's DM endpoint, X's echo of it ignored, the
 * citizen's read receipt, forged and replayed webhooks.
 */
describe('X direct messages through the harness', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0', OUTBOUND_BACKOFF_MS: '20', OUTBOUND_MAX_ATTEMPTS: '3' });
  let hub: HubProcess;
  let x: XApiDouble;
  let client: XWebhookClient;
  let channelId: string;
  let agentToken: string;
  let hubUrl: string;

  beforeAll(async () => {
    x = await startXApiDouble({ accountId: ACCOUNT_ID, userAccessToken: USER_TOKEN });
    hub = await startHubProcess(config);
    if (!hub.url) throw new Error('the hub process is not listening');
    hubUrl = hub.url;
    const db = hub.ctx.db.kysely;
    const campaign = await createCampaign(db, { prefix: 'XDM' });
    const adminToken = await tokenFor(db, (await createUser(db, { roles: ['admin'] })).id);
    agentToken = await tokenFor(db, (await createUser(db, { roles: ['agent'], campaignIds: [campaign.id] })).id);

    // The admin types X's credentials: they are stored and never shown back.
    const created = await fetch(`${hubUrl}/api/v1/campaigns/${campaign.id}/channels`, {
      method: 'POST',
      headers: { ...bearer(adminToken), 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'x', name: 'X @VentanillaMX', settings: { accountId: ACCOUNT_ID, apiBaseUrl: x.url }, secrets: { consumerSecret: CONSUMER_SECRET, userAccessToken: USER_TOKEN } }),
    });
    expect(created.status).toBe(201);
    const channel = (await created.json()) as Record<string, unknown> & { id: string };
    expect(channel).toMatchObject({ kind: 'x', secretSource: 'provided', webhookPath: `/webhooks/x/${channel.id}` });
    expect(channel['secrets']).toBeUndefined();
    expect(JSON.stringify(channel)).not.toContain(CONSUMER_SECRET);
    channelId = channel.id;
    client = new XWebhookClient({ hubUrl, channelId, consumerSecret: CONSUMER_SECRET, accountId: ACCOUNT_ID });
  });

  afterAll(async () => {
    await hub?.stop();
    await x?.close();
    await dropNamespaces(config);
  });

  const db = () => hub.ctx.db.kysely;
  const inbound = (providerId: string) =>
    db().selectFrom('messages').selectAll().where('channel_id', '=', channelId).where('provider_message_id', '=', providerId).execute();
  const message = (id: string) => db().selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const settle = async () => {
    // Every job enqueued by the webhooks so far has run (accepted or discarded).
    await expect.poll(async () => (await hub.ctx.queues.inbound.getJobCounts('waiting', 'active', 'delayed')), { timeout: 10_000 }).toMatchObject({ waiting: 0, active: 0, delayed: 0 });
  };

  async function citizenWrites(citizen: XUser, id: string, text: string): Promise<{ conversationId: string }> {
    expect((await client.dm({ id, from: citizen, text })).status).toBe(200);
    await expect.poll(async () => (await inbound(id)).length, { timeout: 10_000 }).toBe(1);
    const [row] = await inbound(id);
    return { conversationId: row!.conversation_id };
  }

  async function agentReplies(conversationId: string, text: string): Promise<string> {
    const res = await fetch(`${hubUrl}/api/v1/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: { ...bearer(agentToken), 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });
    expect(res.status).toBe(202);
    return ((await res.json()) as { message: { id: string } }).message.id;
  }

  it('answers X’s CRC with the response_token X expects, and nothing without a crc_token', async () => {
    const check = await client.crc();
    expect(check.valid).toBe(true);
    expect(check.response.headers.get('content-type')).toContain('application/json');
    expect((await fetch(client.url)).status).toBe(404);
    // A CRC for a channel that does not exist is not answered either.
    expect((await fetch(`${hubUrl}/webhooks/x/00000000-0000-4000-8000-000000000000?crc_token=abc`)).status).toBe(404);
  });

  it('a citizen DM opens a conversation; the reply reaches X; our echo is ignored; the read receipt marks it read', async () => {
    const citizen: XUser = { id: '3001969357', name: 'María Guadalupe Hernández', screen_name: 'lupita_hdz' };
    const { conversationId } = await citizenWrites(citizen, '1864150900000000101', 'Hola, ¿cómo tramito mi constancia?');
    const [first] = await inbound('1864150900000000101');
    expect(first).toMatchObject({ direction: 'inbound', text: 'Hola, ¿cómo tramito mi constancia?', content_type: 'text' });
    const conversation = await db().selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirstOrThrow();
    const contact = await db().selectFrom('contacts').selectAll().where('id', '=', conversation.contact_id).executeTakeFirstOrThrow();
    expect(contact.display_name).toBe('María Guadalupe Hernández');
    const identities = await db().selectFrom('contact_identities').select(['kind', 'value', 'channel_id']).where('contact_id', '=', contact.id).execute();
    expect(identities).toEqual([{ kind: 'external', value: citizen.id, channel_id: channelId }]);

    const replyId = await agentReplies(conversationId, 'Con gusto. Ingrese a su portal con su RFC.');
    await expect.poll(async () => (await message(replyId)).status, { timeout: 10_000 }).toBe('sent');
    const calls = x.calls.filter((c) => c.participantId === citizen.id);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ token: USER_TOKEN, contentType: 'application/json', body: { text: 'Con gusto. Ingrese a su portal con su RFC.' }, status: 201 });
    const dmEventId = calls[0]!.dmEventId!;
    expect((await message(replyId)).provider_message_id).toBe(dmEventId);

    // X echoes everything the account sends — our reply, and a DM someone typed in X's own app
    // (a new id): neither may come back as a message from a "citizen" who is the account itself.
    const before = await db().selectFrom('messages').select('id').where('channel_id', '=', channelId).execute();
    expect((await client.echo({ id: dmEventId, to: citizen, text: 'Con gusto. Ingrese a su portal con su RFC.' })).status).toBe(200);
    expect((await client.echo({ id: '1864150900000000102', to: citizen, text: 'Escrito desde la app de X' })).status).toBe(200);
    expect((await client.typing(citizen)).status).toBe(200);
    await settle();
    expect(await db().selectFrom('messages').select('id').where('channel_id', '=', channelId).execute()).toHaveLength(before.length);
    expect(await db().selectFrom('contact_identities').select('id').where('value', '=', ACCOUNT_ID).execute()).toEqual([]);

    expect((await client.markRead(citizen, dmEventId)).status).toBe(200);
    await expect.poll(async () => (await message(replyId)).status, { timeout: 10_000 }).toBe('read');
  });

  it('rejects a DM signed with another secret (401) and stores nothing', async () => {
    const res = await client.dm({ id: '1864150900000000201', from: '3001969358', text: 'Soy X, créanme' }, { signWith: 'not-the-consumer-secret' });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('HUB_ERR_WEBHOOK_SIGNATURE');
    const unsigned = await fetch(client.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: client.dmBody({ id: '1864150900000000202', from: '3001969358', to: ACCOUNT_ID, text: 'sin firma' }) });
    expect(unsigned.status).toBe(401);
    await settle();
    expect(await inbound('1864150900000000201')).toEqual([]);
    expect(await inbound('1864150900000000202')).toEqual([]);
  });

  it('stores a replayed webhook once', async () => {
    const body = client.dmBody({ id: '1864150900000000301', from: { id: '3001969359', name: 'José Luis Ramírez', screen_name: 'jl_ramirez' }, to: ACCOUNT_ID, text: 'Mi pago no aparece' });
    expect((await client.post(body)).status).toBe(200);
    expect((await client.post(body)).status).toBe(200);
    await settle();
    expect(await inbound('1864150900000000301')).toHaveLength(1);
  });

  it('a citizen who does not accept our DMs: the reply fails as blocked, explained in Spanish, without retries', async () => {
    const { conversationId } = await citizenWrites({ id: '3001969360', name: 'Rosa Elena Díaz', screen_name: 'rosa_diaz' }, '1864150900000000401', 'Quiero una cita');
    x.failNext(X_ERRORS.notPermitted);
    const replyId = await agentReplies(conversationId, 'Le asignamos cita el lunes.');
    await expect.poll(async () => (await message(replyId)).status, { timeout: 10_000 }).toBe('failed');
    const failed = await message(replyId);
    expect(failed.error_code).toBe('recipient_blocked');
    expect(failed.error_reason).toContain('You are not permitted to send this DM.');
    expect(x.calls.filter((c) => c.participantId === '3001969360')).toHaveLength(1);
  });

  it('retries a rate-limited reply and sends it once X lets it through', async () => {
    const { conversationId } = await citizenWrites({ id: '3001969361', name: 'Pedro Sánchez', screen_name: 'pedro_s' }, '1864150900000000501', '¿Siguen abiertos?');
    x.failNext(X_ERRORS.rateLimited);
    const replyId = await agentReplies(conversationId, 'Sí, hasta las 18 h.');
    await expect.poll(async () => (await message(replyId)).status, { timeout: 10_000 }).toBe('sent');
    expect(x.calls.filter((c) => c.participantId === '3001969361').map((c) => c.status)).toEqual([429, 201]);
  });
});
