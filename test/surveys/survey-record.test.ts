import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordSurvey, surveyFor } from '../../hub/src/surveys/survey.usecase.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { assignedEvent, createClosedConversation, transferredToTier2 } from './survey-fixtures.js';

const MISSING = '00000000-0000-4000-8000-000000000000';

/**
 * Issue 5 item 4 (seed-digest §8.1): the citizen answers the exit survey once per conversation;
 * the answers are stored against its folio and each agent who served it is rated apart, the
 * tier-1 (PS-I) agent and the tier-2 (PS-P) one after a transfer (L1877).
 */
describe('exit survey of a conversation', () => {
  let hub: TestHub;
  let campaignId: string;
  let channelId: string;
  let tier1: { id: string };
  let tier2: { id: string };
  let bystander: { id: string };

  const db = () => hub.ctx.db.kysely;

  /** Served by the PS-I agent, escalated to tier 2, then served by the PS-P agent (and once more by the first, on a reassignment). */
  async function transferredConversation() {
    const conversation = await createClosedConversation(db(), campaignId, channelId);
    await assignedEvent(db(), conversation, tier1.id, 'PS-I');
    await transferredToTier2(db(), conversation, tier1.id);
    await assignedEvent(db(), conversation, tier2.id, 'PS-P');
    await assignedEvent(db(), conversation, tier1.id, 'PS-P');
    return conversation;
  }

  const responsesOf = (conversationId: string) => db().selectFrom('survey_responses').selectAll().where('conversation_id', '=', conversationId).execute();

  beforeAll(async () => {
    hub = await createTestHub();
    campaignId = (await createCampaign(db(), { name: 'Derechohabientes' })).id;
    channelId = (await createApiChannel(db(), campaignId)).channel.id;
    tier1 = await createUser(db(), { roles: ['agent'], campaignIds: [campaignId], name: 'Ana Básica' });
    tier2 = await createUser(db(), { roles: ['agent'], campaignIds: [campaignId], name: 'Pedro Especialista' });
    bystander = await createUser(db(), { roles: ['agent'], campaignIds: [campaignId], name: 'Otra Agente' });
  });
  afterAll(async () => {
    await hub?.cleanup();
  });

  it('offers the folio, the 12 default questions, and the PS-I and PS-P agents separately, in the order they served', async () => {
    const conversation = await transferredConversation();
    const survey = await surveyFor(db(), conversation.id);
    expect(survey).not.toBeNull();
    expect(survey).toMatchObject({ folio: conversation.folio, rating: true, comment: true, done: false });
    expect(survey?.questions).toHaveLength(12);
    expect(survey?.agents).toEqual([
      { agentId: tier1.id, displayName: 'Ana Básica', tier: 'PS-I' },
      { agentId: tier2.id, displayName: 'Pedro Especialista', tier: 'PS-P' },
    ]);
  });

  it('an assignment without a seat type counts as tier 1; a conversation nobody served has no agents to rate', async () => {
    const legacy = await createClosedConversation(db(), campaignId, channelId);
    await assignedEvent(db(), legacy, tier2.id, null);
    expect((await surveyFor(db(), legacy.id))?.agents).toEqual([{ agentId: tier2.id, displayName: 'Pedro Especialista', tier: 'PS-I' }]);
    const botOnly = await createClosedConversation(db(), campaignId, channelId);
    expect((await surveyFor(db(), botOnly.id))?.agents).toEqual([]);
  });

  it('stores the answers against the folio with yes/no counts, each agent rating with its tier, and a survey.answered event', async () => {
    const conversation = await transferredConversation();
    await recordSurvey(db(), conversation.id, {
      rating: 4,
      comment: '  Me resolvieron todo, gracias.  ',
      answers: { informacion_correcta: true, trato_amable: true, folio_recibido: false },
      agentRatings: [
        { agentId: tier2.id, rating: 5 },
        { agentId: tier1.id, rating: 3 },
      ],
    });

    const [response, ...others] = await responsesOf(conversation.id);
    expect(others).toEqual([]);
    expect(response).toMatchObject({
      campaign_id: campaignId,
      channel_id: channelId,
      folio: conversation.folio,
      rating: 4,
      comment: 'Me resolvieron todo, gracias.',
      answers: { informacion_correcta: true, trato_amable: true, folio_recibido: false },
      yes_count: 2,
      no_count: 1,
    });
    const ratings = await db().selectFrom('survey_agent_ratings').select(['agent_id', 'tier', 'rating']).where('response_id', '=', response?.id ?? MISSING).orderBy('tier').execute();
    expect(ratings).toEqual([
      { agent_id: tier1.id, tier: 'PS-I', rating: 3 },
      { agent_id: tier2.id, tier: 'PS-P', rating: 5 },
    ]);

    const events = await db().selectFrom('interaction_events').selectAll().where('conversation_id', '=', conversation.id).where('type', '=', 'survey.answered').execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ campaign_id: campaignId, contact_id: conversation.contact_id, actor_type: 'contact', actor_id: conversation.contact_id });
    expect(events[0]?.payload).toEqual({
      responseId: response?.id,
      rating: 4,
      yes: 2,
      no: 1,
      agentRatings: [
        { agentId: tier2.id, tier: 'PS-P', rating: 5 },
        { agentId: tier1.id, tier: 'PS-I', rating: 3 },
      ],
    });
    expect((await surveyFor(db(), conversation.id))?.done).toBe(true);
  });

  it('a second answer is refused with HUB_ERR_SURVEY_ANSWERED and the first one is kept', async () => {
    const conversation = await transferredConversation();
    await recordSurvey(db(), conversation.id, { rating: 2, answers: { trato_amable: false }, agentRatings: [] });
    await expect(recordSurvey(db(), conversation.id, { rating: 5, answers: { trato_amable: true }, agentRatings: [] })).rejects.toMatchObject({
      code: 'HUB_ERR_SURVEY_ANSWERED',
      statusCode: 409,
    });
    const responses = await responsesOf(conversation.id);
    expect(responses.map((r) => [r.rating, r.yes_count, r.no_count])).toEqual([[2, 0, 1]]);
  });

  it('two submissions at the same moment store one response; the other gets HUB_ERR_SURVEY_ANSWERED', async () => {
    const conversation = await transferredConversation();
    const results = await Promise.allSettled([
      recordSurvey(db(), conversation.id, { rating: 1, answers: {}, agentRatings: [] }),
      recordSurvey(db(), conversation.id, { rating: 5, answers: {}, agentRatings: [] }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect(rejected?.status === 'rejected' ? rejected.reason : null).toMatchObject({ code: 'HUB_ERR_SURVEY_ANSWERED' });
    expect(await responsesOf(conversation.id)).toHaveLength(1);
  });

  it.each([
    ['an unknown question id', { answers: { no_existe: true } }, 'answers.no_existe: pregunta desconocida: no_existe / unknown question: no_existe'],
    ['a rating of 6', { rating: 6 }, 'rating: la calificación debe ser un entero de 1 a 5 / rating must be an integer from 1 to 5'],
    ['a rating of 2.5', { rating: 2.5 }, 'rating: la calificación debe ser un entero de 1 a 5'],
    ['a comment over 2000 characters', { comment: 'x'.repeat(2001) }, 'comment: el comentario admite hasta 2000 caracteres'],
    ['an empty survey', {}, 'la encuesta está vacía'],
  ])('rejects %s with HUB_ERR_VALIDATION and stores nothing', async (_label, partial, message) => {
    const conversation = await transferredConversation();
    const error: unknown = await recordSurvey(db(), conversation.id, { answers: {}, agentRatings: [], ...partial }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HUB_ERR_VALIDATION', statusCode: 400 });
    expect(error instanceof Error ? error.message : '').toContain(message);
    expect(await responsesOf(conversation.id)).toEqual([]);
  });

  it('rejects a rating for an agent who did not serve the conversation, and the same agent rated twice', async () => {
    const conversation = await transferredConversation();
    await expect(recordSurvey(db(), conversation.id, { answers: { trato_amable: true }, agentRatings: [{ agentId: bystander.id, rating: 5 }] })).rejects.toMatchObject({
      code: 'HUB_ERR_VALIDATION',
      message: expect.stringContaining('agentRatings.0.agentId: ese agente no atendió esta conversación / that agent did not serve this conversation'),
    });
    await expect(
      recordSurvey(db(), conversation.id, {
        answers: {},
        agentRatings: [
          { agentId: tier1.id, rating: 5 },
          { agentId: tier1.id, rating: 1 },
        ],
      }),
    ).rejects.toMatchObject({ code: 'HUB_ERR_VALIDATION', message: expect.stringContaining('agentRatings.1.agentId: agente calificado dos veces') });
    expect(await responsesOf(conversation.id)).toEqual([]);
  });

  it('an unknown conversation is HUB_ERR_CONVERSATION_NOT_FOUND (404) for both calls', async () => {
    await expect(surveyFor(db(), MISSING)).rejects.toMatchObject({ code: 'HUB_ERR_CONVERSATION_NOT_FOUND', statusCode: 404 });
    await expect(recordSurvey(db(), MISSING, { rating: 5, answers: {}, agentRatings: [] })).rejects.toMatchObject({ code: 'HUB_ERR_CONVERSATION_NOT_FOUND', statusCode: 404 });
  });

  it('follows the campaign settings: no agents or overall rating when those are off, and no survey at all when it is disabled', async () => {
    const other = (await createCampaign(db(), { name: 'Contribuyentes' })).id;
    const conversation = await createClosedConversation(db(), other);
    await assignedEvent(db(), conversation, tier1.id, 'PS-I');
    const setSurvey = (survey: object) => db().updateTable('campaigns').set({ settings: JSON.stringify({ survey }) }).where('id', '=', other).execute();

    await setSurvey({ rating: false, rateAgents: false, questions: [{ id: 'resuelto', text: '¿Se resolvió su trámite?' }] });
    expect(await surveyFor(db(), conversation.id)).toEqual({
      folio: conversation.folio,
      rating: false,
      comment: true,
      questions: [{ id: 'resuelto', text: '¿Se resolvió su trámite?' }],
      agents: [],
      done: false,
    });
    await expect(recordSurvey(db(), conversation.id, { rating: 5, answers: { resuelto: true }, agentRatings: [] })).rejects.toMatchObject({
      code: 'HUB_ERR_VALIDATION',
      message: expect.stringContaining('rating: esta encuesta no pide calificación general'),
    });
    await expect(recordSurvey(db(), conversation.id, { answers: { resuelto: true }, agentRatings: [{ agentId: tier1.id, rating: 4 }] })).rejects.toMatchObject({
      code: 'HUB_ERR_VALIDATION',
      message: expect.stringContaining('agentRatings: esta encuesta no califica agentes'),
    });

    await setSurvey({ enabled: false });
    expect(await surveyFor(db(), conversation.id)).toBeNull();
    await expect(recordSurvey(db(), conversation.id, { answers: { informacion_correcta: true }, agentRatings: [] })).rejects.toMatchObject({ code: 'HUB_ERR_SURVEY_DISABLED', statusCode: 409 });
    expect(await responsesOf(conversation.id)).toEqual([]);
  });
});
