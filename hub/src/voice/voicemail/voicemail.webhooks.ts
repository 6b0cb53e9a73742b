import twilio from 'twilio';
import { VOICE_WEBHOOK_ROOT, type CallRecord, type VoiceRouteModule } from '@ventanilla/voice-bridge';
import type { HubContext } from '../../runtime/context.js';
import { requestCallbackFromCall } from '../callbacks/callback.webhooks.js';
import { recordTwiml, sayAndHangup, VOICEMAIL_EMPTY, voicemailThanks } from './voice-speech.js';
import { campaignClosed, handleCallWebhook, seconds, type CallWebhook } from './voice-webhook-support.js';
import { storeVoicemail, type StoredVoicemail } from './store-voicemail.usecase.js';

const empty = (): string => new twilio.twiml.VoiceResponse().toString();

/** The voicemail's <Record> TwiML, with the `voicemail_started` event (issue 8 item 5). */
async function startRecording(ctx: Pick<HubContext, 'db'>, hook: CallWebhook, emit: (call: CallRecord, type: string, data?: Record<string, string>) => void): Promise<string> {
  const { v, call, settings, say } = hook;
  const node = call.state ? v.channel.interpreter.tree.nodes[call.state.node] : undefined;
  const maxSeconds = node?.type === 'voicemail' && node.maxSeconds !== undefined ? node.maxSeconds : settings.voicemailMaxSeconds;
  const outsideHours = call.outcome?.type === 'voicemail' && call.outcome.outsideHours === true ? true : await campaignClosed(ctx, v.channel.campaignId);
  emit(call, 'voicemail_started', { outsideHours: String(outsideHours) });
  return recordTwiml(say, { maxSeconds, doneUrl: v.urls.path('voicemail/done'), recordingUrl: v.urls.path('voicemail/recording') });
}

/** The recording's fields, from the <Record> action or the recording status callback. */
function recordingOf(fields: Record<string, string | undefined>): { recordingSid: string; recordingUrl: string; durationSeconds: number } | null {
  const recordingSid = fields['RecordingSid'] ?? '';
  const recordingUrl = fields['RecordingUrl'] ?? '';
  const durationSeconds = seconds(fields['RecordingDuration']);
  if (!/^RE[0-9a-f]{32}$/.test(recordingSid) || !/^https?:\/\//.test(recordingUrl) || durationSeconds === null) return null;
  return { recordingSid, recordingUrl, durationSeconds };
}

function recorded(call: CallRecord, stored: StoredVoicemail, emit: (call: CallRecord, type: string, data?: Record<string, string>) => void, recordingSid: string): void {
  if (stored.outcome !== 'stored') return;
  call.conversationId = stored.conversationId;
  call.folio = stored.folio;
  emit(call, 'voicemail_recorded', { recordingSid, duration: String(stored.durationSeconds), url: stored.recordingUrl, outsideHours: String(stored.outsideHours) });
}

/**
 * Voicemail routes of the voice webhook plugin: `voicemail/start` (the IVR's voicemail outcome),
 * `voicemail/done` (the <Record> action: the caller hears the folio), `voicemail/recording` (the
 * recording status callback) and `queue/after` (the <Enqueue> action after <Leave/>, a hang-up or a
 * bridge: the recording or the call-back the caller chose while waiting).
 */
export function voicemailWebhooks(ctx: HubContext): VoiceRouteModule {
  return (app, kit) => {
    const root = `${VOICE_WEBHOOK_ROOT}/:channelId`;
    const emit = (call: CallRecord, type: string, data: Record<string, string> = {}) => kit.event(call, type, data);

    app.post<{ Params: { channelId: string } }>(`${root}/voicemail/start`, async (request, reply) =>
      handleCallWebhook(ctx, kit, request, reply, {}, async (hook) => {
        const twiml = await startRecording(ctx, hook, emit);
        await kit.ports.calls.save(hook.call);
        return twiml;
      }),
    );

    app.post<{ Params: { channelId: string } }>(`${root}/voicemail/done`, async (request, reply) =>
      // Twilio posts the action even when the caller hung up while recording (nobody hears the answer).
      handleCallWebhook(ctx, kit, request, reply, { allowFinished: true }, async (hook) => {
        const recording = recordingOf(hook.v.form.fields);
        if (!recording) return sayAndHangup(hook.say, VOICEMAIL_EMPTY);
        const stored = await storeVoicemail(ctx, hook.loaded, hook.settings, { callSid: hook.call.callSid, from: hook.call.from, ...recording });
        recorded(hook.call, stored, emit, recording.recordingSid);
        await kit.ports.calls.save(hook.call);
        return stored.outcome === 'too_short' ? sayAndHangup(hook.say, VOICEMAIL_EMPTY) : sayAndHangup(hook.say, voicemailThanks(stored.folio));
      }),
    );

    app.post<{ Params: { channelId: string } }>(`${root}/voicemail/recording`, async (request, reply) =>
      handleCallWebhook(ctx, kit, request, reply, { allowFinished: true, onUnknown: empty }, async (hook) => {
        const recording = recordingOf(hook.v.form.fields);
        if (!recording || (hook.v.form.fields['RecordingStatus'] ?? 'completed') !== 'completed') return empty();
        const stored = await storeVoicemail(ctx, hook.loaded, hook.settings, { callSid: hook.call.callSid, from: hook.call.from, ...recording });
        recorded(hook.call, stored, emit, recording.recordingSid);
        await kit.ports.calls.save(hook.call);
        return empty();
      }),
    );

    app.post<{ Params: { channelId: string } }>(`${root}/queue/after`, async (request, reply) =>
      handleCallWebhook(ctx, kit, request, reply, { allowFinished: true, onUnknown: empty }, async (hook) => {
        const { call, v } = hook;
        const result = v.form.fields['QueueResult'] ?? '';
        emit(call, 'left_queue', { result, queueTime: v.form.fields['QueueTime'] ?? '' });
        let twiml = empty();
        if (result === 'leave') {
          const choice = [...call.events].reverse().find((e) => e.type === 'voicemail_requested' || e.type === 'callback_requested' || e.type === 'enqueued');
          if (choice?.type === 'voicemail_requested') twiml = await startRecording(ctx, hook, emit);
          else if (choice?.type === 'callback_requested') twiml = await requestCallbackFromCall(ctx, hook, 'queue', undefined, emit);
          else twiml = kit.goodbye(v.channel);
        } else if (result === 'queue-full' || result === 'system-error' || result === 'error') {
          twiml = kit.unavailable(v.channel);
        }
        // hangup: core abandons the conversation on the final status; bridged/redirected: nothing to add.
        await kit.ports.calls.save(call);
        return twiml;
      }),
    );
  };
}
