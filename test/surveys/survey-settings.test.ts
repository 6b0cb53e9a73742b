import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, tokenFor } from '../support/auth.js';
import { createCampaign, createUser } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';

type Method = 'GET' | 'PUT';
interface ErrorBody {
  error: { code: string; message: string };
}
interface SettingsBody {
  campaignId: string;
  settings: { enabled: boolean; rating: boolean; comment: boolean; rateAgents: boolean; questions: { id: string; text: string }[] };
}

/**
 * Issue 5 item 4: the exit survey is configurable per campaign (seed-digest §8.1: activation,
 * questions and answers) by an administrator or the campaign's supervisor, and every change is
 * audited; the default is the 12 yes/no questions of the T&C survey (§6.2).
 */
describe('survey settings API', () => {
  let hub: TestHub;
  let campaignId: string;
  let otherCampaignId: string;
  let admin: string;
  let supervisor: string;
  let supervisorId: string;
  let auditor: string;
  let agent: string;
  let outsider: string;

  const db = () => hub.ctx.db.kysely;
  const api = (method: Method, url: string, token: string, payload?: object) =>
    hub.app.inject({ method, url: `/api/v1${url}`, headers: bearer(token), ...(payload === undefined ? {} : { payload }) });
  const settingsUrl = (id = campaignId) => `/campaigns/${id}/survey-settings`;

  beforeAll(async () => {
    hub = await createTestHub();
    campaignId = (await createCampaign(db(), { name: 'Derechohabientes' })).id;
    otherCampaignId = (await createCampaign(db(), { name: 'Contribuyentes' })).id;
    // Another feature's key in the same jsonb column: a survey write must leave it alone.
    await db().updateTable('campaigns').set({ settings: JSON.stringify({ webchat: { title: 'Atención IMSS' } }) }).where('id', '=', campaignId).execute();
    admin = await tokenFor(db(), (await createUser(db(), { roles: ['admin'] })).id);
    const sup = await createUser(db(), { roles: ['supervisor'], campaignIds: [campaignId] });
    supervisorId = sup.id;
    supervisor = await tokenFor(db(), sup.id);
    auditor = await tokenFor(db(), (await createUser(db(), { roles: ['auditor'], campaignIds: [campaignId] })).id);
    agent = await tokenFor(db(), (await createUser(db(), { roles: ['agent'], campaignIds: [campaignId] })).id);
    outsider = await tokenFor(db(), (await createUser(db(), { roles: ['supervisor'], campaignIds: [otherCampaignId] })).id);
  });
  afterAll(async () => {
    await hub?.cleanup();
  });

  it('a campaign never configured has the survey on, with rating, comment, agent ratings and 12 distinct Spanish yes/no questions', async () => {
    const res = await api('GET', settingsUrl(), auditor);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<SettingsBody>();
    expect(body.campaignId).toBe(campaignId);
    expect(body.settings).toMatchObject({ enabled: true, rating: true, comment: true, rateAgents: true });
    expect(body.settings.questions).toHaveLength(12);
    expect(new Set(body.settings.questions.map((q) => q.id)).size).toBe(12);
    for (const q of body.settings.questions) {
      expect(q.id).toMatch(/^[a-z0-9_]{1,40}$/);
      expect(q.text).toMatch(/^¿.{3,298}\?$/);
    }
    expect(body.settings.questions.map((q) => q.id)).toEqual(expect.arrayContaining(['informacion_correcta', 'trato_amable', 'folio_recibido', 'usaria_de_nuevo']));
  });

  it('a supervisor of the campaign replaces the settings: defaults fill what is left out, other settings keys survive, and the change is audited', async () => {
    const questions = [
      { id: 'resuelto', text: '  ¿Se resolvió su trámite?  ' },
      { id: 'amable', text: '¿Le atendieron con amabilidad?' },
    ];
    const res = await api('PUT', settingsUrl(), supervisor, { comment: false, questions });
    expect(res.statusCode, res.body).toBe(200);
    const expected = {
      enabled: true,
      rating: true,
      comment: false,
      rateAgents: true,
      questions: [
        { id: 'resuelto', text: '¿Se resolvió su trámite?' },
        { id: 'amable', text: '¿Le atendieron con amabilidad?' },
      ],
    };
    expect(res.json<SettingsBody>().settings).toEqual(expected);
    expect((await api('GET', settingsUrl(), admin)).json<SettingsBody>().settings).toEqual(expected);

    const row = await db().selectFrom('campaigns').select('settings').where('id', '=', campaignId).executeTakeFirstOrThrow();
    expect(row.settings).toEqual({ webchat: { title: 'Atención IMSS' }, survey: expected });

    const audit = await db().selectFrom('audit_log').selectAll().where('action', '=', 'survey.settings_updated').where('target_id', '=', campaignId).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_user_id: supervisorId, campaign_id: campaignId, outcome: 'success' });
    expect(audit[0]?.details).toEqual({
      before: expect.objectContaining({ comment: true, questions: expect.arrayContaining([expect.objectContaining({ id: 'informacion_correcta' })]) }),
      after: expected,
    });
  });

  it('an admin can switch the survey off for any campaign', async () => {
    const res = await api('PUT', settingsUrl(otherCampaignId), admin, { enabled: false });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<SettingsBody>().settings.enabled).toBe(false);
  });

  it('rejects repeated question ids, naming the field, in Spanish then English, and keeps the stored settings', async () => {
    const before = (await api('GET', settingsUrl(), admin)).json<SettingsBody>();
    const res = await api('PUT', settingsUrl(), admin, {
      questions: [
        { id: 'resuelto', text: '¿Se resolvió su trámite?' },
        { id: 'resuelto', text: '¿Otra vez la misma?' },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'HUB_ERR_VALIDATION' } });
    expect(res.json<ErrorBody>().error.message).toContain('questions.1.id: pregunta repetida: resuelto / duplicate question id: resuelto');
    expect((await api('GET', settingsUrl(), admin)).json<SettingsBody>()).toEqual(before);
  });

  it('rejects more than 20 questions, a bad id, a too-short text and an unknown field', async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ id: `p${i}`, text: `¿Pregunta ${i}?` }));
    const tooMany = await api('PUT', settingsUrl(), admin, { questions: many });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json<ErrorBody>().error.message).toContain('máximo 20 preguntas / at most 20 questions');

    const bad = await api('PUT', settingsUrl(), admin, { questions: [{ id: 'Con Espacios', text: 'no' }], colour: 'rojo' });
    expect(bad.statusCode).toBe(400);
    const message = bad.json<ErrorBody>().error.message;
    expect(message).toContain('questions.0.id:');
    expect(message).toContain('questions.0.text: la pregunta debe tener al menos 3 caracteres');
    expect(message).toContain('campos desconocidos: colour');
  });

  it('an agent may neither change nor read the settings; a supervisor of another campaign may not change them', async () => {
    const byAgent = await api('PUT', settingsUrl(), agent, { enabled: false });
    expect(byAgent.statusCode).toBe(403);
    expect(byAgent.json()).toMatchObject({ error: { code: 'HUB_ERR_FORBIDDEN_ROLE' } });
    expect((await api('GET', settingsUrl(), agent)).statusCode).toBe(403);

    const byOutsider = await api('PUT', settingsUrl(), outsider, { enabled: false });
    expect(byOutsider.statusCode).toBe(403);
    expect(byOutsider.json()).toMatchObject({ error: { code: 'HUB_ERR_FORBIDDEN_CAMPAIGN' } });
    expect((await api('GET', settingsUrl(), outsider)).statusCode).toBe(403);

    expect((await api('GET', settingsUrl(), admin)).json<SettingsBody>().settings.enabled).toBe(true);
  });

  it('an unknown campaign is a 404 for an admin', async () => {
    const res = await api('GET', settingsUrl('00000000-0000-4000-8000-000000000000'), admin);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'HUB_ERR_CAMPAIGN_NOT_FOUND' } });
  });
});
