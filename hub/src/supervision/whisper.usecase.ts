import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.js';
import type { Principal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import { writeOutbox, type OutboxRow } from '../outbox/outbox.js';
import type { SupervisionWhisperView } from '../realtime/events.contract.js';
import type { RequestMeta } from './monitor.usecase.js';
import { lockLiveConversation } from './supervision-access.js';
import { openSupervisorIds, toWhisperView, whisperNotification } from './supervision-notify.js';

/**
 * A message only the conversation's agent sees (seed L8103: "sin que el interlocutor lo pueda
 * detectar"). Stored in supervision_whispers — never `messages`, never the outbound queue, so
 * no channel, widget or transcript can carry it — with its audit entry and realtime notice.
 */
export async function whisperToAgent(
  db: Kysely<Database>,
  principal: Principal,
  conversationId: string,
  text: string,
  meta: RequestMeta,
): Promise<{ whisper: SupervisionWhisperView; voice: boolean; outbox: OutboxRow[] }> {
  return db.transaction().execute(async (trx) => {
    const conversation = await lockLiveConversation(trx, principal, conversationId);
    const row = await trx
      .insertInto('supervision_whispers')
      .values({ conversation_id: conversation.id, campaign_id: conversation.campaign_id, supervisor_id: principal.userId, agent_id: conversation.assignee_id, body: text })
      .returningAll()
      .executeTakeFirstOrThrow();
    const whisper = toWhisperView(row, principal.displayName);
    await recordAudit(trx, {
      action: 'supervision.whispered',
      actorUserId: principal.userId,
      ...meta,
      campaignId: conversation.campaign_id,
      targetType: 'conversation',
      targetId: conversation.id,
      details: { folio: conversation.folio, agentId: conversation.assignee_id, whisperId: row.id, length: text.length },
    });
    const outbox = await writeOutbox(trx, [whisperNotification(conversation.campaign_id, whisper, await openSupervisorIds(trx, conversation.id))]);
    return { whisper, voice: conversation.channel_class === 'voice', outbox };
  });
}
