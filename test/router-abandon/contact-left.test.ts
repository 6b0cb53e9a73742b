import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubProcess, type ConversationOfferedPayload, type HubProcess } from '@ventanilla/hub';
import { inboundJobId, type InboundJob } from '../../hub/src/queues/queues.js';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { bearer, connectStaff, tokenFor, type StaffClient } from '../support/auth.js';
import { endBody, messageBody, signedHeaders, type CitizenLeft } from '../support/webhook.js';
import { createQueue, createSkill, setAgentSkills, setCampaignRouting } from '../support/router-factories.js';

/**
 * Issue 3 item 9 through the API channel: "abandoned — the citizen left before an agent
 * answered". The portal posts `{"type":"end",…}`; a conversation still waiting (queued or
 * offered) is abandoned and any pending offer is withdrawn; one an agent accepted stays theirs.
 */
describe('a citizen who leaves before an agent answers (API channel "end" event)', () => {
  let hub: HubProcess;
  let config: ReturnType<typeof testConfig>;
  let channelId: string;
  let secret: string;
  let agent: { id: string; token: string; socket: StaffClient; offers: ConversationOfferedPayload[] };
  let seq = 0;

  const db = () => hub.ctx.db.kysely;
  const webhook = (body: string, headers = signedHeaders(secret, body)) => fetch(`${hub.url}/webhooks/api/${channelId}`, { method: 'POST', headers, body });

  async function citizenWrites(phone: string, text = 'Hola, necesito una cita'): Promise<void> {
    seq += 1;
    const res = await webhook(messageBody({ id: `msg-${seq}-${Date.now()}`, phone, name: `Ciudadano ${phone}`, text }));
    expect(res.status).toBe(200);
  }

  /** Posts the end event and waits until the worker has finished with it; returns its outcome. */
  async function citizenLeaves(left: CitizenLeft): Promise<unknown> {
    const res = await webhook(endBody(left));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: 1 });
    const job: InboundJob = {
      channelId,
      event: { type: 'contact_left', providerEventId: left.id, occurredAt: new Date().toISOString(), contact: {} },
      receivedAt: 1,
    };
    const id = inboundJobId(job);
    await expect.poll(async () => (await hub.ctx.queues.inbound.getJob(id))?.finishedOn, { timeout: 5000 }).toBeDefined();
    return (await hub.ctx.queues.inbound.getJob(id))?.returnvalue;
  }

  const openConversationOf = async (phoneE164: string) => {
    const row = await db()
      .selectFrom('conversations as c')
      .innerJoin('contact_identities as i', 'i.contact_id', 'c.contact_id')
      .selectAll('c')
      .where('i.kind', '=', 'phone')
      .where('i.value', '=', phoneE164)
      .orderBy('c.opened_at', 'desc')
      .executeTakeFirst();
    return row;
  };
  const conversation = (id: string) => db().selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const eventsOf = (conversationId: string, type: string) =>
    db().selectFrom('interaction_events').selectAll().where('conversation_id', '=', conversationId).where('type', '=', type).execute();
  const seat = () => db().selectFrom('agent_seats').selectAll().where('user_id', '=', agent.id).executeTakeFirstOrThrow();
  const count = async (table: 'contacts' | 'conversations') => Number((await db().selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  async function setState(state: 'available' | 'not_ready'): Promise<void> {
    const res = await fetch(`${hub.url}/api/v1/agents/me/state`, {
      method: 'PUT',
      headers: { ...bearer(agent.token), 'content-type': 'application/json' },
      body: JSON.stringify(state === 'available' ? { state } : { state, reason: 'pausa' }),
    });
    expect(res.status).toBe(200);
  }

  /** The citizen writes and waits until an offer for their conversation reaches the agent. */
  async function citizenIsOffered(phone: string, phoneE164: string): Promise<string> {
    await citizenWrites(phone);
    await expect.poll(async () => (await openConversationOf(phoneE164))?.status, { timeout: 5000 }).toBe('offered');
    const id = (await openConversationOf(phoneE164))!.id;
    await expect.poll(() => agent.offers.some((o) => o.conversationId === id), { timeout: 3000 }).toBe(true);
    return id;
  }

  beforeAll(async () => {
    config = testConfig({ HUB_ROLE: 'all', PORT: '0', ROUTER_SWEEP_INTERVAL_MS: '200' });
    hub = await startHubProcess(config);
    const campaign = await createCampaign(db(), { prefix: 'AB' });
    // Offers must not time out (RONA) while a scenario runs.
    await setCampaignRouting(db(), campaign.id, { offerTimeoutSeconds: 120, afterContactWorkMaxSeconds: 0 });
    ({ channel: { id: channelId }, secret } = await createApiChannel(db(), campaign.id));
    const general = await createSkill(db(), campaign.id, 'general');
    await createQueue(db(), campaign.id, { name: 'General', skills: { [general]: 1 }, isDefault: true });
    const user = await createUser(db(), { roles: ['agent'], campaignIds: [campaign.id] });
    await setAgentSkills(db(), user.id, { [general]: 3 });
    const token = await tokenFor(db(), user.id);
    const socket = await connectStaff(hub.url!, token);
    const offers: ConversationOfferedPayload[] = [];
    socket.on('conversation.offered', (p) => {
      if (p.agentId === user.id) offers.push(p);
    });
    agent = { id: user.id, token, socket, offers };
  });

  afterAll(async () => {
    agent?.socket.disconnect();
    await hub?.stop();
    await dropNamespaces(config);
  });

  it('no agent available: the waiting conversation is abandoned with cause contact_left', async () => {
    await citizenWrites('55 1234 0001');
    await expect.poll(async () => (await openConversationOf('+525512340001'))?.status, { timeout: 5000 }).toBe('queued');
    const waiting = (await openConversationOf('+525512340001'))!;

    // Identified as in the messages, even written another way (E.164 here, national there).
    expect(await citizenLeaves({ id: 'end-1', phone: '+525512340001', reason: 'closed_widget' })).toBe('abandoned');

    const closed = await conversation(waiting.id);
    expect(closed.status).toBe('abandoned');
    expect(closed.closed_at).toBeInstanceOf(Date);
    expect(closed.assignee_id).toBeNull();
    const [abandoned, ...more] = await eventsOf(waiting.id, 'conversation.abandoned');
    expect(more).toHaveLength(0);
    expect(abandoned?.payload).toMatchObject({ cause: 'contact_left', statusBefore: 'queued' });
    expect((abandoned?.payload as { waitedMs: number }).waitedMs).toBeGreaterThanOrEqual(0);
    expect(abandoned).toMatchObject({ actor_type: 'contact', contact_id: waiting.contact_id });
  });

  it('a citizen the hub never met, or with nothing open, is ignored: no contact, no conversation', async () => {
    const [contacts, conversations] = [await count('contacts'), await count('conversations')];
    expect(await citizenLeaves({ id: 'end-stranger', phone: '55 9999 0000' })).toBe('ignored');
    expect(await citizenLeaves({ id: 'end-stranger-2', externalId: 'kiosk-session-9' })).toBe('ignored');
    // The citizen of the first scenario has nothing open any more.
    expect(await citizenLeaves({ id: 'end-1-again', phone: '55 1234 0001' })).toBe('ignored');
    expect([await count('contacts'), await count('conversations')]).toEqual([contacts, conversations]);
  });

  it('offered but not yet accepted: abandoned, the offer is cancelled and the seat freed', async () => {
    await setState('available');
    const id = await citizenIsOffered('55 1234 0002', '+525512340002');
    const offerId = (await conversation(id)).offer_id!;
    expect((await seat()).load_text).toBe(1);

    expect(await citizenLeaves({ id: 'end-2', phone: '55 1234 0002' })).toBe('abandoned');

    const closed = await conversation(id);
    expect(closed).toMatchObject({ status: 'abandoned', assignee_id: null, offer_id: null });
    expect(closed.closed_at).toBeInstanceOf(Date);
    const offer = await db().selectFrom('offers').selectAll().where('id', '=', offerId).executeTakeFirstOrThrow();
    expect(offer.status).toBe('cancelled');
    expect((await seat()).load_text).toBe(0);
    const [abandoned] = await eventsOf(id, 'conversation.abandoned');
    expect(abandoned?.payload).toMatchObject({ cause: 'contact_left', statusBefore: 'offered' });
    const [released] = await eventsOf(id, 'conversation.released');
    expect(released?.payload).toMatchObject({ agentId: agent.id, cause: 'abandoned' });
  });

  it('once the agent accepted, the end event does not abandon: the agent keeps the conversation', async () => {
    const id = await citizenIsOffered('55 1234 0003', '+525512340003');
    const offer = agent.offers.find((o) => o.conversationId === id)!;
    const accepted = await fetch(`${hub.url}/api/v1/offers/${offer.offerId}/accept`, { method: 'POST', headers: bearer(agent.token) });
    expect(accepted.status).toBe(200);
    expect((await conversation(id)).status).toBe('assigned');

    expect(await citizenLeaves({ id: 'end-3', phone: '55 1234 0003', reason: 'closed_widget' })).toBe('answered');

    const still = await conversation(id);
    expect(still).toMatchObject({ status: 'assigned', assignee_id: agent.id, closed_at: null });
    expect(await eventsOf(id, 'conversation.abandoned')).toHaveLength(0);
    expect(await eventsOf(id, 'conversation.released')).toHaveLength(0);
    expect((await seat()).load_text).toBe(1);
  });

  it('a bad signature is refused with 401 and a malformed end event with a 400 that names the field; nothing changes', async () => {
    const id = await citizenIsOffered('55 1234 0004', '+525512340004');
    const before = await conversation(id);
    const jobsBefore = await hub.ctx.queues.inbound.getJobCounts();

    const body = endBody({ id: 'end-4', phone: '55 1234 0004' });
    const forged = await webhook(body, signedHeaders('not-the-channel-secret', body));
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('HUB_ERR_WEBHOOK_SIGNATURE');
    const unsigned = await webhook(body, { 'content-type': 'application/json' });
    expect(unsigned.status).toBe(401);

    const noFrom = await webhook(JSON.stringify({ type: 'end', id: 'end-4b' }));
    expect(noFrom.status).toBe(400);
    const noFromError = ((await noFrom.json()) as { error: { code: string; message: string } }).error;
    expect(noFromError.code).toBe('HUB_ERR_VALIDATION');
    expect(noFromError.message).toMatch(/^Cuerpo inválido \/ malformed body/);
    expect(noFromError.message).toContain('from');

    const nameOnly = await webhook(JSON.stringify({ type: 'end', id: 'end-4c', from: { name: 'Ana' } }));
    expect(nameOnly.status).toBe(400);
    expect(((await nameOnly.json()) as { error: { message: string } }).error.message).toContain('from needs at least one of phone, email or externalId');

    expect(await hub.ctx.queues.inbound.getJobCounts()).toEqual(jobsBefore);
    const after = await conversation(id);
    expect(after).toMatchObject({ status: 'offered', closed_at: null, assignee_id: agent.id, offer_id: before.offer_id });
    expect(await eventsOf(id, 'conversation.abandoned')).toHaveLength(0);
    expect((await seat()).load_text).toBe(2);
  });

  it('the same end event delivered again counts once, even after the citizen came back', async () => {
    await setState('not_ready');
    await citizenWrites('55 1234 0005');
    await expect.poll(async () => (await openConversationOf('+525512340005'))?.status, { timeout: 5000 }).toBe('queued');
    const first = (await openConversationOf('+525512340005'))!;
    const retried = Promise.all([citizenLeaves({ id: 'end-5', phone: '55 1234 0005' }), webhook(endBody({ id: 'end-5', phone: '55 1234 0005' }))]);
    const [outcome, duplicate] = await retried;
    expect(outcome).toBe('abandoned');
    expect(duplicate.status).toBe(200);
    expect((await conversation(first.id)).status).toBe('abandoned');

    // The citizen writes again: a new conversation. A late retry of the old end must not end it.
    await citizenWrites('55 1234 0005', 'Perdón, se cerró la ventana');
    await expect.poll(async () => (await openConversationOf('+525512340005'))?.id, { timeout: 5000 }).not.toBe(first.id);
    const second = (await openConversationOf('+525512340005'))!;
    await expect.poll(async () => (await conversation(second.id)).status, { timeout: 5000 }).toBe('queued');
    const late = await webhook(endBody({ id: 'end-5', phone: '55 1234 0005' }));
    expect(late.status).toBe(200);
    await new Promise((r) => setTimeout(r, 600));
    expect((await conversation(second.id)).status).toBe('queued');
    const contactEvents = await db()
      .selectFrom('interaction_events')
      .select('conversation_id')
      .where('contact_id', '=', first.contact_id)
      .where('type', '=', 'conversation.abandoned')
      .execute();
    expect(contactEvents).toEqual([{ conversation_id: first.id }]);
  });
});
