import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../hub/src/db/schema.js';
import { kpiSeries } from '../../hub/src/kpi/aggregates/kpi-series.js';
import { dailyKpis, localDay, type KpiGroup } from '../../hub/src/kpi/facts/daily-kpis.js';
import { deriveAllFacts, deriveFacts, recomputeFacts } from '../../hub/src/kpi/facts/derive-facts.js';
import { KpiFactsLoop } from '../../hub/src/kpi/facts/kpi-facts.worker.js';
import { createCampaign } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { insertEvents, planContact, simulateDay, type TruthContact } from './simulated-day.js';

/**
 * Issue 9 item 1 against the real PostgreSQL: a simulated day of events → the listener's facts →
 * dailyKpis, checked against figures computed here from the simulation's ground truth only.
 */
const DATE = '2026-11-25';
const SL_MS = 20_000;
const SHORT_MS = 10_000;

interface Expected {
  receivedGross: number;
  shortAbandoned: number;
  received: number;
  attended: number;
  within: number;
  waitMs: number;
  talkMs: number;
  written: number;
  writtenWithin: number;
}

/** The day's figures straight from what happened (no facts, no formula library). */
function expectedOf(contacts: readonly TruthContact[]): Expected {
  const answered = contacts.filter((c) => c.answeredAtMs !== null);
  const short = contacts.filter((c) => c.answeredAtMs === null && (c.abandonWaitMs ?? Infinity) < SHORT_MS).length;
  const written = contacts.filter((c) => c.channelClass !== 'voice');
  return {
    receivedGross: contacts.length,
    shortAbandoned: short,
    received: contacts.length - short,
    attended: answered.length,
    within: answered.filter((c) => (c.answeredAtMs as number) - c.queuedAtMs <= SL_MS).length,
    waitMs: answered.reduce((t, c) => t + (c.answeredAtMs as number) - c.queuedAtMs, 0),
    talkMs: answered.reduce((t, c) => t + c.talkMs, 0),
    written: written.length,
    writtenWithin: written.filter((c) => c.firstResponseAtMs !== null && c.firstResponseAtMs - c.queuedAtMs <= 13 * 3_600_000).length,
  };
}

function checkGroup(group: KpiGroup, exp: Expected): void {
  expect(group.tally.receivedGross).toBe(exp.receivedGross);
  expect(group.abandonment.numerator).toBe(exp.received - exp.attended);
  expect(group.abandonment.denominator).toBe(exp.received);
  expect(group.abandonment.inputs['shortAbandoned']).toBe(exp.shortAbandoned);
  expect(group.asa.numerator).toBe(exp.waitMs);
  expect(group.asa.denominator).toBe(exp.attended);
  expect(group.aht.numerator).toBe(exp.talkMs);
  expect(group.serviceLevelByReceived.numerator).toBe(exp.within);
  expect(group.serviceLevelByReceived.denominator).toBe(exp.received);
  expect(group.serviceLevelByAttended.denominator).toBe(exp.attended);
  if (exp.attended > 0) expect(group.asa.value).toBeCloseTo(exp.waitMs / exp.attended, 6);
  if (exp.received > 0) expect(group.abandonment.value).toBeCloseTo(((exp.received - exp.attended) / exp.received) * 100, 6);
  if (exp.written === 0) expect(group.responseWithinLimit).toBeNull();
  else {
    expect(group.responseWithinLimit?.numerator).toBe(exp.writtenWithin);
    expect(group.responseWithinLimit?.denominator).toBe(exp.written);
  }
}

async function snapshot(db: Kysely<Database>, campaignId: string): Promise<unknown> {
  const facts = await db.selectFrom('kpi_contact_facts').selectAll().where('campaign_id', '=', campaignId).orderBy('conversation_id').execute();
  const intervals = await db.selectFrom('kpi_agent_intervals').selectAll().where('campaign_id', '=', campaignId).orderBy('start_event_id').execute();
  return { facts, intervals };
}

describe('KPI facts from interaction events (PostgreSQL)', () => {
  let hub: TestHub;
  let campaignId: string;
  const db = (): Kysely<Database> => hub.ctx.db.kysely;
  const day = localDay(DATE);
  // Fresh conversation ids per test (the schema is shared by the tests of this file).
  let sim = simulateDay(day.startMs, 60, 9);
  const options = { serviceLevelThresholdMs: SL_MS, shortAbandonThresholdMs: SHORT_MS, asOf: new Date(day.endMs + 2 * 86_400_000) };

  beforeAll(async () => {
    hub = await createTestHub();
  });
  afterAll(async () => {
    await hub.cleanup();
  });
  beforeEach(async () => {
    campaignId = (await createCampaign(db())).id;
    sim = simulateDay(day.startMs, 60, 9);
  });

  it('derives one fact per contact equal to what happened, and the day KPIs equal an independent recomputation', async () => {
    await insertEvents(db(), campaignId, sim.events);
    const result = await deriveAllFacts(db(), { campaignId });
    expect(result.events).toBe(sim.events.length);

    const facts = await db().selectFrom('kpi_contact_facts').selectAll().where('campaign_id', '=', campaignId).execute();
    expect(facts).toHaveLength(sim.contacts.length);
    const byId = new Map(facts.map((f) => [f.conversation_id, f]));
    for (const c of sim.contacts) {
      const f = byId.get(c.conversationId);
      expect(f, c.folio).toBeDefined();
      if (!f) continue;
      expect(f.folio).toBe(c.folio);
      expect(f.queue_id).toBe(c.queueId);
      expect(f.channel_kind).toBe(c.channelKind);
      expect(f.channel_class).toBe(c.channelClass);
      expect(f.received_at?.getTime()).toBe(c.queuedAtMs);
      expect(f.answered_at?.getTime() ?? null).toBe(c.answeredAtMs);
      expect(f.abandoned_at?.getTime() ?? null).toBe(c.abandonedAtMs);
      expect(f.abandon_wait_ms === null ? null : Number(f.abandon_wait_ms)).toBe(c.abandonWaitMs);
      expect(f.first_response_at?.getTime() ?? null).toBe(c.firstResponseAtMs);
      expect(Number(f.talk_ms)).toBe(c.talkMs);
      expect(Number(f.hold_ms)).toBe(c.holdMs);
      expect(Number(f.acw_ms)).toBe(c.acwMs);
      expect(f.transfers).toBe(c.transfers);
      expect(f.tier2_reason).toBe(c.tier2Reason);
      expect(f.tier2_transferred).toBe(c.tier2Reason !== null);
      expect(f.survey_answered).toBe(c.surveyAnswered);
      expect(f.agent_ids).toEqual(c.agentIds);
    }

    const kpis = await dailyKpis(db(), campaignId, DATE, options);
    checkGroup(kpis.total, expectedOf(sim.contacts));
    expect(kpis.byQueue).toHaveLength(2);
    for (const group of kpis.byQueue) checkGroup(group, expectedOf(sim.contacts.filter((c) => c.queueId === group.queueId)));
    expect(kpis.byChannel.map((g) => g.channelKind).sort()).toEqual(['email', 'voice', 'webchat']);
    for (const group of kpis.byChannel) checkGroup(group, expectedOf(sim.contacts.filter((c) => c.channelKind === group.channelKind)));
    expect(kpis.byQueueAndChannel).toHaveLength(6);
    for (const group of kpis.byQueueAndChannel) {
      checkGroup(group, expectedOf(sim.contacts.filter((c) => c.channelKind === group.channelKind && c.queueId === group.queueId)));
    }
    // The trace names the numbers.
    expect(kpis.total.abandonment.explanation).toContain(String(kpis.total.abandonment.denominator));

    // Agent intervals: one per state event, each closed by that agent's next event.
    const intervals = await db().selectFrom('kpi_agent_intervals').selectAll().where('campaign_id', '=', campaignId).orderBy('start_event_id').execute();
    const stateEvents = sim.events.filter((e) => e.type === 'agent.state_changed');
    expect(intervals).toHaveLength(stateEvents.length);
    for (const agent of sim.agents) {
      const mine = intervals.filter((i) => i.agent_id === agent);
      const times = stateEvents.filter((e) => e.payload['agentId'] === agent).map((e) => e.atMs).sort((a, b) => a - b);
      expect(mine.map((i) => i.started_at.getTime())).toEqual(times);
      expect(mine.map((i) => i.ended_at?.getTime() ?? null)).toEqual([...times.slice(1), null]);
    }
  });

  it('recompute rebuilds identical rows, and re-reading events changes nothing', async () => {
    await insertEvents(db(), campaignId, sim.events);
    await deriveAllFacts(db(), { campaignId });
    const before = await snapshot(db(), campaignId);
    const rebuilt = await recomputeFacts(db(), campaignId, new Date(day.startMs - 86_400_000), new Date(day.endMs + 86_400_000));
    expect(rebuilt.contacts).toBe(sim.contacts.length);
    expect(await snapshot(db(), campaignId)).toEqual(before);
    // A listener re-reading every event from the start (at-least-once) writes the same rows.
    await deriveAllFacts(db(), { campaignId, fromEventId: 0 });
    expect(await snapshot(db(), campaignId)).toEqual(before);
    // Wiping the facts and recomputing from the append-only events alone gives them back.
    await db().deleteFrom('kpi_contact_facts').where('campaign_id', '=', campaignId).execute();
    await db().deleteFrom('kpi_agent_intervals').where('campaign_id', '=', campaignId).execute();
    await recomputeFacts(db(), campaignId, new Date(day.startMs), new Date(day.endMs + 86_400_000));
    expect(await snapshot(db(), campaignId)).toEqual(before);
  });

  it('resumes from the stored cursor after a restart, without duplicates or losses', async () => {
    const ordered = [...sim.events].sort((a, b) => a.atMs - b.atMs);
    const half = Math.floor(ordered.length / 2);
    await deriveAllFacts(db()); // earlier tests' events: the shared cursor starts caught up
    await insertEvents(db(), campaignId, ordered.slice(0, half));
    const first = new KpiFactsLoop(db(), { warn: () => undefined });
    expect(await first.tick()).toBe(half);
    await first.stop();
    // A new process: only the rest is read.
    await insertEvents(db(), campaignId, ordered.slice(half));
    const second = new KpiFactsLoop(db(), { warn: () => undefined });
    expect(await second.tick()).toBe(ordered.length - half);
    expect(await second.tick()).toBe(0);
    await second.stop();
    const cursor = await db().selectFrom('kpi_cursor').select('last_event_id').where('name', '=', 'all').executeTakeFirstOrThrow();
    const max = await db().selectFrom('interaction_events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow();
    expect(cursor.last_event_id).toBe(String(max.id));
    const incremental = await snapshot(db(), campaignId);
    await recomputeFacts(db(), campaignId, new Date(day.startMs - 86_400_000), new Date(day.endMs + 86_400_000));
    expect(await snapshot(db(), campaignId)).toEqual(incremental);
    const kpis = await dailyKpis(db(), campaignId, DATE, options);
    checkGroup(kpis.total, expectedOf(sim.contacts));
  });

  it('credits contacts to the America/Mexico_City day they were received, across midnight', async () => {
    const next = localDay('2026-11-26');
    expect(day.endMs).toBe(next.startMs);
    expect(new Date(day.endMs).toISOString()).toBe('2026-11-26T06:00:00.000Z');
    const common = { kind: 'webchat' as const, queueId: sim.queues[0], answered: true, agentId: 'agent-n', talkMs: 60_000, tier2: false, survey: false, hold: false };
    // 23:59:50 local, answered 20 s later on the next local day: the 25th, within 20 s.
    const late = planContact({ ...common, queuedAtMs: day.endMs - 10_000, waitMs: 20_000 }, 900, 'agent-t');
    // 00:00:05 local on the 26th (06:00:05Z), answered after 30 s.
    const early = planContact({ ...common, queuedAtMs: next.startMs + 5_000, waitMs: 30_000 }, 901, 'agent-t');
    // 23:59:59.999 local on the 24th: not the 25th.
    const before = planContact({ ...common, queuedAtMs: day.startMs - 1, waitMs: 5_000 }, 902, 'agent-t');
    // Still waiting on the 26th: neither answered nor abandoned yet → pending, not an abandon.
    const waiting = planContact({ ...common, queuedAtMs: next.startMs + 60_000, waitMs: 90_000, answered: false }, 903, 'agent-t');
    const waitingEvents = waiting.events.filter((e) => e.type !== 'conversation.abandoned');
    await insertEvents(db(), campaignId, [...late.events, ...early.events, ...before.events, ...waitingEvents]);
    await deriveAllFacts(db(), { campaignId });

    const d25 = await dailyKpis(db(), campaignId, DATE, options);
    checkGroup(d25.total, expectedOf([late.truth]));
    expect(d25.total.serviceLevelByAttended.value).toBe(100);
    const d26 = await dailyKpis(db(), campaignId, '2026-11-26', options);
    // The waiting chat is not in the queue figures, but is past its 13 h: it counts against the written-response KPI.
    checkGroup(d26.total, { ...expectedOf([early.truth]), written: 2 });
    expect(d26.total.pendingInQueue).toBe(1);
    expect(d25.total.pendingInQueue).toBe(0);
    expect(d26.total.serviceLevelByAttended.value).toBe(0);
    const d24 = await dailyKpis(db(), campaignId, '2026-11-24', options);
    checkGroup(d24.total, expectedOf([before.truth]));
    const empty = await dailyKpis(db(), campaignId, '2026-11-27', options);
    expect(empty.total.abandonment.status).toBe('sin_trafico');
    expect(empty.total.asa.value).toBeNull();
  });

  it('waits at an event id still in flight, reads it once committed, and skips a rolled-back id after the grace period', async () => {
    await deriveAllFacts(db());
    const ordered = [...sim.events].sort((a, b) => a.atMs - b.atMs);
    const [first, second, third] = [ordered.slice(0, 20), ordered.slice(20, 40), ordered.slice(40, 60)];
    await insertEvents(db(), campaignId, first);
    const start = await deriveAllFacts(db());
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let signal = (): void => undefined;
    const ready = new Promise<void>((resolve) => (signal = resolve));
    // A slow use case: its event ids are taken, its commit comes later.
    const inflight = db().transaction().execute(async (trx) => {
      await insertEvents(trx, campaignId, second);
      signal();
      await held;
    });
    await ready;
    await insertEvents(db(), campaignId, third);
    const waiting = await deriveAllFacts(db());
    expect(waiting.events).toBe(third.length);
    expect(waiting.lastEventId).toBe(start.lastEventId); // held before the gap
    release();
    await inflight;
    const caughtUp = await deriveAllFacts(db());
    expect(caughtUp.events).toBe(second.length + third.length);
    expect(caughtUp.lastEventId).toBe(start.lastEventId + second.length + third.length);
    const incremental = await snapshot(db(), campaignId);
    await recomputeFacts(db(), campaignId, new Date(day.startMs - 86_400_000), new Date(day.endMs + 86_400_000));
    expect(await snapshot(db(), campaignId)).toEqual(incremental);

    // A rolled-back insert leaves a permanent gap: skipped once it is older than the grace period.
    await db().transaction().execute(async (trx) => {
      await insertEvents(trx, campaignId, ordered.slice(60, 61));
      await trx.selectFrom('campaigns').select('id').where('id', '=', 'not-a-uuid').execute();
    }).catch(() => undefined);
    await insertEvents(db(), campaignId, ordered.slice(61, 62));
    const t0 = Date.now();
    const atGap = await deriveAllFacts(db(), { now: () => new Date(t0) });
    expect(atGap.lastEventId).toBe(caughtUp.lastEventId);
    const stillWaiting = await deriveAllFacts(db(), { now: () => new Date(t0 + 5_000) });
    expect(stillWaiting.lastEventId).toBe(caughtUp.lastEventId);
    const skipped = await deriveAllFacts(db(), { now: () => new Date(t0 + 10_000) });
    expect(skipped.lastEventId).toBe(caughtUp.lastEventId + 2);
  });

  it('keeps each fact\u2019s next opening of the same citizen (FCR) as later conversations arrive; recompute rebuilds it identically', async () => {
    const D = 86_400_000;
    const citizen = (contactId: string, queuedAtMs: number, index: number): ReturnType<typeof planContact> => {
      const built = planContact({ kind: 'webchat', queueId: sim.queues[0], queuedAtMs, waitMs: 5_000, answered: true, agentId: 'agent-a', talkMs: 120_000, tier2: false, survey: false, hold: false }, index, 't');
      return { ...built, events: built.events.map((e) => ({ ...e, contactId })) };
    };
    const [x, y] = [randomUUID(), randomUUID()];
    // x: a (day 0), b (day 3: inside a's 7 days), c (day 20: outside b's window); y: e (day 0), alone.
    const a = citizen(x, day.startMs + 9 * 3_600_000, 960);
    const b = citizen(x, day.startMs + 3 * D + 9 * 3_600_000, 961);
    const c = citizen(x, day.startMs + 20 * D + 9 * 3_600_000, 962);
    const e = citizen(y, day.startMs + 10 * 3_600_000, 963);
    await insertEvents(db(), campaignId, [...a.events, ...e.events, ...b.events, ...c.events]);
    // Small passes: a's fact is written before b exists and must be updated when b arrives.
    await deriveAllFacts(db(), { campaignId, batchSize: 3 });
    const next = async (): Promise<Record<string, number | null>> => {
      const rows = await db().selectFrom('kpi_contact_facts').select(['conversation_id', 'next_opened_at']).where('campaign_id', '=', campaignId).execute();
      return Object.fromEntries(rows.map((r) => [r.conversation_id, r.next_opened_at?.getTime() ?? null]));
    };
    // opened = 30 s before the queue entry (planContact's conversation.opened).
    expect(await next()).toEqual({
      [a.truth.conversationId]: b.truth.queuedAtMs - 30_000,
      [b.truth.conversationId]: c.truth.queuedAtMs - 30_000,
      [c.truth.conversationId]: null,
      [e.truth.conversationId]: null,
    });
    const listened = await snapshot(db(), campaignId);
    // Recomputing only b's day (its neighbour a is outside the range) or only day 0 changes nothing.
    await recomputeFacts(db(), campaignId, new Date(day.startMs + 3 * D), new Date(day.startMs + 4 * D));
    expect(await snapshot(db(), campaignId)).toEqual(listened);
    await recomputeFacts(db(), campaignId, new Date(day.startMs), new Date(day.endMs));
    expect(await snapshot(db(), campaignId)).toEqual(listened);
    // Day 0: cases a and e; a repeated within 7 days → 1 / 2. Day 3: b, next opening 17 days later → 1 / 1.
    const asOf = new Date(day.startMs + 40 * D);
    const day0 = await kpiSeries(db(), { campaignId, from: DATE, to: DATE, interval: 'day', asOf });
    expect(day0.rows[0]?.fcr).toMatchObject({ numerator: 1, denominator: 2, value: 50 });
    const day3 = await kpiSeries(db(), { campaignId, from: '2026-11-28', to: '2026-11-28', interval: 'day', asOf });
    expect(day3.rows[0]?.fcr).toMatchObject({ numerator: 1, denominator: 1 });
  });

  it('rejects a malformed date', async () => {
    await expect(dailyKpis(db(), campaignId, '2026-13-01')).rejects.toThrow(RangeError);
    await expect(dailyKpis(db(), campaignId, '25/11/2026')).rejects.toThrow(/YYYY-MM-DD/);
  });

  it('a one-campaign listener keeps its own cursor', async () => {
    const other = (await createCampaign(db())).id;
    const mine = planContact({ kind: 'voice', queueId: sim.queues[1], queuedAtMs: day.startMs + 3_600_000, waitMs: 4_000, answered: true, agentId: 'x', talkMs: 90_000, tier2: false, survey: false, hold: true }, 950, 't');
    const theirs = planContact({ kind: 'voice', queueId: sim.queues[1], queuedAtMs: day.startMs + 3_600_000, waitMs: 4_000, answered: false, agentId: 'x', talkMs: 0, tier2: false, survey: false, hold: false }, 951, 't');
    await insertEvents(db(), campaignId, mine.events);
    await insertEvents(db(), other, theirs.events);
    const pass = await deriveFacts(db(), { campaignId });
    expect(pass.events).toBe(mine.events.length);
    expect(await deriveFacts(db(), { campaignId })).toMatchObject({ events: 0 });
    const facts = await db().selectFrom('kpi_contact_facts').select(['conversation_id', 'talk_ms', 'hold_ms']).where('conversation_id', 'in', [mine.truth.conversationId, theirs.truth.conversationId]).execute();
    expect(facts).toEqual([{ conversation_id: mine.truth.conversationId, talk_ms: '90000', hold_ms: '12000' }]);
  });
});
