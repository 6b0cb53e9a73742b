import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sayTexts, type SimulatedCall, type TwimlVerb } from '../../harness/twilio-voice/index.js';
import { DEFAULT_IVR_TREE } from '../../../hub/src/voice/core/default-ivr.js';
import { PgCallStore } from '../../../hub/src/voice/core/pg-call-store.js';
import { createUser } from '../../support/factories.js';
import { callEvents, createVoiceCampaign, startVoiceHub, waitFor, type VoiceCampaign, type VoiceHub } from '../core/voice-hub-harness.js';

/**
 * A whole call through a live hub (API and workers, real PostgreSQL and Redis) driven by the
 * Twilio Voice harness: the IVR, the line, an agent conversation, the post-call survey by keypad,
 * the hang-up — then the metering loop running in the hub's workers turns the call's events into
 * usage facts. The agent's join and leave are appended to the call record as the agent part's
 * conference callbacks append them (`agent_connected`, `agent_left` on the citizen's record).
 */
describe('a whole call: IVR, line, agent, survey, hang-up, usage facts', () => {
  let h: VoiceHub;
  let c: VoiceCampaign;
  let agentId: string;

  beforeAll(async () => {
    h = await startVoiceHub();
    c = await createVoiceCampaign(h, { tree: DEFAULT_IVR_TREE });
    agentId = (await createUser(h.db, { roles: ['agent'], campaignIds: [c.campaignId] })).id;
  });
  afterAll(async () => {
    await h?.cleanup();
  });

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** Twilio posting the caller's <Dial action> when the conference ends; the caller then follows that TwiML. */
  async function dialEnded(call: SimulatedCall): Promise<TwimlVerb[]> {
    const exchange = await call.post(`${call.base}/survey/start`, { AccountSid: c.accountSid, CallSid: call.callSid, CallStatus: 'in-progress', DialCallStatus: 'completed', DialCallDuration: '2' });
    expect(exchange.status, exchange.body).toBe(200);
    call.verbs = exchange.verbs ?? [];
    return call.verbs;
  }

  it('the caller is surveyed after the agent hangs up, and the call is metered to the second from its own events', async () => {
    const call = await c.dial('+525544443333');
    expect(call.enqueued()?.queue).toMatch(new RegExp(`^${c.prefix}-`));
    const row = await h.db.selectFrom('voice_calls').select(['conversation_id']).where('call_sid', '=', call.callSid).executeTakeFirstOrThrow();
    const conversationId = row.conversation_id ?? '';

    await sleep(1100);
    const store = new PgCallStore(h.db);
    const connect = await store.get(call.callSid);
    if (!connect) throw new Error('the call is not stored');
    connect.events.push({ at: new Date().toISOString(), type: 'agent_connected', data: { agentId, seatType: 'PS-I', agentCallSid: 'CA0000000000000000000000000000aaaa' } });
    await store.save(connect);
    await sleep(2100);
    const leave = await store.get(call.callSid);
    if (!leave) throw new Error('the call is not stored');
    leave.events.push({ at: new Date().toISOString(), type: 'agent_left', data: { agentId, reason: 'hangup' } });
    await store.save(leave);

    expect(sayTexts(await dialEnded(call))).toEqual([
      'Gracias por su llamada. Le pedimos contestar una breve encuesta de satisfacción con el teclado de su teléfono.',
      '¿Se resolvió el motivo de su llamada? Marque 1 para sí o 2 para no.',
    ]);
    expect(call.gather()?.action).toBe(`${call.base}/survey/answer?q=0&r=0`);
    await call.press('1');
    await call.press('5');
    await call.silence();
    await call.press('4');
    expect(call.heard().slice(-4)).toEqual([
      'Califique la atención del asesor del 1 al 5, donde 5 es excelente.',
      '¿Recomendaría este servicio? Marque 1 para sí o 2 para no.',
      'En general, ¿cómo califica el servicio del 1 al 5, donde 5 es excelente?',
      'Gracias por sus respuestas. Que tenga un excelente día. Hasta luego.',
    ]);
    expect(call.has('Hangup')).toBe(true);
    await call.hangUp();

    const response = await h.db.selectFrom('survey_responses').selectAll().where('conversation_id', '=', conversationId).executeTakeFirstOrThrow();
    expect(response).toMatchObject({ channel_id: c.channelId, rating: 4, answers: { solicitud_resuelta: true }, yes_count: 1 });
    expect(await h.db.selectFrom('survey_agent_ratings').select(['agent_id', 'tier', 'rating']).where('response_id', '=', response.id).execute()).toEqual([{ agent_id: agentId, tier: 'PS-I', rating: 5 }]);

    // The hub's own metering loop (workers) picks the ended call up.
    const summary = await waitFor('the call to be metered', () => h.db.selectFrom('voice_call_usage').selectAll().where('call_sid', '=', call.callSid).executeTakeFirst(), 15_000);
    const events = await callEvents(h.db, call.callSid);
    const at = (type: string) => events.find((e) => e.type === `call.${type}`)?.occurred_at.getTime() ?? NaN;
    const floorSeconds = (from: number, to: number) => Math.floor((to - from) / 1000);
    const facts = await h.db.selectFrom('voice_usage_facts').select(['concept', 'quantity', 'duration_ms', 'agent_id', 'seat_type']).where('call_sid', '=', call.callSid).orderBy('seq').execute();
    expect(facts).toEqual([
      { concept: 'ivr_seconds', quantity: floorSeconds(at('incoming'), at('enqueued')), duration_ms: String(at('enqueued') - at('incoming')), agent_id: null, seat_type: null },
      { concept: 'queue_seconds', quantity: floorSeconds(at('enqueued'), at('agent_connected')), duration_ms: String(at('agent_connected') - at('enqueued')), agent_id: null, seat_type: null },
      { concept: 'talk_seconds', quantity: floorSeconds(at('agent_connected'), at('agent_left')), duration_ms: String(at('agent_left') - at('agent_connected')), agent_id: agentId, seat_type: 'PS-I' },
      { concept: 'survey_seconds', quantity: floorSeconds(at('survey_started'), at('survey_completed')), duration_ms: String(at('survey_completed') - at('survey_started')), agent_id: null, seat_type: null },
    ]);
    expect(facts[1]?.quantity).toBeGreaterThanOrEqual(1);
    expect(facts[2]?.quantity).toBeGreaterThanOrEqual(2);
    const twilioSeconds = Number(events.find((e) => e.type === 'call.ended')?.payload['duration']);
    expect(summary).toMatchObject({ our_seconds: floorSeconds(at('incoming'), at('ended')), twilio_seconds: twilioSeconds, mismatch: false });
    expect(Math.abs(summary.difference_seconds ?? 99)).toBeLessThanOrEqual(2);
  });
});
