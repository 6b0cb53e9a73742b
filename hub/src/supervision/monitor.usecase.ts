import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { recordAudit } from '../audit/audit.js';
import type { Principal } from '../auth/principal.js';
import { authorize } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import type { SupervisionModeColumn, SupervisionSession } from '../db/schema-supervision.js';
import { HubError } from '../errors/error-registry.js';
import { writeOutbox, type OutboxRow } from '../outbox/outbox.js';
import { agentSeesMonitoring, lockLiveConversation, SUPERVISING_ROLES, type LiveConversation } from './supervision-access.js';
import { changedNotification } from './supervision-notify.js';

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

/**
 * Starts (or, with another mode, switches) the caller's supervision session on a live
 * conversation. Idempotent for the same mode: no second row, no second audit entry.
 */
export async function openSession(
  db: Kysely<Database>,
  principal: Principal,
  conversationId: string,
  mode: SupervisionModeColumn,
  meta: RequestMeta,
): Promise<{ session: SupervisionSession; conversation: LiveConversation; change: 'started' | 'mode_changed' | 'none'; previousMode: SupervisionModeColumn | null; outbox: OutboxRow[] }> {
  return db.transaction().execute(async (trx) => {
    const conversation = await lockLiveConversation(trx, principal, conversationId);
    const open = await trx.selectFrom('supervision_sessions').selectAll().where('conversation_id', '=', conversation.id).where('supervisor_id', '=', principal.userId).where('ended_at', 'is', null).executeTakeFirst();
    if (open && open.mode === mode) return { session: open, conversation, change: 'none' as const, previousMode: open.mode, outbox: [] };
    const session = open
      ? await trx.updateTable('supervision_sessions').set({ mode }).where('id', '=', open.id).returningAll().executeTakeFirstOrThrow()
      : await trx
          .insertInto('supervision_sessions')
          .values({ conversation_id: conversation.id, campaign_id: conversation.campaign_id, supervisor_id: principal.userId, agent_id: conversation.assignee_id, mode, call_sid: null, end_cause: null })
          .returningAll()
          .executeTakeFirstOrThrow();
    const change = open ? ('mode_changed' as const) : ('started' as const);
    await recordAudit(trx, {
      action: open ? 'supervision.mode_changed' : 'supervision.monitor_started',
      actorUserId: principal.userId,
      ...meta,
      campaignId: conversation.campaign_id,
      targetType: 'conversation',
      targetId: conversation.id,
      details: { folio: conversation.folio, agentId: conversation.assignee_id, mode, ...(open ? { from: open.mode } : {}), channelClass: conversation.channel_class },
    });
    const visible = await agentSeesMonitoring(trx, conversation.campaign_id);
    const outbox = await writeOutbox(trx, [
      changedNotification(
        {
          campaignId: conversation.campaign_id,
          conversationId: conversation.id,
          folio: conversation.folio,
          change: open ? 'mode_changed' : 'monitor_started',
          supervisorId: principal.userId,
          supervisorName: principal.displayName,
          agentId: conversation.assignee_id,
          mode,
          reason: null,
        },
        visible,
      ),
    ]);
    return { session, conversation, change, previousMode: open?.mode ?? null, outbox };
  });
}

/** Ends the caller's open session on the conversation (409 when there is none). */
export async function closeSession(
  db: Kysely<Database>,
  principal: Principal,
  conversationId: string,
  meta: RequestMeta,
): Promise<{ session: SupervisionSession; outbox: OutboxRow[] }> {
  return db.transaction().execute(async (trx) => {
    const conversation = await trx.selectFrom('conversations').select(['id', 'campaign_id', 'folio', 'assignee_id']).where('id', '=', conversationId).executeTakeFirst();
    if (!conversation) throw new HubError('HUB_ERR_CONVERSATION_NOT_FOUND');
    authorize(principal, SUPERVISING_ROLES, conversation.campaign_id);
    const session = await trx
      .updateTable('supervision_sessions')
      .set({ ended_at: sql`clock_timestamp()`, end_cause: 'stopped' })
      .where('conversation_id', '=', conversation.id)
      .where('supervisor_id', '=', principal.userId)
      .where('ended_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (!session) throw new HubError('HUB_ERR_SUPERVISION_NOT_MONITORING');
    await recordAudit(trx, {
      action: 'supervision.monitor_stopped',
      actorUserId: principal.userId,
      ...meta,
      campaignId: conversation.campaign_id,
      targetType: 'conversation',
      targetId: conversation.id,
      details: { folio: conversation.folio, agentId: session.agent_id, startedAt: session.started_at.toISOString() },
    });
    const visible = await agentSeesMonitoring(trx, conversation.campaign_id);
    const outbox = await writeOutbox(trx, [
      changedNotification(
        {
          campaignId: conversation.campaign_id,
          conversationId: conversation.id,
          folio: conversation.folio,
          change: 'monitor_stopped',
          supervisorId: principal.userId,
          supervisorName: principal.displayName,
          agentId: conversation.assignee_id ?? session.agent_id,
          mode: null,
          reason: null,
        },
        visible,
      ),
    ]);
    return { session, outbox };
  });
}

/** The leg the voice bridge dialled for this session (kept to know a takeover can proceed). */
export async function setCallSid(db: Kysely<Database>, sessionId: string, callSid: string): Promise<void> {
  await db.updateTable('supervision_sessions').set({ call_sid: callSid }).where('id', '=', sessionId).execute();
}

/** A voice leg that could not be dialled: the session it was for did not happen. */
export async function abandonSession(db: Kysely<Database>, sessionId: string): Promise<void> {
  await db.updateTable('supervision_sessions').set({ ended_at: sql`clock_timestamp()`, end_cause: 'stopped' }).where('id', '=', sessionId).where('ended_at', 'is', null).execute();
}
