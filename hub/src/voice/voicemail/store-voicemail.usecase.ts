import type { VoiceChannelSettings } from '@ventanilla/connectors';
import type { LoadedChannel } from '../../channels/channel-store.js';
import { retryOnConflict } from '../../db/retry-transaction.js';
import type { HubContext } from '../../runtime/context.js';
import { isOpenAt } from '../../router/calendar/business-hours.js';
import { loadCampaignRouting } from '../../router/store/routing-settings.js';
import { ingestVoiceMessage, placeInLine } from './voice-line.js';

/** Shorter than this is a caller who hung up at the beep, not a message (issue 8 item 5). */
export const MIN_VOICEMAIL_SECONDS = 2;

export interface RecordingInput {
  callSid: string;
  from: string;
  recordingSid: string;
  /** Twilio's RecordingUrl (without extension). */
  recordingUrl: string;
  durationSeconds: number;
}

export type StoredVoicemail =
  | { outcome: 'too_short' }
  | { outcome: 'stored' | 'already_stored'; voicemailId: string; conversationId: string; folio: string; outsideHours: boolean; recordingUrl: string; durationSeconds: number };

/**
 * A recording becomes a voicemail (issue 8 item 5), once per recording whichever of Twilio's two
 * requests (the <Record> action, the recording status callback) comes first: an inbound audio
 * message with the caller's number in the caller's open conversation on the channel (their
 * queued call) or a new one with a folio; the conversation in the campaign's line as a message
 * (`text` class); a `voice_voicemails` row. All in one transaction.
 */
export async function storeVoicemail(ctx: Pick<HubContext, 'db' | 'relay' | 'router'>, channel: LoadedChannel, settings: VoiceChannelSettings, input: RecordingInput): Promise<StoredVoicemail> {
  const db = ctx.db.kysely;
  const result = await retryOnConflict(() =>
    db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('voice_voicemails').selectAll().where('recording_sid', '=', input.recordingSid).forUpdate().executeTakeFirst();
      if (existing) {
        // The second request may know the final length/URL better (the status callback).
        if (input.durationSeconds > existing.duration_seconds) {
          await trx.updateTable('voice_voicemails').set({ duration_seconds: input.durationSeconds }).where('id', '=', existing.id).execute();
        }
        return {
          stored: { outcome: 'already_stored' as const, voicemailId: existing.id, conversationId: existing.conversation_id, folio: existing.folio, outsideHours: existing.outside_hours, recordingUrl: existing.recording_url, durationSeconds: Math.max(existing.duration_seconds, input.durationSeconds) },
          outbox: [],
          released: false,
        };
      }
      if (input.durationSeconds < MIN_VOICEMAIL_SECONDS) return { stored: { outcome: 'too_short' as const }, outbox: [], released: false };
      const campaignId = channel.row.campaign_id;
      const routing = (await loadCampaignRouting(trx, [campaignId])).get(campaignId);
      const outsideHours = routing ? !isOpenAt(routing.schedule, routing.holidays, new Date()) : false;
      const audioUrl = `${input.recordingUrl}.mp3`;
      const intake = await ingestVoiceMessage(trx, channel, {
        phone: input.from,
        providerMessageId: `voicemail:${input.recordingSid}`,
        content: {
          type: 'audio',
          text: `Mensaje de voz de ${input.from}, ${input.durationSeconds} s${outsideHours ? ', fuera de horario' : ''}. / Voicemail from ${input.from}, ${input.durationSeconds} s${outsideHours ? ', outside business hours' : ''}.`,
          attachments: [{ url: audioUrl, mimeType: 'audio/mpeg', filename: `mensaje-de-voz-${input.recordingSid}.mp3` }],
        },
      });
      const placed = await placeInLine(trx, intake.conversationId, { kind: 'voicemail' }, settings.queueId);
      const row = await trx
        .insertInto('voice_voicemails')
        .values({
          campaign_id: campaignId,
          channel_id: channel.row.id,
          conversation_id: intake.conversationId,
          folio: intake.folio,
          call_sid: input.callSid,
          recording_sid: input.recordingSid,
          recording_url: audioUrl,
          duration_seconds: input.durationSeconds,
          from_number: input.from,
          outside_hours: outsideHours,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return {
        stored: { outcome: 'stored' as const, voicemailId: row.id, conversationId: intake.conversationId, folio: intake.folio, outsideHours, recordingUrl: audioUrl, durationSeconds: input.durationSeconds },
        outbox: [...intake.outbox, ...placed.outbox],
        released: placed.released,
      };
    }),
  );
  if (result.outbox.length > 0 || result.stored.outcome === 'stored') {
    await ctx.router.apply({ outbox: result.outbox, timers: [], messageIds: [], reroute: true });
  }
  return result.stored;
}
