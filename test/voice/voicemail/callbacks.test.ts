import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallbackDialer } from '../../../hub/src/voice/callbacks/callback-dialer.js';
import { tokenFor } from '../../support/auth.js';
import { createUser } from '../../support/factories.js';
import { callEvents, createVoiceAgent, startVoiceHub, waitFor, type VoiceHub } from '../core/voice-hub-harness.js';
import { createVoicemailCampaign, nodesOf, postCall, saidIn, type VoicemailCampaign } from './voicemail-hub.js';

const QUEUE_CALLER = '+525522220001';
const WEB_CITIZEN = '+525544445555';
const UNREACHABLE = '+525566667777';

/**
 * Call-backs through the hub (issue 8 item 6): requested from the line, the API and validated;
 * routed to an agent as an outbound call task; the dialer calls the citizen through the Twilio
 * harness into the conversation's conference; no answer → retried after the delay, then exhausted.
 */
describe('call-backs', () => {
  let h: VoiceHub;
  let c: VoicemailCampaign;
  let agent: { id: string; token: string };
  let supervisor = '';

  beforeAll(async () => {
    h = await startVoiceHub();
    c = await createVoicemailCampaign(h);
    agent = await createVoiceAgent(h, c.campaignId, { [c.skills.general]: 1, [c.skills.citas]: 1 });
    supervisor = (await createVoiceAgent(h, c.campaignId, {}, ['supervisor'])).token;
  }, 60_000);
  afterAll(async () => {
    await c?.cloud.close();
    await h?.cleanup();
  });

  const callbackOf = (id: string) => h.db.selectFrom('voice_callbacks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const conversationOf = (id: string) => h.db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  /** The agent takes the next offer of that conversation. */
  async function acceptOffer(conversationId: string): Promise<void> {
    const offer = await waitFor('the call-back offered to the agent', () =>
      h.db.selectFrom('offers').selectAll().where('conversation_id', '=', conversationId).where('status', '=', 'pending').executeTakeFirst(),
    );
    expect(offer).toMatchObject({ agent_id: agent.id, channel_class: 'voice' });
    expect((await h.api('POST', `/offers/${offer.id}/accept`, agent.token)).status).toBe(200);
  }

  it('press 2 while waiting → the call-back on the caller’s conversation (same folio); the caller hears the number and the folio', async () => {
    const call = await c.dial(QUEUE_CALLER);
    await call.press('0');
    const conversationId = (await h.db.selectFrom('voice_calls').select('conversation_id').where('call_sid', '=', call.callSid).executeTakeFirstOrThrow()).conversation_id ?? '';
    await call.waitInQueue({ position: 1, queueTime: 20, avgQueueTime: 60 });
    await call.press('2');
    const after = await postCall(call, 'queue/after', { QueueResult: 'leave', QueueTime: '25' });
    const folio = (await conversationOf(conversationId)).folio;
    const spelledFolio = folio.split('-').map((part) => part.split('').join(' ')).join(', guion, ');
    expect(saidIn(nodesOf(after))).toBe(`Le llamaremos al número 5 5, 2 2 2 2, 0 0 0 1. Su folio es ${spelledFolio}. Gracias por llamar; hasta luego.`);
    expect(nodesOf(after).at(-1)?.name).toBe('Hangup');

    const callbacks = await h.db.selectFrom('voice_callbacks').selectAll().where('conversation_id', '=', conversationId).execute();
    expect(callbacks).toHaveLength(1);
    expect(callbacks[0]).toMatchObject({ source: 'queue', phone: QUEUE_CALLER, status: 'pending', attempts: 0, max_attempts: 2, origin_call_sid: call.callSid });
    // Out of the router's reach until due (and until the caller's own call is over).
    expect(await conversationOf(conversationId)).toMatchObject({ status: 'waiting_contact', channel_class: 'voice', assignee_id: null });
    const events = await callEvents(h.db, call.callSid);
    expect(events.find((e) => e.type === 'call.callback_created')?.payload).toMatchObject({ callbackId: callbacks[0]?.id, phone: QUEUE_CALLER });
    expect(events.find((e) => e.type === 'call.left_queue')?.payload).toMatchObject({ result: 'leave', queueTime: '25' });
    // The caller's hang-up does not abandon the call-back's conversation.
    await call.hangUp(40);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await conversationOf(conversationId)).closed_at).toBeNull();
    // Cancelled here so it does not compete with the next tests for the agent.
    const cancelled = await h.api('POST', `/voice/callbacks/${callbacks[0]?.id}/cancel`, supervisor);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', folio });
    expect(await conversationOf(conversationId)).toMatchObject({ status: 'resolved' });
  });

  it('API request → routed to the agent → the citizen is called (To/From), hears the folio and joins the conversation’s conference; hang-up → completed', async () => {
    const res = await h.api('POST', '/voice/callbacks', agent.token, { campaignId: c.campaignId, phone: '55 4444 5555', name: 'Rosa Pérez', note: 'Pregunta por su pensión' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ source: 'api', phone: WEB_CITIZEN, status: 'pending', created: true, name: 'Rosa Pérez' });
    const id = String(res.body['id']);
    const conversationId = String(res.body['conversationId']);
    const folio = String(res.body['folio']);
    const first = await h.db.selectFrom('messages').select('text').where('conversation_id', '=', conversationId).executeTakeFirstOrThrow();
    expect(first.text).toContain('Solicitud de devolución de llamada al +525544445555 (API). Nota: Pregunta por su pensión');

    expect((await h.api('PUT', '/agents/me/state', agent.token, { state: 'available' })).status).toBe(200);
    await acceptOffer(conversationId);
    const dialed = await waitFor('the citizen dialed', async () => c.cloud.callsTo(WEB_CITIZEN)[0]);
    expect(dialed).toMatchObject({ from: '+528006232323', direction: 'outbound-api' });
    const created = c.cloud.requests.find((r) => r.method === 'POST' && r.path.endsWith('/Calls.json') && r.form['To'] === WEB_CITIZEN);
    expect(created?.form).toMatchObject({ From: '+528006232323', Url: `${h.url}/webhooks/voice/${c.channelId}/callback/answer?callback=${id}`, StatusCallback: `${h.url}/webhooks/voice/${c.channelId}/callback/status?callback=${id}` });

    const leg = await waitFor('the call-back leg stored', () => h.db.selectFrom('voice_calls').selectAll().where('call_sid', '=', dialed.sid).executeTakeFirst());
    expect(leg).toMatchObject({ kind: 'callback', direction: 'outbound', conversation_id: conversationId, to_number: WEB_CITIZEN, from_number: '+528006232323' });
    const conference = `ventanilla-${conversationId}`;
    await waitFor('the citizen in the conference', async () => c.cloud.call(dialed.sid).conference === conference);
    expect(c.cloud.call(dialed.sid).heard.join(' ')).toContain(`sobre su folio ${folio.split('-').map((p) => p.split('').join(' ')).join(', guion, ')}`);
    const connected = await callbackOf(id);
    expect(connected).toMatchObject({ status: 'connected', outcome: 'answered', attempts: 1, agent_id: agent.id, last_call_sid: dialed.sid });

    await c.cloud.hangUp(dialed.sid);
    await waitFor('the call-back completed', async () => (await callbackOf(id)).status === 'completed');
    // The agent wraps up: the conversation (and the voice seat) is theirs until resolved.
    expect((await h.api('POST', `/conversations/${conversationId}/resolve`, agent.token, { reason: 'Atendida por devolución de llamada' })).status).toBe(200);
    expect((await h.api('PUT', '/agents/me/state', agent.token, { state: 'offline' })).status).toBe(200);
  });

  it('no answer → attempt counted, the conversation leaves the agent and waits (same folio) until the retry delay; exhausted → failed and resolved with a Spanish note', async () => {
    c.cloud.behave(UNREACHABLE, { answer: false, status: 'no-answer' });
    const res = await h.api('POST', '/voice/callbacks', supervisor, { campaignId: c.campaignId, phone: '+52 55 6666 7777' });
    expect(res.status).toBe(201);
    const id = String(res.body['id']);
    const conversationId = String(res.body['conversationId']);
    const folio = String(res.body['folio']);

    expect((await h.api('PUT', '/agents/me/state', agent.token, { state: 'available' })).status).toBe(200);
    await acceptOffer(conversationId);
    const retrying = await waitFor('the first attempt failed', async () => {
      const row = await callbackOf(id);
      return row.status === 'pending' && row.attempts === 1 ? row : null;
    });
    expect(retrying.outcome).toBe('no-answer');
    expect(retrying.due_at.getTime() - Date.now()).toBeGreaterThan(50_000); // callbackRetryMinutes: 1
    expect(await conversationOf(conversationId)).toMatchObject({ status: 'waiting_contact', assignee_id: null, folio });
    expect(c.cloud.callsTo(UNREACHABLE)).toHaveLength(1);
    // Not offered again before it is due.
    await h.hub.ctx.router.runPass();
    expect(await h.db.selectFrom('offers').select('id').where('conversation_id', '=', conversationId).where('status', '=', 'pending').execute()).toEqual([]);

    // A minute later (the dialer's clock moved on): back in line, offered, dialed again.
    const later = new CallbackDialer(h.hub.ctx, { intervalMs: 60_000, now: () => Date.now() + 61_000 });
    await later.tick();
    expect(await callbackOf(id)).toMatchObject({ status: 'queued' });
    await acceptOffer(conversationId);
    const failed = await waitFor('the call-back exhausted', async () => {
      const row = await callbackOf(id);
      return row.status === 'failed' ? row : null;
    });
    expect(failed).toMatchObject({ attempts: 2, outcome: 'no-answer' });
    expect(c.cloud.callsTo(UNREACHABLE)).toHaveLength(2);
    expect(await conversationOf(conversationId)).toMatchObject({ status: 'resolved', folio });
    const resolved = await h.db.selectFrom('interaction_events').select('payload').where('conversation_id', '=', conversationId).where('type', '=', 'conversation.resolved').executeTakeFirstOrThrow();
    expect(resolved.payload).toMatchObject({ reason: expect.stringMatching(/^Devolución de llamada sin éxito: 2 intentos, el último: no contestó\./) });
    const seat = await h.db.selectFrom('agent_seats').select(['load_voice']).where('user_id', '=', agent.id).executeTakeFirstOrThrow();
    expect(seat.load_voice).toBe(0);
  });

  it('API validation in Spanish, roles and campaigns', async () => {
    const bad = await h.api('POST', '/voice/callbacks', agent.token, { campaignId: c.campaignId, phone: '12345' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('Número telefónico inválido');
    const missing = await h.api('POST', '/voice/callbacks', agent.token, { campaignId: c.campaignId });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('phone');
    const unknownField = await h.api('POST', '/voice/callbacks', agent.token, { campaignId: c.campaignId, phone: '5512345678', prioridad: 1 });
    expect(unknownField.status).toBe(400);
    expect(JSON.stringify(unknownField.body)).toContain('campos desconocidos');
    const before = await h.db.selectFrom('voice_callbacks').select('id').where('campaign_id', '=', c.campaignId).execute();

    const stranger = await tokenFor(h.db, (await createUser(h.db, { roles: ['agent'], campaignIds: [] })).id);
    expect((await h.api('POST', '/voice/callbacks', stranger, { campaignId: c.campaignId, phone: '5512345678' })).status).toBe(403);
    expect((await h.api('GET', `/voice/callbacks?campaignId=${c.campaignId}`, stranger)).status).toBe(403);
    const auditor = await tokenFor(h.db, (await createUser(h.db, { roles: ['auditor'], campaignIds: [c.campaignId] })).id);
    expect((await h.api('POST', '/voice/callbacks', auditor, { campaignId: c.campaignId, phone: '5512345678' })).status).toBe(403);
    expect((await h.db.selectFrom('voice_callbacks').select('id').where('campaign_id', '=', c.campaignId).execute()).length).toBe(before.length);

    const list = await h.api('GET', `/voice/callbacks?campaignId=${c.campaignId}`, agent.token);
    expect(list.status).toBe(200);
    expect((list.body['items'] as unknown[]).length).toBe(before.length);
    const one = (list.body['items'] as { id: string; status: string }[]).find((item) => item.status === 'failed');
    // Agents cannot cancel; a finished call-back cannot be cancelled.
    expect((await h.api('POST', `/voice/callbacks/${one?.id}/cancel`, agent.token)).status).toBe(403);
    expect((await h.api('POST', `/voice/callbacks/${one?.id}/cancel`, supervisor)).status).toBe(409);
    expect((await h.api('POST', '/voice/callbacks/00000000-0000-4000-8000-000000000000/cancel', supervisor)).status).toBe(404);
  });
});
