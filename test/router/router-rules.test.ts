import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueue, createSkill, setCampaignRouting } from '../support/router-factories.js';
import { conversationOf, createTestAgent, createTestCampaign, eventsOf, seatOf, startRouterHarness, type RouterHarness } from './router-harness.js';

const CLOSED_ALWAYS = {
  timeZone: 'America/Mexico_City',
  days: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
  holidays: 'closed' as const,
};

describe('router rules through the API channel', () => {
  let h: RouterHarness;
  beforeAll(async () => {
    h = await startRouterHarness();
  });
  afterAll(async () => {
    await h.cleanup();
  });

  it('outside business hours, keep_queued answers with the campaign message and keeps the citizen in line', async () => {
    const c = await createTestCampaign(h, 'AH');
    await setCampaignRouting(h.db, c.id, { schedule: CLOSED_ALWAYS });
    const skill = await createSkill(h.db, c.id);
    await createQueue(h.db, c.id, {
      isDefault: true,
      skills: { [skill]: 1 },
      afterHours: { mode: 'keep_queued', message: { es: 'Estamos fuera de horario; conservamos su lugar.' } },
    });
    await c.citizenWrites('55 3000 0001');
    await expect.poll(async () => (await conversationOf(h, '30000001'))?.queue_id ?? null, { timeout: 3000 }).not.toBeNull();
    const conversation = (await conversationOf(h, '30000001'))!;
    expect(conversation.status).toBe('queued');
    expect(conversation.after_hours).toBe(true);
    const system = await h.db.selectFrom('messages').select('text').where('conversation_id', '=', conversation.id).where('sender_type', '=', 'system').execute();
    expect(system.map((m) => m.text)).toContain('Estamos fuera de horario; conservamos su lugar.');
    expect((await eventsOf(h, conversation.id)).map((e) => e.type)).toEqual(expect.arrayContaining(['conversation.after_hours', 'conversation.queued']));
  });

  it('outside business hours, close answers and closes the conversation', async () => {
    const c = await createTestCampaign(h, 'AC');
    await setCampaignRouting(h.db, c.id, { schedule: CLOSED_ALWAYS });
    await createQueue(h.db, c.id, { isDefault: true, afterHours: { mode: 'close', message: { es: 'Nuestro horario es de 8 a 20 h. Escríbanos mañana.' } } });
    await c.citizenWrites('55 3000 0002');
    await expect.poll(async () => (await conversationOf(h, '30000002'))?.status, { timeout: 3000 }).toBe('resolved');
    const conversation = (await conversationOf(h, '30000002'))!;
    expect(conversation.closed_at).not.toBeNull();
    const events = await eventsOf(h, conversation.id);
    expect(events.find((e) => e.type === 'conversation.resolved')?.payload).toMatchObject({ reason: 'after_hours' });
  });

  it('overflow relaxes the required level after N seconds, then an agent below the original level gets it', async () => {
    const c = await createTestCampaign(h, 'OV');
    await setCampaignRouting(h.db, c.id, { offerTimeoutSeconds: 30 });
    const skill = await createSkill(h.db, c.id);
    await createQueue(h.db, c.id, { isDefault: true, skills: { [skill]: 4 }, overflow: [{ trigger: { afterSeconds: 1 }, action: { relaxLevels: 1 } }] });
    const junior = await createTestAgent(h, [c.id], { [skill]: 3 });
    await h.api('PUT', '/agents/me/state', junior.token, { state: 'available' });
    await c.citizenWrites('55 3000 0003');
    await expect.poll(() => junior.offers.length, { timeout: 5000 }).toBe(1);
    const conversation = (await conversationOf(h, '30000003'))!;
    expect(conversation.relaxed_levels).toBe(1);
    const overflowed = (await eventsOf(h, conversation.id)).find((e) => e.type === 'conversation.overflowed');
    expect(overflowed?.payload).toMatchObject({ outcome: 'relaxed', relaxedLevels: 1, stepIndex: 0 });
    junior.socket.disconnect();
  });

  it('overflow moves a conversation to another queue after N seconds', async () => {
    const c = await createTestCampaign(h, 'OM');
    const rare = await createSkill(h.db, c.id);
    const common = await createSkill(h.db, c.id);
    const backup = await createQueue(h.db, c.id, { name: 'Respaldo', skills: { [common]: 1 } });
    const main = await createQueue(h.db, c.id, { name: 'Principal', isDefault: true, skills: { [rare]: 1 }, overflow: [{ trigger: { afterSeconds: 1 }, action: { moveToQueueId: backup } }] });
    const agent = await createTestAgent(h, [c.id], { [common]: 2 });
    await h.api('PUT', '/agents/me/state', agent.token, { state: 'available' });
    await c.citizenWrites('55 3000 0004');
    await expect.poll(() => agent.offers.length, { timeout: 5000 }).toBe(1);
    const conversation = (await conversationOf(h, '30000004'))!;
    expect(conversation.queue_id).toBe(backup);
    expect(conversation.visited_queue_ids).toEqual([main]);
    agent.socket.disconnect();
  });

  it('a conversation nobody answers within the queue maximum wait is abandoned with a message and its folio', async () => {
    const c = await createTestCampaign(h, 'MW');
    await createQueue(h.db, c.id, { isDefault: true, maxWaitSeconds: 1 });
    await c.citizenWrites('55 3000 0005');
    await expect.poll(async () => (await conversationOf(h, '30000005'))?.status, { timeout: 5000 }).toBe('abandoned');
    const conversation = (await conversationOf(h, '30000005'))!;
    const abandoned = (await eventsOf(h, conversation.id)).find((e) => e.type === 'conversation.abandoned');
    expect(abandoned?.payload).toMatchObject({ cause: 'max_wait', statusBefore: 'queued' });
    expect((abandoned?.payload as { waitedMs: number }).waitedMs).toBeGreaterThanOrEqual(1000);
    const system = await h.db.selectFrom('messages').select('text').where('conversation_id', '=', conversation.id).where('sender_type', '=', 'system').execute();
    expect(system.some((m) => m.text?.includes(conversation.folio))).toBe(true);
  });

  it('sticky routing: a returning citizen is offered to their previous agent when that agent has room', async () => {
    const c = await createTestCampaign(h, 'ST');
    await setCampaignRouting(h.db, c.id, { afterContactWorkMaxSeconds: 0, stickyHours: 24 });
    await createQueue(h.db, c.id, { isDefault: true, strategy: 'round_robin' });
    const [a, b] = [await createTestAgent(h, [c.id], {}), await createTestAgent(h, [c.id], {})];
    await h.api('PUT', '/agents/me/state', a.token, { state: 'available' });
    await c.citizenWrites('55 3000 0006');
    await expect.poll(() => a.offers.length, { timeout: 3000 }).toBe(1);
    expect((await h.api('POST', `/offers/${a.offers[0]!.offerId}/accept`, a.token)).status).toBe(200);
    expect((await h.api('POST', `/conversations/${a.offers[0]!.conversationId}/resolve`, a.token, {})).status).toBe(200);
    await h.api('PUT', '/agents/me/state', b.token, { state: 'available' });
    // b is now the longer idle and round robin would pick b; the returning citizen still goes to a.
    await c.citizenWrites('55 3000 0006', 'Vuelvo a escribir');
    await expect.poll(() => a.offers.length, { timeout: 3000 }).toBe(2);
    expect(b.offers).toHaveLength(0);
    const offer = await h.db.selectFrom('offers').select('reason').where('id', '=', a.offers[1]!.offerId).executeTakeFirstOrThrow();
    expect(offer.reason).toBe('sticky');
    a.socket.disconnect();
    b.socket.disconnect();
  });

  it('after-contact work follows a release and ends by itself after the campaign maximum', async () => {
    const c = await createTestCampaign(h, 'AW');
    await setCampaignRouting(h.db, c.id, { afterContactWorkMaxSeconds: 1 });
    await createQueue(h.db, c.id, { isDefault: true });
    const a = await createTestAgent(h, [c.id], {});
    await h.api('PUT', '/agents/me/state', a.token, { state: 'available' });
    await c.citizenWrites('55 3000 0007');
    await expect.poll(() => a.offers.length, { timeout: 3000 }).toBe(1);
    await h.api('POST', `/offers/${a.offers[0]!.offerId}/accept`, a.token);
    await h.api('POST', `/conversations/${a.offers[0]!.conversationId}/resolve`, a.token, { reason: 'resuelto' });
    const inAcw = await seatOf(h, a.id);
    expect(inAcw.state).toBe('after_contact_work');
    expect(inAcw.load_text).toBe(0);
    const view = await h.api('GET', '/agents/me/seat', a.token);
    expect(Date.parse(view.body['acwEndsAt'] as string) - inAcw.state_since.getTime()).toBe(1000);
    await expect.poll(async () => (await seatOf(h, a.id)).state, { timeout: 5000 }).toBe('available');
    expect((await seatOf(h, a.id)).state_reason).toBe('acw_timeout');
    a.socket.disconnect();
  });

  it('auto-accept: the campaign option assigns at once, with both the offered and the assigned events', async () => {
    const c = await createTestCampaign(h, 'AA');
    await setCampaignRouting(h.db, c.id, { autoAccept: true });
    await createQueue(h.db, c.id, { isDefault: true });
    const a = await createTestAgent(h, [c.id], {});
    await h.api('PUT', '/agents/me/state', a.token, { state: 'available' });
    await c.citizenWrites('55 3000 0008');
    await expect.poll(() => a.offers.length, { timeout: 3000 }).toBe(1);
    expect(a.offers[0]!.autoAccepted).toBe(true);
    const conversation = (await conversationOf(h, '30000008'))!;
    expect(conversation.status).toBe('assigned');
    const types = (await eventsOf(h, conversation.id)).map((e) => e.type);
    expect(types.indexOf('conversation.offered')).toBeLessThan(types.indexOf('conversation.assigned'));
    const offer = await h.db.selectFrom('offers').selectAll().where('conversation_id', '=', conversation.id).executeTakeFirstOrThrow();
    expect(offer.status).toBe('accepted');
    a.socket.disconnect();
  });

  it('an agent who steps away gives back unanswered offers at once; the next agent gets them', async () => {
    const c = await createTestCampaign(h, 'WD');
    await setCampaignRouting(h.db, c.id, { offerTimeoutSeconds: 120 });
    await createQueue(h.db, c.id, { isDefault: true });
    const [a, b] = [await createTestAgent(h, [c.id], {}), await createTestAgent(h, [c.id], {})];
    await h.api('PUT', '/agents/me/state', a.token, { state: 'available' });
    await c.citizenWrites('55 3000 0009');
    await expect.poll(() => a.offers.length, { timeout: 3000 }).toBe(1);
    await h.api('PUT', '/agents/me/state', b.token, { state: 'available' });
    expect((await h.api('PUT', '/agents/me/state', a.token, { state: 'lunch' })).status).toBe(200);
    await expect.poll(() => b.offers.length, { timeout: 3000 }).toBe(1);
    expect(b.offers[0]!.conversationId).toBe(a.offers[0]!.conversationId);
    const first = await h.db.selectFrom('offers').select(['status', 'reject_reason']).where('id', '=', a.offers[0]!.offerId).executeTakeFirstOrThrow();
    expect(first).toEqual({ status: 'rejected', reject_reason: 'estado lunch' });
    expect((await seatOf(h, a.id)).load_text).toBe(0);
    a.socket.disconnect();
    b.socket.disconnect();
  });

  it('auto-logout: the inactivity timer is a durable delayed job; past the deadline the agent goes offline', async () => {
    const c = await createTestCampaign(h, 'AL');
    await setCampaignRouting(h.db, c.id, { autoLogoutMinutes: 1 });
    const a = await createTestAgent(h, [c.id], {});
    await h.api('PUT', '/agents/me/state', a.token, { state: 'available' });
    const seat = await seatOf(h, a.id);
    const jobs = await h.hub.ctx.routerTimers.getDelayed();
    const job = jobs.find((j) => j.data.kind === 'auto_logout' && j.data.agentId === a.id);
    expect(job).toBeDefined();
    expect(job!.data.at - seat.last_activity_at.getTime()).toBeGreaterThanOrEqual(59_000);
    expect(job!.data.at - seat.last_activity_at.getTime()).toBeLessThanOrEqual(61_000);
    // Fire it as if a minute passed with no activity.
    const { timerHandler } = await import('../../hub/src/router/service/timer-handlers.js');
    await h.db.updateTable('agent_seats').set({ last_activity_at: new Date(Date.now() - 61_000) }).where('user_id', '=', a.id).execute();
    await h.hub.ctx.router.apply(await timerHandler(h.db)({ kind: 'auto_logout', agentId: a.id, at: Date.now() }));
    const after = await seatOf(h, a.id);
    expect(after.state).toBe('offline');
    expect(after.state_reason).toBe('inactivity');
    a.socket.disconnect();
  });
});
