import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { SimulatedCall } from '../../harness/twilio-voice/index.js';
import { startVoiceHub, waitFor, type VoiceHub } from '../core/voice-hub-harness.js';
import { agentVoiceSetup, LINE, NSS, type AgentVoiceSetup } from '../agent/agent-hub.js';
import { acceptOffer, expectedFacts, loginAgent, meteredCall, pendingOffer, setState, sleep, sortFacts, type Agent } from './acceptance-kit.js';

/**
 * Issue 8 "done when", end to end: a real hub (API + workers, PostgreSQL, Redis), the voice
 * channel's REST on the TwilioVoiceCloud, the demo IVR in production for the campaign (as
 * `npm run demo` seeds it). A caller keys through the IVR into the line, hears their place and
 * estimated wait, an agent logged in through the API takes the call, holds and resumes it and hangs
 * up; the caller answers the keypad survey; the metering loop's usage facts are checked to the
 * second against the stored call events and Twilio's CallDuration.
 */
describe('acceptance: a whole call through the demo IVR, an agent, the survey and the usage facts', () => {
  let h: VoiceHub;
  let s: AgentVoiceSetup;
  let ana: Agent;
  let caller: SimulatedCall;
  let conversationId = '';
  let folio = '';

  beforeAll(async () => {
    h = await startVoiceHub();
    s = await agentVoiceSetup(h);
    ana = await loginAgent(h, [s.c.campaignId], { [s.c.skills.citas]: 1, [s.c.skills.general]: 1 });
  }, 60_000);
  afterAll(async () => {
    ana?.inbox.disconnect();
    await s?.cloud.close();
    await h?.cleanup();
  });

  const conversationOf = async (callSid: string) => {
    const row = await h.db.selectFrom('voice_calls').select('conversation_id').where('call_sid', '=', callSid).executeTakeFirstOrThrow();
    return h.db.selectFrom('conversations').select(['id', 'folio', 'status']).where('id', '=', row.conversation_id ?? '').executeTakeFirstOrThrow();
  };

  it('the caller keys through the demo IVR into the line and hears their place and estimated wait', async () => {
    // Another caller reaches the line first and is being offered to Ana: she is staffed but busy.
    const first = await s.c.dial('+525511110000');
    await first.press('0');
    s.cloud.inbound(first);
    await s.cloud.settle();
    const firstConversation = await conversationOf(first.callSid);
    await setState(h, ana, 'available');
    await pendingOffer(ana, firstConversation.id);

    caller = await s.c.dial('+525511110001');
    expect(caller.heard()).toEqual([
      'Bienvenido a la línea de atención del IMSS.',
      'Aviso de privacidad: los datos personales que nos proporcione en esta llamada se usarán solo para atender su solicitud. Consulte el aviso de privacidad integral en imss punto gob punto mx.',
      'Para citas médicas, marque 1 o diga «citas». Para conocer el estatus de un folio, marque 2 o diga «folio». Para información de semanas cotizadas, marque 3. Para hablar con un asesor, marque 0.',
    ]);
    await caller.press('1');
    expect(caller.heard().at(-1)).toBe('Marque los 11 dígitos de su número de seguridad social.');
    await caller.press('1234');
    expect(caller.heard().slice(-2)).toEqual(['El número de seguridad social no es válido.', 'Marque los 11 dígitos de su número de seguridad social.']);
    await caller.press(NSS);
    expect(caller.heard().at(-1)).toBe('Marque su fecha de nacimiento: dos dígitos del día, dos del mes y cuatro del año.');
    await sleep(1100); // the caller looks for their birth date: IVR time worth a second
    await caller.press('15031985');
    expect(caller.heard().at(-1)).toBe('Gracias. En un momento un asesor le ayudará con su cita.');
    const enqueue = caller.enqueued();
    ({ id: conversationId, folio } = await conversationOf(caller.callSid));
    expect(enqueue?.queue).toBe(folio);
    expect(folio).toMatch(new RegExp(`^${s.c.prefix}-\\d{8}-\\d{6}$`));

    // The cloud takes the caller's wait over: Twilio fetches the <Enqueue waitUrl>.
    s.cloud.inbound(caller);
    await s.cloud.rewait(caller.callSid);
    expect(s.cloud.queue(folio)).toEqual([caller.callSid]);
    // Next in line (the other caller is already being offered) with Ana's one seat at the voice AHT default of 5 minutes.
    expect(s.cloud.call(caller.callSid).heard.slice(-3)).toEqual([
      'Usted es la siguiente persona en ser atendida. El tiempo estimado de espera es de 5 minutos.',
      'Para dejar un mensaje de voz, marque 1; para que le devolvamos la llamada, marque 2.',
      expect.stringMatching(/^https?:\/\/.+\.mp3$/),
    ]);
    const announced = await waitFor('wait_announced', async () => (await callEventsOf(caller.callSid)).find((e) => e.type === 'call.wait_announced'));
    expect(announced.payload).toMatchObject({ position: '1', estimatedWaitSeconds: '300' });

    await sleep(1200); // waiting in line with the music

    // The first caller gives up; the line moves and Ana is offered our caller; she accepts in the inbox.
    await s.cloud.hangUp(first.callSid);
    await waitFor('the first caller abandoned', async () => (await conversationOf(first.callSid)).status !== 'offered' || null);
    await acceptOffer(h, ana, conversationId);
    expect(s.cloud.errors).toEqual([]);
  });

  it('the agent reaches the caller: caller redirected into the conference, client:agent-<id> dialed; screen pop with the IVR path and the masked NSS', async () => {
    const conferenceName = `ventanilla-${conversationId}`;
    await waitFor('both parties in the conference', async () => (s.cloud.conferences.get(conferenceName)?.participants.size ?? 0) === 2);
    const redirect = s.cloud.requests.find((r) => r.method === 'POST' && r.path.endsWith(`/Calls/${caller.callSid}.json`));
    expect(redirect?.form['Url']).toBe(`${h.url}/webhooks/voice/${s.c.channelId}/agent/caller-join`);
    const dialed = s.cloud.requests.find((r) => r.method === 'POST' && r.path.endsWith(`/Conferences/${conferenceName}/Participants.json`));
    expect(dialed?.form).toMatchObject({ To: `client:agent-${ana.id}`, From: LINE, Label: 'agent' });
    expect(s.cloud.queue(folio)).toEqual([]);
    expect(s.cloud.call(caller.callSid).conference).toBe(conferenceName);
    const connected = await waitFor('agent_connected', async () => (await callEventsOf(caller.callSid)).find((e) => e.type === 'call.agent_connected'));
    expect(connected.payload).toMatchObject({ agentId: ana.id, seatType: 'PS-I' });

    const pop = await h.api('GET', `/voice/calls/${conversationId}`, ana.token);
    expect(pop.status).toBe(200);
    expect(pop.body).toMatchObject({ conversationId, folio, assigneeId: ana.id, caller: { number: '+525511110001', callSid: caller.callSid, state: 'talking' } });
    const ivr = pop.body['ivr'] as { steps: string[]; captured: { field: string; value: string }[] };
    expect(ivr.steps.some((step) => step.includes('marcó 1'))).toBe(true);
    expect(ivr.captured.find((f) => /nss/i.test(f.field))?.value).toBe(`•••••••${NSS.slice(-4)}`);
    expect(JSON.stringify(pop.body)).not.toContain(NSS);
  });

  it('hold and resume through the call-control API, then the agent hangs up and the caller answers the keypad survey', async () => {
    await sleep(2000);
    expect((await h.api('POST', `/voice/calls/${conversationId}/hold`, ana.token)).status).toBe(200);
    await waitFor('the caller on hold', async () => (await callEventsOf(caller.callSid)).some((e) => e.type === 'call.hold'));
    expect(s.cloud.conferences.get(`ventanilla-${conversationId}`)?.participants.get(caller.callSid)?.hold).toBe(true);
    await sleep(1500);
    expect((await h.api('POST', `/voice/calls/${conversationId}/unhold`, ana.token)).status).toBe(200);
    await waitFor('the caller back', async () => (await callEventsOf(caller.callSid)).some((e) => e.type === 'call.unhold'));
    await sleep(1000);
    expect((await h.api('POST', `/voice/calls/${conversationId}/hangup`, ana.token)).status).toBe(200);

    const action = await waitFor('the caller’s <Dial action>', async () => s.cloud.webhooks.find((w) => w.callSid === caller.callSid && w.kind === 'action' && w.url.endsWith('/survey/start')));
    expect(action.params['DialCallStatus']).toBe('completed');
    await s.cloud.settle();
    expect(s.cloud.call(caller.callSid).heard.slice(-2)).toEqual([
      'Gracias por su llamada. Le pedimos contestar una breve encuesta de satisfacción con el teclado de su teléfono.',
      '¿Se resolvió el motivo de su llamada? Marque 1 para sí o 2 para no.',
    ]);
    await s.cloud.press(caller.callSid, '1');
    await s.cloud.press(caller.callSid, '5');
    await s.cloud.press(caller.callSid, '1');
    await s.cloud.press(caller.callSid, '4');
    expect(s.cloud.call(caller.callSid).heard.slice(-4)).toEqual([
      'Califique la atención del asesor del 1 al 5, donde 5 es excelente.',
      '¿Recomendaría este servicio? Marque 1 para sí o 2 para no.',
      'En general, ¿cómo califica el servicio del 1 al 5, donde 5 es excelente?',
      'Gracias por sus respuestas. Que tenga un excelente día. Hasta luego.',
    ]);
    await waitFor('the call over', async () => s.cloud.call(caller.callSid).status === 'completed');

    // call_sid is written with SQL by voice/survey/ (not in the Kysely types).
    const { rows } = await sql<{ id: string; folio: string; rating: number | null; answers: Record<string, unknown>; call_sid: string | null; channel_id: string | null }>`
      SELECT r.id, c.folio, r.rating, r.answers, r.call_sid, r.channel_id
        FROM survey_responses r JOIN conversations c ON c.id = r.conversation_id WHERE r.conversation_id = ${conversationId}`.execute(h.db);
    expect(rows).toHaveLength(1);
    const response = rows[0] ?? { id: '' };
    expect(response).toMatchObject({ folio, rating: 4, call_sid: caller.callSid, channel_id: s.c.channelId, answers: { solicitud_resuelta: true } });
    const ratings = await h.db.selectFrom('survey_agent_ratings').select(['agent_id', 'tier', 'rating']).where('response_id', '=', response.id).execute();
    expect(ratings).toEqual([{ agent_id: ana.id, tier: 'PS-I', rating: 5 }]);
    expect(s.cloud.errors).toEqual([]);
  });

  it('usage facts right to the second, from the stored events, cross-checked with Twilio’s CallDuration', async () => {
    const { summary, facts } = await meteredCall(h.db, caller.callSid);
    const { facts: expected, events } = await expectedFacts(h.db, caller.callSid);
    expect(expected.map((f) => f.concept)).toEqual(['ivr_seconds', 'queue_seconds', 'talk_seconds', 'hold_seconds', 'survey_seconds']);
    expect(sortFacts(facts)).toEqual(sortFacts(expected));
    const byConcept = (concept: string) => facts.find((f) => f.concept === concept)?.quantity ?? -1;
    expect(byConcept('talk_seconds')).toBeGreaterThanOrEqual(2);
    expect(byConcept('hold_seconds')).toBeGreaterThanOrEqual(1);
    expect(byConcept('queue_seconds')).toBeGreaterThanOrEqual(1);
    expect(byConcept('ivr_seconds')).toBeGreaterThanOrEqual(1);
    expect(facts.find((f) => f.concept === 'talk_seconds')).toMatchObject({ agent_id: ana.id, seat_type: 'PS-I' });

    const incoming = events.find((e) => e.type === 'incoming')?.at ?? NaN;
    const ended = events.find((e) => e.type === 'ended')?.at ?? NaN;
    const twilioSeconds = s.cloud.call(caller.callSid).duration;
    expect(twilioSeconds).not.toBeNull();
    expect(summary).toMatchObject({ our_seconds: Math.floor((ended - incoming) / 1000), twilio_seconds: twilioSeconds, mismatch: false });
    expect(Math.abs(summary.difference_seconds ?? 99)).toBeLessThanOrEqual(2);
  });

  async function callEventsOf(callSid: string) {
    const { rows } = await sql<{ type: string; payload: Record<string, unknown> }>`
      SELECT type, payload FROM interaction_events WHERE type LIKE 'call.%' AND payload->>'callSid' = ${callSid} ORDER BY id`.execute(h.db);
    return rows;
  }
});
