import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { createCampaign, createUser } from '../support/factories.js';
import { bearer, tokenFor } from '../support/auth.js';
import { createQueue, createSkill } from '../support/router-factories.js';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A queue body as an administrator would submit it; overrides replace whole fields. */
function queueBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: `Fila ${randomUUID().slice(0, 6)}`,
    priority: 50,
    requiredSkills: [],
    strategy: 'longest_idle',
    channelClasses: ['text'],
    overflow: [],
    afterHours: { mode: 'keep_queued', message: { es: 'Fuera de horario; conservamos su lugar.' } },
    ...overrides,
  };
}

describe('routing administration API', () => {
  let hub: TestHub;
  let campaignId: string;
  let otherCampaignId: string;
  let admin: string;
  let supervisor: string;
  let outsider: string;
  let agentToken: string;
  let agentId: string;
  let skillId: string;

  const db = () => hub.ctx.db.kysely;
  const api = (method: Method, url: string, token: string, payload?: unknown) =>
    hub.app.inject({ method, url: `/api/v1${url}`, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as object }) });

  beforeAll(async () => {
    hub = await createTestHub();
    campaignId = (await createCampaign(db(), { name: 'Derechohabientes' })).id;
    otherCampaignId = (await createCampaign(db(), { name: 'Contribuyentes' })).id;
    admin = await tokenFor(db(), (await createUser(db(), { roles: ['admin'] })).id);
    supervisor = await tokenFor(db(), (await createUser(db(), { roles: ['supervisor'], campaignIds: [campaignId] })).id);
    outsider = await tokenFor(db(), (await createUser(db(), { roles: ['supervisor'], campaignIds: [otherCampaignId] })).id);
    const agent = await createUser(db(), { roles: ['agent'], campaignIds: [campaignId], name: 'Ana Agente' });
    agentId = agent.id;
    agentToken = await tokenFor(db(), agent.id);
    skillId = await createSkill(db(), campaignId, 'pensiones');
  });
  afterAll(async () => {
    await hub.cleanup();
  });

  describe('skills', () => {
    it('admins create skills with a valid, unique name; staff of the campaign list them', async () => {
      const created = await api('POST', `/campaigns/${campaignId}/skills`, admin, { name: 'citas_medicas' });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ campaignId, name: 'citas_medicas' });

      const dup = await api('POST', `/campaigns/${campaignId}/skills`, admin, { name: 'citas_medicas' });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().error).toMatchObject({ code: 'HUB_ERR_CONFLICT', message: expect.stringContaining('citas_medicas') });

      const bad = await api('POST', `/campaigns/${campaignId}/skills`, admin, { name: 'Citas Médicas' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toContain('name: el nombre debe tener de 2 a 60 minúsculas');
      expect(bad.json().error.message).toContain('name must be 2–60 lower-case letters');

      expect((await api('POST', `/campaigns/${campaignId}/skills`, supervisor, { name: 'vigencia' })).json().error.code).toBe('HUB_ERR_FORBIDDEN_ROLE');

      const list = await api('GET', `/campaigns/${campaignId}/skills`, agentToken);
      expect(list.statusCode).toBe(200);
      expect(list.json().items.map((s: { name: string }) => s.name)).toEqual(['citas_medicas', 'pensiones']);
      expect((await api('GET', `/campaigns/${campaignId}/skills`, outsider)).json().error.code).toBe('HUB_ERR_FORBIDDEN_CAMPAIGN');
    });
  });

  describe('queues', () => {
    it('creates, updates and deletes a queue, one default per campaign, audited, with live figures', async () => {
      const general = await api('POST', `/campaigns/${campaignId}/queues`, supervisor, queueBody({ name: 'General', isDefault: true, maxWaitSeconds: 1800 }));
      expect(general.statusCode).toBe(201);
      expect(general.json()).toMatchObject({ name: 'General', isDefault: true, tier: 1, maxWaitSeconds: 1800, warnings: [], live: { waiting: 0, offered: 0, assigned: 0 } });
      const generalId: string = general.json().id;

      const citas = await api(
        'POST',
        `/campaigns/${campaignId}/queues`,
        admin,
        queueBody({ name: 'Citas médicas', priority: 40, requiredSkills: [{ skillId, minLevel: 2 }], channelClasses: ['text', 'voice'], isDefault: true, tier: 2 }),
      );
      expect(citas.statusCode).toBe(201);
      const citasId: string = citas.json().id;
      expect(citas.json()).toMatchObject({ isDefault: true, tier: 2, requiredSkills: [{ skillId, minLevel: 2 }], channelClasses: ['text', 'voice'] });

      const updated = await api(
        'PUT',
        `/queues/${citasId}`,
        supervisor,
        queueBody({
          name: 'Citas médicas',
          priority: 30,
          strategy: 'least_busy',
          requiredSkills: [{ skillId, minLevel: 3 }],
          overflow: [{ trigger: { afterSeconds: 120 }, action: { moveToQueueId: generalId } }],
        }),
      );
      expect(updated.statusCode).toBe(200);
      expect(updated.json()).toMatchObject({
        priority: 30,
        strategy: 'least_busy',
        requiredSkills: [{ skillId, minLevel: 3 }],
        overflow: [{ trigger: { afterSeconds: 120 }, action: { moveToQueueId: generalId } }],
        // A full replace: tier and isDefault go back to their defaults when not given.
        tier: 1,
        isDefault: false,
      });

      // A waiting conversation shows in the live figures.
      await db().insertInto('conversations').values(await waitingConversation(generalId)).execute();
      const list = await api('GET', `/campaigns/${campaignId}/queues`, agentToken);
      expect(list.statusCode).toBe(200);
      const byName = new Map(list.json().items.map((q: { name: string }) => [q.name, q]));
      expect(byName.get('General')).toMatchObject({ id: generalId, isDefault: false, live: { waiting: 1, offered: 0, assigned: 0 } });
      expect(byName.get('Citas médicas')).toMatchObject({ id: citasId, afterHours: { mode: 'keep_queued' } });

      const taken = await api('POST', `/campaigns/${campaignId}/queues`, admin, queueBody({ name: 'General' }));
      expect(taken.statusCode).toBe(409);
      expect(taken.json().error.message).toContain('General');

      const fed = await api('DELETE', `/queues/${generalId}`, admin);
      expect(fed.statusCode).toBe(409);
      expect(fed.json().error.message).toContain('en espera');

      await db().updateTable('conversations').set({ status: 'abandoned', closed_at: new Date() }).where('queue_id', '=', generalId).execute();
      const stillFed = await api('DELETE', `/queues/${generalId}`, admin);
      expect(stillFed.statusCode).toBe(409);
      expect(stillFed.json().error.message).toContain('El desborde de «Citas médicas» mueve conversaciones a esta fila');

      expect((await api('DELETE', `/queues/${citasId}`, supervisor)).statusCode).toBe(204);
      expect((await api('GET', `/campaigns/${campaignId}/queues`, admin)).json().items.map((q: { id: string }) => q.id)).not.toContain(citasId);
      // General served a conversation: its history keeps it.
      const kept = await api('DELETE', `/queues/${generalId}`, admin);
      expect(kept.statusCode).toBe(409);
      expect(kept.json().error.message).toContain('historial');

      const audit = await db().selectFrom('audit_log').select(['target_id', 'action', 'campaign_id']).where('target_type', '=', 'queue').orderBy('id').execute();
      expect(audit.map((a) => [a.target_id, a.action])).toEqual([
        [generalId, 'routing.queue_created'],
        [citasId, 'routing.queue_created'],
        [citasId, 'routing.queue_updated'],
        [citasId, 'routing.queue_deleted'],
      ]);
      expect(audit.every((a) => a.campaign_id === campaignId)).toBe(true);
    });

    it('rejects an unknown skill, naming the field and the id', async () => {
      const ghost = randomUUID();
      const res = await api('POST', `/campaigns/${campaignId}/queues`, admin, queueBody({ requiredSkills: [{ skillId: ghost, minLevel: 2 }] }));
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('HUB_ERR_ROUTING_INVALID');
      expect(res.json().error.message).toBe(`requiredSkills.0.skillId: habilidad desconocida en la campaña: ${ghost} / unknown skill in this campaign: ${ghost}`);
    });

    it('rejects the edit that closes an overflow cycle (A → B, then B → A)', async () => {
      const a = (await api('POST', `/campaigns/${campaignId}/queues`, admin, queueBody({ name: 'Ciclo A' }))).json().id as string;
      const b = (await api('POST', `/campaigns/${campaignId}/queues`, admin, queueBody({ name: 'Ciclo B' }))).json().id as string;
      const toB = await api('PUT', `/queues/${a}`, admin, queueBody({ name: 'Ciclo A', overflow: [{ trigger: { afterSeconds: 60 }, action: { moveToQueueId: b } }] }));
      expect(toB.statusCode).toBe(200);
      const toA = await api('PUT', `/queues/${b}`, admin, queueBody({ name: 'Ciclo B', overflow: [{ trigger: { afterSeconds: 60 }, action: { moveToQueueId: a } }] }));
      expect(toA.statusCode).toBe(400);
      expect(toA.json().error.code).toBe('HUB_ERR_ROUTING_INVALID');
      expect(toA.json().error.message).toMatch(/^overflow\.0\.action\.moveToQueueId: ciclo de desborde: Ciclo (A|B) → Ciclo (A|B) → Ciclo (A|B) \/ overflow cycle: /);
      // Nothing was written.
      const stored = (await api('GET', `/campaigns/${campaignId}/queues`, admin)).json().items.find((q: { id: string }) => q.id === b);
      expect(stored.overflow).toEqual([]);
    });

    it('rejects a bad strategy and a move into another campaign’s queue, saying what', async () => {
      const strategy = await api('POST', `/campaigns/${campaignId}/queues`, admin, queueBody({ strategy: 'fastest' }));
      expect(strategy.statusCode).toBe(400);
      expect(strategy.json().error.message).toBe(
        'strategy: estrategia desconocida, use longest_idle, least_busy, round_robin / unknown strategy, use longest_idle, least_busy, round_robin',
      );

      const foreign = await createQueue(db(), otherCampaignId, { name: 'Ajena' });
      const move = await api('POST', `/campaigns/${campaignId}/queues`, admin, queueBody({ overflow: [{ trigger: { afterSeconds: 30 }, action: { moveToQueueId: foreign } }] }));
      expect(move.statusCode).toBe(400);
      expect(move.json().error.message).toContain(`target queue ${foreign} belongs to another campaign; use a transfer`);

      const several = await api('POST', `/campaigns/${campaignId}/queues`, admin, { ...queueBody({ priority: 0 }), tier: 3, afterHours: undefined });
      expect(several.statusCode).toBe(400);
      const message: string = several.json().error.message;
      expect(message).toContain('priority: la prioridad debe estar entre 1 (más urgente) y 99');
      expect(message).toContain('afterHours: indique el comportamiento fuera de horario / afterHours is required');
      expect(message).toContain('tier: el nivel de atención (tier) debe ser 1 o 2 / tier must be 1 or 2');
    });

    it('accepts a configuration with warnings and returns them', async () => {
      const res = await api('POST', `/campaigns/${campaignId}/queues`, admin, queueBody({ maxWaitSeconds: 60, overflow: [{ trigger: { afterSeconds: 90 }, action: { relaxLevels: 1 } }], requiredSkills: [{ skillId, minLevel: 3 }] }));
      expect(res.statusCode).toBe(201);
      expect(res.json().warnings).toEqual([
        expect.objectContaining({ path: 'overflow.0.trigger.afterSeconds', severity: 'warning', message: expect.stringContaining("never applies: the queue's maximum wait is 60 s") }),
      ]);
    });

    it('forbids a supervisor of another campaign and an agent', async () => {
      const queueId = await createQueue(db(), campaignId, { name: 'Protegida' });
      for (const [token, code] of [
        [outsider, 'HUB_ERR_FORBIDDEN_CAMPAIGN'],
        [agentToken, 'HUB_ERR_FORBIDDEN_ROLE'],
      ] as const) {
        const create = await api('POST', `/campaigns/${campaignId}/queues`, token, queueBody());
        expect([create.statusCode, create.json().error.code]).toEqual([403, code]);
        const replace = await api('PUT', `/queues/${queueId}`, token, queueBody({ name: 'Tomada' }));
        expect([replace.statusCode, replace.json().error.code]).toEqual([403, code]);
        const remove = await api('DELETE', `/queues/${queueId}`, token);
        expect([remove.statusCode, remove.json().error.code]).toEqual([403, code]);
      }
      expect((await api('GET', `/campaigns/${campaignId}/queues`, outsider)).statusCode).toBe(403);
      expect((await db().selectFrom('queues').select('name').where('id', '=', queueId).executeTakeFirstOrThrow()).name).toBe('Protegida');
    });
  });

  describe('campaign routing settings', () => {
    const schedule = {
      timeZone: 'America/Mexico_City',
      days: { mon: [{ open: '08:00', close: '20:00' }], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
      holidays: 'closed',
    };
    const holidays = { base: 'lft74', extra: [], removed: [] };

    it('reads the defaults, replaces them (admin only) and recomputes the agents’ seats', async () => {
      const before = await api('GET', `/campaigns/${campaignId}/routing`, supervisor);
      expect(before.statusCode).toBe(200);
      expect(before.json().routing).toMatchObject({ capacity: { text: 4, voice: 1, email: 10 }, offerTimeoutSeconds: 20, autoAccept: false });

      expect((await api('PUT', `/campaigns/${campaignId}/routing`, supervisor, { schedule, holidays })).json().error.code).toBe('HUB_ERR_FORBIDDEN_ROLE');
      const bad = await api('PUT', `/campaigns/${campaignId}/routing`, admin, { schedule, holidays, offerTimeoutSeconds: 2, capacity: { text: 11 } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toContain('capacity.text: la capacidad de texto debe ser un entero entre 1 y 10 / text capacity must be an integer 1–10');
      expect(bad.json().error.message).toContain('offerTimeoutSeconds: el tiempo para aceptar debe estar entre 5 y 120 s / offer timeout must be 5–120 s');

      const put = await api('PUT', `/campaigns/${campaignId}/routing`, admin, { schedule, holidays, capacity: { text: 2 }, autoAccept: true });
      expect(put.statusCode).toBe(200);
      expect(put.json().routing).toMatchObject({ capacity: { text: 2, voice: 1, email: 10 }, autoAccept: true, schedule: { timeZone: 'America/Mexico_City' } });
      expect((await api('GET', `/campaigns/${campaignId}/routing`, admin)).json().routing.capacity.text).toBe(2);
      const seat = await db().selectFrom('agent_seats').select(['cap_text', 'cap_email']).where('user_id', '=', agentId).executeTakeFirstOrThrow();
      expect(seat).toEqual({ cap_text: 2, cap_email: 10 });

      // Back to the product defaults for the tests that follow.
      expect((await api('PUT', `/campaigns/${campaignId}/routing`, admin, { schedule, holidays })).statusCode).toBe(200);
      const audited = await db().selectFrom('audit_log').select('action').where('target_type', '=', 'campaign').where('target_id', '=', campaignId).execute();
      expect(audited.map((a) => a.action)).toEqual(['routing.settings_updated', 'routing.settings_updated']);
    });
  });

  describe('agent skills and capacity', () => {
    it('replaces an agent’s skills of one campaign, leaving their skills of other campaigns alone', async () => {
      const otherSkill = await createSkill(db(), otherCampaignId, 'padron');
      const both = await createUser(db(), { roles: ['agent'], campaignIds: [campaignId, otherCampaignId] });
      await db().insertInto('agent_skills').values({ user_id: both.id, skill_id: otherSkill, level: 4 }).execute();

      const res = await api('PUT', `/agents/${both.id}/skills`, supervisor, { campaignId, skills: [{ skillId, level: 3 }] });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ agentId: both.id, campaignId, skills: [{ skillId, name: 'pensiones', level: 3 }] });
      const again = await api('PUT', `/agents/${both.id}/skills`, supervisor, { campaignId, skills: [{ skillId, level: 5 }] });
      expect(again.json().skills).toEqual([{ skillId, name: 'pensiones', level: 5 }]);
      const stored = await db().selectFrom('agent_skills').select(['skill_id', 'level']).where('user_id', '=', both.id).orderBy('level').execute();
      expect(stored).toEqual([
        { skill_id: otherSkill, level: 4 },
        { skill_id: skillId, level: 5 },
      ]);

      const agents = await api('GET', `/campaigns/${campaignId}/agents`, supervisor);
      expect(agents.statusCode).toBe(200);
      const row = agents.json().items.find((a: { agentId: string }) => a.agentId === both.id);
      expect(row).toMatchObject({ state: 'offline', load: { text: 0, voice: 0, email: 0 }, capacity: { text: 4, voice: 1, email: 10 }, skills: [{ skillId, name: 'pensiones', level: 5 }] });

      const audit = await db().selectFrom('audit_log').select(['action', 'details']).where('target_id', '=', both.id).orderBy('id').execute();
      expect(audit.at(-1)?.action).toBe('routing.agent_skills_set');
      expect(audit.at(-1)?.details).toMatchObject({ before: [{ level: 3 }], after: [{ level: 5 }] });
    });

    it('rejects a skill of another campaign, an unknown skill, a bad level and a non-member, saying what', async () => {
      const foreignSkill = await createSkill(db(), otherCampaignId);
      const ghost = randomUUID();
      const res = await api('PUT', `/agents/${agentId}/skills`, admin, { campaignId, skills: [{ skillId: foreignSkill, level: 2 }, { skillId: ghost, level: 2 }] });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toBe(
        `skills.0.skillId: la habilidad ${foreignSkill} es de otra campaña / skill ${foreignSkill} belongs to another campaign; skills.1.skillId: habilidad desconocida: ${ghost} / unknown skill: ${ghost}`,
      );
      const level = await api('PUT', `/agents/${agentId}/skills`, admin, { campaignId, skills: [{ skillId, level: 6 }] });
      expect(level.json().error.message).toBe('skills.0.level: el nivel debe ser un entero entre 1 y 5 / level must be an integer 1–5');

      const outsiderAgent = await createUser(db(), { roles: ['agent'], campaignIds: [otherCampaignId] });
      const notMember = await api('PUT', `/agents/${outsiderAgent.id}/skills`, admin, { campaignId, skills: [{ skillId, level: 2 }] });
      expect(notMember.statusCode).toBe(400);
      expect(notMember.json().error).toMatchObject({ code: 'HUB_ERR_AGENT_NOT_AGENT', message: expect.stringContaining('not an agent of this campaign') });
    });

    it('forbids a supervisor of another campaign and an agent', async () => {
      const skills = await api('PUT', `/agents/${agentId}/skills`, outsider, { campaignId, skills: [{ skillId, level: 5 }] });
      expect([skills.statusCode, skills.json().error.code]).toEqual([403, 'HUB_ERR_FORBIDDEN_CAMPAIGN']);
      const capacity = await api('PUT', `/agents/${agentId}/capacity`, outsider, { text: 8 });
      expect([capacity.statusCode, capacity.json().error.code]).toEqual([403, 'HUB_ERR_FORBIDDEN_CAMPAIGN']);
      const self = await api('PUT', `/agents/${agentId}/skills`, agentToken, { campaignId, skills: [{ skillId, level: 5 }] });
      expect([self.statusCode, self.json().error.code]).toEqual([403, 'HUB_ERR_FORBIDDEN_ROLE']);
      expect((await api('PUT', `/agents/${agentId}/capacity`, agentToken, { text: 8 })).statusCode).toBe(403);
      expect((await api('GET', `/campaigns/${campaignId}/agents`, outsider)).statusCode).toBe(403);
    });

    it('sets and clears an agent’s own capacity; out of range is a 400 in both languages', async () => {
      const out = await api('PUT', `/agents/${agentId}/capacity`, supervisor, { text: 11, voice: 2 });
      expect(out.statusCode).toBe(400);
      expect(out.json().error).toMatchObject({
        code: 'HUB_ERR_ROUTING_INVALID',
        message: 'text: la capacidad de texto debe ser un entero entre 1 y 10 / text capacity must be an integer 1–10; voice: la capacidad de voz debe ser un entero entre 0 y 1 / voice capacity must be an integer 0–1',
      });

      const set = await api('PUT', `/agents/${agentId}/capacity`, supervisor, { text: 6, voice: 0 });
      expect(set.statusCode).toBe(200);
      expect(set.json()).toMatchObject({ capacity: { text: 6, voice: 0, email: 10 }, capacityOverride: { text: 6, voice: 0 }, warnings: [] });

      const cleared = await api('PUT', `/agents/${agentId}/capacity`, admin, { text: null });
      expect(cleared.json()).toMatchObject({ capacity: { text: 4, voice: 1, email: 10 }, capacityOverride: {} });
      const audit = await db().selectFrom('audit_log').select(['action', 'details']).where('target_id', '=', agentId).orderBy('id').execute();
      expect(audit.map((a) => a.action)).toEqual(['routing.agent_capacity_set', 'routing.agent_capacity_set']);
      expect(audit.map((a) => a.details)).toEqual([
        expect.objectContaining({ before: {}, after: { text: 6, voice: 0 } }),
        expect.objectContaining({ before: { text: 6, voice: 0 }, after: {} }),
      ]);
    });
  });

  async function waitingConversation(queueId: string) {
    const channel = await db()
      .insertInto('channels')
      .values({ campaign_id: campaignId, kind: 'api', name: `API ${randomUUID().slice(0, 4)}`, settings: '{}', secrets: '{}' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const contact = await db().insertInto('contacts').values({ display_name: 'Ciudadana' }).returning('id').executeTakeFirstOrThrow();
    return {
      folio: `T-${randomUUID().slice(0, 8)}`,
      campaign_id: campaignId,
      channel_id: channel.id,
      contact_id: contact.id,
      status: 'queued' as const,
      queue_id: queueId,
      channel_class: 'text' as const,
      enqueued_at: new Date(),
    };
  }
});
