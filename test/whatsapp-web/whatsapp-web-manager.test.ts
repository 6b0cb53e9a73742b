import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromLibraryMessage, whatsappWebChannelAdapter, type WwebjsMessageLike } from '@ventanilla/connectors';
import { inboundJobId } from '../../hub/src/queues/queues.js';
import { startWhatsAppWebManager, whatsappWebStateStore, type WhatsAppWebManager } from '../../hub/src/whatsapp-web/whatsapp-web-manager.js';
import { bearer, tokenFor } from '../support/auth.js';
import { createCampaign, createUser } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { fakeFactory } from './fake-wwebjs-client.js';

// Real library Message objects built from raw WhatsApp Web models, as Client.js emits them.
const require = createRequire(import.meta.url);
const MessageStructure: new (client: unknown, data: unknown) => WwebjsMessageLike = require('whatsapp-web.js/src/structures/Message.js');

const CITIZEN = '5215512345678@c.us';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR-fake-but-well-started')]);

function libraryMessage(id: string, extra: Record<string, unknown>, fromMe = false): WwebjsMessageLike {
  const remote = extra['from'] === undefined ? CITIZEN : String(extra['from']);
  return new MessageStructure(null, {
    id: { fromMe, remote, id, _serialized: `${String(fromMe)}_${remote}_${id}` },
    type: 'chat',
    t: 1764150000,
    from: fromMe ? '5215599990000@c.us' : remote,
    to: fromMe ? remote : '5215599990000@c.us',
    notifyName: 'María López',
    body: '',
    ...extra,
  });
}

async function waitFor<T>(probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('WhatsApp Web session manager (fake whatsapp-web.js Client)', () => {
  let h: TestHub;
  let dataDir: string;
  let channelId: string;
  const managers: WhatsAppWebManager[] = [];
  // The first manager's fake clients: the tests below drive the session it runs; the second
  // manager's take over when the first stops.
  const first = fakeFactory();
  const second = fakeFactory();

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'wwebjs-'));
    h = await createTestHub({
      DATA_DIR: dataDir,
      WHATSAPP_WEB_LOCK_TTL_MS: '1000',
      WHATSAPP_WEB_RECONNECT_BASE_MS: '200',
      WHATSAPP_WEB_RECONNECT_MAX_MS: '400',
      WHATSAPP_WEB_RESCAN_MS: '60000',
    });
    const campaign = await createCampaign(h.ctx.db.kysely);
    const channel = await h.ctx.db.kysely
      .insertInto('channels')
      .values({ campaign_id: campaign.id, kind: 'whatsapp_web', name: 'WhatsApp oficina', settings: '{}', secrets: '{}' })
      .returningAll()
      .executeTakeFirstOrThrow();
    channelId = channel.id;
  });

  afterAll(async () => {
    await Promise.all(managers.map((m) => m.stop()));
    await h.cleanup();
    await rm(dataDir, { recursive: true, force: true });
  });

  const start = (factory: ReturnType<typeof fakeFactory>['factory']) => {
    const manager = startWhatsAppWebManager(h.ctx, { factory });
    managers.push(manager);
    return manager;
  };

  it('runs one client per channel with LocalAuth under DATA_DIR, publishes the QR, then ready with the phone', async () => {
    const manager = start(first.factory);
    const client = await waitFor(() => first.clients[0]);
    expect(client.options).toEqual({ channelId, dataPath: join(dataDir, 'whatsapp-web'), executablePath: '/usr/bin/chromium' });
    expect(manager.channelIds()).toEqual([channelId]);
    const store = whatsappWebStateStore(h.ctx);
    await waitFor(async () => (await store.get(channelId))?.status.state === 'starting');

    client.emit('qr', '2@Xb9qvQkz1b8mY3V0a,Lk8n3+2Jf0uQk=,A1b2C3d4E5f6=,Zx9=');
    const qr = await waitFor(async () => {
      const current = await store.get(channelId);
      return current?.status.state === 'qr' ? current : null;
    });
    expect(qr.qr).toBe('2@Xb9qvQkz1b8mY3V0a,Lk8n3+2Jf0uQk=,A1b2C3d4E5f6=,Zx9=');
    // The QR expires with WHATSAPP_WEB_QR_TTL_S.
    expect(await h.ctx.redis.ttl(`${h.config.REDIS_PREFIX}:whatsapp-web:qr:${channelId}`)).toBeGreaterThan(50);

    client.becomeReady('5215599990000');
    const ready = await waitFor(async () => {
      const current = await store.get(channelId);
      return current?.status.state === 'ready' ? current : null;
    });
    expect(ready.status.phone).toBe('5215599990000');
    expect(ready.qr).toBeNull();
  });

  it('enqueues a received message with the webhook job id, and media already downloaded and stored', async () => {
    const client = first.clients[0];
    if (!client) throw new Error('no client');
    const text = libraryMessage('3EB0TEXT01', { body: 'Hola, ¿cómo va mi trámite?' });
    client.emit('message', text);
    const expectedId = inboundJobId({ channelId, event: fromLibraryMessage(text), receivedAt: 1 });
    const job = await waitFor(() => h.ctx.queues.inbound.getJob(expectedId));
    expect(job.data).toMatchObject({
      channelId,
      event: { type: 'message', providerMessageId: `false_${CITIZEN}_3EB0TEXT01`, contact: { phone: '+5215512345678', externalId: CITIZEN }, content: { type: 'text', text: 'Hola, ¿cómo va mi trámite?' } },
    });

    const image = libraryMessage('3EB0IMG01', { type: 'image', caption: 'Mi INE', mimetype: 'image/png', size: PNG.length, directPath: '/v/t62.7118-24/abc.enc', mediaKey: 'k' });
    client.media.set(`false_${CITIZEN}_3EB0IMG01`, { mimetype: 'image/png', data: PNG.toString('base64'), filename: null });
    client.emit('message', image);
    const imageJob = await waitFor(() => h.ctx.queues.inbound.getJob(inboundJobId({ channelId, event: fromLibraryMessage(image), receivedAt: 1 })));
    const content = imageJob.data.event.type === 'message' ? imageJob.data.event.content : null;
    if (!content || !('attachments' in content)) throw new Error('not media');
    const [attachment] = content.attachments;
    expect(attachment).toMatchObject({ mediaRef: `false_${CITIZEN}_3EB0IMG01`, mimeType: 'image/png', caption: 'Mi INE' });
    const file = await h.ctx.db.kysely.selectFrom('files').selectAll().where('id', '=', attachment?.fileId ?? '00000000-0000-0000-0000-000000000000').executeTakeFirst();
    expect(file).toMatchObject({ channel_id: channelId, mime_type: 'image/png', size: PNG.length });
  });

  it('keeps a message whose media cannot be downloaded, captioned, with nothing dropped', async () => {
    const client = first.clients[0];
    if (!client) throw new Error('no client');
    const video = libraryMessage('3EB0VID01', { type: 'video', caption: 'El bache', mimetype: 'video/mp4', directPath: '/v/t62/x.enc' });
    client.emit('message', video);
    const job = await waitFor(() => h.ctx.queues.inbound.getJob(inboundJobId({ channelId, event: fromLibraryMessage(video), receivedAt: 1 })));
    expect(job.data.event).toMatchObject({ type: 'message', content: { type: 'video', text: 'El bache' } });
    const content = job.data.event.type === 'message' ? job.data.event.content : null;
    expect(content && 'attachments' in content ? content.attachments[0]?.fileId : 'none').toBeUndefined();
  });

  it('ignores group and status messages, and turns acks of our messages into status jobs', async () => {
    const client = first.clients[0];
    if (!client) throw new Error('no client');
    const before = await h.ctx.queues.inbound.count();
    client.emit('message', libraryMessage('3EB0GRP01', { body: 'hola grupo', from: '120363025555555555@g.us', author: CITIZEN }));
    const ours = libraryMessage('3EB0OUT77', { body: 'Su folio es DH-1' }, true);
    client.emit('message_ack', ours, 3);
    const status = await waitFor(() => h.ctx.queues.inbound.getJob(inboundJobId({ channelId, event: { type: 'status', providerMessageId: `true_${CITIZEN}_3EB0OUT77`, status: 'read', occurredAt: new Date().toISOString() }, receivedAt: 1 })));
    expect(status.data.event).toMatchObject({ type: 'status', status: 'read', providerMessageId: `true_${CITIZEN}_3EB0OUT77` });
    client.emit('message_ack', ours, 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Only the read status: the group message and the PENDING ack added nothing.
    expect(await h.ctx.queues.inbound.count()).toBe(before + 1);
  });

  it('sends through the live client: the number resolved as WhatsApp knows it, and a stored file as media', async () => {
    const manager = managers[0];
    const client = first.clients[0];
    if (!manager || !client) throw new Error('no session');
    const encoded = whatsappWebChannelAdapter.encodeOutbound(
      { id: 'm1', conversationId: 'c1', folio: 'DH-1', to: { phone: '+525512345678' }, content: { type: 'text', text: 'Su trámite está listo' }, sender: { type: 'agent' } },
      { acceptGroups: false },
    );
    expect(encoded.body).toEqual({ chatId: '525512345678@c.us', text: 'Su trámite está listo' });
    const result = await whatsappWebChannelAdapter.send(encoded, { acceptGroups: false }, {}, { fetch, channelId, sessions: manager.sessions });
    expect(result).toEqual({ ok: true, providerMessageId: 'true_5215512345678@c.us_3EB0OUT1' });
    expect(client.sent[0]).toMatchObject({ chatId: '5215512345678@c.us', content: 'Su trámite está listo' });

    const [stored] = await h.ctx.db.kysely.selectFrom('files').select(['id']).where('channel_id', '=', channelId).execute();
    const media = await manager.sessions.send(channelId, { chatId: CITIZEN, media: { fileId: stored?.id, caption: 'Su constancia' } });
    expect(media.ok).toBe(true);
    expect(client.sent[1]).toMatchObject({ chatId: CITIZEN, content: { mimetype: 'image/png', data: PNG.toString('base64') }, options: { caption: 'Su constancia' } });

    expect(await manager.sessions.send(channelId, { chatId: '520000000000@c.us', text: 'x' })).toMatchObject({ ok: false, retryable: false, code: 'not_on_whatsapp' });
    expect(await manager.sessions.send(channelId, { chatId: 'nobody', text: 'x' })).toMatchObject({ ok: false, retryable: false });
    // A process without the session (or before it is ready) answers a retryable failure.
    expect(await whatsappWebChannelAdapter.send(encoded, { acceptGroups: false }, {}, { fetch, channelId })).toMatchObject({ ok: false, retryable: true, code: 'session_unavailable' });
    expect(await manager.sessions.send('00000000-0000-4000-8000-000000000000', encoded.body)).toMatchObject({ ok: false, retryable: true, code: 'session_unavailable' });
  });

  it('restarts a disconnected session after the backoff, with a fresh client', async () => {
    const client = first.clients[0];
    if (!client) throw new Error('no client');
    const store = whatsappWebStateStore(h.ctx);
    const disconnectedAt = Date.now();
    client.emit('disconnected', 'NAVIGATION');
    const state = await waitFor(async () => {
      const current = await store.get(channelId);
      return current?.status.state === 'disconnected' ? current.status : null;
    });
    expect(state.reason).toBe('NAVIGATION');
    await waitFor(() => client.destroyed === 1);
    expect(first.clients).toHaveLength(1);
    const fresh = await waitFor(() => first.clients[1]);
    // First failure: 200 ms base with equal jitter → between 100 and 200 ms.
    expect(Date.now() - disconnectedAt).toBeGreaterThanOrEqual(100);
    expect(fresh.initialized).toBe(1);
    await waitFor(async () => (await store.get(channelId))?.status.state === 'starting');
    fresh.becomeReady('5215599990000');
    await waitFor(async () => (await store.get(channelId))?.status.state === 'ready');
  });

  it('a second manager does not start the channel while the first holds its lock, and takes over when it stops', async () => {
    const manager = start(second.factory);
    await waitFor(() => manager.channelIds().length === 1);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(second.clients).toHaveLength(0);
    expect(first.clients).toHaveLength(2);

    const firstManager = managers[0];
    if (!firstManager) throw new Error('no manager');
    await firstManager.stop();
    expect(first.clients[1]?.destroyed).toBe(1);
    const takeover = await waitFor(() => second.clients[0], 4000);
    expect(takeover.initialized).toBe(1);
  });

  it('unlinks the number when an admin asks ("Desvincular"): logout on the live client, then a new session', async () => {
    const clients = second.clients;
    const client = await waitFor(() => clients[0]);
    client.becomeReady('5215599990000');
    const store = whatsappWebStateStore(h.ctx);
    await waitFor(async () => (await store.get(channelId))?.status.state === 'ready');
    const admin = await createUser(h.ctx.db.kysely, { roles: ['admin'] });
    const response = await h.app.inject({ method: 'POST', url: `/api/v1/channels/${channelId}/whatsapp-web/logout`, headers: bearer(await tokenFor(h.ctx.db.kysely, admin.id)) });
    expect(response.statusCode).toBe(202);
    await waitFor(() => client.loggedOut === 1);
    await waitFor(() => client.destroyed === 1);
    const fresh = await waitFor(() => clients[1]);
    expect(fresh.initialized).toBe(1);
  });

  it('stops the session when the channel is disabled, and starts nothing while no channel is enabled', async () => {
    const manager = managers[1];
    if (!manager) throw new Error('no manager');
    const store = whatsappWebStateStore(h.ctx);
    await h.ctx.db.kysely.updateTable('channels').set({ enabled: false }).where('id', '=', channelId).execute();
    await manager.rescan();
    expect(manager.channelIds()).toEqual([]);
    expect((await store.get(channelId))?.status).toMatchObject({ state: 'disconnected', reason: 'stopped' });

    const idle = fakeFactory();
    const third = start(idle.factory);
    await third.rescan();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(third.channelIds()).toEqual([]);
    expect(idle.clients).toHaveLength(0);
  });
});
