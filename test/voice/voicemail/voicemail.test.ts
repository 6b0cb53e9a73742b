import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, tokenFor } from '../../support/auth.js';
import { createUser } from '../../support/factories.js';
import { callEvents, createVoiceAgent, startVoiceHub, waitFor, type VoiceHub } from '../core/voice-hub-harness.js';
import { createVoicemailCampaign, namesOf, nodesOf, postCall, recordingFields, saidIn, type VoicemailCampaign } from './voicemail-hub.js';

const CALLER = '+525511110001';
const CLOSED_CALLER = '+525511110002';
const SHORT_CALLER = '+525511110003';
const recordingSid = () => `RE${randomBytes(16).toString('hex')}`;

/**
 * Voicemail through the hub (issue 8 item 5): the caller chooses it while waiting, or it is the
 * only option when the campaign is closed; the recording becomes a conversation in the queue
 * (handled like a message), a voice_voicemails row and call events; the daily report.
 */
describe('voicemail', () => {
  let h: VoiceHub;
  let open: VoicemailCampaign;
  let closed: VoicemailCampaign;

  beforeAll(async () => {
    h = await startVoiceHub();
    open = await createVoicemailCampaign(h);
    closed = await createVoicemailCampaign(h, { closed: true });
  }, 60_000);
  afterAll(async () => {
    await open?.cloud.close();
    await closed?.cloud.close();
    await h?.cleanup();
  });

  let voicemailConversation = '';

  it('press 1 while waiting → <Leave/> → the Enqueue action records → the recording is a conversation in the queue, the caller hears the folio', async () => {
    const call = await open.dial(CALLER);
    await call.press('0');
    const queuedId = (await h.db.selectFrom('voice_calls').select('conversation_id').where('call_sid', '=', call.callSid).executeTakeFirstOrThrow()).conversation_id ?? '';
    expect(queuedId).not.toBe('');
    await call.waitInQueue({ position: 1, queueTime: 10, avgQueueTime: 60 });
    await call.press('1');
    expect(call.verbs).toEqual([{ verb: 'Leave' }]);

    const after = await postCall(call, 'queue/after', { QueueResult: 'leave', QueueTime: '12', QueueSid: `QU${randomBytes(16).toString('hex')}` });
    const record = nodesOf(after);
    expect(namesOf(record)).toEqual(['Say', 'Record', 'Say', 'Hangup']);
    expect(record[0]?.text).toMatch(/^Deje su mensaje después del tono/);
    expect(record[1]?.attrs).toMatchObject({
      maxLength: '120',
      finishOnKey: '#',
      playBeep: 'true',
      action: `${h.url}/webhooks/voice/${open.channelId}/voicemail/done`,
      recordingStatusCallback: `${h.url}/webhooks/voice/${open.channelId}/voicemail/recording`,
    });

    const sid = recordingSid();
    const done = await postCall(call, 'voicemail/done', { ...recordingFields(sid, open.accountSid, 14), Digits: '#' });
    const conversation = await h.db.selectFrom('conversations').selectAll().where('id', '=', queuedId).executeTakeFirstOrThrow();
    voicemailConversation = conversation.id;
    const spelled = conversation.folio.split('-').map((part) => part.split('').join(' ')).join(', guion, ');
    expect(saidIn(nodesOf(done))).toContain(`Su folio es ${spelled}.`);
    expect(namesOf(nodesOf(done)).at(-1)).toBe('Hangup');

    // The caller's own queued conversation, now a message in the same queue: no whole voice seat.
    expect(conversation).toMatchObject({ status: 'queued', channel_class: 'email', queue_id: open.defaultQueueId, assignee_id: null });
    const audio = await h.db.selectFrom('messages').selectAll().where('conversation_id', '=', queuedId).where('content_type', '=', 'audio').execute();
    expect(audio).toHaveLength(1);
    expect(audio[0]).toMatchObject({ direction: 'inbound', sender_type: 'contact' });
    expect(audio[0]?.text).toContain(`Mensaje de voz de ${CALLER}, 14 s`);
    expect(audio[0]?.attachments).toEqual([expect.objectContaining({ url: `${recordingFields(sid, open.accountSid, 14)['RecordingUrl']}.mp3`, mimeType: 'audio/mpeg' })]);
    const row = await h.db.selectFrom('voice_voicemails').selectAll().where('recording_sid', '=', sid).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ campaign_id: open.campaignId, conversation_id: queuedId, folio: conversation.folio, call_sid: call.callSid, duration_seconds: 14, from_number: CALLER, outside_hours: false });

    // Twilio's recording status callback for the same recording: nothing twice.
    const callback = await postCall(call, 'voicemail/recording', { ...recordingFields(sid, open.accountSid, 14), RecordingStatus: 'completed' });
    expect(callback.status).toBe(200);
    expect(await h.db.selectFrom('voice_voicemails').select('id').where('call_sid', '=', call.callSid).execute()).toHaveLength(1);

    const events = await callEvents(h.db, call.callSid);
    const types = events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['call.voicemail_requested', 'call.left_queue', 'call.voicemail_started', 'call.voicemail_recorded']));
    expect(types.indexOf('call.left_queue')).toBeLessThan(types.indexOf('call.voicemail_started'));
    expect(types.filter((t) => t === 'call.voicemail_recorded')).toHaveLength(1);
    expect(events.find((e) => e.type === 'call.left_queue')?.payload).toMatchObject({ result: 'leave', queueTime: '12' });
    expect(events.find((e) => e.type === 'call.voicemail_recorded')?.payload).toMatchObject({ recordingSid: sid, duration: '14', url: row.recording_url, outsideHours: 'false' });

    // The caller hangs up: the voicemail stays in line (a hang-up abandons only a waiting call).
    await call.hangUp(60);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await h.db.selectFrom('conversations').select(['status', 'closed_at']).where('id', '=', queuedId).executeTakeFirstOrThrow()).toEqual({ status: 'queued', closed_at: null });
  });

  it('an agent is offered the voicemail as deferred work (e-mail class, no voice seat), not as a call', async () => {
    const agent = await createVoiceAgent(h, open.campaignId, { [open.skills.general]: 1, [open.skills.citas]: 1 });
    expect((await h.api('PUT', '/agents/me/state', agent.token, { state: 'available' })).status).toBe(200);
    const offer = await waitFor('the voicemail offered', () => h.db.selectFrom('offers').selectAll().where('conversation_id', '=', voicemailConversation).executeTakeFirst());
    expect(offer).toMatchObject({ agent_id: agent.id, channel_class: 'email' });
    expect((await h.api('PUT', '/agents/me/state', agent.token, { state: 'offline' })).status).toBe(200);
  });

  it('the same citizen calls again while the voicemail waits: the call continues it (same folio, the recording kept); a hang-up in line puts it back as a message', async () => {
    const call = await open.dial(CALLER);
    await call.press('0');
    const row = await h.db.selectFrom('voice_calls').select('conversation_id').where('call_sid', '=', call.callSid).executeTakeFirstOrThrow();
    expect(row.conversation_id).toBe(voicemailConversation);
    const during = await h.db.selectFrom('conversations').select(['status', 'channel_class', 'closed_at']).where('id', '=', voicemailConversation).executeTakeFirstOrThrow();
    expect(during).toEqual({ status: 'queued', channel_class: 'voice', closed_at: null });
    await call.hangUp(30);
    await waitFor('the voicemail waiting as a message again', async () => {
      const after = await h.db.selectFrom('conversations').select(['status', 'channel_class', 'closed_at']).where('id', '=', voicemailConversation).executeTakeFirstOrThrow();
      return after.channel_class === 'email' && after.status === 'queued' && after.closed_at === null;
    });
    const audio = await h.db.selectFrom('messages').select('id').where('conversation_id', '=', voicemailConversation).where('content_type', '=', 'audio').execute();
    expect(audio).toHaveLength(1);
  });

  it('outside hours the voicemail is the only option: no menu, straight to the recording, marked outside hours', async () => {
    const call = await closed.dial(CLOSED_CALLER);
    expect(call.gather()).toBeUndefined();
    expect(call.heard().join(' ')).toContain('fuera del horario de atención');
    const redirect = call.verbs.find((v) => v.verb === 'Redirect');
    expect(redirect).toEqual({ verb: 'Redirect', url: `${h.url}/webhooks/voice/${closed.channelId}/voicemail/start`, method: 'POST' });
    const start = await postCall(call, 'voicemail/start');
    expect(namesOf(nodesOf(start))).toEqual(['Say', 'Record', 'Say', 'Hangup']);
    const sid = recordingSid();
    const done = await postCall(call, 'voicemail/done', { ...recordingFields(sid, closed.accountSid, 20), Digits: '#' });
    expect(saidIn(nodesOf(done))).toContain('Su folio es');
    const row = await h.db.selectFrom('voice_voicemails').selectAll().where('recording_sid', '=', sid).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ outside_hours: true, duration_seconds: 20, from_number: CLOSED_CALLER });
    const conversation = await h.db.selectFrom('conversations').selectAll().where('id', '=', row.conversation_id).executeTakeFirstOrThrow();
    // Not closed by the after-hours treatment: it waits in line for the morning.
    expect(conversation).toMatchObject({ status: 'queued', channel_class: 'email', closed_at: null, folio: row.folio });
    const events = await callEvents(h.db, call.callSid);
    expect(events.find((e) => e.type === 'call.ivr_outcome')?.payload).toMatchObject({ outcome: 'voicemail' });
    expect(events.find((e) => e.type === 'call.voicemail_started')?.payload).toMatchObject({ outsideHours: 'true' });
    expect(events.find((e) => e.type === 'call.voicemail_recorded')?.payload).toMatchObject({ outsideHours: 'true', duration: '20' });
  });

  it('a recording shorter than 2 s is not a voicemail: no row, no conversation, no event; the caller hears so', async () => {
    const call = await closed.dial(SHORT_CALLER);
    await postCall(call, 'voicemail/start');
    const done = await postCall(call, 'voicemail/done', { ...recordingFields(recordingSid(), closed.accountSid, 1), Digits: 'hangup' });
    expect(saidIn(nodesOf(done))).toMatch(/^No recibimos su mensaje/);
    expect(await h.db.selectFrom('voice_voicemails').select('id').where('call_sid', '=', call.callSid).execute()).toEqual([]);
    const types = (await callEvents(h.db, call.callSid)).map((e) => e.type);
    expect(types).toContain('call.voicemail_started');
    expect(types).not.toContain('call.voicemail_recorded');
    const conversations = await h.db.selectFrom('conversations').select('id').where('channel_id', '=', closed.channelId).execute();
    expect(conversations).toHaveLength(1); // only the previous caller's voicemail
  });

  describe('daily voicemail report', () => {
    let supervisor = '';

    beforeAll(async () => {
      supervisor = (await createVoiceAgent(h, open.campaignId, {}, ['supervisor'])).token;
      // Around midnight in Mexico City (UTC-6 all year): 05:59:59Z is still the 9th there, 06:00Z the 10th.
      const conversation = await h.db.selectFrom('conversations').select(['id', 'folio']).where('id', '=', voicemailConversation).executeTakeFirstOrThrow();
      const base = { campaign_id: open.campaignId, channel_id: open.channelId, conversation_id: conversation.id, folio: conversation.folio, call_sid: `CA${randomBytes(16).toString('hex')}`, recording_url: 'https://api.twilio.com/x.mp3', from_number: '+525599990000' };
      await h.db
        .insertInto('voice_voicemails')
        .values([
          { ...base, recording_sid: recordingSid(), duration_seconds: 30, outside_hours: true, recorded_at: new Date('2026-03-10T05:59:59.000Z') },
          { ...base, recording_sid: recordingSid(), duration_seconds: 45, outside_hours: true, recorded_at: new Date('2026-03-10T06:00:00.000Z') },
          { ...base, recording_sid: recordingSid(), duration_seconds: 10, outside_hours: false, recorded_at: new Date('2026-03-11T05:59:00.000Z') },
        ])
        .execute();
    });

    const report = (query: string, token: string) => fetch(`${h.url}/api/v1/voice/reports/voicemail?${query}`, { headers: bearer(token) });

    it('JSON: the local day (America/Mexico_City), each voicemail with its status, and totals', async () => {
      const res = await report(`campaignId=${open.campaignId}&date=2026-03-10`, supervisor);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { timeZone: string; rows: { localTime: string; durationSeconds: number; outsideHours: boolean; folio: string; statusEs: string }[]; totals: Record<string, number> };
      expect(body.timeZone).toBe('America/Mexico_City');
      expect(body.rows.map((r) => [r.localTime, r.durationSeconds])).toEqual([
        ['00:00:00', 45],
        ['23:59:00', 10],
      ]);
      expect(body.rows[0]).toMatchObject({ outsideHours: true, statusEs: expect.any(String) });
      expect(body.totals).toMatchObject({ voicemails: 2, seconds: 55, outsideHours: 1 });
      const previous = (await (await report(`campaignId=${open.campaignId}&date=2026-03-09`, supervisor)).json()) as { rows: { localTime: string }[] };
      expect(previous.rows.map((r) => r.localTime)).toEqual(['23:59:59']);
    });

    it('CSV: a Spanish header, one line per voicemail and a totals line', async () => {
      const res = await report(`campaignId=${open.campaignId}&date=2026-03-10&format=csv`, supervisor);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/csv');
      const lines = (await res.text()).trim().split('\r\n');
      expect(lines[0]).toBe('fecha,hora,numero,duracion_s,fuera_de_horario,folio,estado,atendido_por,devolucion_llamada,resultado_devolucion');
      expect(lines).toHaveLength(4);
      expect(lines[1]).toMatch(/^2026-03-10,00:00:00,\+525599990000,45,sí,/);
      expect(lines[3]).toMatch(/^total,,2 mensajes,55,1,/);
    });

    it('only supervisors and admins of the campaign; a bad date is a Spanish 400', async () => {
      const agent = (await createVoiceAgent(h, open.campaignId, {})).token;
      expect((await report(`campaignId=${open.campaignId}&date=2026-03-10`, agent)).status).toBe(403);
      const stranger = await tokenFor(h.db, (await createUser(h.db, { roles: ['supervisor'], campaignIds: [closed.campaignId] })).id);
      expect((await report(`campaignId=${open.campaignId}&date=2026-03-10`, stranger)).status).toBe(403);
      const bad = await report(`campaignId=${open.campaignId}&date=10-03-2026`, supervisor);
      expect(bad.status).toBe(400);
      expect(JSON.stringify(await bad.json())).toContain('Fecha no válida');
      expect((await fetch(`${h.url}/api/v1/voice/reports/voicemail?campaignId=${open.campaignId}&date=2026-03-10`)).status).toBe(401);
    });
  });
});
