import { sql } from 'kysely';
import type { VoiceCallback } from '../../db/schema-voice-voicemail.js';
import { retryOnConflict } from '../../db/retry-transaction.js';
import { appendEvents } from '../../domain/interaction-events.js';
import { HubError } from '../../errors/error-registry.js';
import { writeOutbox } from '../../outbox/outbox.js';
import { rooms } from '../../realtime/events.contract.js';
import type { HubContext } from '../../runtime/context.js';
import { routedNotification } from '../../router/usecases/router-effects.js';
import { releaseHeldSeat } from '../../router/usecases/session-end.usecase.js';

/**
 * A supervisor cancels a call-back that has not been dialed yet (pending or queued). Its
 * conversation, still only a call-back task (waiting, queued or offered), is resolved with the
 * reason; one an agent already holds stays with the agent. A call in progress cannot be cancelled.
 */
export async function cancelCallback(ctx: Pick<HubContext, 'db' | 'router'>, callbackId: string, by: string): Promise<{ callback: VoiceCallback; folio: string }> {
  const result = await retryOnConflict(() =>
    ctx.db.kysely.transaction().execute(async (trx) => {
      const callback = await trx.selectFrom('voice_callbacks').selectAll().where('id', '=', callbackId).forUpdate().executeTakeFirst();
      if (!callback) throw new HubError('HUB_ERR_NOT_FOUND', 'Devolución de llamada no encontrada / call-back not found');
      if (callback.status !== 'pending' && callback.status !== 'queued') {
        throw new HubError('HUB_ERR_CONFLICT', `La devolución de llamada está «${callback.status}» y ya no se puede cancelar / the call-back is ${callback.status} and can no longer be cancelled`);
      }
      const updated = await trx
        .updateTable('voice_callbacks')
        .set({ status: 'cancelled', outcome: 'cancelled', updated_at: sql<Date>`clock_timestamp()` })
        .where('id', '=', callback.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const conversation = await trx.selectFrom('conversations').selectAll().where('id', '=', callback.conversation_id).forUpdate().executeTakeFirstOrThrow();
      if (conversation.closed_at !== null || conversation.status === 'assigned') return { callback: updated, folio: conversation.folio, outbox: [], reroute: false };
      const released = await releaseHeldSeat(trx, conversation, 'resolved', { type: 'system', id: 'voice-callbacks' });
      const closed = await trx
        .updateTable('conversations')
        .set({ status: 'resolved', offer_id: null, assignee_id: null, closed_at: sql<Date>`clock_timestamp()`, updated_at: sql<Date>`clock_timestamp()` })
        .where('id', '=', conversation.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await appendEvents(trx, { campaignId: conversation.campaign_id, actorType: 'system', actorId: 'voice-callbacks' }, [
        { type: 'conversation.resolved', conversationId: conversation.id, payload: { agentId: released, reason: `Devolución de llamada cancelada por ${by} / call-back cancelled by ${by}` } },
      ]);
      const outbox = await writeOutbox(trx, [routedNotification(closed, 'resolved', released ? [rooms.agent(released)] : [])]);
      return { callback: updated, folio: conversation.folio, outbox, reroute: released !== null };
    }),
  );
  await ctx.router.apply({ outbox: result.outbox, timers: [], messageIds: [], reroute: result.reroute });
  return { callback: result.callback, folio: result.folio };
}
