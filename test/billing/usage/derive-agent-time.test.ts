import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveUsage } from '../../../hub/src/billing/usage/derive-usage.js';
import { createCampaign } from '../../support/factories.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';
import { insertIntervals } from '../../kpi/series-fixtures.js';
import { agent, at, dayKey, factsOf, summary } from './usage-fixtures.js';

/**
 * agent_time (issue 10 item 2): logged-in time in the card's billable states, cut at local midnight
 * and at the month's edges (America/Mexico_City, −06:00), seat type and class from the seat.
 */
let hub: TestHub;
const ACW_IN = { billableStates: ['available', 'after_contact_work'], erroneousDispositions: [] };
const ACW_OUT = { billableStates: ['available'], erroneousDispositions: [] };

beforeAll(async () => {
  hub = await createTestHub();
});
afterAll(async () => {
  await hub.cleanup();
});

describe('agent_time', () => {
  it('bills the billable states only, cut at local midnight and at the month edges; an open interval runs to the month end', async () => {
    const db = hub.ctx.db.kysely;
    const campaignId = (await createCampaign(db)).id;
    const a = await agent(db, 'PS-P', { voice: 0, text: 4, email: 10 }); // takes no voice → text
    const b = await agent(db, 'PS-I'); // takes voice → voice
    const c = await agent(db, 'PS-I');
    await insertIntervals(db, campaignId, a, [
      { state: 'available', startMs: at('2026-10-10T22:00:00').getTime(), endMs: at('2026-10-11T01:30:00').getTime() },
      { state: 'after_contact_work', startMs: at('2026-10-11T01:30:00').getTime(), endMs: at('2026-10-11T01:45:00').getTime() },
      { state: 'lunch', startMs: at('2026-10-11T01:45:00').getTime(), endMs: at('2026-10-11T02:45:00').getTime() },
      { state: 'offline', startMs: at('2026-10-11T02:45:00').getTime(), endMs: at('2026-10-11T03:00:00').getTime() },
    ]);
    await insertIntervals(db, campaignId, b, [
      { state: 'available', startMs: at('2026-09-30T23:00:00').getTime(), endMs: at('2026-10-01T00:30:00').getTime() },
      { state: 'not_ready', startMs: at('2026-10-01T00:30:00').getTime(), endMs: at('2026-10-31T23:50:00').getTime() },
      { state: 'available', startMs: at('2026-10-31T23:50:00').getTime(), endMs: at('2026-11-01T00:10:00').getTime() },
    ]);
    await insertIntervals(db, campaignId, c, [{ state: 'available', startMs: at('2026-10-31T20:00:00').getTime(), endMs: null }]);

    const first = await deriveUsage(db, campaignId, '2026-10', ACW_IN);
    expect(first).toEqual({ inserted: 6, updated: 0, deleted: 0, unchanged: 0, frozen: 0 });
    const rows = await factsOf(db, campaignId);
    const byAgentDay = rows.map((r) => ({ agent: r.agent_id, day: dayKey(r.local_day), ms: Number(r.duration_ms), seat: r.seat_type, tier: r.tier, cls: r.channel_class, state: r.detail['state'] }));
    expect(byAgentDay.sort((x, y) => `${x.agent}${x.day}${x.ms}`.localeCompare(`${y.agent}${y.day}${y.ms}`))).toEqual(
      [
        // A, 10 Oct 22:00 → 24:00 = 2 h = 7,200,000 ms; 11 Oct 00:00 → 01:30 = 5,400,000 ms; ACW 01:30 → 01:45 = 900,000 ms.
        { agent: a, day: '2026-10-10', ms: 7_200_000, seat: 'PS-P', tier: 2, cls: 'text', state: 'available' },
        { agent: a, day: '2026-10-11', ms: 900_000, seat: 'PS-P', tier: 2, cls: 'text', state: 'after_contact_work' },
        { agent: a, day: '2026-10-11', ms: 5_400_000, seat: 'PS-P', tier: 2, cls: 'text', state: 'available' },
        // B, 30 Sep 23:00 → 1 Oct 00:30: only 00:00 → 00:30 = 1,800,000 ms is October's; 31 Oct 23:50 → 24:00 = 600,000 ms.
        { agent: b, day: '2026-10-01', ms: 1_800_000, seat: 'PS-I', tier: 1, cls: 'voice', state: 'available' },
        { agent: b, day: '2026-10-31', ms: 600_000, seat: 'PS-I', tier: 1, cls: 'voice', state: 'available' },
        // C, open since 31 Oct 20:00: measured to the month's end 24:00 = 4 h = 14,400,000 ms.
        { agent: c, day: '2026-10-31', ms: 14_400_000, seat: 'PS-I', tier: 1, cls: 'voice', state: 'available' },
      ].sort((x, y) => `${x.agent}${x.day}${x.ms}`.localeCompare(`${y.agent}${y.day}${y.ms}`)),
    );
    // Every piece keeps the month and its own span (UTC = local + 6 h).
    const cPiece = rows.find((r) => r.agent_id === c);
    expect([cPiece?.month, cPiece?.started_at.toISOString(), cPiece?.ended_at.toISOString()]).toEqual(['2026-10', '2026-11-01T02:00:00.000Z', '2026-11-01T06:00:00.000Z']);

    // The campaign leaves ACW out: its fact goes, the other five stay as they were.
    const second = await deriveUsage(db, campaignId, '2026-10', ACW_OUT);
    expect(second).toEqual({ inserted: 0, updated: 0, deleted: 1, unchanged: 5, frozen: 0 });
    // 7,200,000 + 5,400,000 + 1,800,000 + 600,000 + 14,400,000 = 29,400,000 ms
    expect(summary(await factsOf(db, campaignId), 'agent_time').reduce((s, f) => s + f.ms, 0)).toBe(29_400_000);
  });

  it('measures an open interval of the current month up to now', async () => {
    const db = hub.ctx.db.kysely;
    const campaignId = (await createCampaign(db)).id;
    const a = await agent(db, 'PS-I');
    await insertIntervals(db, campaignId, a, [{ state: 'available', startMs: at('2026-11-26T08:00:00').getTime(), endMs: null }]);
    await deriveUsage(db, campaignId, '2026-11', ACW_IN, { now: at('2026-11-26T09:15:00') });
    // 08:00 → 09:15 = 75 min = 4,500,000 ms
    expect(summary(await factsOf(db, campaignId), 'agent_time').map((f) => f.ms)).toEqual([4_500_000]);
    // Later the same interval has grown: the fact is updated, not duplicated. 08:00 → 10:00 = 7,200,000 ms
    expect(await deriveUsage(db, campaignId, '2026-11', ACW_IN, { now: at('2026-11-26T10:00:00') })).toMatchObject({ inserted: 0, updated: 1 });
    expect(summary(await factsOf(db, campaignId), 'agent_time').map((f) => f.ms)).toEqual([7_200_000]);
  });

  it('property: derived agent_time never exceeds the intervals and equals them when every state is billable', async () => {
    const db = hub.ctx.db.kysely;
    const states = ['available', 'after_contact_work', 'lunch', 'not_ready', 'offline'] as const;
    const monthStart = at('2026-10-01T00:00:00').getTime();
    const monthEnd = at('2026-11-01T00:00:00').getTime();
    const step = fc.record({ state: fc.constantFrom(...states), gapMs: fc.integer({ min: 0, max: 3 * 3600_000 }), lengthMs: fc.integer({ min: 1, max: 30 * 3600_000 }) });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 29 * 24 * 3600_000 }), fc.array(step, { minLength: 1, maxLength: 8 }), fc.subarray([...states], { minLength: 1 }), async (offset, steps, billable) => {
        const campaignId = (await createCampaign(db)).id;
        const a = await agent(db, 'PS-I');
        let cursor = monthStart + offset;
        const spans = steps.map((s) => {
          const startMs = cursor + s.gapMs;
          cursor = startMs + s.lengthMs;
          return { state: s.state, startMs, endMs: cursor };
        });
        // One agent's intervals follow each other; gaps are simply not logged in.
        for (const span of spans) await insertIntervals(db, campaignId, a, [span]);
        const inMonth = (s: { startMs: number; endMs: number }): number => Math.max(0, Math.min(s.endMs, monthEnd) - Math.max(s.startMs, monthStart));
        const total = spans.reduce((sum, s) => sum + inMonth(s), 0);
        const billed = spans.filter((s) => billable.includes(s.state)).reduce((sum, s) => sum + inMonth(s), 0);

        await deriveUsage(db, campaignId, '2026-10', { billableStates: billable, erroneousDispositions: [] });
        const derived = summary(await factsOf(db, campaignId), 'agent_time').reduce((sum, f) => sum + f.ms, 0);
        expect(derived).toBeLessThanOrEqual(total);
        expect(derived).toBe(billed);

        await deriveUsage(db, campaignId, '2026-10', { billableStates: [...states], erroneousDispositions: [] });
        const all = summary(await factsOf(db, campaignId), 'agent_time').reduce((sum, f) => sum + f.ms, 0);
        expect(all).toBe(total);
      }),
      { numRuns: 25 },
    );
  });
});
