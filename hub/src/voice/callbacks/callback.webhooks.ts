import { appendCitizenConference } from '../agent/agent-twiml.js';
import twilio from 'twilio';
import { FINAL_CALL_STATUSES, VOICE_WEBHOOK_ROOT, type CallRecord, type Verified, type VoiceRouteModule } from '@ventanilla/voice-bridge';
import type { CallbackSource, VoiceCallback } from '../../db/schema-voice-voicemail.js';
import { normalizePhone } from '../../contacts/identity-normalize.js';
import type { HubContext } from '../../runtime/context.js';
import { conferenceNameOf } from '../call-events.contract.js';
import { callbackConfirmation, fillPlaceholders, sayAndHangup, spellFolio, spellPhone } from '../voicemail/voice-speech.js';
import { handleCallWebhook, type CallWebhook } from '../voicemail/voice-webhook-support.js';
import { endUnansweredAttempt, markCallbackAnswered, markCallbackCompleted } from './callback-attempt.usecase.js';
import { callbackLeg } from './callback-dialer.js';
import { createCallback } from './create-callback.usecase.js';

type Emit = (call: CallRecord, type: string, data?: Record<string, string>) => void;

const NO_NUMBER = 'No pudimos identificar su número telefónico, así que no podemos devolverle la llamada. Por favor, llame de nuevo más tarde. Hasta luego.';
const empty = (): string => new twilio.twiml.VoiceResponse().toString();

/**
 * The caller asked to be called back (from the line, or an IVR node): the call-back on the
 * call's conversation (same folio) or a new one, `callback_created` on the call, and the caller
 * hears the number and the folio before the call ends. `phone`: a number the IVR captured.
 */
export async function requestCallbackFromCall(ctx: HubContext, hook: CallWebhook, source: CallbackSource, phone: string | undefined, emit: Emit): Promise<string> {
  const { call, loaded, settings, say } = hook;
  const normalized = normalizePhone(phone ?? call.from);
  if (!normalized) return sayAndHangup(say, NO_NUMBER);
  const created = await createCallback(ctx, loaded, settings, { source, phone: normalized, conversationId: call.conversationId ?? undefined, originCallSid: call.callSid });
  call.conversationId = created.callback.conversation_id;
  call.folio = created.folio;
  if (created.created) emit(call, 'callback_created', { callbackId: created.callback.id, phone: normalized });
  const node = call.state ? hook.v.channel.interpreter.tree.nodes[call.state.node] : undefined;
  if (source === 'ivr' && node?.type === 'callback') {
    const response = new twilio.twiml.VoiceResponse();
    if ('text' in node.confirm) response.say(say, fillPlaceholders(node.confirm.text, { phone: spellPhone(normalized), folio: spellFolio(created.folio) }));
    else response.play({}, node.confirm.audioUrl);
    response.hangup();
    return response.toString();
  }
  return sayAndHangup(say, callbackConfirmation(normalized, created.folio));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The citizen's leg of a call-back, answered: who is calling and why, then the conversation's conference. */
async function answerTwiml(ctx: HubContext, hook: CallWebhook): Promise<string> {
  const { call, v, say } = hook;
  const conversationId = call.conversationId;
  if (!conversationId) return sayAndHangup(say, 'Disculpe, no encontramos el motivo de esta llamada. Hasta luego.');
  const campaign = await ctx.db.kysely.selectFrom('campaigns').select('name').where('id', '=', v.channel.campaignId).executeTakeFirst();
  const response = new twilio.twiml.VoiceResponse();
  const folioOf = call.folio ?? (await ctx.db.kysely.selectFrom('conversations').select('folio').where('id', '=', conversationId).executeTakeFirst())?.folio ?? null;
  call.folio = folioOf;
  const folio = folioOf ? `, sobre su folio ${spellFolio(folioOf)}` : '';
  response.say(say, `Buen día. Le llamamos de ${campaign?.name ?? 'la línea de atención'}${folio}, como lo solicitó. En un momento le atiende un asesor.`);
  // The same conference TwiML as an inbound caller's: its status callback is where the agent
  // part learns of joins, holds and leaves (talk time, recording), and its action runs the survey.
  appendCitizenConference(response, { conferenceName: conferenceNameOf(conversationId), urls: v.urls });
  return response.toString();
}

/**
 * Call-back routes of the voice webhook plugin (issue 8 item 6): `callback/ivr` (the IVR's
 * call-back outcome), `callback/answer` (the citizen answered the dialer's call), `callback/status`
 * (that call's status callbacks: no-answer/busy/failed → a failed attempt, retried or exhausted).
 */
export function callbackWebhooks(ctx: HubContext): VoiceRouteModule {
  return (app, kit) => {
    const root = `${VOICE_WEBHOOK_ROOT}/:channelId`;
    const emit: Emit = (call, type, data = {}) => kit.event(call, type, data);

    app.post<{ Params: { channelId: string } }>(`${root}/callback/ivr`, async (request, reply) =>
      handleCallWebhook(ctx, kit, request, reply, {}, async (hook) => {
        const phone = hook.call.outcome?.type === 'callback' ? hook.call.outcome.phone : undefined;
        const twiml = await requestCallbackFromCall(ctx, hook, 'ivr', phone, emit);
        await kit.ports.calls.save(hook.call);
        return twiml;
      }),
    );

    const callbackByCall = async (callSid: string): Promise<VoiceCallback | null> =>
      (await ctx.db.kysely.selectFrom('voice_callbacks').selectAll().where('last_call_sid', '=', callSid).executeTakeFirst()) ?? null;

    /** The call-back named in the URL (`?callback=`), when it is this channel's and this call's. */
    async function callbackOfUrl(query: { callback?: string | undefined }, channelId: string, callSid: string): Promise<VoiceCallback | null> {
      const id = query.callback;
      if (id === undefined || !UUID.test(id)) return null;
      const row = await ctx.db.kysely.selectFrom('voice_callbacks').selectAll().where('id', '=', id).where('channel_id', '=', channelId).executeTakeFirst();
      return row && (row.last_call_sid === null || row.last_call_sid === callSid) ? row : null;
    }

    /** A call-back leg Twilio reports before the dialer stored its record: adopted from the call-back row. */
    const adopt = (query: { callback?: string | undefined }) => async (v: Verified, callSid: string) => {
      const row = await callbackOfUrl(query, v.channel.id, callSid);
      if (!row || (row.status !== 'dialing' && row.status !== 'connected')) return null;
      return callbackLeg(row, callSid, v.form.fields['From'] ?? '');
    };

    app.post<{ Params: { channelId: string }; Querystring: { callback?: string } }>(`${root}/callback/answer`, async (request, reply) =>
      handleCallWebhook(ctx, kit, request, reply, { adopt: adopt(request.query) }, async (hook) => {
        if (hook.call.kind !== 'callback') return kit.goodbye(hook.v.channel);
        const row = (await callbackOfUrl(request.query, hook.v.channel.id, hook.call.callSid)) ?? (await callbackByCall(hook.call.callSid));
        if (row) await markCallbackAnswered(ctx, row.id, hook.call.callSid);
        const status = hook.v.form.fields['CallStatus'];
        if (status) hook.call.status = status;
        const twiml = await answerTwiml(ctx, hook);
        await kit.ports.calls.save(hook.call);
        return twiml;
      }),
    );

    app.post<{ Params: { channelId: string }; Querystring: { callback?: string } }>(`${root}/callback/status`, async (request, reply) =>
      handleCallWebhook(ctx, kit, request, reply, { allowFinished: true, onUnknown: empty, adopt: adopt(request.query) }, async (hook) => {
        const { call, v, settings } = hook;
        const f = v.form.fields;
        const status = f['CallStatus'] ?? '';
        if (status === '') return empty();
        emit(call, 'status', {
          status,
          ...(f['CallDuration'] !== undefined ? { duration: f['CallDuration'] } : {}),
          ...(f['Timestamp'] !== undefined ? { timestamp: f['Timestamp'] } : {}),
          ...(f['SequenceNumber'] !== undefined ? { sequence: f['SequenceNumber'] } : {}),
        });
        const wasFinal = FINAL_CALL_STATUSES.has(call.status);
        if (!wasFinal) {
          call.status = status;
          if (FINAL_CALL_STATUSES.has(status)) emit(call, 'ended', { status, duration: f['CallDuration'] ?? '' });
        }
        await kit.ports.calls.save(call);
        if (!wasFinal && FINAL_CALL_STATUSES.has(status)) {
          const row = (await callbackOfUrl(request.query, v.channel.id, call.callSid)) ?? (await callbackByCall(call.callSid));
          if (row?.status === 'connected') await markCallbackCompleted(ctx, call.callSid);
          else if (row?.status === 'dialing') {
            await endUnansweredAttempt(ctx, { callbackId: row.id, callSid: call.callSid, outcome: status, retryMinutes: settings.callbackRetryMinutes, channelQueueId: settings.queueId });
          }
        }
        return empty();
      }),
    );
  };
}
