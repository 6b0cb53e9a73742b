import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../hub/src/db/schema.js';
import { kpiSeries, type KpiSeriesRow } from '../../hub/src/kpi/aggregates/kpi-series.js';
import { localDay } from '../../hub/src/kpi/facts/daily-kpis.js';
import { deriveAllFacts, recomputeFacts } from '../../hub/src/kpi/facts/derive-facts.js';
import { createCampaign } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { insertEvents, simulateDay, type TruthContact } from './simulated-day.js';

/**
 * The simulated day through the real listener → the series, checked against figures computed
 * here from the simulation's ground truth only (no facts, no formula library).
 */
const DATE = '2026-11-25';
const S = 1000;
const SL_MS = 20 * S;
const SHORT_MS = 10 * S;
const WEEK_MS = 7 * 86_400_000;

/**
 * Each agent's own talk inside [.., untilMs): the first agent until a tier-2 hand-over at the
 * midpoint, then the tier-2 agent (an e-mail answered 14 h later runs past midnight).
 */
function talkByAgent(contacts: readonly TruthContact[], untilMs: number): Map<string, number> {
  const out = new Map<string, number>();
  const add = (agent: string, from: number, to: number): void => void out.set(agent, (out.get(agent) ?? 0) + Math.max(0, Math.min(to, untilMs) - from));
  for (const c of contacts) {
    if (c.answeredAtMs === null) continue;
    const [first, second] = c.agentIds as [string, string | undefined];
    const end = c.answeredAtMs + c.talkMs;
    if (c.tier2Reason !== null && second !== undefined) {
      const mid = c.answeredAtMs + Math.floor(c.talkMs / 2);
      add(first, c.answeredAtMs, mid);
      add(second, mid, end);
    } else add(first, c.answeredAtMs, end);
  }
  return out;
}

describe('kpiSeries over the simulated day (listener → facts → series)', () => {
  let hub: TestHub;
  let campaignId: string;
  const db = (): Kysely<Database> => hub.ctx.db.kysely;
  const day = localDay(DATE);
  const sim = simulateDay(day.startMs, 60, 21);
  // 25 citizens: most open two or three conversations that day.
  const citizens = Array.from({ length: 25 }, () => randomUUID());
  const citizenOf = new Map(sim.contacts.map((c, i) => [c.conversationId, citizens[i % 25] as string]));
  const asOf = new Date(day.endMs + 3 * 86_400_000);
  const query = { serviceLevelThresholdMs: SL_MS, shortAbandonThresholdMs: SHORT_MS, asOf, from: DATE, to: DATE };

  beforeAll(async () => {
    hub = await createTestHub();
    campaignId = (await createCampaign(db())).id;
    const events = sim.events.map((e) => {
      const contactId = e.conversationId === null ? undefined : citizenOf.get(e.conversationId);
      return contactId === undefined ? e : { ...e, contactId };
    });
    await insertEvents(db(), campaignId, events);
    await deriveAllFacts(db(), { campaignId });
  });
  afterAll(async () => {
    await hub.cleanup();
  });

  it('campaign, queue × channel and half-hour figures equal the truth', async () => {
    const total = (await kpiSeries(db(), { ...query, campaignId, interval: 'day' })).rows[0] as KpiSeriesRow;
    const answered = sim.contacts.filter((c) => c.answeredAtMs !== null);
    const short = sim.contacts.filter((c) => c.answeredAtMs === null && (c.abandonWaitMs ?? Infinity) < SHORT_MS).length;
    expect(total.tally.receivedGross).toBe(sim.contacts.length);
    expect(total.tally.shortAbandoned).toBe(short);
    expect(total.tally.attended).toBe(answered.length);
    expect(total.tally.attendedWithinThreshold).toBe(answered.filter((c) => (c.answeredAtMs as number) - c.queuedAtMs <= SL_MS).length);
    expect(total.tally.totalAnswerWaitMs).toBe(answered.reduce((t, c) => t + (c.answeredAtMs as number) - c.queuedAtMs, 0));
    expect(total.aht.numerator).toBe(answered.reduce((t, c) => t + c.talkMs, 0));
    expect(total.tier2Transfers).toBe(sim.contacts.filter((c) => c.tier2Reason !== null).length);
    expect(total.surveyTransfer.numerator).toBe(sim.contacts.filter((c) => c.surveyAnswered).length);
    // FCR: a resolved contact whose citizen opens nothing in the next 7 days and was not sent to tier 2.
    const opened = sim.contacts.map((c) => ({ citizen: citizenOf.get(c.conversationId), at: c.queuedAtMs - 30 * S, id: c.conversationId }));
    const firstTime = answered.filter((c) => {
      const resolvedAt = (c.answeredAtMs as number) + c.talkMs;
      const again = opened.some((o) => o.id !== c.conversationId && o.citizen === citizenOf.get(c.conversationId) && o.at > resolvedAt && o.at <= resolvedAt + WEEK_MS);
      return c.tier2Reason === null && !again;
    });
    expect(total.fcr).toMatchObject({ numerator: firstTime.length, denominator: answered.length });
    expect(firstTime.length).toBeGreaterThan(0);
    expect(firstTime.length).toBeLessThan(answered.length);

    const cells = await kpiSeries(db(), { ...query, campaignId, interval: 'day', groupBy: ['queue', 'channel'] });
    expect(cells.rows).toHaveLength(6);
    for (const row of cells.rows) {
      const mine = sim.contacts.filter((c) => c.queueId === row.queueId && c.channelKind === row.channelKind);
      expect(row.tally.receivedGross).toBe(mine.length);
      expect(row.tally.attended).toBe(mine.filter((c) => c.answeredAtMs !== null).length);
    }

    const halves = await kpiSeries(db(), { ...query, campaignId, interval: 'half_hour' });
    expect(halves.rows).toHaveLength(48);
    for (const row of halves.rows) {
      const mine = sim.contacts.filter((c) => c.queuedAtMs >= row.bucket.startMs && c.queuedAtMs < row.bucket.endMs);
      expect(row.tally.receivedGross, row.bucket.key).toBe(mine.length);
      expect(row.tally.attended, row.bucket.key).toBe(mine.filter((c) => c.answeredAtMs !== null).length);
    }
  });

  it('agent rows: first-answer counts, own talk from the segments, ACW, and occupancy from the truth', async () => {
    const rows = (await kpiSeries(db(), { ...query, campaignId, interval: 'day', groupBy: ['agent'] })).rows;
    expect(rows.map((r) => r.agentId)).toEqual([...sim.agents].sort());
    const talk = talkByAgent(sim.contacts, day.endMs);
    const openAt = day.startMs + 7.5 * 3_600_000;
    for (const agent of sim.agents) {
      const row = rows.find((r) => r.agentId === agent) as KpiSeriesRow;
      const first = sim.contacts.filter((c) => c.answeredAtMs !== null && c.agentIds[0] === agent);
      expect(row.tally.attended, agent).toBe(first.length);
      expect(row.aht.numerator, agent).toBe(talk.get(agent) ?? 0);
      const acw = sim.contacts.filter((c) => c.acwMs > 0 && c.agentIds.at(-1) === agent).length * 15 * S;
      expect(row.stateTimesMs?.['after_contact_work'] ?? 0, agent).toBe(acw);
      // Available from 07:30 to the end of the day, except during ACW.
      const available = day.endMs - openAt - acw;
      expect(row.stateTimesMs?.['available'], agent).toBe(available);
      const holdMs = sim.contacts.filter((c) => c.agentIds[0] === agent).reduce((t, c) => t + c.holdMs, 0);
      const voiceTalk = sim.contacts.filter((c) => c.channelKind === 'voice');
      const myVoice = talkByAgent(voiceTalk, day.endMs).get(agent) ?? 0;
      const myText = talkByAgent(sim.contacts.filter((c) => c.channelKind === 'webchat'), day.endMs).get(agent) ?? 0;
      if (myVoice > 0 || myText === 0) {
        const busy = myVoice + holdMs + acw;
        expect(row.occupancyPhone?.value, agent).toBeCloseTo((busy / (busy + Math.max(0, available - myVoice - holdMs))) * 100, 9);
      } else expect(row.occupancyPhone).toBeNull();
      if (myText > 0 || myVoice === 0) {
        const busy = myText + acw;
        expect(row.occupancyChat?.value, agent).toBeCloseTo((busy / (busy + Math.max(0, available - myText / 4) * 4)) * 100, 9);
      } else expect(row.occupancyChat).toBeNull();
    }
  });

  it('the segments add up to each contact\u2019s talk and hold, and recompute rebuilds them identically', async () => {
    const segments = await db().selectFrom('kpi_agent_segments').selectAll().where('campaign_id', '=', campaignId).orderBy('conversation_id').orderBy('seq').execute();
    const facts = await db().selectFrom('kpi_contact_facts').selectAll().where('campaign_id', '=', campaignId).orderBy('conversation_id').execute();
    for (const fact of facts) {
      const mine = segments.filter((s) => s.conversation_id === fact.conversation_id);
      const total = (kind: string): number => mine.filter((s) => s.kind === kind).reduce((t, s) => t + s.ended_at.getTime() - s.started_at.getTime(), 0);
      expect(total('talk'), fact.folio ?? '').toBe(Number(fact.talk_ms));
      expect(total('hold'), fact.folio ?? '').toBe(Number(fact.hold_ms));
      expect(fact.contact_id).toBe(citizenOf.get(fact.conversation_id));
    }
    const intervals = await db().selectFrom('kpi_agent_intervals').selectAll().where('campaign_id', '=', campaignId).orderBy('start_event_id').execute();
    await recomputeFacts(db(), campaignId, new Date(day.startMs - 86_400_000), new Date(day.endMs + 86_400_000));
    expect(await db().selectFrom('kpi_agent_segments').selectAll().where('campaign_id', '=', campaignId).orderBy('conversation_id').orderBy('seq').execute()).toEqual(segments);
    expect(await db().selectFrom('kpi_contact_facts').selectAll().where('campaign_id', '=', campaignId).orderBy('conversation_id').execute()).toEqual(facts);
    expect(await db().selectFrom('kpi_agent_intervals').selectAll().where('campaign_id', '=', campaignId).orderBy('start_event_id').execute()).toEqual(intervals);
    // The set-based listener in passes of 7 events (state chains cut mid-way) writes the same rows.
    await db().deleteFrom('kpi_agent_intervals').where('campaign_id', '=', campaignId).execute();
    await db().deleteFrom('kpi_agent_segments').where('campaign_id', '=', campaignId).execute();
    await db().deleteFrom('kpi_contact_facts').where('campaign_id', '=', campaignId).execute();
    await deriveAllFacts(db(), { campaignId, fromEventId: 0, batchSize: 7 });
    expect(await db().selectFrom('kpi_agent_intervals').selectAll().where('campaign_id', '=', campaignId).orderBy('start_event_id').execute()).toEqual(intervals);
    expect(await db().selectFrom('kpi_agent_segments').selectAll().where('campaign_id', '=', campaignId).orderBy('conversation_id').orderBy('seq').execute()).toEqual(segments);
    expect(await db().selectFrom('kpi_contact_facts').selectAll().where('campaign_id', '=', campaignId).orderBy('conversation_id').execute()).toEqual(facts);
  });
});
