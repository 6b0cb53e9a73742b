import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { autoLogout, endAfterContactWork } from '../usecases/agent-state.usecase.js';
import { timeOutOffer } from '../usecases/offer-decision.usecase.js';
import { applyDueOverflow } from '../usecases/overflow.usecase.js';
import { mergeEffects, noEffects, type RouterEffects } from '../usecases/router-effects.js';
import { abandonConversation, maxWaitMessage } from '../usecases/session-end.usecase.js';
import type { RouterTimer } from './router-timer.types.js';

/** What each durable timer does (router-timer.types.ts). Exhaustive: a new kind must be handled. */
export function timerHandler(db: Kysely<Database>): (timer: RouterTimer) => Promise<RouterEffects> {
  return async (timer) => {
    switch (timer.kind) {
      case 'offer_timeout': {
        // Most were answered long ago; each still pending is timed out in its own transaction.
        const pending = await db.selectFrom('offers').select('id').where('id', 'in', timer.offerIds).where('status', '=', 'pending').execute();
        const all: RouterEffects[] = [];
        for (const { id } of pending) all.push(await timeOutOffer(db, id));
        return mergeEffects(noEffects(), ...all);
      }
      case 'overflow':
        return applyDueOverflow(db, timer.conversationId, Math.max(Date.now(), timer.at));
      case 'max_wait': {
        const row = await db.selectFrom('conversations').select('folio').where('id', '=', timer.conversationId).executeTakeFirst();
        return abandonConversation(db, timer.conversationId, 'max_wait', { queueId: timer.queueId, ...(row ? { message: maxWaitMessage(row.folio) } : {}) });
      }
      case 'acw_end':
        return endAfterContactWork(db, timer.agentId, timer.stateSince);
      case 'auto_logout':
        return autoLogout(db, timer.agentId);
    }
  };
}
