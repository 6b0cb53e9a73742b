import { voiceChannelSettingsSchema } from '@ventanilla/connectors';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit, requestMeta } from '../../audit/audit.js';
import { HubError } from '../../errors/error-registry.js';
import { contentDisposition } from '../../files/file-names.js';
import { FILE_CSP } from '../../files/file-response.js';
import { principalOf } from '../../http/authenticate.js';
import type { HubContext } from '../../runtime/context.js';
import { assertMayPlay, findRecording, RECORDING_SID } from './recording-access.js';
import { fetchRecordingMedia, RecordingMediaError, type MediaLimits } from './recording-media.js';

const params = z.object({ recordingSid: z.string().regex(RECORDING_SID, 'RecordingSid de Twilio (RE + 32 hex) / a Twilio RecordingSid (RE + 32 hex)') });
const query = z.strictObject({ download: z.enum(['1', 'true', '0', 'false']).optional() });

/** Is this the first byte of the media (no Range, or one from 0)? Seeks within a play are not audited again. */
function startsAtZero(range: string | undefined): boolean {
  return range === undefined || /^bytes=0?-/.test(range);
}

/**
 * GET /voice/recordings/:recordingSid — a call recording or a voicemail played or downloaded
 * through the hub (issue 8 items 4–5): Twilio serves recording media only with the account's
 * basic auth, which must never reach the browser. Registered in the bearer-authenticated
 * /api/v1 scope; the inbox fetches it with the session's token.
 */
export function voiceRecordingsRoutes(ctx: HubContext, options: { limits?: Partial<MediaLimits> } = {}): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;

    app.get(
      '/voice/recordings/:recordingSid',
      {
        schema: {
          tags: ['voice'],
          summary: 'Escuchar o descargar una grabación o un mensaje de voz / play or download a call recording or voicemail',
          description:
            'Audio desde Twilio con las credenciales del canal (nunca expuestas). Agentes que atendieron la conversación, supervisores, administradores y auditores de su campaña. `download=1`: Content-Disposition attachment. Range se reenvía a Twilio.',
          params,
          querystring: query,
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { recordingSid } = request.params;
        const download = request.query.download === '1' || request.query.download === 'true';
        const recording = await findRecording(db, recordingSid);
        if (!recording) throw new HubError('HUB_ERR_VOICE_RECORDING_NOT_FOUND');
        await assertMayPlay(db, principal, recording);

        const channel = await ctx.channels.get(recording.channelId);
        const settings = channel && channel.kind === 'voice' ? voiceChannelSettingsSchema.safeParse(channel.settings) : null;
        const authToken = channel?.secrets['authToken'];
        if (!settings?.success || !authToken) {
          request.log.error({ recordingSid, channelId: recording.channelId }, 'voice recording: the channel has no Twilio credentials');
          throw new HubError('HUB_ERR_VOICE_RECORDING_UNAVAILABLE', 'El canal de voz no tiene credenciales de Twilio / the voice channel has no Twilio credentials');
        }
        const rangeHeader = request.headers.range;
        const range = typeof rangeHeader === 'string' ? rangeHeader : undefined;
        let media;
        try {
          media = await fetchRecordingMedia(
            { recordingSid, storedUrl: recording.storedUrl, accountSid: settings.data.accountSid, authToken, apiBaseUrl: settings.data.apiBaseUrl },
            { range, ...(options.limits ? { limits: options.limits } : {}) },
          );
        } catch (error) {
          if (!(error instanceof RecordingMediaError)) throw error;
          request.log.warn({ recordingSid, reason: error.reason, detail: error.message }, 'voice recording: media not fetched');
          if (error.reason === 'not_found') throw new HubError('HUB_ERR_VOICE_RECORDING_NOT_FOUND', 'Twilio ya no tiene esta grabación / Twilio no longer has this recording');
          throw new HubError('HUB_ERR_VOICE_RECORDING_UNAVAILABLE');
        }
        if (startsAtZero(range)) {
          await recordAudit(db, {
            action: 'voice_recording.played',
            actorUserId: principal.userId,
            ...requestMeta(request),
            campaignId: recording.campaignId,
            targetType: 'voice_recording',
            targetId: recordingSid,
            details: { source: recording.source, conversationId: recording.conversationId, folio: recording.folio, download },
          });
        }
        const ext = media.contentType.includes('wav') ? 'wav' : 'mp3';
        const filename = `${recording.source === 'voicemail' ? 'mensaje-de-voz' : 'grabacion'}-${recording.folio}-${recordingSid}.${ext}`;
        reply
          .status(media.status)
          .header('content-type', media.contentType)
          .header('content-disposition', contentDisposition(filename, download ? 'attachment' : 'inline'))
          .header('cache-control', 'private, no-store')
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', FILE_CSP);
        if (media.contentLength !== null) reply.header('content-length', String(media.contentLength));
        if (media.contentRange) reply.header('content-range', media.contentRange);
        if (media.acceptRanges) reply.header('accept-ranges', media.acceptRanges);
        media.body.on('error', (error: Error) => request.log.warn({ recordingSid, err: error }, 'voice recording: the media stream broke off'));
        return reply.send(media.body);
      },
    );
  };
}
