import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { VoiceCallback } from '../../db/schema-voice-voicemail.js';
import { retryOnConflict } from '../../db/retry-transaction.js';
import { appendEvents } from '../../domain/interaction-events.js';
import type { OutboxRow } from '../../outbox/outbox.js';
import { writeOutbox } from '../../outbox/outbox.js';
import { rooms } from '../../realtime/events.contract.js';
import type { HubContext } from '../../runtime/context.js';
import { routedNotification } from '../../router/usecases/router-effects.js';
import { releaseHeldSeat } from '../../router/usecases/session-end.usecase.js';
import { placeInLine } from '../voicemail/voice-line.js';

/** Twilio's final statuses of an outbound call nobody answered. */
const UNANSWERED_ES: Record<string, string> = {
  'no-answer': 'no contestó',
  busy: 'línea ocupada',
  failed: 'la llamada no se pudo completar',
  canceled: 'llamada cancelada',
  completed: 'no contestó',
};

export function unreachableNote(attempts: number, outcome: string): string {
  const why = UNANSWERED_ES[outcome] ?? outcome;
  return `Devolución de llamada sin éxito: ${attempts} ${attempts === 1 ? 'intento' : 'intentos'}, el último: ${why}. / Call-back failed after ${attempts} attempt(s), last: ${outcome}.`;
}

export interface AttemptEnd {
  callback: VoiceCallback;
  /** retry: waits until due_at; exhausted: the conversation was resolved. */
  next: 'retry' | 'exhausted' | 'ignored';
}

/**
 * An attempt nobody answered (no-answer, busy, failed; issue 8 item 6): with attempts left, the
 * conversation leaves the agent and waits (same folio) until `retryMinutes` from `now`; when they
 * are exhausted, the call-back fails with its outcome and the conversation is resolved with a
 * Spanish note. Only a `dialing` call-back (of that call, when given) moves: repeated status
 * callbacks change nothing.
 */
export async function endUnansweredAttempt(
  ctx: Pick<HubContext, 'db' | 'router'>,
  input: { callbackId: string; callSid?: string | undefined; outcome: string; retryMinutes: number; channelQueueId?: string | undefined; now?: number },
): Promise<AttemptEnd | null> {
  const now = input.now ?? Date.now();
  const result = await retryOnConflict(() =>
    ctx.db.kysely.transaction().execute(async (trx) => {
      const callback = await trx.selectFrom('voice_callbacks').selectAll().where('id', '=', input.callbackId).forUpdate().executeTakeFirst();
      if (!callback) return null;
      // A status callback may come before the dialer stored the call sid (last_call_sid still null).
      if (callback.status !== 'dialing' || (input.callSid !== undefined && callback.last_call_sid !== null && callback.last_call_sid !== input.callSid)) {
        return { end: { callback, next: 'ignored' as const }, outbox: [], reroute: false };
      }
      if (callback.attempts < callback.max_attempts) {
        const placed = await placeInLine(trx, callback.conversation_id, { kind: 'callback_waiting' }, input.channelQueueId).catch(() => null);
        const updated = await trx
          .updateTable('voice_callbacks')
          .set({
            status: placed ? 'pending' : 'cancelled',
            outcome: placed ? input.outcome : 'conversation_closed',
            due_at: new Date(now + input.retryMinutes * 60_000),
            ...(input.callSid !== undefined ? { last_call_sid: input.callSid } : {}),
            updated_at: sql<Date>`clock_timestamp()`,
          })
          .where('id', '=', callback.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        return { end: { callback: updated, next: 'retry' as const }, outbox: placed?.outbox ?? [], reroute: placed?.released ?? false };
      }
      const outbox = await resolveUnreachable(trx, callback.conversation_id, unreachableNote(callback.attempts, input.outcome));
      const updated = await trx
        .updateTable('voice_callbacks')
        .set({ status: 'failed', outcome: input.outcome, ...(input.callSid !== undefined ? { last_call_sid: input.callSid } : {}), updated_at: sql<Date>`clock_timestamp()` })
        .where('id', '=', callback.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { end: { callback: updated, next: 'exhausted' as const }, outbox, reroute: true };
    }),
  );
  if (!result) return null;
  await ctx.router.apply({ outbox: result.outbox, timers: [], messageIds: [], reroute: result.reroute });
  return result.end;
}

/** Closes the call-back's conversation: out of the agent's seat, resolved, the reason in the timeline. */
async function resolveUnreachable(trx: Transaction<Database>, conversationId: string, note: string): Promise<OutboxRow[]> {
  const conversation = await trx.selectFrom('conversations').selectAll().where('id', '=', conversationId).forUpdate().executeTakeFirst();
  if (!conversation || conversation.closed_at !== null) return [];
  const released = await releaseHeldSeat(trx, conversation, 'resolved', { type: 'system', id: 'voice-callbacks' });
  const closed = await trx
    .updateTable('conversations')
    .set({ status: 'resolved', offer_id: null, closed_at: sql<Date>`clock_timestamp()`, updated_at: sql<Date>`clock_timestamp()` })
    .where('id', '=', conversation.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendEvents(trx, { campaignId: conversation.campaign_id, actorType: 'system', actorId: 'voice-callbacks' }, [
    { type: 'conversation.resolved', conversationId: conversation.id, payload: { agentId: released, reason: note } },
  ]);
  return writeOutbox(trx, [routedNotification(closed, 'resolved', released ? [rooms.agent(released)] : [])]);
}

/** The citizen answered: the call-back is connected (the conference follows). */
export async function markCallbackAnswered(ctx: Pick<HubContext, 'db'>, callbackId: string, callSid: string): Promise<VoiceCallback | null> {
  const row = await ctx.db.kysely
    .updateTable('voice_callbacks')
    .set({ status: 'connected', outcome: 'answered', last_call_sid: callSid, updated_at: sql<Date>`clock_timestamp()` })
    .where('id', '=', callbackId)
    .where((eb) => eb.or([eb('last_call_sid', 'is', null), eb('last_call_sid', '=', callSid)]))
    .where('status', 'in', ['dialing', 'connected'])
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

/** A connected call-back's call ended: completed. */
export async function markCallbackCompleted(ctx: Pick<HubContext, 'db'>, callSid: string): Promise<void> {
  await ctx.db.kysely
    .updateTable('voice_callbacks')
    .set({ status: 'completed', updated_at: sql<Date>`clock_timestamp()` })
    .where('last_call_sid', '=', callSid)
    .where('status', '=', 'connected')
    .execute();
}
