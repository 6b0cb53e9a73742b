import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nssCheckDigit } from '../../../hub/src/contacts/official-ids.js';
import type { SimulatedCall } from '../../harness/twilio-voice/index.js';
import { createApiChannel } from '../../support/factories.js';
import { setAgentSkills } from '../../support/router-factories.js';
import { refreshQueueTreatment } from '../../../hub/src/router/usecases/queue-treatment.usecase.js';
import { messageBody, signedHeaders } from '../../support/webhook.js';
import { callEvents, createVoiceAgent, createVoiceCampaign, startVoiceHub, waitFor, type VoiceCampaign, type VoiceHub } from './voice-hub-harness.js';

const CALLER_1 = '+525511112222';
const CALLER_2 = '+525533334444';
const CALLER_3 = '+525555556666';
const NSS = `1234567890${nssCheckDigit('1234567890')}`;

/**
 * Whole calls through the hub (issue 8): the voice bridge mounted in a live hub, the demo IVR in
 * production, the router's line, a real agent; Twilio played by the harness with signed webhooks.
 */
describe('voice bridge mounted in the hub: calls in the same router', () => {
  let h: VoiceHub;
  let c: VoiceCampaign;
  let agent: { id: string; token: string };
  let first: SimulatedCall;
  let second: SimulatedCall;
  let firstFolio = '';

  beforeAll(async () => {
    h = await startVoiceHub();
    c = await createVoiceCampaign(h);
    // Skills are set once the first calls are in line: until then nobody is staffed for them.
    agent = await createVoiceAgent(h, c.campaignId, {});
  }, 60_000);
  afterAll(async () => {
    await h?.cleanup();
  });

  const conversationOf = (id: string) => h.db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('a caller walks the demo IVR into the queue: conversation with folio, screen pop, call events in order, voice_calls row, NSS on the contact', async () => {
    first = await c.dial(CALLER_1);
    expect(first.heard().join(' ')).toContain('Bienvenido a la línea de atención del IMSS');
    await first.press('1');
    await first.press(NSS);
    await first.press('15031985');
    const enqueue = first.enqueued();
    expect(enqueue).not.toBeNull();
    expect(enqueue?.waitUrl).toBe(`${h.url}/webhooks/voice/${c.channelId}/wait`);

    const row = await h.db.selectFrom('voice_calls').selectAll().where('call_sid', '=', first.callSid).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ channel_id: c.channelId, campaign_id: c.campaignId, kind: 'inbound', direction: 'inbound', from_number: CALLER_1, ended_at: null });
    expect(row.conversation_id).not.toBeNull();
    const conversation = await conversationOf(row.conversation_id ?? '');
    firstFolio = conversation.folio;
    expect(conversation.folio).toMatch(new RegExp(`^${c.prefix}-\\d{8}-\\d{6}$`));
    // The Twilio queue is named after the folio; the IVR's skill picked the «Citas» queue.
    expect(enqueue?.queue).toBe(conversation.folio);
    expect(conversation).toMatchObject({ status: 'queued', queue_id: c.citasQueueId, channel_class: 'voice', campaign_id: c.campaignId, seat_type: 'PS-I' });

    const messages = await h.db.selectFrom('messages').selectAll().where('conversation_id', '=', conversation.id).execute();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ sender_type: 'system', direction: 'inbound', status: 'received' });
    expect(messages[0]?.text).toContain(`Llamada telefónica de ${CALLER_1} · folio ${conversation.folio}.`);
    expect(messages[0]?.text).toContain('menu-principal (1)');
    // Masked in the thread every agent reads; whole on the contact (checked below).
    expect(messages[0]?.text).toContain(`NSS: •••••••${NSS.slice(-4)}`);
    expect(messages[0]?.text).not.toContain(NSS);
    expect(messages[0]?.text).toContain('Fecha de nacimiento: 1985-03-15');

    const events = await callEvents(h.db, first.callSid);
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('call.incoming');
    expect(types.slice(-2)).toEqual(['call.ivr_outcome', 'call.enqueued']);
    expect(types.filter((t) => t === 'call.ivr_input')).toHaveLength(3);
    expect(row.event_count).toBe(events.length);
    for (let i = 1; i < events.length; i += 1) expect(events[i]!.occurred_at.getTime()).toBeGreaterThanOrEqual(events[i - 1]!.occurred_at.getTime());
    expect(events[0]).toMatchObject({ actor_type: 'provider', payload: { callSid: first.callSid, from: CALLER_1 } });
    expect(events.at(-1)).toMatchObject({
      actor_type: 'system',
      conversation_id: conversation.id,
      payload: { callSid: first.callSid, queueName: conversation.folio, conversationId: conversation.id, folio: conversation.folio, queueId: c.citasQueueId },
    });

    const domain = await h.db.selectFrom('interaction_events').select('type').where('conversation_id', '=', conversation.id).where('type', 'not like', 'call.%').orderBy('id').execute();
    expect(domain.map((e) => e.type)).toEqual(['contact.created', 'conversation.opened', 'conversation.queued']);
    const contact = await h.db.selectFrom('contacts').select(['nss']).where('id', '=', conversation.contact_id).executeTakeFirstOrThrow();
    expect(contact.nss).toBe(NSS);
  });

  it('the wait announcement reads the router’s place in line, not Twilio’s', async () => {
    second = await c.dial(CALLER_2);
    // Into the same «Citas» line as the first caller (lines of different queues do not compete without agents).
    await second.press('1');
    await second.press(NSS);
    await second.press('01021990');
    expect(second.enqueued()).not.toBeNull();
    // Twilio says 7th with a 30 s average; the router knows the caller is 2nd of the calls waiting.
    await second.waitInQueue({ position: 7, queueTime: 12, avgQueueTime: 30 });
    expect(second.heard()).toContain('Usted es la persona número 2 en la fila. El tiempo estimado de espera es de 1 minuto.');
    const announced = (await callEvents(h.db, second.callSid)).find((e) => e.type === 'call.wait_announced');
    expect(announced?.payload).toMatchObject({ position: '2', estimatedWaitSeconds: '60', queueTime: '12' });
    // The router's queue treatment computes the caller's place too, but never texts a phone call.
    const conversationId = (await h.db.selectFrom('voice_calls').select('conversation_id').where('call_sid', '=', second.callSid).executeTakeFirstOrThrow()).conversation_id ?? '';
    await refreshQueueTreatment(h.db, Date.now() + 5_000);
    const treated = await conversationOf(conversationId);
    expect(treated.treatment).toMatchObject({ position: 2 });
    const messages = await h.db.selectFrom('messages').select(['sender_type', 'direction']).where('conversation_id', '=', conversationId).execute();
    expect(messages).toEqual([{ sender_type: 'system', direction: 'inbound' }]);
  });

  it('an available voice agent is offered the first call; the call takes the whole seat (no chat offered meanwhile)', async () => {
    const { id: agentId, token } = agent;
    await setAgentSkills(h.db, agentId, { [c.skills.citas]: 1, [c.skills.general]: 1 });
    const available = await h.api('PUT', '/agents/me/state', token, { state: 'available' });
    expect(available.status).toBe(200);
    const firstConversation = (await h.db.selectFrom('voice_calls').select('conversation_id').where('call_sid', '=', first.callSid).executeTakeFirstOrThrow()).conversation_id ?? '';
    const offer = await waitFor('the offer of the first call', () =>
      h.db.selectFrom('offers').selectAll().where('agent_id', '=', agentId).where('status', '=', 'pending').executeTakeFirst(),
    );
    expect(offer).toMatchObject({ conversation_id: firstConversation, channel_class: 'voice', queue_id: c.citasQueueId });
    expect((await h.api('POST', `/offers/${offer.id}/accept`, token)).status).toBe(200);
    const seat = await h.db.selectFrom('agent_seats').selectAll().where('user_id', '=', agentId).executeTakeFirstOrThrow();
    expect(seat).toMatchObject({ load_voice: 1, load_text: 0, state: 'available' });

    // The second caller is now first in line; the estimate is the router's (one voice seat, 5 min AHT).
    await second.waitInQueue({ position: 4, queueTime: 40, avgQueueTime: 600 });
    expect(second.heard().at(-2)).toBe('Usted es la siguiente persona en ser atendida. El tiempo estimado de espera es de 5 minutos.');

    // A chat arrives for the same campaign: the agent on a call is not offered it.
    const { channel, secret } = await createApiChannel(h.db, c.campaignId);
    const body = messageBody({ id: `m-${Date.now()}`, phone: '+525577778888', name: 'Ciudadana', text: 'Hola' });
    expect((await fetch(`${h.url}/webhooks/api/${channel.id}`, { method: 'POST', headers: signedHeaders(secret, body), body })).status).toBe(200);
    const chat = await waitFor('the chat in line', () =>
      h.db.selectFrom('conversations').selectAll().where('channel_id', '=', channel.id).where('queue_id', 'is not', null).executeTakeFirst(),
    );
    await h.hub.ctx.router.runPass();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const chatOffers = await h.db.selectFrom('offers').select('id').where('conversation_id', '=', chat.id).execute();
    expect(chatOffers).toEqual([]);
    expect((await conversationOf(chat.id)).status).toBe('queued');
  });

  it('a caller who hangs up in line abandons the conversation; the call ends with Twilio’s duration', async () => {
    const row = await h.db.selectFrom('voice_calls').selectAll().where('call_sid', '=', second.callSid).executeTakeFirstOrThrow();
    expect((await conversationOf(row.conversation_id ?? '')).status).toBe('queued');
    const hangUp = await second.hangUp(95);
    expect(hangUp.status).toBe(200);
    const conversation = await waitFor('the abandoned conversation', async () => {
      const cv = await conversationOf(row.conversation_id ?? '');
      return cv.status === 'abandoned' ? cv : null;
    });
    expect(conversation.closed_at).not.toBeNull();
    const ended = await h.db.selectFrom('voice_calls').selectAll().where('call_sid', '=', second.callSid).executeTakeFirstOrThrow();
    expect(ended).toMatchObject({ status: 'completed', twilio_duration: 95 });
    expect(ended.ended_at).not.toBeNull();
    const abandoned = await h.db.selectFrom('interaction_events').select(['payload']).where('conversation_id', '=', conversation.id).where('type', '=', 'conversation.abandoned').execute();
    expect(abandoned).toHaveLength(1);
    expect(abandoned[0]?.payload).toMatchObject({ cause: 'contact_left', statusBefore: 'queued' });
    const types = (await callEvents(h.db, second.callSid)).map((e) => e.type);
    expect(types.slice(-2)).toEqual(['call.status', 'call.ended']);
  });

  it('folio status is read back for an existing folio of the campaign (keyed as its 14 digits)', async () => {
    const third = await c.dial(CALLER_3);
    await third.press('2');
    const digits = firstFolio.replace(/\D/g, '');
    expect(digits).toHaveLength(14);
    await third.press(digits);
    const heard = third.heard().join(' ');
    expect(heard).toContain('está: en atención con un asesor.');
    await third.press('3');
    expect(third.has('Hangup')).toBe(true);

    // A folio nobody has in this campaign is «not found».
    const fourth = await c.dial(CALLER_3);
    await fourth.press('2');
    await fourth.press('20200101999999');
    expect(fourth.heard().join(' ')).toContain('No encontramos el folio');
    expect(fourth.heard().join(' ')).not.toContain('está:');
  });
});
