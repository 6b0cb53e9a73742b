import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RateCard, Statement } from '../../../hub/src/billing/billing.contract.js';
import { buildStatement } from '../../../hub/src/billing/statement/build-statement.js';
import { closeMonth } from '../../../hub/src/billing/statement/close-month.js';
import { insertIntervals, insertSegments } from '../../kpi/series-fixtures.js';
import { prng } from '../../kpi/simulated-day.js';
import { createCampaign, createUser } from '../../support/factories.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';
import { agent, at, call, channel, conversation, event, voiceFacts } from '../usage/usage-fixtures.js';
import { activateCard, testCard } from './statement-card.js';

/**
 * A simulated October (seeded PRNG) written as SOURCE rows — agent state intervals and talk/hold
 * segments (the KPI facts), metered calls (voice_usage_facts), SMS events — then the statement
 * with derivation on, checked line by line against a recomputation written here from the source
 * rows alone (no billing code): billable seat time per agent-day, its phone occupancy and band,
 * each band floored on its own; IVR and queue seconds of the calls with evidence; SMS counts. Then
 * the month is closed and a late SMS event of October is billed as November's adjustment.
 * Mexico City is UTC−06:00 all year, so the wall times below are exact.
 */
const OCT = '2026-10';
const NOW = new Date('2026-11-26T12:00:00-06:00');
const SEED = 20_261_026;
const MIN = 60_000;
const BANDS = [
  { minPct: 70, tariffPct: 100 },
  { minPct: 60, tariffPct: 90 },
  { minPct: 50, tariffPct: 80 },
  { minPct: 0, tariffPct: 70 },
];
const CARD: RateCard = testCard({
  occupancyTariff: { enabled: true, conceptCodes: ['ps_i'], formula: 'phone', sessions: 1, bands: BANDS },
  concepts: [
    { code: 'ps_i', name: 'Entrada PS-I', nameEn: 'Inbound PS-I', unit: 'minute', unitPriceCents: 238, minQuantity: 100, maxQuantity: 100_000, usage: { meter: 'agent_time', seatType: 'PS-I', channelClass: 'voice' } },
    { code: 'ps_p', name: 'Entrada PS-P', nameEn: 'Inbound PS-P', unit: 'minute', unitPriceCents: 282, minQuantity: 100, maxQuantity: 100_000, usage: { meter: 'agent_time', seatType: 'PS-P', channelClass: 'voice' } },
    { code: 'ivr', name: 'Minutos de IVR', nameEn: 'IVR minutes', unit: 'minute', unitPriceCents: 42, minQuantity: 100, maxQuantity: 100_000, usage: { meter: 'ivr_time' } },
    { code: 'sms_in', name: 'SMS de entrada', nameEn: 'Inbound SMS', unit: 'message', unitPriceCents: 71, minQuantity: 10, maxQuantity: 5000, usage: { meter: 'sms_inbound' } },
    { code: 'sms_out', name: 'SMS de salida', nameEn: 'Outbound SMS', unit: 'message', unitPriceCents: 71, minQuantity: 10, maxQuantity: 5000, usage: { meter: 'sms_outbound' } },
  ],
});

/** Half up to the cent of an exact product / 100 (integers only). */
const centsOf = (numeratorTimes100: number): number => Math.floor((numeratorTimes100 + 50) / 100);

interface AgentDayTruth {
  readonly psI: boolean;
  readonly billableMs: number;
  readonly busyMs: number;
  readonly idleMs: number;
}

let hub: TestHub;
let campaignId: string;
const days: AgentDayTruth[] = [];
let ivrMs = 0;
let smsIn = 0;
let smsOut = 0;
let excludedFolio = '';
let smsConversation = '';
let smsChannel = '';
let statement: Statement;

beforeAll(async () => {
  hub = await createTestHub();
  const db = hub.ctx.db.kysely;
  campaignId = (await createCampaign(db)).id;
  await activateCard(db, campaignId, CARD);
  const rand = prng(SEED);
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));

  // Seat time: 3 PS-I and 1 PS-P voice agents, 6 distinct days each: available, ACW, lunch
  // (not billable), available again, offline; PS-I talk and hold inside the first available span.
  const agents = [await agent(db, 'PS-I'), await agent(db, 'PS-I'), await agent(db, 'PS-I'), await agent(db, 'PS-P')];
  for (const [index, agentId] of agents.entries()) {
    const chosen = new Set<number>();
    while (chosen.size < 6) chosen.add(int(1, 31));
    for (const day of chosen) {
      const start = at(`2026-10-${String(day).padStart(2, '0')}T08:00:00`).getTime() + int(0, 3_600_000);
      const avail1 = int(30 * MIN, 180 * MIN);
      const acw = int(MIN, 30 * MIN);
      const lunch = int(10 * MIN, 60 * MIN);
      const avail2 = int(10 * MIN, 120 * MIN);
      const t1 = start + avail1;
      const t2 = t1 + acw;
      const t3 = t2 + lunch;
      const t4 = t3 + avail2;
      await insertIntervals(db, campaignId, agentId, [
        { state: 'available', startMs: start, endMs: t1 },
        { state: 'after_contact_work', startMs: t1, endMs: t2 },
        { state: 'lunch', startMs: t2, endMs: t3 },
        { state: 'available', startMs: t3, endMs: t4 },
        { state: 'offline', startMs: t4, endMs: t4 + 5 * MIN },
      ]);
      const psI = index < 3;
      const talk = int(0, Math.floor(avail1 * 0.9));
      const hold = int(0, Math.min(5 * MIN, avail1 - talk - 1000));
      if (talk > 0) {
        await insertSegments(db, campaignId, agentId, [
          { kind: 'talk', channelClass: 'voice', startMs: start + 1000, endMs: start + 1000 + talk },
          ...(hold > 0 ? [{ kind: 'hold' as const, channelClass: 'voice' as const, startMs: start + 1000 + talk, endMs: start + 1000 + talk + hold }] : []),
        ]);
      }
      // Phone occupancy inputs: busy = talk + hold + ACW; idle Avail = available − talk − hold.
      days.push({ psI, billableMs: avail1 + acw + avail2, busyMs: talk + hold + acw, idleMs: Math.max(0, avail1 + avail2 - talk - hold) });
    }
  }

  // Calls: 12 IVR-only calls (IVR + queue seconds), and one answered call without its recording.
  const voice = await channel(db, campaignId, 'voice');
  for (let i = 0; i < 12; i += 1) {
    const conv = await conversation(db, campaignId, voice);
    const sid = await call(db, campaignId, voice, conv.id);
    const from = at(`2026-10-${String(int(1, 31)).padStart(2, '0')}T10:00:00`).getTime() + int(0, 3_600_000);
    const ivr = int(5_000, 300_000);
    const queue = int(0, 120_000);
    await voiceFacts(db, campaignId, sid, conv, [
      { concept: 'ivr_seconds', from: new Date(from), to: new Date(from + ivr) },
      { concept: 'queue_seconds', from: new Date(from + ivr), to: new Date(from + ivr + queue) },
    ]);
    ivrMs += ivr + queue;
  }
  const lost = await conversation(db, campaignId, voice);
  excludedFolio = lost.folio;
  const lostSid = await call(db, campaignId, voice, lost.id);
  const lostFrom = at('2026-10-20T12:00:00').getTime();
  await voiceFacts(db, campaignId, lostSid, lost, [
    { concept: 'ivr_seconds', from: new Date(lostFrom), to: new Date(lostFrom + 30_250) },
    { concept: 'talk_seconds', from: new Date(lostFrom + 30_250), to: new Date(lostFrom + 130_750), agentId: agents[0], seatType: 'PS-I' },
  ]);

  // SMS in and out on one SMS conversation.
  smsChannel = await channel(db, campaignId, 'sms');
  smsConversation = (await conversation(db, campaignId, smsChannel)).id;
  smsIn = int(5, 15);
  smsOut = int(5, 15);
  for (let i = 0; i < smsIn + smsOut; i += 1) {
    const when = at(`2026-10-${String(int(1, 31)).padStart(2, '0')}T09:00:00`);
    await event(db, campaignId, { type: i < smsIn ? 'message.received' : 'message.sent', at: when, conversationId: smsConversation, messageId: randomUUID(), actorType: i < smsIn ? 'provider' : 'agent' });
  }

  statement = await buildStatement(db, campaignId, OCT, { now: NOW });
});

afterAll(async () => {
  await hub?.cleanup();
});

/** The band of an agent-day by the contract's table, compared without division. */
function tariffOf(day: AgentDayTruth): number {
  const denominator = day.busyMs + day.idleMs;
  for (const band of BANDS) if (denominator > 0 && day.busyMs * 100 >= band.minPct * denominator) return band.tariffPct;
  return 70;
}

describe('a simulated October, recomputed from the source rows', () => {
  it('bills PS-I seat time per occupancy band, each band floored on its own', () => {
    const perBand = new Map<number, number>();
    for (const day of days.filter((d) => d.psI)) perBand.set(tariffOf(day), (perBand.get(tariffOf(day)) ?? 0) + day.billableMs);
    const expected = [...perBand]
      .sort(([a], [b]) => b - a)
      .map(([tariffPct, ms]) => ({ tariffPct, quantity: Math.floor(ms / MIN), amountCents: centsOf(Math.floor(ms / MIN) * 238 * tariffPct) }));
    const lines = statement.lines.filter((l) => l.conceptCode === 'ps_i').map((l) => ({ tariffPct: l.tariffPct, quantity: l.quantity, amountCents: l.amountCents }));
    expect(lines.sort((a, b) => b.tariffPct - a.tariffPct)).toEqual(expected);
    // The seeded month spreads the agent-days over more than one band (the rule is exercised).
    expect(expected.length).toBeGreaterThan(1);
  });

  it('bills PS-P seat time, IVR with queue seconds, and SMS in and out; the unrecorded call is excluded across its trace', () => {
    const psPMs = days.filter((d) => !d.psI).reduce((sum, d) => sum + d.billableMs, 0);
    const byCode = (code: string) => statement.lines.filter((l) => l.conceptCode === code).map((l) => ({ kind: l.kind, quantity: l.quantity, amountCents: l.amountCents }));
    expect(byCode('ps_p')).toEqual([{ kind: 'usage', quantity: Math.floor(psPMs / MIN), amountCents: Math.floor(psPMs / MIN) * 282 }]);
    // The unrecorded call's 30.25 s of IVR are not in ivrMs.
    expect(byCode('ivr')).toEqual([{ kind: 'usage', quantity: Math.floor(ivrMs / MIN), amountCents: Math.floor(ivrMs / MIN) * 42 }]);
    expect(byCode('sms_in')).toEqual([{ kind: 'usage', quantity: smsIn, amountCents: smsIn * 71 }]);
    expect(byCode('sms_out')).toEqual([{ kind: 'usage', quantity: smsOut, amountCents: smsOut * 71 }]);
    // IVR 30,250 ms + talk 100,500 ms = 130.75 s, not billed, listed by folio.
    expect(statement.excluded).toEqual([expect.objectContaining({ folio: excludedFolio, problem: 'missing_recording', seconds: 130.75, meters: ['interaction_time', 'ivr_time'] })]);
    expect(statement.unpriced).toEqual([]);
  });

  it('adds up: subtotal = Σ lines, IVA 16 % half up, total; re-running derives and computes the same statement', async () => {
    const subtotal = statement.lines.reduce((sum, l) => sum + l.amountCents, 0);
    expect(statement).toMatchObject({ subtotalCents: subtotal, taxableCents: subtotal, ivaCents: centsOf(subtotal * 16), totalCents: subtotal + centsOf(subtotal * 16) });
    expect(await buildStatement(hub.ctx.db.kysely, campaignId, OCT, { now: NOW })).toEqual(statement);
  });

  it('after the close, a late SMS of October (an event) is billed as an adjustment of November', async () => {
    const db = hub.ctx.db.kysely;
    const admin = await createUser(db, { roles: ['admin'] });
    const closed = await closeMonth(db, campaignId, OCT, { userId: admin.id, ip: '127.0.0.1', userAgent: null }, { now: NOW });
    expect(closed.totalCents).toBe(statement.totalCents);
    await event(db, campaignId, { type: 'message.received', at: at('2026-10-31T23:59:00'), conversationId: smsConversation, messageId: randomUUID(), actorType: 'provider' });
    // Derivation of November also derives closed October: the late SMS is a new, unbilled fact.
    const nov = await buildStatement(db, campaignId, '2026-11', { now: NOW });
    expect(nov.lines).toEqual([expect.objectContaining({ kind: 'adjustment', conceptCode: 'sms_in', usageMonth: OCT, quantity: 1, amountCents: 71 })]);
    expect(await buildStatement(db, campaignId, OCT, { now: NOW })).toEqual(closed);
  });
});
