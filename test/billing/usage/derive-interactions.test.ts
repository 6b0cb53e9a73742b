import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveUsage } from '../../../hub/src/billing/usage/derive-usage.js';
import { listUsageFacts } from '../../../hub/src/billing/usage/usage-facts.query.js';
import type { BillingUsageFactRow } from '../../../hub/src/db/schema-billing.js';
import { createCampaign } from '../../support/factories.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';
import { seedOctober, type OctoberScenario } from './october-scenario.js';
import { at, dayKey, factsOf } from './usage-fixtures.js';

/**
 * Every meter but agent_time over one seeded October (october-scenario.ts), each fact computed by
 * hand: the tier-2 split, IVR time, e-mail weights, SMS, mass sends, blaster, voicemail outside the
 * window, bot outcomes with supersession, the missing recording across the trace, idempotence.
 */
let hub: TestHub;
let s: OctoberScenario;
let rows: BillingUsageFactRow[];
const RULES = { billableStates: ['available'], erroneousDispositions: ['mal_dirigido', 'erroneo'] };

const pick = (meter: string) =>
  rows
    .filter((r) => r.meter === meter)
    .map((r) => ({ call: r.call_sid, conv: r.conversation_id, agent: r.agent_id, tier: r.tier, seat: r.seat_type, ms: Number(r.duration_ms), q: r.quantity, w: r.weight_pct, ev: r.evidence_problem }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
const sorted = <T>(list: T[]): T[] => [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

beforeAll(async () => {
  hub = await createTestHub();
  const db = hub.ctx.db.kysely;
  s = await seedOctober(db, (await createCampaign(db)).id);
});
afterAll(async () => {
  await hub.cleanup();
});

describe('deriveUsage over a seeded October', () => {
  it('derives 30 facts on the first run', async () => {
    const db = hub.ctx.db.kysely;
    // interaction_time 10 + ivr_time 5 + email 4 + SMS 3 + mass 3 + blaster 1 + voicemail 1 + bot 3 = 30
    expect(await deriveUsage(db, s.campaignId, '2026-10', RULES)).toEqual({ inserted: 30, updated: 0, deleted: 0, unchanged: 0, frozen: 0 });
    rows = await factsOf(db, s.campaignId);
    expect(rows.every((r) => r.month === '2026-10' && r.billed_in_month === null)).toBe(true);
  });

  it('interaction_time: voice from the call facts, text/e-mail from the segments, split at the tier-2 transfer', () => {
    const { recorded, unrecorded, noRecordingChannel } = s.calls;
    const v = { q: 0, w: 100 };
    expect(pick('interaction_time')).toEqual(
      sorted([
        // Call 1, T1 talked 10:02 → 10:10 with a hold 10:04 → 10:05; transfer at 10:08:
        // tier 1 = (10:02 → 10:08) 360,000 − hold 60,000 = 300,000; tier 2 = 10:08 → 10:10 = 120,000.
        { call: recorded, conv: s.conv.v1.id, agent: s.t1, tier: 1, seat: 'PS-I', ms: 300_000, ...v, ev: null },
        { call: recorded, conv: s.conv.v1.id, agent: s.t1, tier: 2, seat: 'PS-I', ms: 120_000, ...v, ev: null },
        // The hold itself, 10:04 → 10:05 = 60,000, before the transfer.
        { call: recorded, conv: s.conv.v1.id, agent: s.t1, tier: 1, seat: 'PS-I', ms: 60_000, ...v, ev: null },
        // T2 10:10 → 10:20 = 600,000, all after the transfer.
        { call: recorded, conv: s.conv.v1.id, agent: s.t2, tier: 2, seat: 'PS-P', ms: 600_000, ...v, ev: null },
        // Call 2 (no recording): T1 11:01 → 11:03 = 120,000 tier 1; T2 11:03 → 11:05 = 120,000 tier 2; both excluded.
        { call: unrecorded, conv: s.conv.v2.id, agent: s.t1, tier: 1, seat: 'PS-I', ms: 120_000, ...v, ev: 'missing_recording' },
        { call: unrecorded, conv: s.conv.v2.id, agent: s.t2, tier: 2, seat: 'PS-P', ms: 120_000, ...v, ev: 'missing_recording' },
        // Call 3, channel without recording: 12:00 → 12:02 = 120,000, billable.
        { call: noRecordingChannel, conv: s.conv.v3.id, agent: s.t1, tier: 1, seat: 'PS-I', ms: 120_000, ...v, ev: null },
        // E1 e-mail 09:00 → 09:30, transfer at 09:20: 1,200,000 tier 1 + 600,000 tier 2.
        { call: null, conv: s.conv.e1.id, agent: s.t1, tier: 1, seat: 'PS-I', ms: 1_200_000, ...v, ev: null },
        { call: null, conv: s.conv.e1.id, agent: s.t1, tier: 2, seat: 'PS-I', ms: 600_000, ...v, ev: null },
        // W1 webchat 14:00:00.000 → 14:05:30.500 = 330,500 ms (exact: fractions are kept for the month's sum).
        { call: null, conv: s.conv.w1.id, agent: s.t2, tier: 1, seat: 'PS-P', ms: 330_500, ...v, ev: null },
      ]),
    );
    // The voice segment of V1 in kpi_agent_segments is not counted again: V1 has only its 4 voice facts.
    expect(rows.filter((r) => r.meter === 'interaction_time' && r.conversation_id === s.conv.v1.id).every((r) => r.channel_class === 'voice')).toBe(true);
    const w1 = rows.find((r) => r.conversation_id === s.conv.w1.id);
    expect([w1?.channel_class, w1?.channel_kind, w1?.folio, dayKey(w1?.local_day ?? new Date(0))]).toEqual(['text', 'webchat', s.conv.w1.folio, '2026-10-15']);
    const split = rows.find((r) => r.meter === 'interaction_time' && r.call_sid === recorded && r.tier === 2 && r.agent_id === s.t1);
    expect([split?.started_at.toISOString(), split?.ended_at.toISOString()]).toEqual([at('2026-10-15T10:08:00').toISOString(), at('2026-10-15T10:10:00').toISOString()]);
  });

  it('ivr_time: IVR + queue + exit survey, one fact per call fact; the unrecorded call excluded across its trace', () => {
    const { recorded, unrecorded, ivrOnly } = s.calls;
    const i = { agent: null, tier: null, seat: null, q: 0, w: 100 };
    expect(pick('ivr_time')).toEqual(
      sorted([
        // 10:00 → 10:01:30 = 90,000; queue 10:01:30 → 10:02 = 30,000; survey 10:20 → 10:21 = 60,000.
        { call: recorded, conv: s.conv.v1.id, ...i, ms: 90_000, ev: null },
        { call: recorded, conv: s.conv.v1.id, ...i, ms: 30_000, ev: null },
        { call: recorded, conv: s.conv.v1.id, ...i, ms: 60_000, ev: null },
        // 11:00 → 11:00:45 = 45,000, the call without its recording: the IVR goes too.
        { call: unrecorded, conv: s.conv.v2.id, ...i, ms: 45_000, ev: 'missing_recording' },
        // IVR only (nobody talked: nothing to record) 13:00 → 13:00:20 = 20,000.
        { call: ivrOnly, conv: null, ...i, ms: 20_000, ev: null },
      ]),
    );
  });

  it('email_outbound: 100 resolved, 50 after a tier-2 transfer, 0 failed or misdirected; the acknowledgement is not billed', () => {
    const byMessage = rows.filter((r) => r.meter === 'email_outbound').map((r) => ({ message: r.detail['messageId'], w: r.weight_pct, q: r.quantity, agent: r.agent_id, outcome: r.detail['outcome'] }));
    expect(sorted(byMessage)).toEqual(
      sorted([
        { message: s.messages.m1, w: 50, q: 1, agent: s.t1, outcome: 'tier2' },
        // m2 was reported sent twice: one fact.
        { message: s.messages.m2, w: 100, q: 1, agent: s.t2, outcome: 'resolved' },
        { message: s.messages.m3, w: 0, q: 1, agent: s.t2, outcome: 'failed' },
        // E3's last disposition is «mal_dirigido» (erroneous in the card).
        { message: s.messages.m5, w: 0, q: 1, agent: s.t1, outcome: 'erroneous' },
      ]),
    );
    // Σ weight = 50 + 100 + 0 + 0 = 150 → 1.5 messages billed.
    expect(byMessage.reduce((sum, m) => sum + m.w, 0)).toBe(150);
    const m2 = rows.find((r) => r.detail['messageId'] === s.messages.m2);
    expect([m2?.started_at.toISOString(), m2?.folio, m2?.direction]).toEqual([at('2026-10-15T15:01:00').toISOString(), s.conv.e2.folio, 'outbound']);
  });

  it('SMS in and out, mass SMS per delivered recipient, mass mail per completed mailing, blaster, voicemail outside the window only', () => {
    const counts = (meter: string) => rows.filter((r) => r.meter === meter).map((r) => `${r.quantity}×${r.weight_pct}`);
    expect(counts('sms_inbound')).toEqual(['1×100']);
    expect(counts('sms_outbound')).toEqual(['1×100', '1×100']);
    expect(counts('sms_mass_send')).toEqual(['1×100', '1×100']); // 2 delivered of 3
    expect(counts('email_mass_send')).toEqual(['1×100']); // the mailing still sending is not
    expect(rows.filter((r) => r.meter === 'blaster_message').map((r) => [r.call_sid, r.quantity, r.direction])).toEqual([[s.calls.blaster, 1, 'outbound']]);
    expect(rows.filter((r) => r.meter === 'voicemail').map((r) => r.call_sid)).toEqual([s.calls.voicemailOut]);
  });

  it('bot_event: one per bot interaction weighted by its current outcome; a superseded outcome is not billed', () => {
    const bots = rows.filter((r) => r.meter === 'bot_event').map((r) => ({ conv: r.conversation_id, w: r.weight_pct, outcome: r.detail['outcome'], start: r.started_at.toISOString() }));
    expect(sorted(bots)).toEqual(
      sorted([
        // B1: resolved (100) superseded the next day by wrong (0); the interaction stays on 20 Oct.
        { conv: s.conv.b1.id, w: 0, outcome: 'wrong', start: at('2026-10-20T11:00:00').toISOString() },
        { conv: s.conv.b2.id, w: 30, outcome: 'handed_off', start: at('2026-10-20T12:00:00').toISOString() },
        { conv: s.conv.b3.id, w: 30, outcome: 'cut_off', start: at('2026-10-20T13:00:00').toISOString() },
        // B4 began 30 Sep: not October's even though its supersession is.
      ]),
    );
  });

  it('lists the facts by keyset pages, by meter and by folio', async () => {
    const db = hub.ctx.db.kysely;
    const first = await listUsageFacts(db, s.campaignId, { month: '2026-10', limit: 20 });
    const second = await listUsageFacts(db, s.campaignId, { month: '2026-10', limit: 20, after: first.next ?? undefined });
    expect([first.facts.length, second.facts.length, second.next]).toEqual([20, 10, null]);
    expect(new Set([...first.facts, ...second.facts].map((f) => f.id)).size).toBe(30);
    const v2 = await listUsageFacts(db, s.campaignId, { month: '2026-10', folio: s.conv.v2.folio, limit: 50 });
    // The unrecorded call's trace: IVR 45,000 + T1 120,000 + T2 120,000 = 285,000 ms, all excluded.
    expect(v2.facts.reduce((sum, f) => sum + f.durationMs, 0)).toBe(285_000);
    expect(v2.facts.every((f) => f.evidenceProblem === 'missing_recording')).toBe(true);
    const ivr = await listUsageFacts(db, s.campaignId, { month: '2026-10', meter: 'ivr_time', limit: 50 });
    expect(ivr.facts).toHaveLength(5);
    expect(await listUsageFacts(db, s.campaignId, { month: '2026-09', limit: 50 })).toEqual({ facts: [], next: null });
  });

  it('is idempotent: a second run changes nothing, computed_at included', async () => {
    const db = hub.ctx.db.kysely;
    expect(await deriveUsage(db, s.campaignId, '2026-10', RULES)).toEqual({ inserted: 0, updated: 0, deleted: 0, unchanged: 30, frozen: 0 });
    expect(await factsOf(db, s.campaignId)).toEqual(rows);
  });
});
