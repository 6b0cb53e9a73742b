import type { Kysely } from 'kysely';
import { recordAudit } from '../../audit/audit.js';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import { markWrong } from '../runtime/outcomes.js';
import { auditActor, type ConsoleActor } from './console-actor.js';

/**
 * A trainer says the bot answered this turn wrong: the interaction's outcome becomes `wrong` (0 %
 * of its price, seed-digest §5.4) and `repeated` tells whether the same intent already failed
 * recently — the deviation that costs five interactions.
 */
export async function flagWrong(db: Kysely<Database>, campaignId: string, turnId: string, reason: string, actor: ConsoleActor): Promise<{ outcome: 'wrong'; repeated: boolean }> {
  return db.transaction().execute(async (trx) => {
    const turn = await trx.selectFrom('bot_turns').select(['id', 'session_id', 'intent']).where('id', '=', turnId).where('campaign_id', '=', campaignId).executeTakeFirst();
    if (!turn) throw new HubError('HUB_ERR_BOT_TURN_NOT_FOUND');
    const { repeated } = await markWrong(trx, { sessionId: turn.session_id, reason, decidedBy: actor.userId, turnId });
    await recordAudit(trx, {
      action: 'bot_turn.flagged_wrong',
      ...auditActor(actor),
      targetType: 'bot_turn',
      targetId: turnId,
      campaignId,
      details: { sessionId: turn.session_id, intent: turn.intent, reason, repeated },
    });
    return { outcome: 'wrong' as const, repeated };
  });
}
