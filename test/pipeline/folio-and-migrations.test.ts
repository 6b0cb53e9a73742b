import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase, startHubProcess, type Db, type HubProcess } from '@ventanilla/hub';
import type { InboundMessageEvent } from '@ventanilla/connectors/core';
import { ingestMessage } from '../../hub/src/ingest/ingest-message.usecase.js';
import { listMigrations } from '../../hub/src/db/migrator.js';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { createApiChannel, createCampaign } from '../support/factories.js';
import { messageBody, signedHeaders } from '../support/webhook.js';

/** The campaign's local date, as next_folio() writes it (YYYYMMDD). */
function localDate(timeZone: string, at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at).replaceAll('-', '');
}

function sequenceOf(folio: string): number {
  return Number(folio.split('-')[2]);
}

/** Issue 2, items 3 and 4: folios unique under concurrency, migrations safe twice and in parallel, append-only logs. */
describe('folios', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0' });
  let hub: HubProcess;

  beforeAll(async () => {
    hub = await startHubProcess(config);
  });

  afterAll(async () => {
    await hub?.stop();
    await dropNamespaces(config);
  });

  it('200 conversations opened at once through the webhook get 200 distinct folios, and campaigns keep their own prefix and sequence', async () => {
    const db = hub.ctx.db.kysely;
    const campaignA = await createCampaign(db, { prefix: 'FOLA' });
    const campaignB = await createCampaign(db, { prefix: 'FOLB' });
    const { channel: channelA, secret } = await createApiChannel(db, campaignA.id);
    const { channel: channelB } = await createApiChannel(db, campaignB.id);
    const before = new Date();

    const posts = Array.from({ length: 200 }, (_, i) => {
      const body = messageBody({ id: `folio-${i}`, externalId: `ciudadano-${i}`, text: `Hola ${i}` });
      return fetch(`${hub.url}/webhooks/api/${channelA.id}`, { method: 'POST', headers: signedHeaders(secret, body), body });
    });
    // Meanwhile campaign B opens 50 conversations by calling the use case directly, in parallel.
    const loadedB = await hub.ctx.channels.get(channelB.id);
    if (!loadedB) throw new Error('channel B not loaded');
    const direct = Array.from({ length: 50 }, (_, i) => {
      const event: InboundMessageEvent = {
        type: 'message',
        providerMessageId: `b-${i}`,
        occurredAt: new Date().toISOString(),
        contact: { externalId: `contribuyente-${i}` },
        content: { type: 'text', text: 'Buenas tardes' },
      };
      return ingestMessage(db, loadedB, event);
    });
    const [responses, results] = await Promise.all([Promise.all(posts), Promise.all(direct)]);
    expect(responses.map((r) => r.status)).toEqual(Array(200).fill(200));
    expect(results.every((r) => r.outcome === 'stored' && r.newConversation)).toBe(true);

    const foliosOf = async (campaignId: string) =>
      (await db.selectFrom('conversations').select('folio').where('campaign_id', '=', campaignId).execute()).map((r) => r.folio);
    await expect.poll(async () => (await foliosOf(campaignA.id)).length, { timeout: 15_000, interval: 100 }).toBe(200);
    const after = new Date();
    const dates = new Set([localDate(campaignA.time_zone, before), localDate(campaignA.time_zone, after)]);

    const a = await foliosOf(campaignA.id);
    expect(new Set(a).size).toBe(200);
    for (const folio of a) {
      expect(folio).toMatch(/^FOLA-\d{8}-\d{6,}$/);
      expect(dates).toContain(folio.split('-')[1]);
    }
    expect(new Set(a.map(sequenceOf)).size).toBe(200);
    // Unique on the first try: no job had to be retried after a folio collision.
    await expect.poll(() => hub.ctx.queues.inbound.getCompletedCount(), { timeout: 5_000 }).toBe(200);
    const jobs = await hub.ctx.queues.inbound.getCompleted(0, 300);
    expect(jobs.map((j) => [j.returnvalue, j.attemptsMade])).toEqual(Array(200).fill(['stored', 1]));

    const b = await foliosOf(campaignB.id);
    expect(b).toHaveLength(50);
    for (const folio of b) expect(folio).toMatch(/^FOLB-\d{8}-\d{6,}$/);
    // B's sequence is its own: the 200 folios of A did not consume B's numbers.
    expect(b.map(sequenceOf).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(results.map((r) => (r.outcome === 'stored' ? r.folio : '')).sort()).toEqual([...b].sort());
  });

  it('a folio is never handed out twice, even after a conversation is closed and the citizen writes again', async () => {
    const db = hub.ctx.db.kysely;
    const campaign = await createCampaign(db, { prefix: 'REU' });
    const { channel } = await createApiChannel(db, campaign.id);
    const loaded = await hub.ctx.channels.get(channel.id);
    if (!loaded) throw new Error('channel not loaded');
    const event = (id: string): InboundMessageEvent => ({
      type: 'message',
      providerMessageId: id,
      occurredAt: new Date().toISOString(),
      contact: { externalId: 'vuelve' },
      content: { type: 'text', text: 'otra vez' },
    });
    const first = await ingestMessage(db, loaded, event('r-1'));
    if (first.outcome !== 'stored') throw new Error('first message not stored');
    await db.updateTable('conversations').set({ closed_at: new Date(), status: 'resolved' }).where('id', '=', first.conversationId).execute();
    const second = await ingestMessage(db, loaded, event('r-2'));
    if (second.outcome !== 'stored') throw new Error('second message not stored');
    expect(second.newConversation).toBe(true);
    expect(second.conversationId).not.toBe(first.conversationId);
    expect(second.folio).not.toBe(first.folio);
    expect(sequenceOf(second.folio)).toBeGreaterThan(sequenceOf(first.folio));
  });

  it('interaction_events and audit_log reject UPDATE and DELETE', async () => {
    const db = hub.ctx.db.kysely;
    await db.insertInto('audit_log').values({ action: 'test.append_only', actor_label: 'prueba', details: '{}' }).execute();
    const events = await db.selectFrom('interaction_events').selectAll().orderBy('id').execute();
    const audit = await db.selectFrom('audit_log').selectAll().orderBy('id').execute();
    expect(events.length).toBeGreaterThan(0);
    expect(audit.length).toBeGreaterThan(0);

    await expect(db.updateTable('interaction_events').set({ actor_id: 'tampered' }).execute()).rejects.toThrow(/interaction_events is append-only/);
    await expect(db.deleteFrom('interaction_events').execute()).rejects.toThrow(/interaction_events is append-only/);
    await expect(db.updateTable('audit_log').set({ action: 'tampered' }).execute()).rejects.toThrow(/audit_log is append-only/);
    await expect(db.deleteFrom('audit_log').execute()).rejects.toThrow(/audit_log is append-only/);

    expect(await db.selectFrom('interaction_events').selectAll().orderBy('id').execute()).toEqual(events);
    expect(await db.selectFrom('audit_log').selectAll().orderBy('id').execute()).toEqual(audit);
  });
});

describe('migrations', () => {
  it('run twice: the second run applies nothing and changes nothing', async () => {
    const config = testConfig();
    const db = await openDatabase(config);
    try {
      const files = listMigrations();
      expect(await migrate(db)).toEqual(files.map((f) => f.name));
      const rows = await db.kysely.selectFrom('schema_migrations').selectAll().orderBy('version').execute();
      expect(rows.map((r) => r.version)).toEqual(files.map((f) => f.version));
      expect(await migrate(db)).toEqual([]);
      expect(await db.kysely.selectFrom('schema_migrations').selectAll().orderBy('version').execute()).toEqual(rows);

      // A migration edited after it was applied stops the start instead of rewriting history.
      const edited = files.map((f, i) => (i === 0 ? { ...f, checksum: `${f.checksum}x` } : f));
      await expect(migrate(db, edited)).rejects.toThrow(/changed after it was applied/);
    } finally {
      await db.close();
      await dropNamespaces(config);
    }
  });

  it('two processes migrating a fresh schema at once both succeed and apply each migration once', async () => {
    const config = testConfig();
    const handles: Db[] = await Promise.all([openDatabase(config), openDatabase(config), openDatabase(config)]);
    try {
      const results = await Promise.all(handles.map((db) => migrate(db)));
      const names = listMigrations().map((f) => f.name);
      // Exactly one of them did the work; the others waited on the lock and found nothing to do.
      expect(results.filter((r) => r.length > 0)).toEqual([names]);
      expect(results.filter((r) => r.length === 0)).toHaveLength(handles.length - 1);
      const rows = await handles[0]!.kysely.selectFrom('schema_migrations').select(['version', 'name']).execute();
      expect(rows.map((r) => r.name).sort()).toEqual([...names].sort());
      // The schema is usable from every handle.
      for (const db of handles) expect(await db.kysely.selectFrom('campaigns').selectAll().execute()).toEqual([]);
    } finally {
      await Promise.all(handles.map((db) => db.close()));
      await dropNamespaces(config);
    }
  });
});
