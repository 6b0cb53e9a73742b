import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentDayTimes, excludedInteractions, stampBilled, usageTotals, type UsageScope } from '../../../hub/src/billing/statement/usage-totals.query.js';
import { createCampaign } from '../../support/factories.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';
import { insertUsageFacts, total } from './statement-fixtures.js';

/**
 * The statement's SQL aggregates over billing_usage_facts (real PostgreSQL): October is the open
 * month, September is closed (its unbilled facts are late usage → adjustments), August is open
 * (its facts are its own statement's), November is later. Every figure below is summed by hand.
 */
const OCT = '2026-10';
const SEP = '2026-09';
const AUG = '2026-08';
const NOV = '2026-11';

let hub: TestHub;
let campaignId: string;
let otherCampaign: string;
const agentA = randomUUID();
const agentB = randomUUID();
const convX = randomUUID();
let scope: UsageScope;

beforeAll(async () => {
  hub = await createTestHub();
  const db = hub.ctx.db.kysely;
  campaignId = (await createCampaign(db)).id;
  otherCampaign = (await createCampaign(db)).id;
  scope = { campaignId, month: OCT, closedBefore: [SEP] };
  const voicePsI = { seatType: 'PS-I', tier: 1, channelClass: 'voice' } as const;
  await insertUsageFacts(db, campaignId, [
    // October, billable.
    { meter: 'agent_time', month: OCT, localDay: '2026-10-05', durationMs: 61_500, agentId: agentA, ...voicePsI },
    { meter: 'agent_time', month: OCT, localDay: '2026-10-05', durationMs: 30_250, agentId: agentA, ...voicePsI },
    { meter: 'agent_time', month: OCT, localDay: '2026-10-05', durationMs: 1_000, agentId: agentA, ...voicePsI },
    { meter: 'agent_time', month: OCT, localDay: '2026-10-06', durationMs: 45_000, agentId: agentA, ...voicePsI },
    { meter: 'agent_time', month: OCT, localDay: '2026-10-05', durationMs: 10_000, agentId: agentB, ...voicePsI },
    { meter: 'interaction_time', month: OCT, localDay: '2026-10-07', durationMs: 125_125, tier: 2, channelClass: 'voice', agentId: agentB, folio: 'F-9' },
    { meter: 'email_outbound', month: OCT, localDay: '2026-10-08', quantity: 1, weightPct: 100, channelClass: 'email', direction: 'outbound' },
    { meter: 'email_outbound', month: OCT, localDay: '2026-10-08', quantity: 1, weightPct: 50, channelClass: 'email', direction: 'outbound' },
    { meter: 'email_outbound', month: OCT, localDay: '2026-10-09', quantity: 1, weightPct: 0, channelClass: 'email', direction: 'outbound' },
    { meter: 'sms_inbound', month: OCT, localDay: '2026-10-10', quantity: 1, channelKind: 'sms', direction: 'inbound' },
    { meter: 'sms_inbound', month: OCT, localDay: '2026-10-11', quantity: 1, channelKind: 'sms', direction: 'inbound' },
    // October, excluded for a missing recording: the whole trace of conversation X (IVR + talk), and a call without a conversation.
    { meter: 'ivr_time', month: OCT, localDay: '2026-10-12', durationMs: 40_000, conversationId: convX, folio: 'F-1', callSid: 'CA1', evidenceProblem: 'missing_recording' },
    { meter: 'interaction_time', month: OCT, localDay: '2026-10-12', durationMs: 100_000, conversationId: convX, folio: 'F-1', tier: 1, channelClass: 'voice', evidenceProblem: 'missing_recording' },
    { meter: 'ivr_time', month: OCT, localDay: '2026-10-13', durationMs: 20_500, callSid: 'CA2', evidenceProblem: 'missing_recording' },
    // September (closed): billed facts stay out; unbilled late facts come in as September usage.
    { meter: 'sms_inbound', month: SEP, localDay: '2026-09-20', quantity: 1, channelKind: 'sms', direction: 'inbound', billedInMonth: SEP },
    { meter: 'agent_time', month: SEP, localDay: '2026-09-20', durationMs: 999_000, agentId: agentA, billedInMonth: SEP, ...voicePsI },
    { meter: 'sms_inbound', month: SEP, localDay: '2026-09-30', quantity: 1, channelKind: 'sms', direction: 'inbound' },
    { meter: 'agent_time', month: SEP, localDay: '2026-09-30', durationMs: 20_000, agentId: agentA, ...voicePsI },
    { meter: 'bot_event', month: SEP, localDay: '2026-09-29', quantity: 1, weightPct: 30, folio: 'F-0', evidenceProblem: 'missing_transcript' },
    // August is open: its own statement's. November is later. Neither is October's.
    { meter: 'sms_inbound', month: AUG, localDay: '2026-08-15', quantity: 1, channelKind: 'sms', direction: 'inbound' },
    { meter: 'sms_inbound', month: NOV, localDay: '2026-11-02', quantity: 1, channelKind: 'sms', direction: 'inbound' },
  ]);
  await insertUsageFacts(db, otherCampaign, [{ meter: 'sms_inbound', month: OCT, localDay: '2026-10-10', quantity: 7, channelKind: 'sms', direction: 'inbound' }]);
});

afterAll(async () => {
  await hub?.cleanup();
});

describe('statement aggregates', () => {
  it('sums billable facts per meter, dimension and month: October plus the unbilled late facts of closed September', async () => {
    const usage = await usageTotals(hub.ctx.db.kysely, scope);
    const byKey = new Map(usage.map((u) => [`${u.usageMonth}|${u.meter}|${u.seatType}|${u.tier}|${u.channelClass}|${u.channelKind}|${u.direction}`, u]));
    expect(usage).toHaveLength(6);
    expect(byKey.get(`${SEP}|sms_inbound|null|null|null|sms|inbound`)).toEqual(total({ meter: 'sms_inbound', usageMonth: SEP, items: 1, weightedPct: 100, factCount: 1, channelKind: 'sms', direction: 'inbound' }));
    expect(byKey.get(`${SEP}|agent_time|PS-I|1|voice|null|null`)).toEqual(total({ meter: 'agent_time', usageMonth: SEP, durationMs: 20_000, factCount: 1, seatType: 'PS-I', tier: 1, channelClass: 'voice' }));
    // Agent time PS-I voice: 61,500 + 30,250 + 1,000 + 45,000 (A) + 10,000 (B) = 147,750 ms in 5 facts.
    expect(byKey.get(`${OCT}|agent_time|PS-I|1|voice|null|null`)).toEqual(total({ meter: 'agent_time', usageMonth: OCT, durationMs: 147_750, factCount: 5, seatType: 'PS-I', tier: 1, channelClass: 'voice' }));
    // Tier-2 talk: 125,125 ms (the excluded tier-1 talk of conversation X is not here).
    expect(byKey.get(`${OCT}|interaction_time|null|2|voice|null|null`)).toEqual(total({ meter: 'interaction_time', usageMonth: OCT, durationMs: 125_125, factCount: 1, tier: 2, channelClass: 'voice' }));
    // E-mail: 3 items; weighted 1×100 + 1×50 + 1×0 = 150 (→ 1.5 billed units).
    expect(byKey.get(`${OCT}|email_outbound|null|null|email|null|outbound`)).toEqual(total({ meter: 'email_outbound', usageMonth: OCT, items: 3, weightedPct: 150, factCount: 3, channelClass: 'email', direction: 'outbound' }));
    // SMS in: 2 items × 100 = 200 (the other campaign's 7 and August's and November's are not here).
    expect(byKey.get(`${OCT}|sms_inbound|null|null|null|sms|inbound`)).toEqual(total({ meter: 'sms_inbound', usageMonth: OCT, items: 2, weightedPct: 200, factCount: 2, channelKind: 'sms', direction: 'inbound' }));
    // Late (September) groups come before October's.
    expect(usage.findIndex((u) => u.usageMonth === OCT)).toBe(2);
  });

  it('splits billable agent time per agent and local day, late September days included', async () => {
    const days = await agentDayTimes(hub.ctx.db.kysely, scope);
    const dims = { seatType: 'PS-I', tier: 1, channelClass: 'voice', channelKind: null, direction: null } as const;
    const expected = [
      { agentId: agentA, localDay: '2026-09-30', usageMonth: SEP, ...dims, durationMs: 20_000, factCount: 1 },
      // 61,500 + 30,250 + 1,000 = 92,750 ms in 3 facts.
      { agentId: agentA, localDay: '2026-10-05', usageMonth: OCT, ...dims, durationMs: 92_750, factCount: 3 },
      { agentId: agentB, localDay: '2026-10-05', usageMonth: OCT, ...dims, durationMs: 10_000, factCount: 1 },
      { agentId: agentA, localDay: '2026-10-06', usageMonth: OCT, ...dims, durationMs: 45_000, factCount: 1 },
    ];
    const key = (d: { localDay: string; agentId: string }) => `${d.localDay}|${d.agentId}`;
    expect([...days].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...expected].sort((a, b) => key(a).localeCompare(key(b))));
    // Σ agent days = the agent_time totals: 20,000 (Sep) and 92,750 + 10,000 + 45,000 = 147,750 (Oct).
    expect(days.filter((d) => d.usageMonth === OCT).reduce((sum, d) => sum + d.durationMs, 0)).toBe(147_750);
  });

  it('lists the interactions without evidence once per conversation or call, with every meter of the trace', async () => {
    const excluded = await excludedInteractions(hub.ctx.db.kysely, scope);
    expect(excluded).toEqual([
      // September's late bot event (folio F-0): 1 item, no seconds.
      { folio: 'F-0', conversationId: null, callSid: null, problem: 'missing_transcript', meters: ['bot_event'], seconds: 0, items: 1 },
      // Conversation X: IVR 40,000 ms + talk 100,000 ms = 140 s.
      { folio: 'F-1', conversationId: convX, callSid: 'CA1', problem: 'missing_recording', meters: ['interaction_time', 'ivr_time'], seconds: 140, items: 0 },
      // Call CA2 alone: 20,500 ms = 20.5 s.
      { folio: null, conversationId: null, callSid: 'CA2', problem: 'missing_recording', meters: ['ivr_time'], seconds: 20.5, items: 0 },
    ]);
  });

  it('stamps exactly the facts the aggregates read, so a second pass finds nothing', async () => {
    const db = hub.ctx.db.kysely;
    const before = await db.selectFrom('billing_usage_facts').select(['month', 'billed_in_month']).where('campaign_id', '=', campaignId).execute();
    // In scope: 14 October facts (11 billable + 3 excluded) and 3 unbilled September facts = 17.
    const stamped = await db.transaction().execute((trx) => stampBilled(trx, scope));
    expect(stamped).toBe(17);
    expect(await usageTotals(db, scope)).toEqual([]);
    expect(await excludedInteractions(db, scope)).toEqual([]);
    const after = await db.selectFrom('billing_usage_facts').select(['month', 'billed_in_month']).where('campaign_id', '=', campaignId).execute();
    const count = (rows: typeof after, month: string, billed: string | null) => rows.filter((r) => r.month === month && r.billed_in_month === billed).length;
    expect(count(before, OCT, null)).toBe(14);
    expect(count(after, OCT, OCT)).toBe(14);
    // September: 2 already billed by September, 3 late ones now billed by October.
    expect(count(after, SEP, SEP)).toBe(2);
    expect(count(after, SEP, OCT)).toBe(3);
    // August (open) and November untouched.
    expect(count(after, AUG, null)).toBe(1);
    expect(count(after, NOV, null)).toBe(1);
    // The other campaign is untouched.
    const other = await db.selectFrom('billing_usage_facts').select('billed_in_month').where('campaign_id', '=', otherCampaign).execute();
    expect(other).toEqual([{ billed_in_month: null }]);
  });
});
