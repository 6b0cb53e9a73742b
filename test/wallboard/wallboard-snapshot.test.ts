import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWallboardSnapshot } from '../../hub/src/wallboard/wallboard-snapshot.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { NOW, seedBoard, type SeededBoard } from './wallboard-seed.js';

/** The snapshot builder against a seeded state; every figure below is worked out by hand in the comments. */
describe('wallboard snapshot', () => {
  let hub: TestHub;
  let seed: SeededBoard;
  const db = () => hub.ctx.db.kysely;

  beforeAll(async () => {
    hub = await createTestHub();
    seed = await seedBoard(db());
  });
  afterAll(async () => hub?.cleanup());

  it('per queue: line, longest wait, today’s SL (by attended, the default), ASA, abandonment and agents by state', async () => {
    const { snapshot } = await buildWallboardSnapshot(db(), seed.campaignId, { now: NOW, agents: false });
    expect(snapshot.date).toBe('2026-03-10');
    // No SLA contract data: the T&C defaults (kpi/measuring-rules.ts).
    expect(snapshot.serviceLevel).toEqual({ denominator: 'attended', thresholdSeconds: 20, shortAbandonSeconds: 0 });
    const q1 = snapshot.queues.find((q) => q.queueId === seed.q1)!;
    expect(snapshot.queues.map((q) => q.name)).toEqual(['Trámites', 'General']);
    // Two in line, the oldest 90 s ago.
    expect(q1.waiting).toBe(2);
    expect(q1.longestWaitSeconds).toBe(90);
    expect(q1.oldestEnqueuedAt).toBe(new Date(NOW.getTime() - 90_000).toISOString());
    // Q1 today: 5 received (yesterday's is out), 3 attended (10, 30, 20 s), 2 abandoned.
    expect([q1.received, q1.attended, q1.abandoned]).toEqual([5, 3, 2]);
    // SL by attended: within 20 s (20 s counts as within) = 2 / 3 = 66.67 %.
    expect(q1.serviceLevel.value).toBeCloseTo(66.6667, 3);
    // ASA = (10 + 30 + 20) / 3 = 20 s.
    expect(q1.asa).toMatchObject({ value: 20_000, unit: 'ms' });
    // Abandonment = (5 − 3) / 5 = 40 %.
    expect(q1.abandonment.value).toBe(40);
    // Q1 needs tramites ≥ 2: Ana (available), Carla (lunch), Elena (ACW); Dario is offline; Beto (level 1) is not in it.
    expect(q1.agents).toEqual({ available: 1, busy: 0, afterContactWork: 1, breaks: { lunch: 1 }, loggedIn: 3 });
    const q2 = snapshot.queues.find((q) => q.queueId === seed.q2)!;
    expect(q2.waiting).toBe(0);
    expect(q2.oldestEnqueuedAt).toBeNull();
    // Q2 needs no skill: Beto holds two sessions → busy.
    expect(q2.agents).toEqual({ available: 1, busy: 1, afterContactWork: 1, breaks: { lunch: 1 }, loggedIn: 4 });
    // Totals: 6 received, 4 attended; SL 3 / 4 = 75 %; ASA (10 + 30 + 20 + 4) / 4 = 16 s; abandonment 2 / 6.
    const t = snapshot.totals;
    expect([t.waiting, t.longestWaitSeconds, t.received, t.attended, t.abandoned]).toEqual([2, 90, 6, 4, 2]);
    expect(t.serviceLevel.value).toBe(75);
    expect(t.asa.value).toBe(16_000);
    expect(t.abandonment.value).toBeCloseTo(33.3333, 3);
    expect(t.serviceLevel.explanation).toContain('(4 − 1) / 4 × 100 = 75.00 %');
  });

  it('per agent: state and since, sessions over capacity, current conversations; offline agents left out', async () => {
    const { snapshot } = await buildWallboardSnapshot(db(), seed.campaignId, { now: NOW, agents: false });
    expect(snapshot.agents.map((a) => a.name)).toEqual(['Ana', 'Beto', 'Carla', 'Elena']);
    const beto = snapshot.agents.find((a) => a.agentId === seed.agents.a2)!;
    expect(beto.state).toBe('available');
    expect(beto.stateSince).toBe(new Date(NOW.getTime() - 20 * 60_000).toISOString());
    expect(beto.load.text).toBe(2);
    expect(beto.capacity.text).toBe(4);
    expect(beto.conversations.map((c) => c.folio).sort()).toEqual([seed.folios[2], seed.folios[3]].sort());
    expect(beto.conversations[0]).toMatchObject({ channelKind: 'api', status: 'assigned' });
    expect(snapshot.agents.find((a) => a.agentId === seed.agents.a5)?.state).toBe('after_contact_work');
  });

  it('follows the campaign’s SLA contract data: SL by received, its Y and a short-abandon threshold', async () => {
    // The rules the reports and the SLA month apply (sla_contracts), edited in «Niveles de servicio (SLA)».
    await db()
      .insertInto('sla_contracts')
      .values({
        campaign_id: seed.campaignId,
        contract_start_month: '2026-01',
        max_contract_amount_cents: 100_000_000,
        service_level_denominator: 'received',
        service_level_threshold_seconds: 25,
        short_abandon_threshold_seconds: 10,
      })
      .execute();
    const { snapshot } = await buildWallboardSnapshot(db(), seed.campaignId, { now: NOW, agents: false });
    const q1 = snapshot.queues.find((q) => q.queueId === seed.q1)!;
    expect(snapshot.serviceLevel).toEqual({ denominator: 'received', thresholdSeconds: 25, shortAbandonSeconds: 10 });
    // The 5 s abandon is short: received 4; within 25 s: 10 s and 20 s (30 s is not) → SL by received = 2 / 4 = 50 %.
    expect(q1.serviceLevel.value).toBe(50);
    // Abandonment (5 − 1 − 3) / 4 = 25 %.
    expect(q1.abandonment.value).toBe(25);
    // Totals: received 6 − 1 = 5; within 25 s: 10, 20 and 4 s → 3 / 5 = 60 %.
    expect(snapshot.totals.serviceLevel.value).toBe(60);
    await db().deleteFrom('sla_contracts').where('campaign_id', '=', seed.campaignId).execute();
  });

  it('carries the alerts on at the thresholds and when the next longest-wait alert will start', async () => {
    const rows = await db()
      .insertInto('wallboard_thresholds')
      .values([
        { campaign_id: seed.campaignId, queue_id: seed.q1, metric: 'waiting', value: 1 },
        { campaign_id: seed.campaignId, queue_id: null, metric: 'service_level_percent', value: 80 },
        { campaign_id: seed.campaignId, queue_id: seed.q1, metric: 'longest_wait_seconds', value: 100 },
        { campaign_id: seed.campaignId, queue_id: seed.q2, metric: 'agents_available', value: 1 },
      ])
      .returning(['id', 'metric'])
      .execute();
    const waitingId = rows.find((r) => r.metric === 'waiting')!.id;
    const since = NOW.getTime() - 42_000;
    const built = await buildWallboardSnapshot(db(), seed.campaignId, { now: NOW, agents: false, alertStarts: new Map([[waitingId, since]]) });
    // Q1 waiting 2 > 1; totals SL 75 % < 80 %; longest wait 90 s is not > 100 s; Q2 has 1 available, not < 1.
    expect(built.snapshot.alerts.map((a) => [a.metric, a.value, a.queueId])).toEqual([
      ['waiting', 2, seed.q1],
      ['service_level_percent', 75, null],
    ]);
    expect(built.snapshot.alerts[0]?.since).toBe(new Date(since).toISOString());
    // 90 s now → > 100 s from second 101: 11 s from now.
    expect(built.nextCrossingMs).toBe(NOW.getTime() + 11_000);
    const later = await buildWallboardSnapshot(db(), seed.campaignId, { now: new Date(NOW.getTime() + 11_000), agents: false });
    expect(later.snapshot.alerts.map((a) => a.metric)).toContain('longest_wait_seconds');
    await db().deleteFrom('wallboard_thresholds').where('campaign_id', '=', seed.campaignId).execute();
  });
});
