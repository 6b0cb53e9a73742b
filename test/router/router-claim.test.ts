import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { syncAgentSeats } from '@ventanilla/hub';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { createQueue } from '../support/router-factories.js';

/** The SQL claim (migration 0003, router_claim): the last line of defence for the invariants. */
describe('router_claim', () => {
  let hub: TestHub;
  let campaignId: string;
  let channelId: string;
  let queueId: string;
  let n = 0;
  const db = () => hub.ctx.db.kysely;

  async function waitingConversation(channelClass: 'text' | 'voice' | 'email' = 'text'): Promise<string> {
    n += 1;
    const k = n;
    const contact = await db().insertInto('contacts').values({ display_name: `C${k}` }).returning('id').executeTakeFirstOrThrow();
    const row = await db()
      .insertInto('conversations')
      .values({ folio: `CL-${Date.now()}-${k}`, campaign_id: campaignId, channel_id: channelId, contact_id: contact.id, status: 'queued', queue_id: queueId, channel_class: channelClass, enqueued_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async function agent(seat: Partial<{ state: string; load_text: number; load_voice: number; load_email: number; cap_text: number }> = {}): Promise<string> {
    const user = await createUser(db(), { roles: ['agent'], campaignIds: [campaignId] });
    await syncAgentSeats(db(), [user.id]);
    await db()
      .updateTable('agent_seats')
      .set({ state: 'available', ...seat } as never)
      .where('user_id', '=', user.id)
      .execute();
    return user.id;
  }

  async function claim(decisions: { conversationId: string; agentId: string; channelClass?: string; queueId?: string }[]) {
    const payload = decisions.map((d) => ({
      offerId: randomUUID(),
      conversationId: d.conversationId,
      agentId: d.agentId,
      queueId: d.queueId ?? queueId,
      channelClass: d.channelClass ?? 'text',
      reason: 'longest_idle',
      expiresAt: new Date(Date.now() + 20_000).toISOString(),
      accepted: false,
    }));
    const { rows } = await sql<{ r: { claimed: { conversationId: string }[]; outbox: unknown[] } }>`SELECT router_claim(${JSON.stringify(payload)}::jsonb) AS r`.execute(db());
    return rows[0]!.r;
  }

  const seat = (id: string) => db().selectFrom('agent_seats').selectAll().where('user_id', '=', id).executeTakeFirstOrThrow();

  beforeAll(async () => {
    hub = await createTestHub();
    campaignId = (await createCampaign(db(), { prefix: 'CL' })).id;
    channelId = (await createApiChannel(db(), campaignId)).channel.id;
    queueId = await createQueue(db(), campaignId, { isDefault: true });
  });
  afterAll(async () => {
    await hub.cleanup();
  });

  it('claims a queued conversation for an available agent with room: offer, load, events and outbox in one go', async () => {
    const a = await agent();
    const c = await waitingConversation();
    const result = await claim([{ conversationId: c, agentId: a }]);
    expect(result.claimed).toHaveLength(1);
    expect(result.outbox).toHaveLength(1);
    expect((await seat(a)).load_text).toBe(1);
    const conv = await db().selectFrom('conversations').select(['status', 'assignee_id', 'offer_id']).where('id', '=', c).executeTakeFirstOrThrow();
    expect(conv.status).toBe('offered');
    expect(conv.assignee_id).toBe(a);
    const events = await db().selectFrom('interaction_events').select('type').where('conversation_id', '=', c).execute();
    expect(events.map((e) => e.type)).toEqual(['conversation.offered']);
  });

  it('never above capacity: a batch giving an agent more than their spare room is refused whole', async () => {
    const a = await agent({ cap_text: 4, load_text: 2 });
    const cs = [await waitingConversation(), await waitingConversation(), await waitingConversation()];
    const result = await claim(cs.map((c) => ({ conversationId: c, agentId: a })));
    expect(result.claimed).toHaveLength(0);
    expect((await seat(a)).load_text).toBe(2);
  });

  it('a call takes the whole seat: no call to a seat with a chat, no chat or e-mail during a call', async () => {
    const chatting = await agent({ load_text: 1 });
    expect((await claim([{ conversationId: await waitingConversation('voice'), agentId: chatting, channelClass: 'voice' }])).claimed).toHaveLength(0);
    const onCall = await agent({ load_voice: 1 });
    expect((await claim([{ conversationId: await waitingConversation(), agentId: onCall }])).claimed).toHaveLength(0);
    expect((await claim([{ conversationId: await waitingConversation('email'), agentId: onCall, channelClass: 'email' }])).claimed).toHaveLength(0);
    const emailing = await agent({ load_email: 3 });
    expect((await claim([{ conversationId: await waitingConversation('voice'), agentId: emailing, channelClass: 'voice' }])).claimed).toHaveLength(1);
  });

  it('only available agents: lunch, not_ready, ACW and offline seats get nothing', async () => {
    for (const state of ['lunch', 'not_ready', 'after_contact_work', 'offline']) {
      const a = await agent({ state });
      expect((await claim([{ conversationId: await waitingConversation(), agentId: a }])).claimed).toHaveLength(0);
      expect((await seat(a)).load_text).toBe(0);
    }
  });

  it('no conversation to two agents: a conversation no longer queued is dropped and the seat given back', async () => {
    const [a, b] = [await agent(), await agent()];
    const c = await waitingConversation();
    const first = await claim([{ conversationId: c, agentId: a }]);
    expect(first.claimed).toHaveLength(1);
    const other = await waitingConversation();
    const second = await claim([
      { conversationId: c, agentId: b },
      { conversationId: other, agentId: b },
    ]);
    expect(second.claimed.map((x) => x.conversationId)).toEqual([other]);
    expect((await seat(b)).load_text).toBe(1);
    const pending = await db().selectFrom('offers').select('agent_id').where('conversation_id', '=', c).execute();
    expect(pending.map((p) => p.agent_id)).toEqual([a]);
  });

  it('a decision made for another queue than the conversation is in now is dropped', async () => {
    const a = await agent();
    const elsewhere = await createQueue(db(), campaignId, {});
    expect((await claim([{ conversationId: await waitingConversation(), agentId: a, queueId: elsewhere }])).claimed).toHaveLength(0);
    expect((await seat(a)).load_text).toBe(0);
  });

  it('concurrent claims of the same seat from several connections never exceed capacity', async () => {
    const a = await agent({ cap_text: 4 });
    const cs = await Promise.all(Array.from({ length: 12 }, () => waitingConversation()));
    const results = await Promise.all(cs.map((c) => claim([{ conversationId: c, agentId: a }])));
    expect(results.filter((r) => r.claimed.length === 1)).toHaveLength(4);
    expect((await seat(a)).load_text).toBe(4);
  });
});
