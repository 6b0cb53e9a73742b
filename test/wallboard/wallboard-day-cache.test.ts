import { randomUUID } from 'node:crypto';
import { Histogram } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WallboardSnapshot } from '../../hub/src/realtime/events.contract.js';
import { localDay } from '../../hub/src/kpi/aggregates/local-day.js';
import { localDateOf } from '../../hub/src/kpi/formulas/intervals.js';
import { computeDayFigures, type DayFiguresSource } from '../../hub/src/wallboard/wallboard-day-figures.js';
import { wallboardKeys } from '../../hub/src/wallboard/wallboard-keys.js';
import { WallboardPublisher } from '../../hub/src/wallboard/wallboard-publisher.js';
import { createCampaign, createUser } from '../support/factories.js';
import { createQueue } from '../support/router-factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';

/**
 * The split snapshot (wallboard-publisher.ts): every snapshot reads the live part, the day's
 * figures are read from the facts only when asked (facts moved, tick, new day, other rules), at
 * most once a second per campaign, and shared through Redis by every process. Two publishers on
 * the same database and Redis stand for two hub processes; the day reads are counted where the
 * hub makes them (the real read, wrapped).
 */
describe('wallboard day figures: read when the facts move, shared across processes', () => {
  let hub: TestHub;
  let campaignId: string;
  let queueId: string;
  let agentId: string;
  let timeZone: string;
  const emitted: { by: string; snapshot: WallboardSnapshot }[] = [];
  const reads: Record<string, number[]> = {};
  const publishers: WallboardPublisher[] = [];
  const db = () => hub.ctx.db.kysely;
  const latency = new Histogram({ name: 'wallboard_day_cache_test_latency', help: 'test', registers: [] });

  function publisher(by: string): WallboardPublisher {
    reads[by] = [];
    const counted: DayFiguresSource = (...args) => {
      reads[by]!.push(args[4].getTime());
      return computeDayFigures(...args);
    };
    const p = new WallboardPublisher(
      { db: db(), redis: hub.ctx.redis, prefix: hub.config.REDIS_PREFIX, logger: hub.ctx.logger, latency, sink: (_id, snapshot) => emitted.push({ by, snapshot }) },
      { dayFigures: counted },
    );
    publishers.push(p);
    return p;
  }

  const allReads = () => Object.values(reads).flat().sort((a, b) => a - b);

  /** The first snapshot emitted from index `from` on that passes `test`. */
  async function emittedWhere(from: number, test: (e: { by: string; snapshot: WallboardSnapshot }) => boolean) {
    let found: { by: string; snapshot: WallboardSnapshot } | undefined;
    await expect.poll(() => (found = emitted.slice(from).find(test)) !== undefined, { timeout: 8000, interval: 25 }).toBe(true);
    return found!;
  }

  /** A contact received and answered today (local day of the campaign), straight into the facts. */
  async function answeredToday(): Promise<void> {
    const now = Date.now();
    const received = Math.max(localDay(localDateOf(now, timeZone), timeZone).startMs, now - 60_000);
    await db()
      .insertInto('kpi_contact_facts')
      .values({
        conversation_id: randomUUID(),
        campaign_id: campaignId,
        channel_kind: 'api',
        channel_class: 'text',
        queue_id: queueId,
        received_at: new Date(received),
        answered_at: new Date(received + 5_000),
        answer_wait_ms: 5_000,
        abandoned_at: null,
        abandon_wait_ms: null,
        resolved_at: null,
        talk_ms: 0,
        hold_ms: 0,
        transfers: 0,
        tier2_transferred: false,
        survey_offered: false,
        survey_answered: false,
        updated_from_event_id: 1,
        contact_id: null,
        opened_at: new Date(received),
        first_agent_id: agentId,
        agent_ids: [agentId],
      })
      .execute();
  }

  async function seat(state: 'available' | 'lunch'): Promise<void> {
    await db()
      .insertInto('agent_seats')
      .values({ user_id: agentId, state, state_since: new Date(), capacity_override: '{}' })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ state, state_since: new Date() }))
      .execute();
  }

  beforeAll(async () => {
    hub = await createTestHub();
    const campaign = await createCampaign(db(), { prefix: 'WDC' });
    campaignId = campaign.id;
    timeZone = campaign.time_zone;
    queueId = await createQueue(db(), campaignId, { name: 'General', isDefault: true });
    agentId = (await createUser(db(), { roles: ['agent'], campaignIds: [campaignId], name: 'Ana' })).id;
    await seat('available');
    await hub.ctx.redis.set(wallboardKeys(hub.config.REDIS_PREFIX, campaignId).watched, '1', 'PX', 120_000);
  });

  afterAll(async () => {
    await Promise.all(publishers.map((p) => p.stop()));
    await hub?.cleanup();
  });

  it('an event’s snapshot reads the live part and reuses the day figures; the facts moving reads them again, at most once a second', async () => {
    const p1 = publisher('p1');
    p1.note(campaignId, 'event', Date.now());
    const first = await emittedWhere(0, () => true);
    expect(first.snapshot.cause).toBe('event');
    expect(first.snapshot.totals.received).toBe(0);
    expect(reads['p1']).toHaveLength(1);

    // A contact lands in the facts and the agent goes to lunch; only the routing event is told.
    await answeredToday();
    await seat('lunch');
    const before = emitted.length;
    p1.note(campaignId, 'event', Date.now());
    const second = await emittedWhere(before, () => true);
    expect(second.snapshot.agents.map((a) => a.state)).toEqual(['lunch']);
    expect(second.snapshot.totals.received).toBe(0);
    expect(reads['p1']).toHaveLength(1);

    // The facts loop moved the cursor for this campaign: the figures are read again.
    const asked = Date.now();
    p1.note(campaignId, 'facts', asked);
    const third = await emittedWhere(before + 1, (e) => e.snapshot.totals.received === 1);
    expect(third.snapshot.cause).toBe('facts');
    expect(third.snapshot.totals.attended).toBe(1);
    expect(third.snapshot.agents[0]?.attendedToday).toBe(1);
    expect(reads['p1']).toHaveLength(2);
    expect(reads['p1']![1]!).toBeGreaterThanOrEqual(asked);
    expect(reads['p1']![1]! - reads['p1']![0]!).toBeGreaterThanOrEqual(1000);
  });

  it('events and facts every 100 ms: a snapshot per 250 ms, the day figures read at most once a second', async () => {
    const p1 = publishers[0]!;
    const from = emitted.length;
    const readsBefore = reads['p1']!.length;
    const started = Date.now();
    for (let i = 0; i < 25; i += 1) {
      p1.note(campaignId, 'event', Date.now());
      p1.note(campaignId, 'facts', Date.now());
      await new Promise((r) => setTimeout(r, 100));
    }
    const lastAsk = Date.now();
    // The last facts ask is answered by a read made after it.
    await expect.poll(() => reads['p1']!.at(-1)! >= lastAsk, { timeout: 5000, interval: 25 }).toBe(true);
    const burst = reads['p1']!.slice(readsBefore - 1);
    for (let i = 1; i < burst.length; i += 1) expect(burst[i]! - burst[i - 1]!).toBeGreaterThanOrEqual(1000);
    // ~2.5 s of asks: about three reads, far fewer than the ~10 snapshots.
    const snapshots = emitted.slice(from).filter((e) => Date.parse(e.snapshot.generatedAt) >= started);
    expect(burst.length - 1).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 1000) + 1);
    expect(snapshots.length).toBeGreaterThan(burst.length);
  });

  it('a second process shows the same day figures without reading them, and one facts move is read once across processes', async () => {
    const p1 = publishers[0]!;
    const p2 = publisher('p2');
    await new Promise((r) => setTimeout(r, 1100));
    await seat('available');
    let from = emitted.length;
    p2.note(campaignId, 'event', Date.now());
    const seen = await emittedWhere(from, (e) => e.by === 'p2');
    expect(seen.snapshot.agents.map((a) => a.state)).toEqual(['available']);
    expect(seen.snapshot.totals.received).toBe(1);
    expect(reads['p2']).toHaveLength(0);

    // Both processes' pollers see the same cursor move: the figures are read once.
    await answeredToday();
    const readsBefore = allReads().length;
    const asked = Date.now();
    from = emitted.length;
    p1.note(campaignId, 'facts', asked);
    p2.note(campaignId, 'facts', asked);
    await emittedWhere(from, (e) => e.snapshot.totals.received === 2);
    await new Promise((r) => setTimeout(r, 1500));
    expect(allReads().length).toBe(readsBefore + 1);
    expect(emitted.slice(from).filter((e) => e.snapshot.cause === 'facts')).toHaveLength(1);
  });

  it('other measuring rules (saved under «Niveles de servicio (SLA)») are applied by the next snapshot, whatever caused it', async () => {
    await new Promise((r) => setTimeout(r, 300));
    await db()
      .insertInto('sla_contracts')
      .values({ campaign_id: campaignId, contract_start_month: '2026-01', max_contract_amount_cents: 100_000_000, service_level_denominator: 'received', service_level_threshold_seconds: 3 })
      .execute();
    const readsBefore = allReads().length;
    const from = emitted.length;
    publishers[1]!.note(campaignId, 'event', Date.now());
    const next = await emittedWhere(from, () => true);
    expect(next.snapshot.cause).toBe('event');
    expect(next.snapshot.serviceLevel).toEqual({ denominator: 'received', thresholdSeconds: 3, shortAbandonSeconds: 0 });
    // Both contacts waited 5 s: none within 3 s.
    expect(next.snapshot.totals.serviceLevel.value).toBe(0);
    expect(allReads().length).toBe(readsBefore + 1);
  });
});
