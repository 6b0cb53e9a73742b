import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Worker } from 'bullmq';
import { createHubContext, startHubProcess, type HubContext, type HubProcess } from '@ventanilla/hub';
import type { InboundMessageEvent } from '@ventanilla/connectors/core';
import { ingestMessage } from '../../hub/src/ingest/ingest-message.usecase.js';
import { startIngestWorker } from '../../hub/src/workers/ingest.worker.js';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { createApiChannel, createCampaign } from '../support/factories.js';
import { messageBody, signedHeaders, type CitizenMessage } from '../support/webhook.js';

/**
 * Issue 2, item 7 and "loses nothing": every acknowledged webhook ends up stored exactly
 * once, whether the worker or PostgreSQL was down when it arrived, and whatever the provider
 * retries. One API-only process receives every webhook; workers come and go around it.
 */
describe('durable ingest', () => {
  const config = testConfig({ HUB_ROLE: 'api', PORT: '0' });
  let api: HubProcess;
  let worker: HubProcess | null = null;
  let campaignId: string;

  beforeAll(async () => {
    api = await startHubProcess(config);
    campaignId = (await createCampaign(api.ctx.db.kysely, { prefix: 'DUR' })).id;
  });

  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    await dropNamespaces(config);
  });

  const db = () => api.ctx.db.kysely;
  const startWorkerProcess = () => startHubProcess({ ...config, HUB_ROLE: 'worker' });

  async function newChannel() {
    const { channel, secret } = await createApiChannel(db(), campaignId);
    return { id: channel.id, secret };
  }

  async function post(channel: { id: string; secret: string }, message: CitizenMessage | string): Promise<Response> {
    const body = typeof message === 'string' ? message : messageBody(message);
    return fetch(`${api.url}/webhooks/api/${channel.id}`, { method: 'POST', headers: signedHeaders(channel.secret, body), body });
  }

  async function messageCount(channelId: string): Promise<number> {
    const row = await db()
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('channel_id', '=', channelId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function receivedEvents(providerMessageId: string): Promise<number> {
    const row = await db()
      .selectFrom('interaction_events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('type', '=', 'message.received')
      .where((eb) => eb(eb.ref('payload', '->>').key('providerMessageId'), '=', providerMessageId))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Nothing left for a worker to do: every job is completed (or failed for good). */
  async function queueIdle(): Promise<boolean> {
    const counts = await api.ctx.queues.inbound.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'paused');
    return Object.values(counts).every((n) => n === 0);
  }

  const phone = (n: number) => `+52 55 1${String(n).padStart(3, '0')} 0000`;

  it('worker down: 100 acknowledged messages from 20 citizens are stored exactly once when it comes back', async () => {
    const channel = await newChannel();
    const messages = Array.from({ length: 100 }, (_, i) => ({ id: `wd-${i}`, phone: phone(i % 20), text: `mensaje ${i} del ciudadano ${i % 20}` }));
    const responses = await Promise.all(messages.map((m) => post(channel, m)));
    expect(responses.map((r) => r.status)).toEqual(Array(100).fill(200));

    // Acknowledged but only in the queue: nothing reaches PostgreSQL without a worker.
    expect(await api.ctx.queues.inbound.getWaitingCount()).toBe(100);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await messageCount(channel.id)).toBe(0);

    worker = await startWorkerProcess();
    await expect.poll(() => messageCount(channel.id), { timeout: 15_000, interval: 100 }).toBe(100);
    await expect.poll(queueIdle, { timeout: 5_000 }).toBe(true);

    const conversations = await db()
      .selectFrom('conversations')
      .select(['id', 'folio', 'unread_count'])
      .where('channel_id', '=', channel.id)
      .execute();
    expect(conversations).toHaveLength(20);
    expect(new Set(conversations.map((c) => c.folio)).size).toBe(20);
    for (const c of conversations) {
      expect(c.folio).toMatch(/^DUR-\d{8}-\d{6,}$/);
      expect(c.unread_count).toBe(5);
    }
    const providerIds = await db().selectFrom('messages').select('provider_message_id').where('channel_id', '=', channel.id).execute();
    expect(new Set(providerIds.map((r) => r.provider_message_id))).toEqual(new Set(messages.map((m) => m.id)));

    // The provider retries 10 of them after they were processed: still 100.
    const again = await Promise.all(messages.slice(0, 10).map((m) => post(channel, m)));
    expect(again.map((r) => r.status)).toEqual(Array(10).fill(200));
    // Same again once the queue has forgotten the jobs: PostgreSQL's unique key decides.
    await api.ctx.queues.inbound.clean(0, 1000, 'completed');
    const late = await Promise.all(messages.slice(10, 20).map((m) => post(channel, m)));
    expect(late.map((r) => r.status)).toEqual(Array(10).fill(200));
    await expect.poll(async () => (await api.ctx.queues.inbound.getCompleted()).length, { timeout: 10_000 }).toBe(10);
    const outcomes = await api.ctx.queues.inbound.getCompleted();
    expect(outcomes.map((j) => j.returnvalue)).toEqual(Array(10).fill('duplicate'));
    expect(await queueIdle()).toBe(true);
    expect(await messageCount(channel.id)).toBe(100);
    expect(await receivedEvents('wd-15')).toBe(1);
  });

  it('the same provider message delivered twice, or five times at once, is stored once with one message.received', async () => {
    const channel = await newChannel();
    const first = { id: 'dup-seq', phone: phone(100), text: 'Hola, ¿cuál es mi folio?' };
    expect((await post(channel, first)).status).toBe(200);
    await expect.poll(() => messageCount(channel.id), { timeout: 10_000 }).toBe(1);
    expect((await post(channel, first)).status).toBe(200);

    const burst = { id: 'dup-burst', phone: phone(101), text: 'Reintento del proveedor' };
    const statuses = await Promise.all(Array.from({ length: 5 }, () => post(channel, burst)));
    expect(statuses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    await expect.poll(() => messageCount(channel.id), { timeout: 10_000 }).toBe(2);
    await expect.poll(queueIdle, { timeout: 5_000 }).toBe(true);
    expect(await messageCount(channel.id)).toBe(2);
    expect(await receivedEvents('dup-seq')).toBe(1);
    expect(await receivedEvents('dup-burst')).toBe(1);

    // Past the queue's dedupe (two workers racing on copies of the job): one transaction wins,
    // the others roll back completely — no second contact, conversation or event.
    const loaded = await api.ctx.channels.get(channel.id);
    if (!loaded) throw new Error('channel not loaded');
    const event: InboundMessageEvent = {
      type: 'message',
      providerMessageId: 'dup-race',
      occurredAt: new Date().toISOString(),
      contact: { phone: phone(102) },
      content: { type: 'text', text: 'carrera' },
    };
    const results = await Promise.all(Array.from({ length: 5 }, () => ingestMessage(db(), loaded, event)));
    expect(results.map((r) => r.outcome).sort()).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate', 'stored']);
    expect(await messageCount(channel.id)).toBe(3);
    expect(await receivedEvents('dup-race')).toBe(1);
    const stored = results.find((r) => r.outcome === 'stored');
    const conversation = await db().selectFrom('conversations').select('contact_id').where('id', '=', stored?.outcome === 'stored' ? stored.conversationId : '').executeTakeFirstOrThrow();
    const identities = await db().selectFrom('contact_identities').select(['contact_id', 'value']).where('kind', '=', 'phone').where('value', '=', '+525511020000').execute();
    expect(identities).toEqual([{ contact_id: conversation.contact_id, value: '+525511020000' }]);
    const contactEvents = await db()
      .selectFrom('interaction_events')
      .select('id')
      .where('type', '=', 'contact.created')
      .where('contact_id', '=', identities[0]!.contact_id)
      .execute();
    expect(contactEvents).toHaveLength(1);
    const conversations = await db().selectFrom('conversations').select('id').where('channel_id', '=', channel.id).execute();
    expect(conversations).toHaveLength(3);
  });

  it('a content type we do not handle is stored as unsupported with its raw payload', async () => {
    const channel = await newChannel();
    const sticker = { type: 'sticker', id: 'abc', pack: { name: 'gatitos', animated: true } };
    const res = await post(channel, { id: 'sticker-1', phone: phone(110), content: sticker });
    expect(res.status).toBe(200);
    await expect.poll(() => messageCount(channel.id), { timeout: 10_000 }).toBe(1);
    const stored = await db().selectFrom('messages').selectAll().where('channel_id', '=', channel.id).executeTakeFirstOrThrow();
    expect(stored.content_type).toBe('unsupported');
    expect(stored.status).toBe('received');
    expect(stored.raw).toEqual({ providerType: 'sticker', payload: sticker });
    const event = await db().selectFrom('interaction_events').select('payload').where('message_id', '=', stored.id).executeTakeFirstOrThrow();
    expect(event.payload).toMatchObject({ contentType: 'unsupported', providerMessageId: 'sticker-1' });
  });

  it('a batch of 3 events is acknowledged as 3 and stored as 3', async () => {
    const channel = await newChannel();
    const events = [
      JSON.parse(messageBody({ id: 'batch-1', phone: phone(120), text: 'Buenos días' })),
      JSON.parse(messageBody({ id: 'batch-2', phone: phone(120), content: { type: 'location', latitude: 19.43, longitude: -99.13, name: 'Zócalo' } })),
      JSON.parse(messageBody({ id: 'batch-3', phone: phone(121), content: { type: 'image', attachments: [{ url: 'https://example.mx/a.jpg' }] } })),
    ];
    const res = await post(channel, JSON.stringify({ events }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: 3 });
    await expect.poll(() => messageCount(channel.id), { timeout: 10_000 }).toBe(3);
    const rows = await db()
      .selectFrom('messages')
      .select(['provider_message_id', 'content_type', 'text', 'conversation_id'])
      .where('channel_id', '=', channel.id)
      .orderBy('provider_message_id')
      .execute();
    expect(rows.map((r) => [r.provider_message_id, r.content_type])).toEqual([
      ['batch-1', 'text'],
      ['batch-2', 'location'],
      ['batch-3', 'image'],
    ]);
    expect(rows[1]!.text).toBe('Zócalo');
    expect(rows[0]!.conversation_id).toBe(rows[1]!.conversation_id);
    expect(rows[2]!.conversation_id).not.toBe(rows[0]!.conversation_id);
  });

  it('PostgreSQL down while webhooks keep arriving: jobs are retried, then stored exactly once when it is back', async () => {
    await worker?.stop();
    worker = null;
    const channel = await newChannel();

    // A worker whose PostgreSQL is unreachable (nothing listens on port 1); same Redis
    // queues. Migrations are skipped because they would need the database.
    const deadConfig = { ...config, HUB_ROLE: 'worker' as const, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test' };
    const deadCtx: HubContext = await createHubContext(deadConfig, { migrate: false });
    const deadWorker: Worker = startIngestWorker(deadCtx);
    let failures = 0;
    deadWorker.on('failed', () => failures++);

    try {
      const messages = Array.from({ length: 30 }, (_, i) => ({ id: `pgdown-${i}`, phone: phone(200 + (i % 6)), text: `sin base de datos ${i}` }));
      const responses = await Promise.all(messages.map((m) => post(channel, m)));
      expect(responses.map((r) => r.status)).toEqual(Array(30).fill(200));

      const channelJobs = async () => (await api.ctx.queues.inbound.getJobs(['waiting', 'active', 'delayed', 'failed', 'completed'])).filter((j) => j.data.channelId === channel.id);
      await expect.poll(async () => (await channelJobs()).filter((j) => j.attemptsMade >= 2).length, { timeout: 10_000, interval: 100 }).toBe(30);
      expect(failures).toBeGreaterThanOrEqual(60);
      const jobs = await channelJobs();
      // Still scheduled for retry, none given up on, nothing stored.
      expect(jobs.every((j) => j.finishedOn === undefined && j.failedReason.includes('ECONNREFUSED'))).toBe(true);
      expect(await api.ctx.queues.inbound.getFailedCount()).toBe(0);
      expect(await messageCount(channel.id)).toBe(0);
    } finally {
      await deadWorker.close();
      await deadCtx.close();
    }

    worker = await startWorkerProcess();
    await expect.poll(() => messageCount(channel.id), { timeout: 15_000, interval: 100 }).toBe(30);
    await expect.poll(queueIdle, { timeout: 5_000 }).toBe(true);
    expect(await messageCount(channel.id)).toBe(30);
    const distinct = await db()
      .selectFrom('messages')
      .select((eb) => eb.fn.count<string>('provider_message_id').distinct().as('n'))
      .where('channel_id', '=', channel.id)
      .executeTakeFirstOrThrow();
    expect(Number(distinct.n)).toBe(30);
    const conversations = await db().selectFrom('conversations').select('folio').where('channel_id', '=', channel.id).execute();
    expect(conversations).toHaveLength(6);
    const completed = (await api.ctx.queues.inbound.getCompleted(0, 1000)).filter((j) => j.data.channelId === channel.id);
    expect(completed).toHaveLength(30);
    expect(completed.every((j) => j.returnvalue === 'stored' && j.attemptsMade >= 3)).toBe(true);
  });
});
