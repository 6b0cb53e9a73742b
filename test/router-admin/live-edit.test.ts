import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { bearer, tokenFor } from '../support/auth.js';
import { messageBody, signedHeaders } from '../support/webhook.js';

/**
 * Supervisor controls (issue 3): skills and capacity edited while agents work, and the router
 * reacting at once. The periodic sweep is set to a minute, so an offer that follows an edit within
 * a second comes from the edit's own kick.
 */
describe('live edit of an agent’s skills and capacity', () => {
  let hub: HubProcess;
  let config: ReturnType<typeof testConfig>;
  let admin: string;

  const db = () => hub.ctx.db.kysely;
  const api = async (method: 'GET' | 'POST' | 'PUT', url: string, token: string, payload?: unknown) =>
    hub.app!.inject({ method, url: `/api/v1${url}`, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as object }) });

  const allDay = [{ open: '00:00', close: '24:00' }];
  const openAllWeek = {
    schedule: { timeZone: 'America/Mexico_City', days: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay }, holidays: allDay },
    holidays: { base: 'none', extra: [], removed: [] },
    // Offers stay open for the whole test: no RONA in the middle of it.
    offerTimeoutSeconds: 120,
    afterContactWorkMaxSeconds: 0,
  };

  /** A campaign with its API channel, a default queue, a supervisor and an available agent, all through the API. */
  async function setUp(requiredSkills: (skillId: string) => { skillId: string; minLevel: number }[]) {
    const campaignId = (await createCampaign(db())).id;
    const { channel, secret } = await createApiChannel(db(), campaignId);
    expect((await api('PUT', `/campaigns/${campaignId}/routing`, admin, openAllWeek)).statusCode).toBe(200);
    const skill = await api('POST', `/campaigns/${campaignId}/skills`, admin, { name: 'pensiones' });
    const skillId: string = skill.json().id;
    const queue = await api('POST', `/campaigns/${campaignId}/queues`, admin, {
      name: 'Pensiones',
      priority: 30,
      requiredSkills: requiredSkills(skillId),
      strategy: 'longest_idle',
      channelClasses: ['text'],
      afterHours: { mode: 'keep_queued', message: { es: 'Fuera de horario.' } },
      isDefault: true,
    });
    expect(queue.statusCode).toBe(201);
    const supervisor = await tokenFor(db(), (await createUser(db(), { roles: ['supervisor'], campaignIds: [campaignId] })).id);
    const agent = await createUser(db(), { roles: ['agent'], campaignIds: [campaignId] });
    const agentToken = await tokenFor(db(), agent.id);
    let n = 0;
    return {
      campaignId,
      skillId,
      queueId: queue.json().id as string,
      supervisor,
      agentId: agent.id,
      available: async () => expect((await api('PUT', '/agents/me/state', agentToken, { state: 'available' })).statusCode).toBe(200),
      /** A citizen writes through the API channel; resolves once the router has put it in line. */
      citizenWrites: async (): Promise<string> => {
        n += 1;
        const body = messageBody({ id: `ext-${randomUUID()}`, phone: `55 2000 ${String(1000 + n)}`, text: 'Hola, necesito ayuda con mi pensión' });
        const res = await hub.app!.inject({ method: 'POST', url: `/webhooks/api/${channel.id}`, headers: signedHeaders(secret, body), payload: body });
        expect(res.statusCode).toBe(200);
        let id = '';
        await expect
          .poll(
            async () => {
              const rows = await db().selectFrom('conversations').select(['id', 'queue_id']).where('campaign_id', '=', campaignId).orderBy('opened_at', 'desc').execute();
              id = rows.length === n && rows[0]?.queue_id ? rows[0].id : '';
              return id !== '';
            },
            { timeout: 5000, interval: 50 },
          )
          .toBe(true);
        return id;
      },
    };
  }

  const conversation = (id: string) => db().selectFrom('conversations').select(['status', 'assignee_id', 'queue_id']).where('id', '=', id).executeTakeFirstOrThrow();
  const seat = (id: string) => db().selectFrom('agent_seats').select(['load_text', 'cap_text']).where('user_id', '=', id).executeTakeFirstOrThrow();
  const settle = () => new Promise((resolve) => setTimeout(resolve, 600));

  beforeAll(async () => {
    config = testConfig({ HUB_ROLE: 'all', PORT: '0', ROUTER_SWEEP_INTERVAL_MS: '60000' });
    hub = await startHubProcess(config);
    admin = await tokenFor(db(), (await createUser(db(), { roles: ['admin'] })).id);
  });

  afterAll(async () => {
    await hub?.stop();
    await dropNamespaces(config);
  });

  it('an agent at level 1 gets nothing from a level-3 queue; raised to 3, the waiting conversation is offered at once', async () => {
    const c = await setUp((skillId) => [{ skillId, minLevel: 3 }]);
    expect((await api('PUT', `/agents/${c.agentId}/skills`, c.supervisor, { campaignId: c.campaignId, skills: [{ skillId: c.skillId, level: 1 }] })).statusCode).toBe(200);
    await c.available();

    const id = await c.citizenWrites();
    await settle();
    expect(await conversation(id)).toEqual({ status: 'queued', assignee_id: null, queue_id: c.queueId });
    const waiting = (await api('GET', `/campaigns/${c.campaignId}/queues`, c.supervisor)).json().items[0];
    expect(waiting.live).toEqual({ waiting: 1, offered: 0, assigned: 0 });

    const raised = await api('PUT', `/agents/${c.agentId}/skills`, c.supervisor, { campaignId: c.campaignId, skills: [{ skillId: c.skillId, level: 3 }] });
    expect(raised.statusCode).toBe(200);
    await expect.poll(async () => conversation(id), { timeout: 1000, interval: 25 }).toEqual({ status: 'offered', assignee_id: c.agentId, queue_id: c.queueId });

    const agents = (await api('GET', `/campaigns/${c.campaignId}/agents`, c.supervisor)).json().items;
    expect(agents).toEqual([
      expect.objectContaining({ agentId: c.agentId, state: 'available', load: { text: 1, voice: 0, email: 0 }, skills: [{ skillId: c.skillId, name: 'pensiones', level: 3 }] }),
    ]);
    expect((await api('GET', `/campaigns/${c.campaignId}/queues`, c.supervisor)).json().items[0].live).toEqual({ waiting: 0, offered: 1, assigned: 0 });
  });

  it('lowering capacity to 1 while 2 are held stops further offers; clearing it offers the waiting one at once', async () => {
    const c = await setUp(() => []);
    await c.available();
    const first = await c.citizenWrites();
    const second = await c.citizenWrites();
    await expect.poll(async () => [(await conversation(first)).status, (await conversation(second)).status], { timeout: 2000 }).toEqual(['offered', 'offered']);
    expect(await seat(c.agentId)).toEqual({ load_text: 2, cap_text: 4 });

    const lowered = await api('PUT', `/agents/${c.agentId}/capacity`, c.supervisor, { text: 1 });
    expect(lowered.statusCode).toBe(200);
    expect(lowered.json()).toMatchObject({ capacity: { text: 1 }, load: { text: 2 } });
    expect(lowered.json().warnings).toEqual([expect.objectContaining({ path: 'text', severity: 'warning', message: expect.stringContaining('holds 2 text sessions') })]);

    const third = await c.citizenWrites();
    await settle();
    expect(await conversation(third)).toMatchObject({ status: 'queued', assignee_id: null });
    expect(await seat(c.agentId)).toEqual({ load_text: 2, cap_text: 1 });

    const restored = await api('PUT', `/agents/${c.agentId}/capacity`, c.supervisor, { text: null });
    expect(restored.json()).toMatchObject({ capacity: { text: 4 }, capacityOverride: {} });
    await expect.poll(async () => (await conversation(third)).status, { timeout: 1000, interval: 25 }).toBe('offered');
    expect(await seat(c.agentId)).toEqual({ load_text: 3, cap_text: 4 });
  });
});
