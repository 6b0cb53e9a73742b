import { type CallEvent, type CallRecord, type IvrContext, type VoiceBridgePorts, type VoiceChannel } from '@ventanilla/voice-bridge';
import { validateCurp, validateNss } from '../../contacts/official-ids.js';
import { isOpenAt } from '../../router/calendar/business-hours.js';
import { isHoliday } from '../../router/calendar/holidays.js';
import { abandonConversation } from '../../router/usecases/session-end.usecase.js';
import type { HubContext } from '../../runtime/context.js';
import { folioStatusText } from './folio-status.js';
import { PgCallStore } from './pg-call-store.js';
import { RedisCallLock } from './redis-call-lock.js';
import { voiceChannelsOf, type HubVoiceChannel, type VoiceChannels } from './voice-channels.js';
import { enqueueVoiceCall } from './voice-enqueue.usecase.js';
import { voiceWaitInfo } from './voice-wait-info.js';

/**
 * The voice webhook plugin's ports on the hub (issue 8): channels with their production IVR,
 * the PostgreSQL call store with a Redis lock per call, the campaign's calendar, folio look-up
 * and official-id checks, the router's line (enqueue, transfer to another campaign) and its
 * place-in-line estimate.
 */
export function createVoicePorts(ctx: HubContext, options: { channels?: VoiceChannels; lock?: RedisCallLock } = {}): VoiceBridgePorts {
  const channels = options.channels ?? voiceChannelsOf(ctx);
  const lock = options.lock ?? new RedisCallLock(ctx.redis, ctx.config.REDIS_PREFIX);
  const db = ctx.db.kysely;

  /** A hang-up while waiting (queued or being offered) abandons the conversation; an agent's call stays theirs. */
  async function afterSave(call: CallRecord, stored: readonly CallEvent[]): Promise<void> {
    // Inbound callers, and blaster recipients who pressed the key to talk to an agent.
    const kind = call.kind ?? 'inbound';
    if (!call.conversationId || (kind !== 'inbound' && kind !== 'blaster')) return;
    if (!stored.some((e) => e.type === 'ended')) return;
    // A voicemail left on this call is now a message in the line (voice/voicemail/): not abandoned.
    if (call.events.some((e) => e.type === 'voicemail_recorded')) return;
    // A caller who called again about a voicemail still waiting for an agent (the call continued
    // that conversation) and hung up in line: the voicemail goes back to waiting as a message.
    const voicemail = await db.selectFrom('voice_voicemails').select('id').where('conversation_id', '=', call.conversationId).executeTakeFirst();
    if (voicemail) {
      await db.updateTable('conversations').set({ channel_class: 'email', updated_at: new Date() }).where('id', '=', call.conversationId).where('status', '=', 'queued').execute();
      return;
    }
    await ctx.router.apply(await abandonConversation(db, call.conversationId, 'contact_left'));
  }

  async function stillWaiting(conversationId: string | null | undefined): Promise<{ folio: string; queueId: string } | null> {
    if (!conversationId) return null;
    const row = await db.selectFrom('conversations').select(['folio', 'queue_id', 'status']).where('id', '=', conversationId).where('closed_at', 'is', null).executeTakeFirst();
    return row && row.queue_id !== null && (row.status === 'queued' || row.status === 'offered') ? { folio: row.folio, queueId: row.queue_id } : null;
  }

  const calls = new PgCallStore(db, { lock: (callSid, work) => lock.withLock(callSid, work), afterSave });

  const hubChannel = async (channel: VoiceChannel): Promise<HubVoiceChannel> => {
    const found = await channels.get(channel.id);
    if (!found) throw new Error(`voice channel ${channel.id} is gone`);
    return found;
  };

  return {
    // Each channel carries its own (HubVoiceChannel.publicUrl); this is only the default.
    get publicUrl() {
      const host = ctx.config.HOST.includes(':') ? `[${ctx.config.HOST}]` : ctx.config.HOST;
      return ctx.config.PUBLIC_URL ?? `http://${host}:${ctx.config.PORT}`;
    },
    channel: (channelId) => channels.get(channelId),
    calls,
    context(channel: VoiceChannel): IvrContext {
      const hub = isHubChannel(channel) ? channel : null;
      return {
        actionUrl: () => '',
        now: new Date(),
        isOpen: (at) => (hub ? isOpenAt(hub.routing.schedule, hub.routing.holidays, at) : true),
        isHoliday: (at) => (hub ? isHoliday(hub.routing.holidays, localDate(at, hub.routing.schedule.timeZone)) : false),
        folioStatus: (folio) =>
          hub ? folioStatusText(db, { id: hub.campaignId, folioPrefix: hub.campaign.folioPrefix, timeZone: hub.campaign.timeZone }, folio) : Promise.resolve(null),
        validNss: (raw) => validateNss(raw).ok,
        validCurp: (raw) => validateCurp(raw).ok,
        // The channel's «voicemail outside hours» (seed §1.2): closed → voicemail is the only option.
        ...(hub ? { voicemailWhenClosed: hub.settings.voicemailOutsideHours } : {}),
      };
    },
    async enqueue(channel, call, outcome) {
      // Twilio asked `incoming` again for a call already in line (our answer did not reach it):
      // the same conversation, not a second folio.
      const waiting = await stillWaiting(call.conversationId);
      if (waiting) return { queueName: waiting.folio, queueId: waiting.queueId };
      const hub = await hubChannel(channel);
      const result = await enqueueVoiceCall(db, {
        channel: { id: hub.id, campaignId: hub.campaignId, queueId: hub.settings.queueId },
        call,
        campaignId: hub.campaignId,
        queueId: outcome.queueId,
        skill: outcome.skill,
        collected: outcome.collected,
        path: outcome.path,
      });
      await ctx.router.apply(result.effects);
      call.conversationId = result.conversationId;
      call.folio = result.folio;
      // The folio is the Twilio queue's name: one caller per queue, and a name the agent leg can find.
      return { queueName: result.folio, queueId: result.queueId };
    },
    async transferCampaign(channel, call, outcome) {
      const hub = await hubChannel(channel);
      const result = await enqueueVoiceCall(db, {
        channel: { id: hub.id, campaignId: hub.campaignId, queueId: hub.settings.queueId },
        call,
        campaignId: outcome.campaignId,
        collected: outcome.collected,
        path: call.state?.path ?? [],
      });
      await ctx.router.apply(result.effects);
      call.conversationId = result.conversationId;
      call.folio = result.folio;
      return { queueName: result.folio, queueId: result.queueId };
    },
    async waitInfo(_channel, call, twilio) {
      const info = await voiceWaitInfo(db, call.conversationId, twilio);
      return { position: info.position, estimatedWaitSeconds: info.estimatedWaitSeconds };
    },
    log: { warn: (obj, msg) => ctx.logger.warn(obj, msg) },
  };
}

function isHubChannel(channel: VoiceChannel): channel is HubVoiceChannel {
  return 'routing' in channel && 'campaign' in channel;
}

/** YYYY-MM-DD of `at` in the campaign's zone (holiday calendars are by local date). */
function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
