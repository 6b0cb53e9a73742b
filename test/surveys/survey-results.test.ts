import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordSurvey } from '../../hub/src/surveys/survey.usecase.js';
import { bearer, tokenFor } from '../support/auth.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { assignedEvent, createClosedConversation, transferredToTier2 } from './survey-fixtures.js';

interface Results {
  campaignId: string;
  responses: number;
  yes: number;
  no: number;
  satisfactionPercent: number | null;
  averageRating: number | null;
  byQuestion: { id: string; text: string | null; yes: number; no: number; percent: number | null }[];
  byAgent: { agentId: string; displayName: string; tier: string; responses: number; averageRating: number | null }[];
}

/**
 * Survey results for supervisors and auditors (issue 5 item 4). Satisfaction is seed-digest
 * §6.2's KPI: yes ÷ (yes + no) × 100 over the yes/no answers (target 85 %), computed here by
 * hand on a small data set; agents are reported per tier (PS-I and PS-P apart).
 */
describe('survey results and a conversation’s answers', () => {
  let hub: TestHub;
  let campaignId: string;
  let channelId: string;
  let admin: string;
  let supervisor: string;
  let auditor: string;
  let agentToken: string;
  let outsider: string;
  let ana: { id: string };
  let pedro: { id: string };
  const conversations: { id: string; folio: string; campaign_id: string }[] = [];

  const db = () => hub.ctx.db.kysely;
  const get = (url: string, token: string) => hub.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: bearer(token) });
  const results = (token: string, query = '') => get(`/campaigns/${campaignId}/survey-results${query}`, token);

  beforeAll(async () => {
    hub = await createTestHub();
    campaignId = (await createCampaign(db(), { name: 'Derechohabientes' })).id;
    const otherCampaignId = (await createCampaign(db(), { name: 'Contribuyentes' })).id;
    channelId = (await createApiChannel(db(), campaignId)).channel.id;
    await db()
      .updateTable('campaigns')
      .set({
        settings: JSON.stringify({
          survey: {
            questions: [
              { id: 'q1', text: '¿La información fue correcta?' },
              { id: 'q2', text: '¿Le trataron con amabilidad?' },
              { id: 'q3', text: '¿Recibió su folio?' },
            ],
          },
        }),
      })
      .where('id', '=', campaignId)
      .execute();
    admin = await tokenFor(db(), (await createUser(db(), { roles: ['admin'] })).id);
    supervisor = await tokenFor(db(), (await createUser(db(), { roles: ['supervisor'], campaignIds: [campaignId] })).id);
    auditor = await tokenFor(db(), (await createUser(db(), { roles: ['auditor'], campaignIds: [campaignId] })).id);
    ana = await createUser(db(), { roles: ['agent'], campaignIds: [campaignId], name: 'Ana Básica' });
    pedro = await createUser(db(), { roles: ['agent'], campaignIds: [campaignId], name: 'Pedro Especialista' });
    agentToken = await tokenFor(db(), ana.id);
    outsider = await tokenFor(db(), (await createUser(db(), { roles: ['supervisor', 'agent'], campaignIds: [otherCampaignId] })).id);

    // c1: Ana (PS-I) → tier 2 → Pedro (PS-P). c2: Ana only. c3: Pedro only (a PS-P queue). c4: nobody.
    for (let i = 0; i < 5; i++) conversations.push(await createClosedConversation(db(), campaignId, channelId));
    const [c1, c2, c3, c4] = conversations;
    if (!c1 || !c2 || !c3 || !c4) throw new Error('fixtures');
    await assignedEvent(db(), c1, ana.id, 'PS-I');
    await transferredToTier2(db(), c1, ana.id);
    await assignedEvent(db(), c1, pedro.id, 'PS-P');
    await assignedEvent(db(), c2, ana.id, 'PS-I');
    await assignedEvent(db(), c3, pedro.id, 'PS-P');

    await recordSurvey(db(), c1.id, { rating: 5, comment: 'Excelente', answers: { q1: true, q2: true, q3: false }, agentRatings: [{ agentId: ana.id, rating: 4 }, { agentId: pedro.id, rating: 5 }] });
    await recordSurvey(db(), c2.id, { rating: 3, answers: { q1: true, q2: false }, agentRatings: [{ agentId: ana.id, rating: 2 }] });
    await recordSurvey(db(), c3.id, { answers: { q1: false, q2: true, q3: true }, agentRatings: [{ agentId: pedro.id, rating: 4 }] });
    await recordSurvey(db(), c4.id, { rating: 4, answers: { q1: true, q3: true }, agentRatings: [] });
    // c4 was answered on 15 January 2020 at noon, Mexico City time, for the period filters.
    await db().updateTable('survey_responses').set({ created_at: '2020-01-15T12:00:00-06:00' }).where('conversation_id', '=', c4.id).execute();
  });
  afterAll(async () => {
    await hub?.cleanup();
  });

  it('computes satisfaction = yes ÷ (yes + no) × 100 over all answers, per question, the average rating, and each agent per tier', async () => {
    const res = await results(supervisor);
    expect(res.statusCode, res.body).toBe(200);
    // By hand: yes = 2 + 1 + 2 + 2 = 7, no = 1 + 1 + 1 + 0 = 3 → 7 ÷ 10 = 70.00 %.
    // q1: yes c1 c2 c4, no c3 → 3 ÷ 4 = 75 %; q2: yes c1 c3, no c2 → 2 ÷ 3 = 66.67 %; q3: yes c3 c4, no c1 → 66.67 %.
    // Overall rating: (5 + 3 + 4) ÷ 3 = 4 (c3 gave none). Ana (PS-I): (4 + 2) ÷ 2 = 3; Pedro (PS-P): (5 + 4) ÷ 2 = 4.5.
    expect(res.json<Results>()).toEqual({
      campaignId,
      responses: 4,
      yes: 7,
      no: 3,
      satisfactionPercent: 70,
      averageRating: 4,
      byQuestion: [
        { id: 'q1', text: '¿La información fue correcta?', yes: 3, no: 1, percent: 75 },
        { id: 'q2', text: '¿Le trataron con amabilidad?', yes: 2, no: 1, percent: 66.67 },
        { id: 'q3', text: '¿Recibió su folio?', yes: 2, no: 1, percent: 66.67 },
      ],
      byAgent: [
        { agentId: ana.id, displayName: 'Ana Básica', tier: 'PS-I', responses: 2, averageRating: 3 },
        { agentId: pedro.id, displayName: 'Pedro Especialista', tier: 'PS-P', responses: 2, averageRating: 4.5 },
      ],
    });
  });

  it('filters by period: dates are whole days in the campaign time zone, date-times are exact', async () => {
    const recent = (await results(auditor, '?from=2021-01-01')).json<Results>();
    // Without c4: yes 5, no 3 → 62.5 %; ratings 5 and 3 → 4.
    expect(recent).toMatchObject({ responses: 3, yes: 5, no: 3, satisfactionPercent: 62.5, averageRating: 4 });

    const thatDay = (await results(auditor, '?from=2020-01-15&to=2020-01-15')).json<Results>();
    expect(thatDay).toMatchObject({ responses: 1, yes: 2, no: 0, satisfactionPercent: 100, averageRating: 4, byAgent: [] });
    expect(thatDay.byQuestion.map((q) => [q.id, q.percent])).toEqual([
      ['q1', 100],
      ['q2', null],
      ['q3', 100],
    ]);
    // 12:00 in Mexico City is 18:00 UTC: a window ending at 17:59 UTC that day misses it.
    expect((await results(auditor, '?from=2020-01-15T00:00:00Z&to=2020-01-15T17:59:00Z')).json<Results>().responses).toBe(0);
    expect((await results(auditor, '?from=2020-01-15T00:00:00Z&to=2020-01-15T18:01:00Z')).json<Results>().responses).toBe(1);
  });

  it('a period without answers has null percentages, not zero', async () => {
    const empty = (await results(admin, '?from=2019-01-01&to=2019-12-31')).json<Results>();
    expect(empty).toMatchObject({ responses: 0, yes: 0, no: 0, satisfactionPercent: null, averageRating: null, byAgent: [] });
    expect(empty.byQuestion.every((q) => q.percent === null && q.yes === 0 && q.no === 0)).toBe(true);
  });

  it('rejects a malformed date, and results are for supervisors, auditors and admins of the campaign only', async () => {
    const bad = await results(admin, '?from=15/01/2020');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'HUB_ERR_VALIDATION' } });
    expect((await results(agentToken)).statusCode).toBe(403);
    expect((await results(outsider)).statusCode).toBe(403);
  });

  it('shows a conversation’s answers with question texts and agent ratings to staff of its campaign; null when unanswered', async () => {
    const [c1, , , , unanswered] = conversations;
    if (!c1 || !unanswered) throw new Error('fixtures');
    const res = await get(`/conversations/${c1.id}/survey`, agentToken);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      response: {
        id: expect.any(String),
        conversationId: c1.id,
        folio: c1.folio,
        campaignId,
        channelId,
        rating: 5,
        comment: 'Excelente',
        answers: [
          { id: 'q1', text: '¿La información fue correcta?', answer: true },
          { id: 'q2', text: '¿Le trataron con amabilidad?', answer: true },
          { id: 'q3', text: '¿Recibió su folio?', answer: false },
        ],
        yes: 2,
        no: 1,
        createdAt: expect.any(String),
        agentRatings: [
          { agentId: ana.id, displayName: 'Ana Básica', tier: 'PS-I', rating: 4 },
          { agentId: pedro.id, displayName: 'Pedro Especialista', tier: 'PS-P', rating: 5 },
        ],
      },
    });
    expect((await get(`/conversations/${unanswered.id}/survey`, supervisor)).json()).toEqual({ response: null });
    expect((await get(`/conversations/${c1.id}/survey`, outsider)).statusCode).toBe(403);
    expect((await get('/conversations/00000000-0000-4000-8000-000000000000/survey', admin)).statusCode).toBe(404);
  });

  it('answers of a question removed from the settings still count, listed after the current ones without a text', async () => {
    await db()
      .updateTable('campaigns')
      .set({ settings: JSON.stringify({ survey: { questions: [{ id: 'q2', text: '¿Le trataron con amabilidad?' }] } }) })
      .where('id', '=', campaignId)
      .execute();
    const body = (await results(supervisor)).json<Results>();
    expect(body.satisfactionPercent).toBe(70);
    expect(body.byQuestion.map((q) => [q.id, q.text, q.percent])).toEqual([
      ['q2', '¿Le trataron con amabilidad?', 66.67],
      ['q1', null, 75],
      ['q3', null, 66.67],
    ]);
  });
});
