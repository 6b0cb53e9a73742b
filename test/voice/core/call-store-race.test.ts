import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createHubContext, type HubContext } from '@ventanilla/hub';
import type { CallRecord } from '@ventanilla/voice-bridge';
import { PgCallStore, StaleCallRecordError } from '../../../hub/src/voice/core/pg-call-store.js';
import { CallLockTimeoutError, RedisCallLock } from '../../../hub/src/voice/core/redis-call-lock.js';
import { twilioSid } from '../../harness/twilio-voice/index.js';
import { createCampaign } from '../../support/factories.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';

/**
 * Webhooks of one call reach different hub processes (issue 8): two contexts (two pools, two Redis
 * connections) on one database, each with its own PostgreSQL call store and Redis lock.
 */
describe('PostgreSQL call store across processes', () => {
  let hub: TestHub;
  let other: HubContext;
  let channelId: string;

  beforeAll(async () => {
    hub = await createTestHub();
    other = await createHubContext(hub.config, { migrate: false });
    const campaign = await createCampaign(hub.ctx.db.kysely);
    const channel = await hub.ctx.db.kysely
      .insertInto('channels')
      .values({ campaign_id: campaign.id, kind: 'voice', name: 'Teléfono', settings: JSON.stringify({ accountSid: twilioSid('AC'), callerId: '+528006232323' }), secrets: JSON.stringify({ authToken: 'x' }) })
      .returning('id')
      .executeTakeFirstOrThrow();
    channelId = channel.id;
  }, 60_000);
  afterAll(async () => {
    await other?.close();
    await hub?.cleanup();
  });

  const storeOf = (ctx: HubContext) => {
    const lock = new RedisCallLock(ctx.redis, ctx.config.REDIS_PREFIX, { waitMs: 20_000 });
    return new PgCallStore(ctx.db.kysely, { lock: (sid, work) => lock.withLock(sid, work) });
  };

  const newCall = (): CallRecord => ({
    callSid: twilioSid('CA'),
    channelId,
    from: '+525512345678',
    to: '+528006232323',
    state: null,
    status: 'ringing',
    outcome: null,
    events: [{ at: new Date().toISOString(), type: 'incoming', data: { from: '+525512345678', to: '+528006232323', status: 'ringing' } }],
  });

  async function storedEvents(callSid: string) {
    const { rows } = await sql<{ id: string; type: string; occurred_at: Date; payload: Record<string, string> }>`
      SELECT id, type, occurred_at, payload FROM interaction_events WHERE type LIKE 'call.%' AND payload->>'callSid' = ${callSid} ORDER BY id`.execute(hub.ctx.db.kysely);
    return rows;
  }

  it('two processes racing on one call keep every event exactly once and in order', async () => {
    const a = storeOf(hub.ctx);
    const b = storeOf(other);
    const call = newCall();
    await a.save(call);
    const webhook = (store: PgCallStore, label: string) =>
      store.withLock(call.callSid, async () => {
        const current = await store.get(call.callSid);
        if (!current) throw new Error('call not found');
        current.events.push({ at: new Date().toISOString(), type: 'status', data: { status: 'in-progress', sequence: label } });
        current.status = 'in-progress';
        // Work between read and write, where an unlocked race would interleave.
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 4)));
        await store.save(current);
      });
    const labels = Array.from({ length: 15 }, (_, i) => [`a${i}`, `b${i}`]).flat();
    await Promise.all(labels.map((label) => webhook(label.startsWith('a') ? a : b, label)));

    const rows = await storedEvents(call.callSid);
    expect(rows).toHaveLength(1 + labels.length);
    expect(rows[0]?.type).toBe('call.incoming');
    const sequences = rows.slice(1).map((r) => r.payload['sequence']);
    expect(new Set(sequences).size).toBe(labels.length);
    expect([...sequences].sort()).toEqual([...labels].sort());
    for (let i = 1; i < rows.length; i += 1) expect(rows[i]!.occurred_at.getTime()).toBeGreaterThanOrEqual(rows[i - 1]!.occurred_at.getTime());
    const row = await hub.ctx.db.kysely.selectFrom('voice_calls').select(['event_count', 'status']).where('call_sid', '=', call.callSid).executeTakeFirstOrThrow();
    expect(row).toEqual({ event_count: 1 + labels.length, status: 'in-progress' });
    // Read back: the same history, in the same order.
    const read = await b.get(call.callSid);
    expect(read?.events.map((e) => e.data['sequence'] ?? e.type)).toEqual(['incoming', ...sequences]);
  });

  it('without the lock, the second writer of a stale record is refused and writes nothing', async () => {
    const a = new PgCallStore(hub.ctx.db.kysely);
    const b = new PgCallStore(other.db.kysely);
    const call = newCall();
    await a.save(call);
    const readByA = await a.get(call.callSid);
    const readByB = await b.get(call.callSid);
    if (!readByA || !readByB) throw new Error('call not found');
    readByA.events.push({ at: new Date().toISOString(), type: 'status', data: { status: 'in-progress' } });
    readByB.events.push({ at: new Date().toISOString(), type: 'status', data: { status: 'completed' } }, { at: new Date().toISOString(), type: 'ended', data: { status: 'completed', duration: '30' } });
    readByB.status = 'completed';
    await a.save(readByA);
    await expect(b.save(readByB)).rejects.toBeInstanceOf(StaleCallRecordError);
    const rows = await storedEvents(call.callSid);
    expect(rows.map((r) => r.type)).toEqual(['call.incoming', 'call.status']);
    const row = await hub.ctx.db.kysely.selectFrom('voice_calls').select(['event_count', 'status', 'ended_at']).where('call_sid', '=', call.callSid).executeTakeFirstOrThrow();
    expect(row).toEqual({ event_count: 2, status: 'ringing', ended_at: null });
  });

  it('a lock held elsewhere makes a webhook wait, and fail after its bound instead of writing blind', async () => {
    const prefix = `${hub.config.REDIS_PREFIX}-${randomBytes(2).toString('hex')}`;
    const holder = new RedisCallLock(hub.ctx.redis, prefix);
    const waiter = new RedisCallLock(other.redis, prefix, { waitMs: 150, retryMs: 10 });
    const callSid = twilioSid('CA');
    let release: () => void = () => undefined;
    const held = holder.withLock(callSid, () => new Promise<void>((resolve) => (release = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(waiter.withLock(callSid, async () => 'ran')).rejects.toBeInstanceOf(CallLockTimeoutError);
    release();
    await held;
    await expect(waiter.withLock(callSid, async () => 'ran')).resolves.toBe('ran');
    expect(await hub.ctx.redis.exists(holder.keyOf(callSid))).toBe(0);
  });
});
