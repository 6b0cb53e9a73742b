import { sql, type Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@ventanilla/hub';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { createApiChannel, createCampaign } from '../support/factories.js';
import { createQueue, setCampaignRouting } from '../support/router-factories.js';
import { refreshQueueTreatment, TREATMENT_LOCK_CLASS, type QueueTreatmentRun } from '../../hub/src/router/usecases/queue-treatment.usecase.js';
import { insertWaiting, seatedAgent, systemTexts } from './treatment-fixtures.js';

/**
 * The refresh run by hand against the real PostgreSQL, with the clock passed in: what is stored,
 * what the citizen is sent and when (throttle, cap, business hours), estimate-based overflow, and
 * one refresh at a time.
 */
describe('queue treatment refresh', () => {
  let hub: TestHub;
  let db: Kysely<Database>;
  let campaignId: string;
  let channelId: string;
  let queueId: string;
  const T = Date.now();

  beforeAll(async () => {
    hub = await createTestHub();
    db = hub.ctx.db.kysely;
    campaignId = (await createCampaign(db, { prefix: 'TQ' })).id;
    channelId = (await createApiChannel(db, campaignId)).channel.id;
    queueId = await createQueue(db, campaignId, { name: 'General', isDefault: true });
  });

  afterEach(async () => {
    await db.updateTable('conversations').set({ status: 'resolved', closed_at: new Date() }).where('closed_at', 'is', null).execute();
    await db.updateTable('agent_seats').set({ state: 'offline' }).execute();
    await setCampaignRouting(db, campaignId, {});
  });

  afterAll(async () => {
    await hub?.cleanup();
  });

  const waitingFor = (secondsBefore: number, queue = queueId) => insertWaiting(db, { campaignId, channelId, queueId: queue, waitingSinceMs: T - secondsBefore * 1000 });
  const treatmentOf = async (id: string) => (await db.selectFrom('conversations').select('treatment').where('id', '=', id).executeTakeFirstOrThrow()).treatment as Record<string, unknown> | null;
  const resolve = (id: string) => db.updateTable('conversations').set({ status: 'resolved', closed_at: new Date() }).where('id', '=', id).execute();

  it('stores place and estimate, tells each waiting citizen once, and stays quiet while nothing changes', async () => {
    await seatedAgent(db, campaignId, { load: 4 });
    const [a, b, c] = [await waitingFor(30), await waitingFor(20), await waitingFor(10)];

    const first = await refreshQueueTreatment(db, T);
    expect(first).toMatchObject({ skipped: false, waiting: 3, notified: 3, stored: 3, overflowed: 0 });
    expect(first.messageIds).toHaveLength(3);
    expect(await systemTexts(db, a)).toEqual(['Usted es la siguiente persona en la fila; tiempo estimado de espera: 2 min.']);
    expect(await systemTexts(db, b)).toEqual(['Su lugar en la fila es 2; tiempo estimado de espera: 3 min.']);
    expect(await systemTexts(db, c)).toEqual(['Su lugar en la fila es 3; tiempo estimado de espera: 5 min.']);
    const message = await db.selectFrom('messages').selectAll().where('id', '=', first.messageIds[0]!).executeTakeFirstOrThrow();
    expect(message).toMatchObject({ direction: 'outbound', sender_type: 'system', status: 'pending', content_type: 'text' });

    expect(await treatmentOf(c)).toEqual({
      position: 3,
      estimatedWaitMs: 270_000,
      method: 'capacity_default_aht',
      display: { position: 3, wait: { kind: 'minutes', minutes: 5 } },
      updatedAt: new Date(T).toISOString(),
      sentAt: new Date(T).toISOString(),
      sentDisplay: { position: 3, wait: { kind: 'minutes', minutes: 5 } },
    });

    const again = await refreshQueueTreatment(db, T + 90_000);
    expect(again).toMatchObject({ notified: 0, stored: 0 });
    expect(await systemTexts(db, c)).toHaveLength(1);
  });

  it('tells at once who became next, and other changes only once the throttle allows', async () => {
    await seatedAgent(db, campaignId, { load: 4 });
    const [a, b, c] = [await waitingFor(30), await waitingFor(20), await waitingFor(10)];
    const plan = { notify: { minIntervalMs: 30_000 } };
    await refreshQueueTreatment(db, T, { plan });

    await resolve(a);
    const soon = await refreshQueueTreatment(db, T + 2000, { plan });
    expect(soon).toMatchObject({ notified: 1, stored: 1 });
    expect((await systemTexts(db, b)).at(-1)).toBe('Usted es la siguiente persona en la fila; tiempo estimado de espera: 2 min.');
    expect(await systemTexts(db, c)).toHaveLength(1);
    // Not pushed yet, and the stored copy is refreshed at most every minStoreIntervalMs (30 s)…
    expect(await treatmentOf(c)).toMatchObject({ position: 3, sentDisplay: { position: 3 } });
    // …unless asked for more often; the comparison stays with what was sent.
    expect(await refreshQueueTreatment(db, T + 3000, { plan, minStoreIntervalMs: 1000 })).toMatchObject({ notified: 0, stored: 1 });
    expect(await treatmentOf(c)).toMatchObject({ position: 2, sentDisplay: { position: 3 } });

    const later = await refreshQueueTreatment(db, T + 31_000, { plan });
    expect(later.notified).toBe(1);
    expect(await systemTexts(db, c)).toEqual([
      'Su lugar en la fila es 3; tiempo estimado de espera: 5 min.',
      'Su lugar en la fila es 2; tiempo estimado de espera: 3 min.',
    ]);
    expect(await treatmentOf(c)).toMatchObject({ position: 2, sentDisplay: { position: 2 }, sentAt: new Date(T + 31_000).toISOString() });
  });

  it('waits a moment before the first message, and leaves a free seat to the router', async () => {
    await seatedAgent(db, campaignId, { load: 3 });
    const next = await waitingFor(30);
    const fresh = await waitingFor(0.2);
    const run = await refreshQueueTreatment(db, T);
    // `next` takes the free seat at the next routing pass; `fresh` waited 0.2 s only.
    expect(run).toMatchObject({ waiting: 2, notified: 0, stored: 2 });
    expect(await systemTexts(db, next)).toEqual([]);
    expect(await systemTexts(db, fresh)).toEqual([]);
    expect(await refreshQueueTreatment(db, T + 1000)).toMatchObject({ notified: 1 });
    expect(await systemTexts(db, fresh)).toEqual(['Su lugar en la fila es 2; tiempo estimado de espera: 3 min.']);
  });

  it('sends at most maxMessagesPerRun per refresh, the front of the line first; the rest follow', async () => {
    await seatedAgent(db, campaignId, { load: 4 });
    const ids = [];
    for (let i = 0; i < 5; i += 1) ids.push(await waitingFor(50 - i));
    expect(await refreshQueueTreatment(db, T, { maxMessagesPerRun: 2 })).toMatchObject({ notified: 2, stored: 5 });
    expect((await Promise.all(ids.map((id) => systemTexts(db, id)))).map((t) => t.length)).toEqual([1, 1, 0, 0, 0]);
    expect(await refreshQueueTreatment(db, T + 1000, { maxMessagesPerRun: 2 })).toMatchObject({ notified: 2 });
    expect(await refreshQueueTreatment(db, T + 2000, { maxMessagesPerRun: 2 })).toMatchObject({ notified: 1 });
    expect((await Promise.all(ids.map((id) => systemTexts(db, id)))).map((t) => t.length)).toEqual([1, 1, 1, 1, 1]);
  });

  it('sends nothing outside business hours (the after-hours message applies), but keeps the place', async () => {
    const closed = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
    await setCampaignRouting(db, campaignId, { schedule: { timeZone: 'America/Mexico_City', days: closed, holidays: 'closed' } });
    await seatedAgent(db, campaignId, { load: 4 });
    const id = await waitingFor(60);
    expect(await refreshQueueTreatment(db, T)).toMatchObject({ notified: 0, stored: 1 });
    expect(await systemTexts(db, id)).toEqual([]);
    expect(await treatmentOf(id)).toMatchObject({ position: 1, display: { position: 1 } });
  });

  it('moves a conversation whose estimate exceeds the queue\'s "estimated wait over" step', async () => {
    const backup = await createQueue(db, campaignId, { name: 'Respaldo' });
    const busy = await createQueue(db, campaignId, {
      name: 'Trámites',
      overflow: [{ trigger: { estimatedWaitOverSeconds: 240 }, action: { moveToQueueId: backup } }],
    });
    await seatedAgent(db, campaignId, { load: 4 });
    // One agent, 4 chats, 6 min each: 1st 1.5 min, 2nd 3 min, 3rd 4.5 min > 4 min.
    const [first, second, third] = [await waitingFor(30, busy), await waitingFor(20, busy), await waitingFor(10, busy)];

    const run = await refreshQueueTreatment(db, T);
    expect(run.overflowed).toBe(1);
    expect(run.reroute).toBe(true);
    const rows = await db.selectFrom('conversations').select(['id', 'queue_id', 'overflow_steps']).where('id', 'in', [first, second, third]).execute();
    expect(new Map(rows.map((r) => [r.id, r.queue_id]))).toEqual(new Map([[first, busy], [second, busy], [third, backup]]));
    const events = await db.selectFrom('interaction_events').select(['type', 'payload']).where('conversation_id', '=', third).where('type', '=', 'conversation.overflowed').execute();
    expect(events).toHaveLength(1);
    expect(events[0]?.payload).toMatchObject({ fromQueueId: busy, toQueueId: backup, outcome: 'moved' });
    // Moved this refresh: told its place in the new line at the next one, not a stale one now.
    expect(await systemTexts(db, third)).toEqual([]);
    expect(await systemTexts(db, second)).toEqual(['Su lugar en la fila es 2; tiempo estimado de espera: 3 min.']);

    await refreshQueueTreatment(db, T + 1000);
    expect(await systemTexts(db, third)).toEqual(['Su lugar en la fila es 3; tiempo estimado de espera: 5 min.']);
    expect(await treatmentOf(third)).toMatchObject({ position: 3 });
  });

  it('never tells a citizen the same news twice when one refresh starts while another still writes', async () => {
    await seatedAgent(db, campaignId, { load: 4 });
    const ids: string[] = [];
    for (let i = 0; i < 25; i += 1) ids.push(await waitingFor(60 - i));
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    let first: Promise<QueueTreatmentRun> | undefined;
    let second: Promise<QueueTreatmentRun> | undefined;
    // Holding inserts into messages stalls the first refresh after it planned and released its
    // lock; the second plans from the same state (nothing sent yet) and writes over it.
    await db.transaction().execute(async (trx) => {
      await sql`LOCK TABLE messages IN SHARE MODE`.execute(trx);
      first = refreshQueueTreatment(db, T);
      await pause(400);
      second = refreshQueueTreatment(db, T);
      await pause(400);
    });
    const runs = await Promise.all([first!, second!]);
    expect(runs.map((r) => r.skipped)).toEqual([false, false]);
    expect(runs[0]!.notified + runs[1]!.notified).toBe(25);
    expect((await Promise.all(ids.map((id) => systemTexts(db, id)))).map((texts) => texts.length)).toEqual(ids.map(() => 1));
  });

  it('runs in one process at a time: a refresh finding the lock taken does nothing', async () => {
    await seatedAgent(db, campaignId, { load: 4 });
    const id = await waitingFor(30);
    await db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${TREATMENT_LOCK_CLASS}, hashtext(current_schema()))`.execute(trx);
      expect(await refreshQueueTreatment(db, T)).toMatchObject({ skipped: true, notified: 0, stored: 0 });
    });
    expect(await systemTexts(db, id)).toEqual([]);
    expect(await refreshQueueTreatment(db, T)).toMatchObject({ skipped: false, notified: 1 });
  });
});
