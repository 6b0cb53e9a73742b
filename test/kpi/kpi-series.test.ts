import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../hub/src/db/schema.js';
import { kpiSeries, type KpiSeriesRow } from '../../hub/src/kpi/aggregates/kpi-series.js';
import { createCampaign } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { insertFacts, insertIntervals, insertSegments } from './series-fixtures.js';

/**
 * kpiSeries against the real PostgreSQL with hand-computed figures (the arithmetic is in the
 * comments). Zone America/Mexico_City: UTC−6 in November 2026.
 */
const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const DAY = 24 * H;
/** Local time on 2026-11-25 (UTC−6). */
const L = (h: number, m: number, s = 0): number => Date.UTC(2026, 10, 25, h + 6, m, s);
const FAR = new Date(Date.UTC(2027, 0, 1));

describe('kpiSeries (PostgreSQL)', () => {
  let hub: TestHub;
  let campaignId: string;
  const db = (): Kysely<Database> => hub.ctx.db.kysely;
  const q1 = randomUUID();
  const q2 = randomUUID();

  beforeAll(async () => {
    hub = await createTestHub();
  });
  afterAll(async () => {
    await hub.cleanup();
  });
  beforeEach(async () => {
    campaignId = (await createCampaign(db())).id;
  });

  /** Six contacts on 2026-11-25 between 09:05 and 10:15 local. */
  async function morning(): Promise<string[]> {
    return insertFacts(db(), campaignId, [
      // c1 voice, answered after 15 s (within 20 s), talk 100 s.
      { queueId: q1, channelKind: 'voice', receivedAtMs: L(9, 5), answeredAfterMs: 15 * S, talkMs: 100 * S, holdMs: 10 * S, acwMs: 20 * S, agentId: 'a1', resolvedAtMs: L(9, 7), survey: true },
      // c2 chat, answered after 25 s (late), talk 200 s, first reply after 40 s.
      { queueId: q1, channelKind: 'webchat', receivedAtMs: L(9, 20), answeredAfterMs: 25 * S, firstResponseAfterMs: 40 * S, talkMs: 200 * S, agentId: 'a2', resolvedAtMs: L(9, 30) },
      // c3 voice, abandoned after 5 s: short (< 10 s).
      { queueId: q2, channelKind: 'voice', receivedAtMs: L(9, 40), abandonedAfterMs: 5 * S },
      // c4 voice, abandoned after 30 s.
      { queueId: q2, channelKind: 'voice', receivedAtMs: L(9, 50), abandonedAfterMs: 30 * S },
      // c5 e-mail, answered after exactly 20 s (within), first reply after 14 h (late), tier 2.
      { queueId: q1, channelKind: 'email', receivedAtMs: L(10, 10), answeredAfterMs: 20 * S, firstResponseAfterMs: 14 * H, talkMs: 50 * S, agentId: 'a1', resolvedAtMs: L(11, 0), tier2: true },
      // c6 chat still waiting: pending, past its 13 h at asOf → unanswered for the written KPI.
      { queueId: q2, channelKind: 'webchat', receivedAtMs: L(10, 15) },
    ]);
  }

  const base = { serviceLevelThresholdMs: 20 * S, shortAbandonThresholdMs: 10 * S, asOf: FAR };

  it('half-hour buckets: 48 per day, keyed with the offset, empty ones at zero', async () => {
    await morning();
    const series = await kpiSeries(db(), { ...base, campaignId, from: '2026-11-25', to: '2026-11-25', interval: 'half_hour' });
    expect(series.timeZone).toBe('America/Mexico_City');
    expect(series.rows).toHaveLength(48);
    const at = (key: string): KpiSeriesRow => {
      const row = series.rows.find((r) => r.bucket.key === key);
      if (!row) throw new Error(`no bucket ${key}`);
      return row;
    };
    const nine = at('2026-11-25T09:00-06:00');
    expect(nine.bucket.startMs).toBe(L(9, 0));
    expect(nine.bucket.endMs).toBe(L(9, 30));
    // c1 + c2: 2 received, 2 attended, 1 within 20 s; wait 15 + 25 = 40 s → ASA 20 s; talk 300 s / 2.
    expect(nine.tally).toMatchObject({ receivedGross: 2, received: 2, attended: 2, attendedWithinThreshold: 1, totalAnswerWaitMs: 40 * S });
    expect(nine.asa.value).toBe(20 * S);
    expect(nine.aht.value).toBe(150 * S);
    expect(nine.serviceLevelByReceived.value).toBe(50);
    expect(nine.abandonment.value).toBe(0);
    expect(nine.responseWithinLimit?.value).toBe(100); // c2 answered in 40 s
    expect(nine.surveyTransfer.value).toBe(50); // c1 of 2 attended
    // c3 + c4: 2 gross, 1 short → 1 received, 0 attended → 100 %; no written contact.
    const half = at('2026-11-25T09:30-06:00');
    expect(half.tally).toMatchObject({ receivedGross: 2, shortAbandoned: 1, received: 1, attended: 0, abandoned: 1 });
    expect(half.abandonment.value).toBe(100);
    expect(half.abandonment.explanation).toBe('(1 − 0) / 1 × 100 = 100.00 %');
    expect(half.asa.status).toBe('sin_trafico');
    expect(half.responseWithinLimit).toBeNull();
    // c5 (20 s exactly: within) + c6 pending; written: c5 late, c6 unanswered → 0 / 2.
    const ten = at('2026-11-25T10:00-06:00');
    expect(ten.tally).toMatchObject({ receivedGross: 1, attended: 1, attendedWithinThreshold: 1 });
    expect(ten.pendingInQueue).toBe(1);
    expect(ten.serviceLevelByAttended.value).toBe(100);
    expect(ten.responseWithinLimit).toMatchObject({ numerator: 0, denominator: 2, value: 0 });
    expect(ten.tier2Transfers).toBe(1);
    const empty = at('2026-11-25T03:00-06:00');
    expect(empty.tally.receivedGross).toBe(0);
    expect(empty.abandonment.status).toBe('sin_trafico');
    expect(empty.fcr.value).toBeNull();
    // Totals over the buckets equal the day.
    const day = await kpiSeries(db(), { ...base, campaignId, from: '2026-11-25', to: '2026-11-25', interval: 'day' });
    expect(day.rows).toHaveLength(1);
    const total = day.rows[0] as KpiSeriesRow;
    expect(total.tally).toMatchObject({ receivedGross: 5, received: 4, attended: 3, attendedWithinThreshold: 2, totalAnswerWaitMs: 60 * S });
    expect(series.rows.reduce((n, r) => n + r.tally.attended, 0)).toBe(3);
    // (4 − 3) / 4 = 25 %.
    expect(total.abandonment.value).toBe(25);
  });

  it('groups by queue, channel and agent (unanswered contacts are in no agent row)', async () => {
    await morning();
    const query = { ...base, campaignId, from: '2026-11-25', to: '2026-11-25', interval: 'day' as const };
    const byQueue = await kpiSeries(db(), { ...query, groupBy: ['queue'] });
    const [first, second] = [q1, q2].sort();
    expect(byQueue.rows.map((r) => r.queueId)).toEqual([first, second]);
    const rowQ1 = byQueue.rows.find((r) => r.queueId === q1);
    const rowQ2 = byQueue.rows.find((r) => r.queueId === q2);
    expect(rowQ1?.tally).toMatchObject({ receivedGross: 3, attended: 3 });
    expect(rowQ2?.tally).toMatchObject({ receivedGross: 2, shortAbandoned: 1, attended: 0 });
    expect(rowQ2?.pendingInQueue).toBe(1);
    expect(rowQ1?.occupancyPhone).toBeNull();
    expect(rowQ1?.stateTimesMs).toBeNull();
    const byChannel = await kpiSeries(db(), { ...query, groupBy: ['channel'] });
    expect(byChannel.rows.map((r) => [r.channelKind, r.tally.receivedGross])).toEqual([['email', 1], ['voice', 3], ['webchat', 1]]);
    const byAgent = await kpiSeries(db(), { ...query, groupBy: ['agent'] });
    expect(byAgent.rows.map((r) => [r.agentId, r.tally.attended])).toEqual([['a1', 2], ['a2', 1]]);
    const onlyQ2Voice = await kpiSeries(db(), { ...query, queueId: q2, channelKind: 'voice' });
    expect(onlyQ2Voice.rows[0]?.tally).toMatchObject({ receivedGross: 2, shortAbandoned: 1 });
    expect(onlyQ2Voice.rows[0]?.occupancyPhone).toBeNull();
  });

  it('first contact resolution: a new conversation of the same citizen within the window, inclusive, or a tier-2 transfer, breaks it', async () => {
    const [x, y, z] = [randomUUID(), randomUUID(), randomUUID()];
    const r1 = L(9, 7);
    const r2 = L(9, 30);
    await insertFacts(db(), campaignId, [
      { queueId: q1, channelKind: 'voice', receivedAtMs: L(9, 5), answeredAfterMs: 5 * S, talkMs: 60 * S, agentId: 'a1', resolvedAtMs: r1, contactId: x },
      { queueId: q1, channelKind: 'webchat', receivedAtMs: L(9, 20), answeredAfterMs: 5 * S, talkMs: 60 * S, agentId: 'a2', resolvedAtMs: r2, contactId: y },
      { queueId: q1, channelKind: 'email', receivedAtMs: L(10, 10), answeredAfterMs: 5 * S, talkMs: 60 * S, agentId: 'a1', resolvedAtMs: L(11, 0), contactId: z, tier2: true },
      // x opens again exactly 7 days after r1: inside the window → c1 is not FCR.
      { queueId: q1, channelKind: 'voice', receivedAtMs: r1 + 7 * DAY + 60 * S, openedAtMs: r1 + 7 * DAY, contactId: x },
      // y opens again 7 days and 1 ms after r2: outside → c2 is FCR.
      { queueId: q1, channelKind: 'voice', receivedAtMs: r2 + 7 * DAY + 60 * S, openedAtMs: r2 + 7 * DAY + 1, contactId: y },
    ]);
    const query = { ...base, campaignId, from: '2026-11-25', to: '2026-11-25', interval: 'day' as const };
    const week = await kpiSeries(db(), query);
    // 3 resolved cases; c1 repeated, c3 tier 2 → 1 / 3.
    expect(week.rows[0]?.fcr).toMatchObject({ numerator: 1, denominator: 3 });
    expect(week.rows[0]?.fcr.value).toBeCloseTo(100 / 3, 10);
    const sixDays = await kpiSeries(db(), { ...query, fcrWindowDays: 6 });
    expect(sixDays.rows[0]?.fcr).toMatchObject({ numerator: 2, denominator: 3 });
  });

  it('occupancy: phone for a voice agent, chat with n sessions for a text agent, pooled for the campaign', async () => {
    await morning();
    // a1 (voice): available 09:00–09:30, ACW 09:30–09:35, lunch 09:35–10:00, available from 10:00 (open).
    await insertIntervals(db(), campaignId, 'a1', [
      { state: 'available', startMs: L(9, 0), endMs: L(9, 30) },
      { state: 'after_contact_work', startMs: L(9, 30), endMs: L(9, 35) },
      { state: 'lunch', startMs: L(9, 35), endMs: L(10, 0) },
      { state: 'available', startMs: L(10, 0), endMs: null },
    ]);
    await insertSegments(db(), campaignId, 'a1', [
      { kind: 'talk', channelClass: 'voice', startMs: L(9, 5), endMs: L(9, 15) },
      { kind: 'hold', channelClass: 'voice', startMs: L(9, 10), endMs: L(9, 12) },
    ]);
    // a2 (chat): available 09:00–11:00, two overlapping sessions 09:20–09:50 and 09:30–10:30.
    await insertIntervals(db(), campaignId, 'a2', [
      { state: 'available', startMs: L(9, 0), endMs: L(11, 0) },
      { state: 'offline', startMs: L(11, 0), endMs: L(12, 0) },
    ]);
    await insertSegments(db(), campaignId, 'a2', [
      { kind: 'talk', channelClass: 'text', startMs: L(9, 20), endMs: L(9, 50) },
      { kind: 'talk', channelClass: 'text', startMs: L(9, 30), endMs: L(10, 30) },
    ]);
    const asOf = new Date(L(10, 30)); // a1's open interval runs until asOf
    const query = { ...base, asOf, campaignId, from: '2026-11-25', to: '2026-11-25', interval: 'day' as const };
    const agents = await kpiSeries(db(), { ...query, groupBy: ['agent'] });
    const a1 = agents.rows.find((r) => r.agentId === 'a1');
    const a2 = agents.rows.find((r) => r.agentId === 'a2');
    // a1: available 30 + 30 min = 3,600,000; ACW 300,000; talk 600,000; hold 120,000.
    expect(a1?.stateTimesMs).toEqual({ available: 3_600_000, after_contact_work: 300_000, lunch: 1_500_000 });
    // idle Avail = 3,600,000 − 600,000 − 120,000 = 2,880,000; (600,000 + 120,000 + 300,000) / 3,900,000.
    expect(a1?.occupancyPhone).toMatchObject({ numerator: 1_020_000, denominator: 3_900_000 });
    expect(a1?.occupancyPhone?.value).toBeCloseTo((1_020_000 / 3_900_000) * 100, 10);
    expect(a1?.occupancyChat).toBeNull();
    // a1's AHT from its own talk: 600,000 / 2 attended (c1, c5).
    expect(a1?.aht).toMatchObject({ numerator: 600_000, denominator: 2 });
    // a2: talk 1,800,000 + 3,600,000 = 5,400,000 (per session); Avail 7,200,000 − 5,400,000 / 4 = 5,850,000;
    // 5,400,000 / (5,400,000 + 5,850,000 × 4) = 5,400,000 / 28,800,000 = 18.75 %.
    expect(a2?.occupancyChat).toMatchObject({ numerator: 5_400_000, denominator: 28_800_000, value: 18.75 });
    expect(a2?.occupancyPhone).toBeNull();
    expect(a2?.stateTimesMs).toEqual({ available: 7_200_000, offline: 3_600_000 });
    const campaign = await kpiSeries(db(), query);
    expect(campaign.rows[0]?.occupancyPhone).toMatchObject({ numerator: 1_020_000, denominator: 3_900_000 });
    expect(campaign.rows[0]?.occupancyChat?.value).toBe(18.75);
    expect(campaign.rows[0]?.stateTimesMs).toEqual({ available: 10_800_000, after_contact_work: 300_000, lunch: 1_500_000, offline: 3_600_000 });
    // n = 2: Avail 7,200,000 − 2,700,000 = 4,500,000; 5,400,000 / (5,400,000 + 9,000,000) = 37.5 %.
    const n2 = await kpiSeries(db(), { ...query, groupBy: ['agent'], agentId: 'a2', chatSessions: 2 });
    expect(n2.rows.map((r) => r.agentId)).toEqual(['a2']);
    expect(n2.rows[0]?.occupancyChat?.value).toBe(37.5);
    // Half hours cut the spans: a2 in 09:30–10:00 talks 20 + 30 min = 3,000,000.
    const halves = await kpiSeries(db(), { ...query, interval: 'half_hour', groupBy: ['agent'], agentId: 'a2' });
    const nineThirty = halves.rows.find((r) => r.bucket.key === '2026-11-25T09:30-06:00');
    expect(nineThirty?.occupancyChat?.inputs['talkMs']).toBe(3_000_000);
    expect(nineThirty?.stateTimesMs).toEqual({ available: 1_800_000 });
  });

  it('cuts a span and credits a contact across local midnight', async () => {
    // a3 available 23:40 → 00:20 next day; a contact received at 23:59:50, answered at 00:00:10.
    await insertIntervals(db(), campaignId, 'a3', [{ state: 'available', startMs: L(23, 40), endMs: L(24, 20) }]);
    await insertFacts(db(), campaignId, [{ queueId: q1, channelKind: 'voice', receivedAtMs: L(23, 59, 50), answeredAfterMs: 20 * S, talkMs: 60 * S, agentId: 'a3', resolvedAtMs: L(24, 5) }]);
    const query = { ...base, campaignId, from: '2026-11-25', to: '2026-11-26', groupBy: ['agent' as const] };
    const days = await kpiSeries(db(), { ...query, interval: 'day' });
    expect(days.rows.map((r) => [r.bucket.key, r.stateTimesMs?.['available'] ?? 0, r.tally.attended])).toEqual([
      ['2026-11-25', 1_200_000, 1],
      ['2026-11-26', 1_200_000, 0],
    ]);
    const halves = await kpiSeries(db(), { ...query, interval: 'half_hour' });
    expect(halves.rows).toHaveLength(96);
    const busy = halves.rows.filter((r) => (r.stateTimesMs?.['available'] ?? 0) > 0).map((r) => [r.bucket.key, r.stateTimesMs?.['available']]);
    expect(busy).toEqual([
      ['2026-11-25T23:30-06:00', 1_200_000],
      ['2026-11-26T00:00-06:00', 1_200_000],
    ]);
  });

  it('weeks pool their days; a month is the mean of its daily abandonment', async () => {
    const N = (d: number, h: number): number => Date.UTC(2026, 10, d, h + 6, 0);
    const answered = (d: number) => ({ queueId: q1, channelKind: 'voice' as const, receivedAtMs: N(d, 10), answeredAfterMs: 5 * S, talkMs: 60 * S });
    const lost = (d: number) => ({ queueId: q1, channelKind: 'voice' as const, receivedAtMs: N(d, 11), abandonedAfterMs: 60 * S });
    // Nov 2 (Mon): 1 of 2 lost (50 %); Nov 8 (Sun): 4 answered (0 %); Nov 9 (Mon): 1 lost (100 %).
    await insertFacts(db(), campaignId, [answered(2), lost(2), answered(8), answered(8), answered(8), answered(8), lost(9)]);
    const query = { ...base, campaignId, from: '2026-11-01', to: '2026-11-30' };
    const weeks = await kpiSeries(db(), { ...query, interval: 'week' });
    expect(weeks.rows.map((r) => r.bucket.key)).toEqual(['2026-W44', '2026-W45', '2026-W46', '2026-W47', '2026-W48', '2026-W49']);
    const w45 = weeks.rows[1] as KpiSeriesRow;
    expect(w45.bucket.startMs).toBe(N(2, 0));
    // Pooled: (6 − 5) / 6.
    expect(w45.abandonment).toMatchObject({ numerator: 1, denominator: 6 });
    expect(weeks.rows[2]?.abandonment.value).toBe(100);
    const month = await kpiSeries(db(), { ...query, interval: 'month' });
    expect(month.rows).toHaveLength(1);
    const row = month.rows[0] as KpiSeriesRow;
    expect(row.bucket.key).toBe('2026-11');
    // (50 + 0 + 100) / 3 days with traffic = 50 % (pooled would be 2 / 7 = 28.57 %).
    expect(row.abandonment).toMatchObject({ numerator: 150, denominator: 3, value: 50 });
    expect(row.abandonment.explanation).toContain('27 día(s) sin tráfico');
    expect(row.tally).toMatchObject({ receivedGross: 7, attended: 5 });
  });

  it('no traffic, and all abandoned', async () => {
    const query = { ...base, campaignId, from: '2026-11-25', to: '2026-11-25', interval: 'day' as const };
    const none = await kpiSeries(db(), query);
    expect(none.rows).toHaveLength(1);
    const row = none.rows[0] as KpiSeriesRow;
    expect(row.tally.receivedGross).toBe(0);
    for (const kpi of [row.asa, row.aht, row.abandonment, row.serviceLevelByReceived, row.surveyTransfer, row.fcr]) expect(kpi.status).toBe('sin_trafico');
    expect(row.occupancyPhone?.status).toBe('sin_trafico');
    expect(row.stateTimesMs).toEqual({});
    expect(await kpiSeries(db(), { ...query, groupBy: ['queue'] })).toMatchObject({ rows: [] });
    await insertFacts(db(), campaignId, [
      { queueId: q1, channelKind: 'voice', receivedAtMs: L(9, 0), abandonedAfterMs: 40 * S },
      { queueId: q1, channelKind: 'voice', receivedAtMs: L(9, 1), abandonedAfterMs: 50 * S },
    ]);
    const all = (await kpiSeries(db(), query)).rows[0] as KpiSeriesRow;
    expect(all.abandonment.value).toBe(100);
    expect(all.serviceLevelByReceived.value).toBe(0);
    expect(all.serviceLevelByAttended.status).toBe('sin_trafico');
  });

  it('a 23-hour DST day and a 25-hour one (America/Mexico_City, 2021)', async () => {
    // 2021-04-04: 02:00 CST → 03:00 CDT. 01:50 local = 07:50Z; 03:10 local = 08:10Z.
    await insertFacts(db(), campaignId, [
      { queueId: q1, channelKind: 'voice', receivedAtMs: Date.UTC(2021, 3, 4, 7, 50), answeredAfterMs: 5 * S, talkMs: 60 * S },
      { queueId: q1, channelKind: 'voice', receivedAtMs: Date.UTC(2021, 3, 4, 8, 10), answeredAfterMs: 5 * S, talkMs: 60 * S },
      // 2021-10-31: 02:00 CDT → 01:00 CST. 01:10 CDT = 06:10Z and 01:10 CST = 07:10Z.
      { queueId: q1, channelKind: 'voice', receivedAtMs: Date.UTC(2021, 9, 31, 6, 10), answeredAfterMs: 5 * S, talkMs: 60 * S },
      { queueId: q1, channelKind: 'voice', receivedAtMs: Date.UTC(2021, 9, 31, 7, 10), abandonedAfterMs: 60 * S },
    ]);
    const spring = await kpiSeries(db(), { ...base, campaignId, from: '2021-04-04', to: '2021-04-04', interval: 'half_hour' });
    expect(spring.rows).toHaveLength(46);
    expect(spring.rows.filter((r) => r.tally.receivedGross > 0).map((r) => r.bucket.key)).toEqual(['2021-04-04T01:30-06:00', '2021-04-04T03:00-05:00']);
    const springDay = await kpiSeries(db(), { ...base, campaignId, from: '2021-04-04', to: '2021-04-04', interval: 'day' });
    expect(springDay.rows[0]?.bucket).toMatchObject({ key: '2021-04-04', startMs: Date.UTC(2021, 3, 4, 6), endMs: Date.UTC(2021, 3, 5, 5) });
    expect(springDay.rows[0]?.tally.attended).toBe(2);
    const fall = await kpiSeries(db(), { ...base, campaignId, from: '2021-10-31', to: '2021-10-31', interval: 'half_hour' });
    expect(fall.rows).toHaveLength(50);
    const busy = fall.rows.filter((r) => r.tally.receivedGross > 0);
    expect(busy.map((r) => [r.bucket.key, r.tally.attended])).toEqual([
      ['2021-10-31T01:00-05:00', 1],
      ['2021-10-31T01:00-06:00', 0],
    ]);
  });

  it('rejects bad input with a Spanish-first message', async () => {
    const query = { campaignId, from: '2026-11-25', to: '2026-11-25', interval: 'day' as const };
    await expect(kpiSeries(db(), { ...query, from: '25/11/2026' })).rejects.toThrow(/AAAA-MM-DD/);
    await expect(kpiSeries(db(), { ...query, to: '2026-11-24' })).rejects.toThrow(/anterior a la inicial/);
    await expect(kpiSeries(db(), { ...query, chatSessions: 0 })).rejects.toThrow(/chatSessions/);
    await expect(kpiSeries(db(), { ...query, campaignId: randomUUID() })).rejects.toThrow(/campaña desconocida/);
    await expect(kpiSeries(db(), { ...query, from: '2020-01-01', to: '2026-11-25', interval: 'half_hour' })).rejects.toThrow(/intervalos/);
  });
});
