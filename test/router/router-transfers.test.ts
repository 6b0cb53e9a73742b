import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueue, createSkill, setCampaignRouting } from '../support/router-factories.js';
import { conversationOf, createTestAgent, createTestCampaign, eventsOf, seatOf, startRouterHarness, type RouterHarness, type TestAgent } from './router-harness.js';

describe('transfers and supervisor reassignment', () => {
  let h: RouterHarness;
  let c: Awaited<ReturnType<typeof createTestCampaign>>;
  let other: Awaited<ReturnType<typeof createTestCampaign>>;
  let tier1: string;
  let tier2: string;
  let altQueue: string;
  let a: TestAgent;
  let psp: TestAgent;
  let b: TestAgent;
  let supervisor: TestAgent;
  let phone = 0;

  /** A conversation accepted by agent `a`. */
  async function assignedToA(): Promise<{ id: string; folio: string }> {
    phone += 1;
    const digits = `4000${String(phone).padStart(4, '0')}`;
    await h.api('PUT', '/agents/me/state', a.token, { state: 'available' });
    // Only `a` may take it: other agents of the campaign step away while it is routed.
    for (const other of [b, psp]) await h.api('PUT', '/agents/me/state', other.token, { state: 'lunch' });
    await c.citizenWrites(`55 ${digits.slice(0, 4)} ${digits.slice(4)}`);
    await expect.poll(async () => (await conversationOf(h, digits))?.status, { timeout: 3000 }).toBe('offered');
    const conversation = (await conversationOf(h, digits))!;
    await expect.poll(() => a.offers.some((o) => o.conversationId === conversation.id), { timeout: 3000 }).toBe(true);
    const offer = a.offers.find((o) => o.conversationId === conversation.id)!;
    expect((await h.api('POST', `/offers/${offer.offerId}/accept`, a.token)).status).toBe(200);
    return { id: conversation.id, folio: conversation.folio };
  }

  beforeAll(async () => {
    h = await startRouterHarness();
    c = await createTestCampaign(h, 'TR');
    other = await createTestCampaign(h, 'TX');
    await setCampaignRouting(h.db, c.id, { afterContactWorkMaxSeconds: 0, offerTimeoutSeconds: 60 });
    const general = await createSkill(h.db, c.id, 'general');
    const second = await createSkill(h.db, c.id, 'segundo_nivel');
    tier1 = await createQueue(h.db, c.id, { name: 'Primer nivel', isDefault: true, skills: { [general]: 1 } });
    altQueue = await createQueue(h.db, c.id, { name: 'Otra fila', skills: { [general]: 1 } });
    tier2 = await createQueue(h.db, c.id, { name: 'Segundo nivel', tier: 2, skills: { [second]: 1 } });
    a = await createTestAgent(h, [c.id], { [general]: 3 });
    b = await createTestAgent(h, [c.id], { [general]: 3 });
    psp = await createTestAgent(h, [c.id], { [second]: 4 });
    supervisor = await createTestAgent(h, [c.id], {}, ['supervisor']);
    await h.db.updateTable('agent_seats').set({ seat_type: 'PS-P' }).where('user_id', '=', psp.id).execute();
  });
  afterAll(async () => {
    for (const x of [a, b, psp, supervisor]) x?.socket.disconnect();
    await h.cleanup();
  });

  it('to tier 2 with a reason: PS-I → PS-P on the event, the seat is freed, a second-level agent is offered it, the folio stays', async () => {
    const conv = await assignedToA();
    await h.api('PUT', '/agents/me/state', psp.token, { state: 'available' });
    const res = await h.api('POST', `/conversations/${conv.id}/transfer`, a.token, { target: { kind: 'tier2' }, reason: 'Requiere dictamen de pensión' });
    expect(res.status).toBe(200);
    await expect.poll(() => psp.offers.some((o) => o.conversationId === conv.id), { timeout: 3000 }).toBe(true);
    const row = await h.db.selectFrom('conversations').selectAll().where('id', '=', conv.id).executeTakeFirstOrThrow();
    expect(row.folio).toBe(conv.folio);
    expect(row.queue_id).toBe(tier2);
    expect(row.seat_type).toBe('PS-P');
    expect((await seatOf(h, a.id)).load_text).toBe(0);
    const transferred = (await eventsOf(h, conv.id)).find((e) => e.type === 'conversation.transferred');
    expect(transferred?.payload).toMatchObject({
      kind: 'tier2',
      reason: 'Requiere dictamen de pensión',
      fromAgentId: a.id,
      fromQueueId: tier1,
      toQueueId: tier2,
      seatTypeBefore: 'PS-I',
      seatTypeAfter: 'PS-P',
    });
  });

  it('to tier 2 without a reason → 400, and nothing moves', async () => {
    const conv = await assignedToA();
    const res = await h.api('POST', `/conversations/${conv.id}/transfer`, a.token, { target: { kind: 'tier2' } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/motivo/);
    const row = await h.db.selectFrom('conversations').select(['status', 'assignee_id']).where('id', '=', conv.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'assigned', assignee_id: a.id });
    await h.api('POST', `/conversations/${conv.id}/resolve`, a.token, {});
  });

  it('to an offline agent or one at capacity → 409 saying which, and the conversation stays with its agent', async () => {
    const conv = await assignedToA();
    await h.api('PUT', '/agents/me/state', b.token, { state: 'offline' });
    const offline = await h.api('POST', `/conversations/${conv.id}/transfer`, a.token, { target: { kind: 'agent', agentId: b.id } });
    expect(offline.status).toBe(409);
    expect(offline.body).toMatchObject({ error: { code: 'HUB_ERR_AGENT_UNAVAILABLE' } });
    await h.api('PUT', '/agents/me/state', b.token, { state: 'available' });
    await h.db.updateTable('agent_seats').set({ capacity_override: JSON.stringify({ text: 1 }), cap_text: 1, load_text: 1 }).where('user_id', '=', b.id).execute();
    const full = await h.api('POST', `/conversations/${conv.id}/transfer`, a.token, { target: { kind: 'agent', agentId: b.id } });
    expect(full.status).toBe(409);
    expect(full.body).toMatchObject({ error: { code: 'HUB_ERR_AGENT_AT_CAPACITY' } });
    const row = await h.db.selectFrom('conversations').select(['status', 'assignee_id']).where('id', '=', conv.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'assigned', assignee_id: a.id });
    expect((await seatOf(h, a.id)).load_text).toBe(1);
    await h.db.updateTable('agent_seats').set({ capacity_override: '{}', cap_text: 4, load_text: 0 }).where('user_id', '=', b.id).execute();
    await h.api('POST', `/conversations/${conv.id}/resolve`, a.token, {});
  });

  it('to an agent: offered to that agent only; to a queue: back in line there', async () => {
    const conv = await assignedToA();
    await h.api('PUT', '/agents/me/state', b.token, { state: 'available' });
    expect((await h.api('POST', `/conversations/${conv.id}/transfer`, a.token, { target: { kind: 'agent', agentId: b.id }, reason: 'Turno' })).status).toBe(200);
    await expect.poll(() => b.offers.some((o) => o.conversationId === conv.id), { timeout: 3000 }).toBe(true);
    const offer = b.offers.find((o) => o.conversationId === conv.id)!;
    await h.api('POST', `/offers/${offer.offerId}/accept`, b.token);
    expect((await h.api('POST', `/conversations/${conv.id}/transfer`, b.token, { target: { kind: 'queue', queueId: altQueue } })).status).toBe(200);
    const row = await h.db.selectFrom('conversations').selectAll().where('id', '=', conv.id).executeTakeFirstOrThrow();
    expect(row.queue_id).toBe(altQueue);
    // The agent who sent it to the queue is not offered it again.
    expect(row.excluded_agent_ids).toContain(b.id);
    const kinds = (await eventsOf(h, conv.id)).filter((e) => e.type === 'conversation.transferred').map((e) => (e.payload as { kind: string }).kind);
    expect(kinds).toEqual(['agent', 'queue']);
  });

  it('to a campaign the user does not belong to → 403; a supervisor of both campaigns can', async () => {
    const conv = await assignedToA();
    const denied = await h.api('POST', `/conversations/${conv.id}/transfer`, a.token, { target: { kind: 'campaign', campaignId: other.id } });
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ error: { code: 'HUB_ERR_FORBIDDEN_CAMPAIGN' } });
    await h.db.insertInto('user_campaigns').values({ user_id: supervisor.id, campaign_id: other.id }).execute();
    await createQueue(h.db, other.id, { isDefault: true });
    const loadBefore = (await seatOf(h, a.id)).load_text;
    const moved = await h.api('POST', `/conversations/${conv.id}/transfer`, supervisor.token, { target: { kind: 'campaign', campaignId: other.id }, reason: 'Es de patrones' });
    expect(moved.status).toBe(200);
    const row = await h.db.selectFrom('conversations').selectAll().where('id', '=', conv.id).executeTakeFirstOrThrow();
    expect(row.campaign_id).toBe(other.id);
    expect(row.folio).toBe(conv.folio);
    expect((await seatOf(h, a.id)).load_text).toBe(loadBefore - 1);
  });

  it('supervisor reassignment assigns directly; an agent may not reassign', async () => {
    const conv = await assignedToA();
    expect((await h.api('POST', `/conversations/${conv.id}/reassign`, a.token, { agentId: b.id })).status).toBe(403);
    await h.api('PUT', '/agents/me/state', b.token, { state: 'available' });
    const loadA = (await seatOf(h, a.id)).load_text;
    const loadB = (await seatOf(h, b.id)).load_text;
    const res = await h.api('POST', `/conversations/${conv.id}/reassign`, supervisor.token, { agentId: b.id, reason: 'Balance de carga' });
    expect(res.status).toBe(200);
    const row = await h.db.selectFrom('conversations').select(['status', 'assignee_id']).where('id', '=', conv.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'assigned', assignee_id: b.id });
    expect((await seatOf(h, a.id)).load_text).toBe(loadA - 1);
    expect((await seatOf(h, b.id)).load_text).toBe(loadB + 1);
  });

  it('agents see their campaign colleagues to transfer to; not another campaign’s', async () => {
    const list = await h.api('GET', `/campaigns/${c.id}/colleagues`, a.token);
    expect(list.status).toBe(200);
    const ids = (list.body['items'] as { agentId: string; state: string; capacity: { text: number } }[]).map((x) => x.agentId);
    expect(ids).toEqual(expect.arrayContaining([a.id, b.id, psp.id]));
    expect((await h.api('GET', `/campaigns/${other.id}/colleagues`, a.token)).status).toBe(403);
  });

  it('accepting someone else’s offer is 404; accepting twice is 409', async () => {
    const conv = await assignedToA();
    const offer = a.offers.find((o) => o.conversationId === conv.id)!;
    expect((await h.api('POST', `/offers/${offer.offerId}/accept`, b.token)).status).toBe(404);
    expect((await h.api('POST', `/offers/${offer.offerId}/accept`, a.token)).status).toBe(409);
    expect((await h.api('POST', `/offers/${offer.offerId}/reject`, a.token, { reason: '' })).status).toBe(400);
  });
});
