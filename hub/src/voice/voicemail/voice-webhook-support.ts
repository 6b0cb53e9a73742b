import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VoiceChannelSettings } from '@ventanilla/connectors';
import { FINAL_CALL_STATUSES, ivrSayAttributes, VOICE_CALL_SID, type CallRecord, type Verified, type VoiceWebhookKit } from '@ventanilla/voice-bridge';
import type VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import type { LoadedChannel } from '../../channels/channel-store.js';
import type { HubContext } from '../../runtime/context.js';
import { isOpenAt } from '../../router/calendar/business-hours.js';
import { loadCampaignRouting } from '../../router/store/routing-settings.js';
import { voiceSettingsOf } from '../core/voice-channels.js';

export type VoiceReq = FastifyRequest<{ Params: { channelId: string } }>;

export interface CallWebhook {
  v: Verified;
  call: CallRecord;
  loaded: LoadedChannel;
  settings: VoiceChannelSettings;
  say: VoiceResponse.SayAttributes;
}

/**
 * The common start of the voicemail and call-back webhooks: signature (kit.verify), CallSid, the
 * call of this channel, the channel's voice settings; one webhook of a call at a time. An unknown
 * call gets the plugin's polite goodbye (or `onUnknown`, for callbacks nobody listens to).
 */
export async function handleCallWebhook(
  ctx: Pick<HubContext, 'channels'>,
  kit: VoiceWebhookKit,
  request: VoiceReq,
  reply: FastifyReply,
  options: {
    allowFinished?: boolean;
    onUnknown?: (v: Verified) => string;
    /** A call the store does not know yet but the route can vouch for (a call-back leg whose record is being written). */
    adopt?: (v: Verified, callSid: string) => Promise<CallRecord | null>;
  },
  work: (hook: CallWebhook) => Promise<string>,
): Promise<FastifyReply | void> {
  const v = await kit.verify(request, reply);
  if (!v) return reply;
  const callSid = v.form.fields['CallSid'] ?? '';
  if (!VOICE_CALL_SID.test(callSid)) return kit.badRequest(reply, 'CallSid is required');
  return kit.serialized(callSid, async () => {
    const call = (await kit.ports.calls.get(callSid)) ?? (options.adopt ? await options.adopt(v, callSid) : null);
    const finished = call !== null && FINAL_CALL_STATUSES.has(call.status) && options.allowFinished !== true;
    if (!call || call.channelId !== v.channel.id || finished) {
      kit.warn({ callSid, channelId: v.channel.id, url: request.url }, 'voice: voicemail/call-back webhook for an unknown or finished call');
      return kit.sendTwiml(reply, options.onUnknown ? options.onUnknown(v) : kit.goodbye(v.channel));
    }
    const loaded = await ctx.channels.get(v.channel.id);
    const settings = loaded ? voiceSettingsOf(loaded) : null;
    if (!loaded || !settings) return kit.sendTwiml(reply, kit.unavailable(v.channel));
    const twiml = await work({ v, call, loaded, settings, say: ivrSayAttributes(v.channel.interpreter.tree) });
    return kit.sendTwiml(reply, twiml);
  });
}

/** Outside the campaign's business hours (or a holiday) right now. */
export async function campaignClosed(ctx: Pick<HubContext, 'db'>, campaignId: string, at = new Date()): Promise<boolean> {
  const routing = (await loadCampaignRouting(ctx.db.kysely, [campaignId])).get(campaignId);
  return routing ? !isOpenAt(routing.schedule, routing.holidays, at) : false;
}

/** A whole number of seconds from a Twilio field, or null. */
export function seconds(raw: string | undefined): number | null {
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : null;
}
