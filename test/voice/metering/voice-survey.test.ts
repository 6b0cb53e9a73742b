import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTwiml, sayTexts, type TwimlVerb } from '../../harness/twilio-voice/index.js';
import { bearer, tokenFor } from '../../support/auth.js';
import { createCampaign, createUser } from '../../support/factories.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';
import { createClosedConversation } from '../../surveys/survey-fixtures.js';
import { createVoiceChannel, storeCall } from './metering-fixtures.js';

/**
 * Issue 8 item 8 through the real hub (its voice webhook mount, the PostgreSQL call store): when
 * the agent conversation's <Dial> ends, Twilio posts its action to `survey/start`; the caller
 * answers with keys and the answers land in the web survey's tables with the folio, the voice
 * channel and a rating per agent with their tier. The call's state before the survey is stored as
 * the call store leaves it (events `call.*`), so each test starts right where the survey begins.
 */
const PUBLIC = 'http://hub.test';

describe('post-call keypad survey', () => {
  let hub: TestHub;
  let campaignId: string;
  let channel: { id: string; secrets: Record<string, unknown>; settings: Record<string, unknown> };
  let offChannel: { id: string; secrets: Record<string, unknown>; settings: Record<string, unknown> };
  let agentA: string;
  let agentB: string;
  let admin: string;
  const db = () => hub.ctx.db.kysely;

  beforeAll(async () => {
    hub = await createTestHub();
    campaignId = (await createCampaign(db(), { name: 'Incapacidades' })).id;
    channel = await createVoiceChannel(db(), campaignId, { webhookBaseUrl: PUBLIC });
    offChannel = await createVoiceChannel(db(), campaignId, { webhookBaseUrl: PUBLIC, survey: false });
    agentA = (await createUser(db(), { roles: ['agent'], campaignIds: [campaignId], name: 'Asesora Uno' })).id;
    agentB = (await createUser(db(), { roles: ['agent'], campaignIds: [campaignId], name: 'Asesor PS-P' })).id;
    admin = await tokenFor(db(), (await createUser(db(), { roles: ['admin'] })).id);
  });
  afterAll(async () => {
    await hub?.cleanup();
  });

  /** A Twilio webhook signed with the channel's auth token, as Twilio posts it. */
  async function post(channelId: string, authToken: unknown, path: string, params: Record<string, string>): Promise<{ status: number; verbs: TwimlVerb[]; body: string }> {
    const url = `${PUBLIC}/webhooks/voice/${channelId}/${path}`;
    const signature = twilio.getExpectedTwilioSignature(String(authToken), url, params);
    const res = await hub.app.inject({
      method: 'POST',
      url: url.slice(PUBLIC.length),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      payload: new URLSearchParams(params).toString(),
    });
    return { status: res.statusCode, body: res.body, verbs: res.statusCode === 200 ? parseTwiml(res.body) : [] };
  }

  /** A caller who went through the IVR and the line and talked to a PS-I agent, then a PS-P agent (tier-2 transfer). */
  async function agentCall(channelId = channel.id, options: { agents?: boolean } = {}) {
    const conversation = await createClosedConversation(db(), campaignId, channelId);
    const talked: [number, string, Record<string, string>][] =
      options.agents === false
        ? []
        : [
            [30, 'agent_connected', { agentId: agentA, seatType: 'PS-I', agentCallSid: 'CAa' }],
            [80, 'transferred', { agentId: agentA, target: 'tier2', targetId: 'q' }],
            [85, 'agent_connected', { agentId: agentB, seatType: 'PS-P', agentCallSid: 'CAb' }],
            [90, 'agent_left', { agentId: agentA, reason: 'transfer' }],
            [150, 'agent_left', { agentId: agentB, reason: 'hangup' }],
          ];
    const call = await storeCall(db(), {
      campaignId,
      channelId,
      conversationId: conversation.id,
      ended: false,
      events: [[0, 'incoming', { from: '+525511112222', to: '+528001234567', status: 'ringing' }], [10, 'enqueued', { queueName: conversation.folio }], ...talked],
    });
    return { conversation, callSid: call.callSid };
  }
  const dialAction = (callSid: string, on = channel) => ({ CallSid: callSid, CallStatus: 'in-progress', DialCallStatus: 'completed', DialCallDuration: '120', AccountSid: String(on.settings['accountSid']) });
  const answer = (callSid: string, digits?: string) => ({ CallSid: callSid, CallStatus: 'in-progress', AccountSid: String(channel.settings['accountSid']), ...(digits === undefined ? {} : { Digits: digits }) });
  const gatherOf = (verbs: TwimlVerb[]) => verbs.find((v): v is Extract<TwimlVerb, { verb: 'Gather' }> => v.verb === 'Gather');
  const callEvents = async (callSid: string) =>
    (await db().selectFrom('interaction_events').select(['type', 'payload']).where('type', 'like', 'call.survey%').orderBy('id').execute()).filter((e) => e.payload['callSid'] === callSid).map((e) => e.type);

  it('after an agent call: the intro and four questions by keypad; answers stored with the folio, the voice channel and each agent’s tier', async () => {
    const { conversation, callSid } = await agentCall();
    const start = await post(channel.id, channel.secrets['authToken'], 'survey/start', dialAction(callSid));
    expect(start.status, start.body).toBe(200);
    expect(sayTexts(start.verbs)[0]).toMatch(/^Gracias por su llamada\. Le pedimos contestar una breve encuesta/);
    const first = gatherOf(start.verbs);
    expect(first).toMatchObject({ numDigits: 1, timeout: 5, action: `${PUBLIC}/webhooks/voice/${channel.id}/survey/answer?q=0&r=0` });
    expect(sayTexts(first?.children ?? [])).toEqual(['¿Se resolvió el motivo de su llamada? Marque 1 para sí o 2 para no.']);
    // Silence falls through to a Redirect to the same answer URL (no Digits: the question is skipped).
    expect(start.verbs.at(-1)).toMatchObject({ verb: 'Redirect', url: first?.action });

    const q1 = await post(channel.id, channel.secrets['authToken'], 'survey/answer?q=0&r=0', answer(callSid, '1'));
    expect(sayTexts(q1.verbs)).toEqual(['Califique la atención del asesor del 1 al 5, donde 5 es excelente.']);
    // The yes/no answer is already stored: a caller who hangs up now still counts.
    expect(await db().selectFrom('survey_responses').select(['answers', 'yes_count']).where('conversation_id', '=', conversation.id).executeTakeFirst()).toEqual({ answers: { solicitud_resuelta: true }, yes_count: 1 });

    const invalid = await post(channel.id, channel.secrets['authToken'], 'survey/answer?q=1&r=0', answer(callSid, '9'));
    expect(sayTexts(invalid.verbs)).toEqual(['La opción que marcó no es válida.', 'Califique la atención del asesor del 1 al 5, donde 5 es excelente.']);
    expect(gatherOf(invalid.verbs)?.action).toBe(`${PUBLIC}/webhooks/voice/${channel.id}/survey/answer?q=1&r=1`);
    const q3 = await post(channel.id, channel.secrets['authToken'], 'survey/answer?q=1&r=1', answer(callSid, '4'));
    expect(sayTexts(q3.verbs)).toEqual(['¿Recomendaría este servicio? Marque 1 para sí o 2 para no.']);
    const q4 = await post(channel.id, channel.secrets['authToken'], 'survey/answer?q=2&r=0', answer(callSid));
    expect(sayTexts(q4.verbs)).toEqual(['En general, ¿cómo califica el servicio del 1 al 5, donde 5 es excelente?']);
    const done = await post(channel.id, channel.secrets['authToken'], 'survey/answer?q=3&r=0', answer(callSid, '5'));
    expect(sayTexts(done.verbs)).toEqual(['Gracias por sus respuestas. Que tenga un excelente día. Hasta luego.']);
    expect(done.verbs.at(-1)).toEqual({ verb: 'Hangup' });

    const response = await db().selectFrom('survey_responses').selectAll().where('conversation_id', '=', conversation.id).executeTakeFirstOrThrow();
    expect(response).toMatchObject({ folio: conversation.folio, campaign_id: campaignId, channel_id: channel.id, rating: 5, answers: { solicitud_resuelta: true }, yes_count: 1, no_count: 0 });
    const ratings = await db().selectFrom('survey_agent_ratings').select(['agent_id', 'tier', 'rating']).where('response_id', '=', response.id).orderBy('tier').execute();
    expect(ratings).toEqual([
      { agent_id: agentA, tier: 'PS-I', rating: 4 },
      { agent_id: agentB, tier: 'PS-P', rating: 4 },
    ]);
    expect(await callEvents(callSid)).toEqual(['call.survey_started', 'call.survey_answer', 'call.survey_answer', 'call.survey_answer', 'call.survey_completed']);
    const completed = await db().selectFrom('interaction_events').select('payload').where('type', '=', 'call.survey_completed').execute();
    expect(completed.map((e) => e.payload).filter((p) => p['callSid'] === callSid)).toEqual([{ callSid, answers: JSON.stringify({ solicitud_resuelta: '1', atencion_asesor: '4', calificacion_general: '5' }) }]);
    const answered = await db().selectFrom('interaction_events').select('payload').where('type', '=', 'survey.answered').where('conversation_id', '=', conversation.id).execute();
    expect(answered.map((e) => e.payload)).toEqual([{ responseId: response.id, rating: 5, yes: 1, no: 0, agentRatings: [{ agentId: agentA, tier: 'PS-I', rating: 4 }, { agentId: agentB, tier: 'PS-P', rating: 4 }] }]);
    // The staff view of the conversation's survey reads the phone answers like the web ones.
    const view = await hub.app.inject({ method: 'GET', url: `/api/v1/conversations/${conversation.id}/survey`, headers: bearer(admin) });
    expect(view.json()).toMatchObject({ response: { folio: conversation.folio, rating: 5, answers: [{ id: 'solicitud_resuelta', answer: true }] } });

    // Twilio replaying the last answer, or the Dial action again: no second survey, no duplicate.
    expect(sayTexts((await post(channel.id, channel.secrets['authToken'], 'survey/answer?q=3&r=0', answer(callSid, '5'))).verbs)).toEqual(['Lo sentimos, no encontramos su llamada. Por favor, marque de nuevo. Hasta luego.']);
    expect(gatherOf((await post(channel.id, channel.secrets['authToken'], 'survey/start', dialAction(callSid))).verbs)).toBeUndefined();
    expect(await db().selectFrom('survey_responses').select('id').where('conversation_id', '=', conversation.id).execute()).toHaveLength(1);
  });

  it('no agent on the call, a caller already gone, or the survey already answered on the web: goodbye and hang up, no survey', async () => {
    const noAgent = await agentCall(channel.id, { agents: false });
    const res = await post(channel.id, channel.secrets['authToken'], 'survey/start', dialAction(noAgent.callSid));
    expect(res.verbs).toEqual([{ verb: 'Say', text: 'Gracias por comunicarse con nosotros. Hasta luego.', language: 'es-MX', voice: 'Polly.Mia' }, { verb: 'Hangup' }]);
    expect(await callEvents(noAgent.callSid)).toEqual([]);

    const gone = await agentCall();
    const hungUp = await post(channel.id, channel.secrets['authToken'], 'survey/start', { ...dialAction(gone.callSid), CallStatus: 'completed' });
    expect(hungUp.verbs.map((v) => v.verb)).toEqual(['Say', 'Hangup']);
    expect(await callEvents(gone.callSid)).toEqual([]);

    const web = await agentCall();
    await db()
      .insertInto('survey_responses')
      .values({ conversation_id: web.conversation.id, campaign_id: campaignId, folio: web.conversation.folio, channel_id: channel.id, answers: JSON.stringify({ trato_amable: true }) })
      .execute();
    const twice = await post(channel.id, channel.secrets['authToken'], 'survey/start', dialAction(web.callSid));
    expect(twice.verbs.map((v) => v.verb)).toEqual(['Say', 'Hangup']);
    expect(await callEvents(web.callSid)).toEqual([]);
  });

  it('a channel with the survey switched off says goodbye', async () => {
    const { callSid } = await agentCall(offChannel.id);
    const res = await post(offChannel.id, offChannel.secrets['authToken'], 'survey/start', dialAction(callSid, offChannel));
    expect(res.status, res.body).toBe(200);
    expect(sayTexts(res.verbs)).toEqual(['Gracias por comunicarse con nosotros. Hasta luego.']);
    expect(res.verbs.at(-1)).toEqual({ verb: 'Hangup' });
    expect(await callEvents(callSid)).toEqual([]);
  });

  it('an unsigned or wrongly signed survey webhook is refused with 403', async () => {
    const { callSid } = await agentCall();
    const forged = await post(channel.id, 'not-the-token', 'survey/start', dialAction(callSid));
    expect(forged.status).toBe(403);
    expect(await callEvents(callSid)).toEqual([]);
  });

  it('the campaign’s questions are configured through the API (admin), validated with bilingual problems, and asked on the next call', async () => {
    const supervisor = await tokenFor(db(), (await createUser(db(), { roles: ['supervisor'], campaignIds: [campaignId] })).id);
    const url = `/api/v1/voice/survey-settings?campaignId=${campaignId}`;
    const read = await hub.app.inject({ method: 'GET', url, headers: bearer(supervisor) });
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json<{ settings: { questions: { kind: string }[] } }>().settings.questions.map((q) => q.kind)).toEqual(['yes_no', 'agent_rating', 'yes_no', 'rating']);

    const questions = [
      { id: 'tramite_concluido', kind: 'yes_no', text: '¿Concluyó su trámite? Marque 1 para sí o 2 para no.' },
      { id: 'asesor', kind: 'agent_rating', text: 'Del 1 al 5, ¿cómo le atendió el asesor?' },
    ];
    expect((await hub.app.inject({ method: 'PUT', url, headers: bearer(supervisor), payload: { questions } })).statusCode).toBe(403);
    const bad = await hub.app.inject({ method: 'PUT', url, headers: bearer(admin), payload: { questions: [...questions, { id: 'asesor', kind: 'rating', text: 'Otra vez' }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { code: string; message: string } }>().error).toMatchObject({ code: 'HUB_ERR_VALIDATION', message: expect.stringContaining('pregunta repetida: asesor / duplicate question id: asesor') });
    const saved = await hub.app.inject({ method: 'PUT', url, headers: bearer(admin), payload: { questions } });
    expect(saved.statusCode, saved.body).toBe(200);

    const { conversation, callSid } = await agentCall();
    const start = await post(channel.id, channel.secrets['authToken'], 'survey/start', dialAction(callSid));
    expect(sayTexts(gatherOf(start.verbs)?.children ?? [])).toEqual(['¿Concluyó su trámite? Marque 1 para sí o 2 para no.']);
    await post(channel.id, channel.secrets['authToken'], 'survey/answer?q=0&r=0', answer(callSid, '2'));
    const end = await post(channel.id, channel.secrets['authToken'], 'survey/answer?q=1&r=0', answer(callSid, '3'));
    expect(end.verbs.at(-1)).toEqual({ verb: 'Hangup' });
    expect(await db().selectFrom('survey_responses').select(['answers', 'no_count', 'rating']).where('conversation_id', '=', conversation.id).executeTakeFirst()).toEqual({ answers: { tramite_concluido: false }, no_count: 1, rating: null });
  });
});
