import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../support/factories.js';
import { tokenFor } from '../support/auth.js';
import { createQueue, setCampaignRouting } from '../support/router-factories.js';
import { conversationOf, createTestAgent, createTestCampaign, eventsOf, seatOf, startRouterHarness, type RouterHarness, type TestAgent } from '../router/router-harness.js';

/** Issue 4: tipification (1–5 codes) and a summary when the agent resolves, through the live router. */
describe('wrap-up on resolve', () => {
  let h: RouterHarness;
  let supervisor: string;
  let tipified: Awaited<ReturnType<typeof createTestCampaign>>;
  let agent: TestAgent;
  const codes: Record<string, string> = {};

  /** The citizen writes, the agent accepts: the conversation the agent must now close. */
  async function assignedConversation(c: typeof tipified, a: TestAgent, phone: string): Promise<string> {
    const before = a.offers.length;
    await c.citizenWrites(phone);
    await expect.poll(() => a.offers.length, { timeout: 5000 }).toBe(before + 1);
    const offer = a.offers[before]!;
    expect((await h.api('POST', `/offers/${offer.offerId}/accept`, a.token)).status).toBe(200);
    return offer.conversationId;
  }

  const resolve = (conversationId: string, token: string, body: unknown) => h.api('POST', `/conversations/${conversationId}/resolve`, token, body);
  const status = async (conversationId: string) => (await h.db.selectFrom('conversations').select('status').where('id', '=', conversationId).executeTakeFirstOrThrow()).status;

  beforeAll(async () => {
    h = await startRouterHarness();
    tipified = await createTestCampaign(h, 'WU');
    await setCampaignRouting(h.db, tipified.id, { afterContactWorkMaxSeconds: 0 });
    await createQueue(h.db, tipified.id, { isDefault: true });
    supervisor = await tokenFor(h.db, (await createUser(h.db, { roles: ['supervisor'], campaignIds: [tipified.id] })).id);
    const add = async (code: string, label: string, parent?: string) => {
      const res = await h.api('POST', `/campaigns/${tipified.id}/disposition-codes`, supervisor, { code, label, ...(parent ? { parentId: codes[parent] } : {}) });
      expect(res.status).toBe(201);
      codes[code] = res.body['id'] as string;
    };
    await add('AF', 'Afiliación');
    await add('AF.VIG', 'Vigencia de derechos', 'AF');
    await add('AF.ALTA', 'Alta', 'AF');
    await add('CI', 'Citas');
    await add('CI.AGE', 'Agendada', 'CI');
    await add('CI.CAN', 'Cancelada', 'CI');
    await add('OT', 'Otros');
    await add('OT.QUE', 'Queja', 'OT');
    agent = await createTestAgent(h, [tipified.id], {});
    expect((await h.api('PUT', '/agents/me/state', agent.token, { state: 'available' })).status).toBe(200);
  });
  afterAll(async () => {
    agent?.socket.disconnect();
    await h.cleanup();
  });

  it('refuses to close without 1 to 5 codes when the campaign has codes, and the conversation stays open', async () => {
    const conversationId = await assignedConversation(tipified, agent, '55 4100 0001');
    for (const body of [{}, { dispositionCodeIds: [] }, { reason: 'resuelto', summary: 'Sin códigos' }]) {
      const res = await resolve(conversationId, agent.token, body);
      expect(res.status).toBe(400);
      expect(res.body['error']).toMatchObject({ code: 'HUB_ERR_DISPOSITION_REQUIRED', message: expect.stringContaining('Seleccione de 1 a 5 tipificaciones') });
    }
    const six = ['AF', 'AF.VIG', 'AF.ALTA', 'CI', 'CI.AGE', 'CI.CAN'].map((c) => codes[c]);
    const tooMany = await resolve(conversationId, agent.token, { dispositionCodeIds: six });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body['error']).toMatchObject({ code: 'HUB_ERR_DISPOSITION_REQUIRED', message: expect.stringContaining('recibidas: 6') });
    expect(await status(conversationId)).toBe('assigned');
    expect((await seatOf(h, agent.id)).load_text).toBe(1);
    expect(await h.db.selectFrom('conversation_dispositions').select('code_id').where('conversation_id', '=', conversationId).execute()).toEqual([]);
    // The same conversation closes once the agent tipifies it.
    expect((await resolve(conversationId, agent.token, { dispositionCodeIds: [codes['OT.QUE']] })).status).toBe(200);
  });

  it('names unknown, foreign, inactive and repeated codes (400) and closes nothing', async () => {
    const other = await createTestCampaign(h, 'WX');
    const outsider = await tokenFor(h.db, (await createUser(h.db, { roles: ['supervisor'], campaignIds: [other.id] })).id);
    const foreign = (await h.api('POST', `/campaigns/${other.id}/disposition-codes`, outsider, { code: 'ZZ', label: 'Ajena' })).body['id'] as string;
    const conversationId = await assignedConversation(tipified, agent, '55 4100 0002');
    const unknown = randomUUID();

    const res = await resolve(conversationId, agent.token, { dispositionCodeIds: [codes['AF.VIG'], unknown, foreign] });
    expect(res.status).toBe(400);
    const error = res.body['error'] as { code: string; message: string; details: { invalid: unknown[] } };
    expect(error.code).toBe('HUB_ERR_DISPOSITION_INVALID');
    expect(error.message).toContain(`tipificación desconocida: ${unknown}`);
    expect(error.message).toContain(`la tipificación ${foreign} es de otra campaña`);
    expect(error.details.invalid).toEqual([
      { id: unknown, reason: 'unknown' },
      { id: foreign, reason: 'other_campaign' },
    ]);

    const repeated = await resolve(conversationId, agent.token, { dispositionCodeIds: [codes['AF.VIG'], codes['AF.VIG']] });
    expect(repeated.body['error']).toMatchObject({ code: 'HUB_ERR_DISPOSITION_INVALID', message: expect.stringContaining('tipificación repetida: AF.VIG') });

    // Deactivating a branch retires its children as well.
    expect((await h.api('PUT', `/disposition-codes/${codes['CI']}`, supervisor, { active: false })).status).toBe(200);
    const inactive = await resolve(conversationId, agent.token, { dispositionCodeIds: [codes['CI.AGE']] });
    expect(inactive.body['error']).toMatchObject({ code: 'HUB_ERR_DISPOSITION_INVALID', message: expect.stringContaining('la tipificación CI.AGE está inactiva') });
    expect((await h.api('PUT', `/disposition-codes/${codes['CI']}`, supervisor, { active: true })).status).toBe(200);

    const notUuid = await resolve(conversationId, agent.token, { dispositionCodeIds: ['AF.VIG'] });
    expect(notUuid.status).toBe(400);
    expect(await status(conversationId)).toBe('assigned');
    expect((await resolve(conversationId, agent.token, { dispositionCodeIds: [codes['OT.QUE']] })).status).toBe(200);
  });

  it('stores the codes in order with the summary, appends conversation.tipified, and GET dispositions returns them', async () => {
    const conversationId = await assignedConversation(tipified, agent, '55 4100 0003');
    const chosen = [codes['CI.AGE']!, codes['AF.VIG']!];
    const res = await resolve(conversationId, agent.token, { reason: 'resuelto', dispositionCodeIds: chosen, summary: '  Cita agendada para el lunes; vigencia confirmada.  ' });
    expect(res.status).toBe(200);
    expect(await status(conversationId)).toBe('resolved');
    expect((await seatOf(h, agent.id)).load_text).toBe(0);

    const events = await eventsOf(h, conversationId);
    const types = events.map((e) => e.type);
    expect(types.indexOf('conversation.tipified')).toBeGreaterThan(-1);
    expect(types.indexOf('conversation.tipified')).toBeLessThan(types.indexOf('conversation.resolved'));
    const event = events.find((e) => e.type === 'conversation.tipified')!;
    expect(event.payload).toEqual({ codeIds: chosen, codes: ['CI.AGE', 'AF.VIG'], summary: 'Cita agendada para el lunes; vigencia confirmada.', agentId: agent.id });
    expect(event).toMatchObject({ actor_type: 'agent', actor_id: agent.id, campaign_id: tipified.id });

    const read = await h.api('GET', `/conversations/${conversationId}/dispositions`, supervisor);
    expect(read.status).toBe(200);
    expect(read.body).toEqual({
      items: [
        { codeId: chosen[0], code: 'CI.AGE', label: 'Agendada', position: 1, agentId: agent.id, createdAt: expect.any(String) },
        { codeId: chosen[1], code: 'AF.VIG', label: 'Vigencia de derechos', position: 2, agentId: agent.id, createdAt: expect.any(String) },
      ],
      summary: 'Cita agendada para el lunes; vigencia confirmada.',
    });
    // A closed conversation is not tipified twice.
    expect((await resolve(conversationId, agent.token, { dispositionCodeIds: [codes['OT.QUE']] })).status).toBe(409);
  });

  it('a campaign without codes still closes without them, with or without a summary', async () => {
    const plain = await createTestCampaign(h, 'WN');
    await setCampaignRouting(h.db, plain.id, { afterContactWorkMaxSeconds: 0 });
    await createQueue(h.db, plain.id, { isDefault: true });
    const a = await createTestAgent(h, [plain.id], {});
    await h.api('PUT', '/agents/me/state', a.token, { state: 'available' });
    try {
      const first = await assignedConversation(plain, a, '55 4100 0004');
      expect((await resolve(first, a.token, {})).status).toBe(200);
      expect((await eventsOf(h, first)).map((e) => e.type)).not.toContain('conversation.tipified');
      expect((await h.api('GET', `/conversations/${first}/dispositions`, a.token)).body).toEqual({ items: [], summary: null });

      const second = await assignedConversation(plain, a, '55 4100 0005');
      expect((await resolve(second, a.token, { summary: 'Solo información general' })).status).toBe(200);
      const event = (await eventsOf(h, second)).find((e) => e.type === 'conversation.tipified');
      expect(event?.payload).toEqual({ codeIds: [], codes: [], summary: 'Solo información general', agentId: a.id });
      expect((await h.api('GET', `/conversations/${second}/dispositions`, a.token)).body).toEqual({ items: [], summary: 'Solo información general' });

      // Codes of another campaign are still refused there.
      const third = await assignedConversation(plain, a, '55 4100 0006');
      const res = await resolve(third, a.token, { dispositionCodeIds: [codes['AF.VIG']] });
      expect(res.body['error']).toMatchObject({ code: 'HUB_ERR_DISPOSITION_INVALID' });
      expect((await resolve(third, a.token, { summary: 'x'.repeat(2001) })).status).toBe(400);
      expect((await resolve(third, a.token, {})).status).toBe(200);
    } finally {
      a.socket.disconnect();
    }
  });

  it('dispositions are readable by staff of the campaign only', async () => {
    const c = (await conversationOf(h, '41000003'))!;
    const outsider = await tokenFor(h.db, (await createUser(h.db, { roles: ['agent'], campaignIds: [] })).id);
    expect((await h.api('GET', `/conversations/${c.id}/dispositions`, outsider)).status).toBe(403);
    expect((await h.api('GET', `/conversations/${randomUUID()}/dispositions`, supervisor)).status).toBe(404);
  });
});
