import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveUsage } from '../../../hub/src/billing/usage/derive-usage.js';
import { createCampaign } from '../../support/factories.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';
import { agent, at, call, channel, conversation, factsOf, voiceFacts } from './usage-fixtures.js';

/**
 * Closing a month freezes its facts (issue 10 item 8): a recomputation never updates or deletes a
 * billed fact, deletes unbilled facts whose source went away, and inserts a late source of the
 * closed month unbilled (the next statement bills it as an adjustment).
 */
let hub: TestHub;
const RULES = { billableStates: ['available'], erroneousDispositions: [] };

beforeAll(async () => {
  hub = await createTestHub();
});
afterAll(async () => {
  await hub.cleanup();
});

describe('deriveUsage and closed months', () => {
  it('leaves frozen facts alone, deletes stale unbilled ones, inserts late ones unbilled', async () => {
    const db = hub.ctx.db.kysely;
    const campaignId = (await createCampaign(db)).id;
    const t1 = await agent(db, 'PS-I');
    const voice = await channel(db, campaignId, 'voice');
    const webchat = await channel(db, campaignId, 'webchat');
    const w1 = await conversation(db, campaignId, webchat);
    const w2 = await conversation(db, campaignId, webchat);
    const ivrCall = await call(db, campaignId, voice, null);
    await voiceFacts(db, campaignId, ivrCall, null, [{ concept: 'ivr_seconds', from: at('2026-10-03T10:00:00'), to: at('2026-10-03T10:01:00') }]);
    const segment = (conversationId: string, from: string, to: string) =>
      db
        .insertInto('kpi_agent_segments')
        .values({ conversation_id: conversationId, seq: 0, campaign_id: campaignId, agent_id: t1, kind: 'talk', channel_class: 'text', started_at: at(from), ended_at: at(to) })
        .execute();
    await segment(w1.id, '2026-10-04T10:00:00', '2026-10-04T10:05:00'); // 300,000 ms
    await segment(w2.id, '2026-10-05T10:00:00', '2026-10-05T10:02:00'); // 120,000 ms

    expect(await deriveUsage(db, campaignId, '2026-10', RULES)).toEqual({ inserted: 3, updated: 0, deleted: 0, unchanged: 0, frozen: 0 });

    // October is closed: its statement billed the IVR fact and W1's fact; W2's was left unbilled.
    const card = await db
      .insertInto('billing_rate_cards')
      .values({ campaign_id: campaignId, version: 1, status: 'active', definition: JSON.stringify({}) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('billing_months')
      .values({ campaign_id: campaignId, month: '2026-10', status: 'closed', rate_card_id: card.id, rate_card_version: 1, statement: JSON.stringify({}), inputs_hash: 'h', total_cents: 0 })
      .execute();
    await db.updateTable('billing_usage_facts').set({ billed_in_month: '2026-10' }).where('campaign_id', '=', campaignId).where('meter', 'in', ['ivr_time']).execute();
    await db.updateTable('billing_usage_facts').set({ billed_in_month: '2026-10' }).where('campaign_id', '=', campaignId).where('conversation_id', '=', w1.id).execute();
    const before = await factsOf(db, campaignId);

    // Then the sources move: the IVR fact's call is re-metered away, W1's span grows (10:00 → 10:09),
    // W2's span disappears, and a late W3 span of October arrives (10:00 → 10:03 = 180,000 ms).
    await db.deleteFrom('voice_usage_facts').where('call_sid', '=', ivrCall).execute();
    await db.updateTable('kpi_agent_segments').set({ ended_at: at('2026-10-04T10:09:00') }).where('conversation_id', '=', w1.id).execute();
    await db.deleteFrom('kpi_agent_segments').where('conversation_id', '=', w2.id).execute();
    const w3 = await conversation(db, campaignId, webchat);
    await segment(w3.id, '2026-10-06T10:00:00', '2026-10-06T10:03:00');

    // Derived now: W1 (frozen: untouched) and W3 (new) → inserted 1, unchanged 0; W2 deleted; 2 frozen facts in October.
    expect(await deriveUsage(db, campaignId, '2026-10', RULES)).toEqual({ inserted: 1, updated: 0, deleted: 1, unchanged: 0, frozen: 2 });
    const after = await factsOf(db, campaignId);
    const frozenBefore = before.filter((r) => r.billed_in_month !== null);
    expect(after.filter((r) => r.billed_in_month !== null)).toEqual(frozenBefore);
    // W1 still bills what the closed statement billed: 10:00 → 10:05 = 300,000 ms.
    expect(Number(after.find((r) => r.conversation_id === w1.id)?.duration_ms)).toBe(300_000);
    expect(after.some((r) => r.conversation_id === w2.id)).toBe(false);
    const late = after.find((r) => r.conversation_id === w3.id);
    expect([late?.month, late?.billed_in_month, Number(late?.duration_ms)]).toEqual(['2026-10', null, 180_000]);
  });
});
