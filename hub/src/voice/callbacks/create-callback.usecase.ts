import { randomUUID } from 'node:crypto';
import type { VoiceChannelSettings } from '@ventanilla/connectors';
import type { LoadedChannel } from '../../channels/channel-store.js';
import type { CallbackSource, VoiceCallback } from '../../db/schema-voice-voicemail.js';
import { retryOnConflict } from '../../db/retry-transaction.js';
import { HubError } from '../../errors/error-registry.js';
import type { OutboxRow } from '../../outbox/outbox.js';
import type { HubContext } from '../../runtime/context.js';
import { ingestVoiceMessage, placeInLine } from '../voicemail/voice-line.js';

export interface CallbackRequest {
  source: CallbackSource;
  /** E.164, already normalized. */
  phone: string;
  name?: string | undefined;
  note?: string | undefined;
  /** The conversation the request belongs to (the caller's queued call, a voicemail); else the phone's open one or a new one. */
  conversationId?: string | undefined;
  originCallSid?: string | undefined;
  voicemailId?: string | undefined;
  requestedBy?: string | undefined;
  dueAt?: Date | undefined;
}

export interface CreatedCallback {
  callback: VoiceCallback;
  folio: string;
  /** False when the conversation already had an open call-back (the same task, returned as is). */
  created: boolean;
}

const SOURCE_ES: Record<CallbackSource, string> = { web: 'chat web', api: 'API', queue: 'fila telefónica', voicemail: 'buzón de voz', ivr: 'menú telefónico' };

/**
 * A call-back request (issue 8 item 6) becomes an outbound call task: the citizen's conversation
 * (same folio when it comes from a call or a voicemail; else the phone's open conversation on the
 * voice channel or a new one) waits out of the router's reach (`waiting_contact`) until due; the
 * dialer (callback-dialer.ts) then queues it as a voice task and calls once an agent has it.
 */
export async function createCallback(ctx: Pick<HubContext, 'db' | 'router'>, channel: LoadedChannel, settings: VoiceChannelSettings, request: CallbackRequest): Promise<CreatedCallback> {
  const db = ctx.db.kysely;
  const result = await retryOnConflict(() =>
    db.transaction().execute(async (trx) => {
      let conversationId = request.conversationId;
      let folio: string;
      const outbox: OutboxRow[] = [];
      if (conversationId === undefined) {
        const text = [`Solicitud de devolución de llamada al ${request.phone} (${SOURCE_ES[request.source]}).`, request.note ? `Nota: ${request.note}` : ''].filter(Boolean).join(' ');
        const intake = await ingestVoiceMessage(trx, channel, { phone: request.phone, name: request.name, providerMessageId: `callback:${randomUUID()}`, content: { type: 'text', text } });
        conversationId = intake.conversationId;
        folio = intake.folio;
        outbox.push(...intake.outbox);
      } else {
        const conversation = await trx.selectFrom('conversations').select(['folio', 'channel_id']).where('id', '=', conversationId).executeTakeFirst();
        if (!conversation) throw new HubError('HUB_ERR_CONVERSATION_NOT_FOUND');
        folio = conversation.folio;
      }
      const open = await trx
        .selectFrom('voice_callbacks')
        .selectAll()
        .where('conversation_id', '=', conversationId)
        .where('status', 'in', ['pending', 'queued', 'dialing', 'connected'])
        .executeTakeFirst();
      if (open) return { callback: open, folio, created: false, outbox, released: false };
      const placed = await placeInLine(trx, conversationId, { kind: 'callback_waiting' }, settings.queueId);
      outbox.push(...placed.outbox);
      const callback = await trx
        .insertInto('voice_callbacks')
        .values({
          campaign_id: channel.row.campaign_id,
          channel_id: channel.row.id,
          conversation_id: conversationId,
          source: request.source,
          phone: request.phone,
          name: request.name ?? null,
          note: request.note ?? null,
          max_attempts: settings.callbackMaxAttempts,
          origin_call_sid: request.originCallSid ?? null,
          voicemail_id: request.voicemailId ?? null,
          requested_by: request.requestedBy ?? null,
          ...(request.dueAt ? { due_at: request.dueAt } : {}),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { callback, folio, created: true, outbox, released: placed.released };
    }),
  );
  await ctx.router.apply({ outbox: result.outbox, timers: [], messageIds: [], reroute: result.released });
  return { callback: result.callback, folio: result.folio, created: result.created };
}
