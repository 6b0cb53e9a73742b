import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTwiml, sayTexts, twilioSid } from '../../harness/twilio-voice/index.js';
import { startBlastDialer } from '../../../hub/src/voice/blaster/blast-dialer.worker.js';
import { callEventTypes, CALLER_ID, phone, startBlasterHub, waitFor, type BlasterHub } from './blaster-hub.js';

/**
 * Blaster calls end to end (issue 8 item 7): the worker's dialer places calls through the voice
 * channel's Twilio REST client into the Twilio Voice cloud, which answers, hears the TwiML the
 * hub returns on signed webhooks, presses keys and posts status callbacks.
 */
describe('voice blaster calls', () => {
  let h: BlasterHub;

  beforeAll(async () => {
    h = await startBlasterHub();
  });

  afterAll(async () => {
    await h?.cleanup();
  });

  const completed = (id: string) => waitFor(`blast ${id} completed`, async () => (await h.view(id)).status === 'completed', 30_000);

  it('calls at the per-minute pace; a person who presses 2 is confirmed, with the message and options heard', async () => {
    const numbers = [phone(), phone(), phone(), phone()];
    for (const n of numbers) h.cloud.behave(n, { answer: true, digits: ['2'] });
    const list = ['telefono,nombre,fecha', ...numbers.map((n, i) => `${n},Persona ${i + 1},${i + 3} de enero`)].join('\n');
    const id = await h.launch({ messageText: 'Hola {nombre}. Le recordamos su cita del {fecha}.', options: { '1': 'agent', '2': 'confirm', '3': 'decline' }, callsPerMinute: 60, maxConcurrent: 10 }, list);
    await completed(id);
    await h.cloud.settle();

    const calls = numbers.map((n) => h.cloud.callsTo(n));
    expect(calls.map((c) => c.length)).toEqual([1, 1, 1, 1]);
    // 60 a minute: one call a second. The pace is decided in the database right before each
    // request and recorded as the recipient's call_started_at: at least 1 s apart (timestamps
    // have ms precision). At the cloud the requests' arrival also varies with the machine's load
    // (hundreds of ms on a busy CI machine), so there only the whole span is checked, loosely.
    const decided = (await h.db.selectFrom('voice_blast_recipients').select('call_started_at').where('blast_id', '=', id).execute())
      .map((r) => r.call_started_at?.getTime() ?? 0)
      .sort((a, b) => a - b);
    expect(decided).toHaveLength(4);
    for (let i = 1; i < decided.length; i += 1) expect((decided[i] ?? 0) - (decided[i - 1] ?? 0)).toBeGreaterThanOrEqual(999);
    const placed = calls.map((c) => c[0]?.createdAt ?? 0).sort((a, b) => a - b);
    expect((placed[3] ?? 0) - (placed[0] ?? 0)).toBeGreaterThanOrEqual(2500);
    const requests = h.cloud.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/Calls.json') && numbers.includes(r.form['To'] ?? ''));
    expect(requests).toHaveLength(4);
    expect(requests[0]?.form).toMatchObject({ From: CALLER_ID, MachineDetection: 'Enable' });
    expect(requests[0]?.form['Url']).toMatch(new RegExp(`/webhooks/voice/${h.channelId}/blaster/answer\\?r=`));

    const first = calls[0]?.[0];
    expect(first?.heard.slice(0, 3)).toEqual([
      'Hola Persona 1. Le recordamos su cita del 3 de enero.',
      'Para hablar con un asesor, oprima 1. Para confirmar, oprima 2. Para cancelar o si no podrá asistir, oprima 3.',
      'Gracias, su confirmación quedó registrada. Hasta luego.',
    ]);
    const rows = await h.recipients(id);
    expect(rows.map((r) => [r.phone, r.status, r.digits, r.attempts]).sort()).toEqual(numbers.map((n) => [n, 'confirmed', '2', 1]).sort());
    expect((await h.view(id)).summary).toMatchObject({ total: 4, byStatus: { confirmed: 4 }, attempts: 4, inCall: 0 });

    // The call leg is stored (kind blaster) with its events: played, the choice, the end.
    const sid = first?.sid ?? '';
    const leg = await h.db.selectFrom('voice_calls').selectAll().where('call_sid', '=', sid).executeTakeFirstOrThrow();
    expect(leg).toMatchObject({ kind: 'blaster', direction: 'outbound', from_number: CALLER_ID, to_number: numbers[0], status: 'completed' });
    const events = await callEventTypes(h.db, sid);
    const types = events.map((e) => e.type);
    expect(types).toContain('call.blaster_played');
    expect(types).toContain('call.ended');
    expect(events.find((e) => e.type === 'call.blaster_played')?.payload).toMatchObject({ blastId: id, recipientId: rows.find((r) => r.phone === numbers[0])?.id });
    expect(events.find((e) => e.type === 'call.blaster_choice')?.payload).toMatchObject({ digits: '2', action: 'confirm' });

    // Per-recipient status, paged and filtered; the results CSV.
    const page = await (await h.api('GET', `/voice/blasts/${id}/recipients?status=confirmed&limit=3`, h.supervisor)).json();
    expect(page.items).toHaveLength(3);
    expect(page.nextCursor).toEqual(expect.any(String));
    const rest = await (await h.api('GET', `/voice/blasts/${id}/recipients?status=confirmed&limit=3&cursor=${page.nextCursor}`, h.supervisor)).json();
    expect(rest).toMatchObject({ items: [{ status: 'confirmed' }], nextCursor: null });
    expect((await (await h.api('GET', `/voice/blasts/${id}/recipients?status=no_answer`, h.supervisor)).json()).items).toEqual([]);
    const csv = await h.api('GET', `/voice/blasts/${id}/results.csv`, h.supervisor);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('linea,telefono,nombre,estado,tecla,intentos,call_sid,motivo,actualizado');
    expect(lines[1]).toMatch(new RegExp(`^2,'\\${numbers[0]},Persona 1,confirmó,2,1,${sid},,`));
    expect(lines).toHaveLength(5);
    expect(h.cloud.errors).toEqual([]);
  });

  it('two dialers (as two worker processes) share the pace and never call a number twice', async () => {
    const second = startBlastDialer(h.hub.ctx);
    try {
      const numbers = [phone(), phone(), phone(), phone(), phone(), phone()];
      for (const n of numbers) h.cloud.behave(n, { answer: true, digits: ['2'] });
      const id = await h.launch({ messageText: 'Aviso.', options: { '2': 'confirm' }, callsPerMinute: 120, maxConcurrent: 20 }, numbers.join('\n'));
      await completed(id);
      expect(numbers.map((n) => h.cloud.callsTo(n).length)).toEqual([1, 1, 1, 1, 1, 1]);
      // The pace as the two dialers decided it (call_started_at, see the first test): 120 a
      // minute, never two closer than 500 ms; at the cloud only the whole span, loosely.
      const decided = (await h.db.selectFrom('voice_blast_recipients').select('call_started_at').where('blast_id', '=', id).execute())
        .map((r) => r.call_started_at?.getTime() ?? 0)
        .sort((a, b) => a - b);
      for (let i = 1; i < decided.length; i += 1) expect((decided[i] ?? 0) - (decided[i - 1] ?? 0)).toBeGreaterThanOrEqual(499);
      const placed = numbers.map((n) => h.cloud.callsTo(n)[0]?.createdAt ?? 0).sort((a, b) => a - b);
      expect((placed[5] ?? 0) - (placed[0] ?? 0)).toBeGreaterThanOrEqual(2000);
    } finally {
      await second.stop();
    }
  });

  it('pressing 1 puts the call in the blast’s queue: a queued voice conversation for the citizen', async () => {
    const n = phone();
    h.cloud.behave(n, { answer: true, digits: ['1'] });
    const id = await h.launch({ messageText: 'Hola {nombre}, tiene un trámite pendiente.', options: { '1': 'agent', '2': 'confirm' }, queueId: h.queueId }, `${n},Marta`);
    const row = await waitFor('transferred', async () => (await h.recipients(id)).find((r) => r.status === 'transferred'));
    expect(row).toMatchObject({ phone: n, digits: '1' });
    const sid = row.callSid ?? '';
    const leg = await waitFor('conversation', async () => (await h.db.selectFrom('voice_calls').selectAll().where('call_sid', '=', sid).executeTakeFirst())?.conversation_id);
    const conversation = await h.db.selectFrom('conversations').selectAll().where('id', '=', leg).executeTakeFirstOrThrow();
    expect(conversation).toMatchObject({ campaign_id: h.campaignId, channel_id: h.channelId, queue_id: h.queueId });
    const contact = await h.db.selectFrom('contact_identities').select(['value']).where('contact_id', '=', conversation.contact_id).execute();
    expect(contact.map((c) => c.value)).toContain(n);
    // In Twilio's queue named after the folio, hearing the wait announcement.
    await waitFor('in the Twilio queue', async () => h.cloud.queue(conversation.folio).includes(sid));
    const events = (await callEventTypes(h.db, sid)).map((e) => e.type);
    expect(events).toEqual(expect.arrayContaining(['call.blaster_played', 'call.blaster_choice', 'call.enqueued']));
    await h.cloud.hangUp(sid);
  });

  it('repeat and an unknown key play the message again; no key at all: the message twice, then goodbye', async () => {
    const [keys, silent] = [phone(), phone()];
    h.cloud.behave(keys, { answer: true, digits: ['9', '7', '2'] });
    h.cloud.behave(silent, { answer: true, digits: [] });
    const id = await h.launch({ messageText: 'Hola {nombre}.', options: { '2': 'confirm', '9': 'repeat' }, callsPerMinute: 600 }, `${keys},Ana\n${silent},Luis`);
    await completed(id);
    await h.cloud.settle();
    const options = 'Para confirmar, oprima 2. Para escuchar de nuevo este mensaje, oprima 9.';
    expect(h.cloud.callsTo(keys)[0]?.heard).toEqual(['Hola Ana.', options, 'Hola Ana.', options, 'La opción que marcó no es válida. Hola Ana.', options, 'Gracias, su confirmación quedó registrada. Hasta luego.']);
    expect(h.cloud.callsTo(silent)[0]?.heard).toEqual(['Hola Luis.', options, 'Hola Luis.', options, 'No recibimos ninguna opción. Gracias por su atención. Hasta luego.']);
    const rows = new Map((await h.recipients(id)).map((r) => [r.phone, r]));
    expect(rows.get(keys)).toMatchObject({ status: 'confirmed', digits: '2' });
    expect(rows.get(silent)).toMatchObject({ status: 'answered', digits: null });
    const choices = (await callEventTypes(h.db, h.cloud.callsTo(keys)[0]?.sid ?? '')).filter((e) => e.type === 'call.blaster_choice').map((e) => [e.payload['digits'], e.payload['action']]);
    expect(choices).toEqual([
      ['9', 'repeat'],
      ['7', 'invalid'],
      ['2', 'confirm'],
    ]);
  });

  it('blaster webhooks: unsigned 403, without the recipient 400, for another call a polite goodbye', async () => {
    const n = phone();
    h.cloud.behave(n, { answer: true, digits: ['2'] });
    const id = await h.launch({ messageText: 'Aviso.', options: { '2': 'confirm' } }, n);
    await completed(id);
    const [row] = await h.recipients(id);
    const post = (path: string, params: Record<string, string>, signed = true) => {
      const url = `${h.url}/webhooks/voice/${h.channelId}/${path}`;
      return fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signed ? twilio.getExpectedTwilioSignature(h.cloud.authToken, url, params) : 'bad' },
        body: new URLSearchParams(params).toString(),
      });
    };
    const callSid = row?.callSid ?? '';
    expect((await post(`blaster/answer?r=${row?.id}`, { CallSid: callSid, AccountSid: h.cloud.accountSid }, false)).status).toBe(403);
    expect((await post('blaster/answer', { CallSid: callSid, AccountSid: h.cloud.accountSid })).status).toBe(400);
    const other = await post(`blaster/choice?r=${row?.id}`, { CallSid: twilioSid('CA'), AccountSid: h.cloud.accountSid, Digits: '2' });
    expect(other.status).toBe(200);
    expect(sayTexts(parseTwiml(await other.text()))[0]).toMatch(/no encontramos su llamada/);
    expect((await h.recipients(id))[0]).toMatchObject({ status: 'confirmed', attempts: 1 });
  });

  it('no answer is retried after the delay, then recorded as no_answer; busy likewise', async () => {
    const [quiet, busy] = [phone(), phone()];
    h.cloud.behave(quiet, { answer: false, status: 'no-answer' });
    h.cloud.behave(busy, { answer: false, status: 'busy' });
    const id = await h.launch({ messageText: 'Aviso.', maxAttempts: 2, retryDelaySeconds: 1, callsPerMinute: 600 }, `${quiet}\n${busy}`);
    await completed(id);
    expect(h.cloud.callsTo(quiet)).toHaveLength(2);
    expect(h.cloud.callsTo(busy)).toHaveLength(2);
    const [a, b] = h.cloud.callsTo(quiet);
    expect((b?.createdAt ?? 0) - (a?.createdAt ?? 0)).toBeGreaterThanOrEqual(900);
    const rows = new Map((await h.recipients(id)).map((r) => [r.phone, r]));
    expect(rows.get(quiet)).toMatchObject({ status: 'no_answer', attempts: 2 });
    expect(rows.get(busy)).toMatchObject({ status: 'busy', attempts: 2 });
  });

  it('an answering machine gets the message or a hang-up, per the blast’s policy', async () => {
    const [leave, hang] = [phone(), phone()];
    h.cloud.behave(leave, { answer: true, answeredBy: 'machine_start' });
    h.cloud.behave(hang, { answer: true, answeredBy: 'machine_start' });
    const leaveId = await h.launch({ messageText: 'Mensaje para {nombre}.', machinePolicy: 'leave_message' }, `${leave},Ana`);
    const hangId = await h.launch({ messageText: 'Mensaje para {nombre}.', machinePolicy: 'hang_up' }, `${hang},Luis`);
    await completed(leaveId);
    await completed(hangId);
    await h.cloud.settle();
    expect(h.cloud.callsTo(leave)[0]?.heard).toEqual(['Mensaje para Ana.', 'Gracias por su atención. Hasta luego.']);
    expect(h.cloud.callsTo(hang)[0]?.heard).toEqual([]);
    expect((await h.recipients(leaveId))[0]).toMatchObject({ status: 'machine' });
    expect((await h.recipients(hangId))[0]).toMatchObject({ status: 'machine' });
    const played = async (sid: string) => (await callEventTypes(h.db, sid)).filter((e) => e.type === 'call.blaster_played').length;
    expect(await played(h.cloud.callsTo(leave)[0]?.sid ?? '')).toBe(1);
    expect(await played(h.cloud.callsTo(hang)[0]?.sid ?? '')).toBe(0);
  });

  it('an opt-out (key 8) goes on the campaign’s do-not-call list and a later blast does not call the number', async () => {
    const [out, stays] = [phone(), phone()];
    h.cloud.behave(out, { answer: true, digits: ['8'] });
    h.cloud.behave(stays, { answer: true, digits: ['2'] });
    const first = await h.launch({ messageText: 'Aviso.', options: { '2': 'confirm', '8': 'optout' }, callsPerMinute: 600 }, `${out}\n${stays}`);
    await completed(first);
    await h.cloud.settle();
    expect(h.cloud.callsTo(out)[0]?.heard).toContain('Su número fue dado de baja; no volverá a recibir estas llamadas. Hasta luego.');
    expect((await h.recipients(first)).find((r) => r.phone === out)).toMatchObject({ status: 'opted_out', digits: '8' });

    const created = await h.api('POST', '/voice/blasts', h.supervisor, { campaignId: h.campaignId, channelId: h.channelId, name: 'Segundo aviso', messageText: 'Otro aviso.', window: null, callsPerMinute: 600, list: `${out}\n${stays}` });
    const body = await created.json();
    expect(body.upload).toMatchObject({ added: 2, doNotCall: 1 });
    expect((await h.api('POST', `/voice/blasts/${body.blast.id}/schedule`, h.supervisor, {})).status).toBe(200);
    await completed(body.blast.id);
    expect(h.cloud.callsTo(out)).toHaveLength(1);
    expect(h.cloud.callsTo(stays)).toHaveLength(2);
    expect((await h.recipients(body.blast.id)).find((r) => r.phone === out)).toMatchObject({ status: 'opted_out', attempts: 0 });
  });

  it('pause stops further calls, resume goes on, cancel leaves the rest uncalled', async () => {
    const numbers = [phone(), phone(), phone(), phone()];
    for (const n of numbers) h.cloud.behave(n, { answer: true, digits: ['2'] });
    // 20 a minute: a call every 3 s.
    const id = await h.launch({ messageText: 'Aviso.', options: { '2': 'confirm' }, callsPerMinute: 20 }, numbers.join('\n'));
    const called = () => numbers.filter((n) => h.cloud.callsTo(n).length > 0).length;
    await waitFor('first call', async () => called() === 1);
    expect(await (await h.api('POST', `/voice/blasts/${id}/pause`, h.supervisor)).json()).toMatchObject({ status: 'paused' });
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect(called()).toBe(1);
    expect(await (await h.api('POST', `/voice/blasts/${id}/resume`, h.supervisor)).json()).toMatchObject({ status: 'running' });
    await waitFor('second call', async () => called() === 2, 8000);
    expect(await (await h.api('POST', `/voice/blasts/${id}/cancel`, h.supervisor)).json()).toMatchObject({ status: 'cancelled' });
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect(called()).toBe(2);
    expect((await h.view(id)).summary.byStatus).toMatchObject({ pending: 2 });
  });

  it('no calls outside the daily calling window (Mexico City time); at most maxConcurrent calls at once', async () => {
    const now = new Intl.DateTimeFormat('en-GB', { timeZone: 'America/Mexico_City', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date());
    const minute = Number(now.slice(0, 2)) * 60 + Number(now.slice(3, 5));
    const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    const closed = minute + 120 <= 1440 ? { start: hhmm(minute + 60), end: hhmm(minute + 120) } : { start: hhmm(minute - 120), end: hhmm(minute - 60) };
    const outside = phone();
    const closedId = await h.launch({ messageText: 'Aviso.', window: closed }, outside);
    await waitFor('running', async () => (await h.view(closedId)).status === 'running');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(h.cloud.callsTo(outside)).toHaveLength(0);
    expect((await h.recipients(closedId))[0]).toMatchObject({ status: 'pending', attempts: 0 });

    // Open now: called. One at a time although the pace would allow ten a second.
    const numbers = [phone(), phone(), phone()];
    for (const n of numbers) h.cloud.behave(n, { answer: true, afterMs: 400, digits: ['2'] });
    const open = { start: hhmm(Math.max(0, minute - 1)), end: hhmm(Math.min(1440, minute + 30)) };
    const openId = await h.launch({ messageText: 'Aviso.', options: { '2': 'confirm' }, window: open, callsPerMinute: 600, maxConcurrent: 1 }, numbers.join('\n'));
    await completed(openId);
    const legs = numbers.map((n) => h.cloud.callsTo(n)[0]).sort((a, b) => (a?.createdAt ?? 0) - (b?.createdAt ?? 0));
    for (let i = 1; i < legs.length; i += 1) expect(legs[i]?.createdAt ?? 0).toBeGreaterThanOrEqual(legs[i - 1]?.endedAt ?? Infinity);
    await h.api('POST', `/voice/blasts/${closedId}/cancel`, h.supervisor);
  });
});
