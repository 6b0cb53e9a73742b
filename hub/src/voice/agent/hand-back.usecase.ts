import type { Kysely } from 'kysely';
import type { Principal } from '../../auth/principal.js';
import type { Database } from '../../db/schema.js';
import { retryOnConflict } from '../../db/retry-transaction.js';
import { mergeEffects, noEffects, type RouterEffects } from '../../router/usecases/router-effects.js';
import { transferConversation } from '../../router/usecases/transfer.usecase.js';
import { setAgentState } from '../../router/store/agent-seats.js';

export const NO_ANSWER_REASON = 'El agente no contestó la llamada / the agent did not answer the call';

/**
 * An agent's leg was not answered (no-answer, busy, failed): the conversation goes back to its
 * line for the next agent — the router's transfer to the same queue, which keeps the folio and
 * never offers it to this agent again — and the agent goes not_ready like a RONA. The citizen
 * stays in the conference hearing music. A no-op when the conversation moved on meanwhile.
 */
export async function handBackUnanswered(db: Kysely<Database>, input: { conversationId: string; offerId: string | null; agentId: string }): Promise<RouterEffects> {
  const conversation = await db.selectFrom('conversations').select(['id', 'campaign_id', 'queue_id', 'assignee_id', 'offer_id', 'status', 'closed_at']).where('id', '=', input.conversationId).executeTakeFirst();
  if (!conversation || conversation.closed_at !== null || conversation.status !== 'assigned' || conversation.assignee_id !== input.agentId) return noEffects();
  if (input.offerId !== null && conversation.offer_id !== input.offerId) return noEffects();
  const agent = await db.selectFrom('users').select(['id', 'email', 'display_name']).where('id', '=', input.agentId).executeTakeFirst();
  if (!agent) return noEffects();
  // The agent "transfers" their own assignment back to the queue: the same rules and events as a
  // hand-made transfer, so KPIs and metering see one kind of hand-over.
  const principal: Principal = { userId: agent.id, email: agent.email, displayName: agent.display_name, roles: ['agent'], campaignIds: [conversation.campaign_id] };
  const target = conversation.queue_id !== null ? { kind: 'queue' as const, queueId: conversation.queue_id } : { kind: 'tier2' as const };
  // Not ready first, so the routing pass the hand-back kicks does not count on this agent.
  const rona = await retryOnConflict(() =>
    db.transaction().execute(async (trx) => {
      const change = await setAgentState(trx, input.agentId, { to: 'not_ready', reason: 'rona', actor: { type: 'system', id: 'voice' }, onlyFrom: ['available'] });
      return change ? { ...noEffects(), outbox: change.outbox } : noEffects();
    }),
  );
  const transferred = await transferConversation(db, principal, { conversationId: conversation.id, target, reason: NO_ANSWER_REASON });
  return mergeEffects(rona, transferred);
}
