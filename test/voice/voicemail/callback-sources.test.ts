import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebchatChannel, FOREIGN_ORIGIN, startVisitor, widgetCall } from '../../webchat/widget-harness.js';
import { callEvents, createVoiceAgent, startVoiceHub, type VoiceHub } from '../core/voice-hub-harness.js';
import { createVoicemailCampaign, nodesOf, postCall, recordingFields, saidIn, type VoicemailCampaign } from './voicemail-hub.js';

const IVR_CALLER = '+525533330001';
const VOICEMAIL_CALLER = '+525533330002';

/**
 * The other ways into a call-back (issue 8 item 6): the IVR's call-back node (the demo tree's
 * closed-hours menu, when voicemail is not the only option), a staff action on a voicemail, and
 * the web chat widget (visitor token, rate limit, Spanish validation).
 */
describe('call-back sources: IVR node, voicemail, web widget', () => {
  let h: VoiceHub;
  let closed: VoicemailCampaign;
  let agent: { id: string; token: string };

  beforeAll(async () => {
    h = await startVoiceHub();
    // Closed, and voicemail is not the only option: the demo tree's own closed menu answers.
    closed = await createVoicemailCampaign(h, { closed: true, settings: { voicemailOutsideHours: false } });
    agent = await createVoiceAgent(h, closed.campaignId, {});
  }, 60_000);
  afterAll(async () => {
    await closed?.cloud.close();
    await h?.cleanup();
  });

  it('IVR: closed menu, 2 → the call-back node → created with a new folio; the tree’s confirmation with the number and folio', async () => {
    const call = await closed.dial(IVR_CALLER);
    expect(call.heard().join(' ')).toContain('Para que un asesor le devuelva la llamada, marque 2');
    await call.press('2');
    const redirect = call.verbs.find((v) => v.verb === 'Redirect');
    expect(redirect).toMatchObject({ url: `${h.url}/webhooks/voice/${closed.channelId}/callback/ivr` });
    const confirm = await postCall(call, 'callback/ivr');
    const callback = await h.db.selectFrom('voice_callbacks').selectAll().where('origin_call_sid', '=', call.callSid).executeTakeFirstOrThrow();
    const conversation = await h.db.selectFrom('conversations').selectAll().where('id', '=', callback.conversation_id).executeTakeFirstOrThrow();
    expect(callback).toMatchObject({ source: 'ivr', phone: IVR_CALLER, status: 'pending', campaign_id: closed.campaignId });
    expect(conversation).toMatchObject({ status: 'waiting_contact', channel_class: 'voice', closed_at: null });
    const folio = conversation.folio.split('-').map((p) => p.split('').join(' ')).join(', guion, ');
    expect(saidIn(nodesOf(confirm))).toBe(`Le llamaremos al número 5 5, 3 3 3 3, 0 0 0 1 en horario de atención. Su folio es ${folio}. Gracias por llamar al IMSS; hasta luego.`);
    expect((await callEvents(h.db, call.callSid)).find((e) => e.type === 'call.callback_created')?.payload).toMatchObject({ callbackId: callback.id, phone: IVR_CALLER });
    // Asked again (Twilio retried the redirect): the same task, not a second one.
    await postCall(call, 'callback/ivr');
    expect(await h.db.selectFrom('voice_callbacks').select('id').where('conversation_id', '=', conversation.id).execute()).toHaveLength(1);
  });

  it('a voicemail’s caller called back by staff: same conversation and folio, callback_created on the voicemail’s call', async () => {
    const call = await closed.dial(VOICEMAIL_CALLER);
    await call.press('1');
    await postCall(call, 'voicemail/start');
    const sid = `RE${randomBytes(16).toString('hex')}`;
    await postCall(call, 'voicemail/done', { ...recordingFields(sid, closed.accountSid, 9), Digits: '#' });
    const voicemail = await h.db.selectFrom('voice_voicemails').selectAll().where('recording_sid', '=', sid).executeTakeFirstOrThrow();
    expect(voicemail.outside_hours).toBe(true);

    const outsider = await createVoiceAgent(h, (await createVoicemailCampaign(h)).campaignId, {});
    expect((await h.api('POST', `/voice/voicemails/${voicemail.id}/callback`, outsider.token)).status).toBe(403);
    const res = await h.api('POST', `/voice/voicemails/${voicemail.id}/callback`, agent.token);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ source: 'voicemail', phone: VOICEMAIL_CALLER, conversationId: voicemail.conversation_id, folio: voicemail.folio, created: true });
    const again = await h.api('POST', `/voice/voicemails/${voicemail.id}/callback`, agent.token);
    expect(again.body).toMatchObject({ id: res.body['id'], created: false });
    expect(await h.db.selectFrom('conversations').select(['status', 'channel_class']).where('id', '=', voicemail.conversation_id).executeTakeFirstOrThrow()).toEqual({ status: 'waiting_contact', channel_class: 'voice' });
    const events = (await callEvents(h.db, call.callSid)).filter((e) => e.type === 'call.callback_created');
    expect(events).toHaveLength(1);
    expect(events[0]?.payload).toMatchObject({ callbackId: res.body['id'], phone: VOICEMAIL_CALLER });
  });

  it('web widget: the visitor’s campaign, Spanish validation, origin checked, rate limited', async () => {
    const app = h.hub.app;
    if (!app) throw new Error('the hub has no HTTP app');
    const webchat = await createWebchatChannel(h.db, closed.campaignId);
    const visitor = await startVisitor(app, webchat.id, { name: 'Lucía' });
    const bad = await widgetCall(app, { url: '/callbacks', token: visitor.visitorToken, body: { phone: 'abc' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Número telefónico inválido');
    expect((await widgetCall(app, { url: '/callbacks', token: visitor.visitorToken, origin: FOREIGN_ORIGIN, body: { phone: '5577778888' } })).statusCode).toBe(403);
    expect((await widgetCall(app, { url: '/callbacks', body: { phone: '5577778888' } })).statusCode).toBe(401);

    const ok = await widgetCall(app, { url: '/callbacks', token: visitor.visitorToken, body: { phone: '55 7777 8888', name: 'Lucía', note: 'Sobre mi cita' } });
    expect(ok.statusCode).toBe(201);
    const body = ok.json<{ callbackId: string; folio: string; phone: string; message: string }>();
    expect(body).toMatchObject({ phone: '+525577778888', message: expect.stringMatching(/^Le llamaremos al \+525577778888\. Su folio es /) });
    const row = await h.db.selectFrom('voice_callbacks').selectAll().where('id', '=', body.callbackId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ source: 'web', campaign_id: closed.campaignId, channel_id: closed.channelId, name: 'Lucía', note: 'Sobre mi cita' });

    // Three an hour per visitor (one was refused by validation but counted): the next is 429.
    await widgetCall(app, { url: '/callbacks', token: visitor.visitorToken, body: { phone: '5577778889' } });
    const limited = await widgetCall(app, { url: '/callbacks', token: visitor.visitorToken, body: { phone: '5577778890' } });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
  });
});
