import { sql, type Kysely } from 'kysely';
import { authorize, type Principal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import type { InternalMessage } from '../db/schema-internal-messages.js';
import { HubError } from '../errors/error-registry.js';
import { writeOutbox, type OutboxRow } from '../outbox/outbox.js';
import { rooms, type InternalMessageView } from '../realtime/events.contract.js';
import { agentToAgentAllowed, canWrite, REFUSAL_TEXT } from './internal-message.policy.js';

export function toInternalMessageView(row: InternalMessage, fromName: string, toName: string): InternalMessageView {
  return {
    id: row.id,
    campaignId: row.campaign_id,
    fromUserId: row.from_user_id,
    fromName,
    toUserId: row.to_user_id,
    toName,
    body: row.body,
    createdAt: row.created_at.toISOString(),
    readAt: row.read_at ? row.read_at.toISOString() : null,
  };
}

/** Stores the message and its notification to the recipient's user room in one transaction. */
export async function sendInternalMessage(
  db: Kysely<Database>,
  principal: Principal,
  input: { campaignId: string; toUserId: string; body: string },
): Promise<{ message: InternalMessageView; outbox: OutboxRow[] }> {
  return db.transaction().execute(async (trx) => {
    const campaign = await trx.selectFrom('campaigns').select(['id', 'settings']).where('id', '=', input.campaignId).executeTakeFirst();
    if (!campaign) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
    const recipient = await trx.selectFrom('users').select(['id', 'display_name', 'roles', 'disabled']).where('id', '=', input.toUserId).executeTakeFirst();
    if (!recipient || recipient.disabled) throw new HubError('HUB_ERR_USER_NOT_FOUND');
    const memberships = await trx.selectFrom('user_campaigns').select('campaign_id').where('user_id', '=', recipient.id).execute();
    const decision = canWrite(
      { userId: principal.userId, roles: principal.roles, campaignIds: principal.campaignIds },
      { userId: recipient.id, roles: recipient.roles, campaignIds: memberships.map((m) => m.campaign_id) },
      campaign.id,
      agentToAgentAllowed(campaign.settings),
    );
    if (!decision.ok) {
      const code = decision.reason === 'role' ? 'HUB_ERR_FORBIDDEN_ROLE' : 'HUB_ERR_FORBIDDEN_CAMPAIGN';
      throw new HubError(code, REFUSAL_TEXT[decision.reason], { reason: decision.reason });
    }
    const row = await trx
      .insertInto('internal_messages')
      .values({ campaign_id: campaign.id, from_user_id: principal.userId, to_user_id: recipient.id, body: input.body })
      .returningAll()
      .executeTakeFirstOrThrow();
    const message = toInternalMessageView(row, principal.displayName, recipient.display_name);
    const outbox = await writeOutbox(trx, [{ event: 'internal_message.received', rooms: [rooms.agent(recipient.id)], data: { campaignId: campaign.id, message } }]);
    return { message, outbox };
  });
}

/**
 * Read receipt: only the recipient marks a message read (anyone else gets 404, the message is
 * not theirs to see). Idempotent: a second call keeps the first read_at and sends nothing.
 */
export async function markInternalMessageRead(db: Kysely<Database>, principal: Principal, messageId: string): Promise<{ readAt: string; outbox: OutboxRow[] }> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('internal_messages').selectAll().where('id', '=', messageId).where('to_user_id', '=', principal.userId).forUpdate().executeTakeFirst();
    if (!row) throw new HubError('HUB_ERR_NOT_FOUND', 'Mensaje interno no encontrado / internal message not found');
    if (row.read_at) return { readAt: row.read_at.toISOString(), outbox: [] };
    const updated = await trx
      .updateTable('internal_messages')
      .set({ read_at: new Date() })
      .where('id', '=', row.id)
      .returning('read_at')
      .executeTakeFirstOrThrow();
    const readAt = (updated.read_at ?? new Date()).toISOString();
    const outbox = await writeOutbox(trx, [
      { event: 'internal_message.read', rooms: [rooms.agent(row.from_user_id)], data: { campaignId: row.campaign_id, messageId: row.id, readerId: principal.userId, readAt } },
    ]);
    return { readAt, outbox };
  });
}

/**
 * A supervisor's (or admin's) message to every active agent of one campaign (seed L1701:
 * "a un agente o a un grupo"): one stored row and one notification per agent, in one transaction.
 */
export async function broadcastToCampaignAgents(
  db: Kysely<Database>,
  principal: Principal,
  input: { campaignId: string; body: string },
): Promise<{ messages: InternalMessageView[]; outbox: OutboxRow[] }> {
  authorize(principal, ['admin', 'supervisor'], input.campaignId);
  return db.transaction().execute(async (trx) => {
    const campaign = await trx.selectFrom('campaigns').select('id').where('id', '=', input.campaignId).executeTakeFirst();
    if (!campaign) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
    const agents = await trx
      .selectFrom('user_campaigns as uc')
      .innerJoin('users as u', 'u.id', 'uc.user_id')
      .select(['u.id', 'u.display_name'])
      .where('uc.campaign_id', '=', campaign.id)
      .where('u.disabled', '=', false)
      .where('u.id', '!=', principal.userId)
      .where(sql<boolean>`'agent' = ANY(u.roles)`)
      .orderBy('u.display_name')
      .execute();
    if (agents.length === 0) return { messages: [], outbox: [] };
    const rows = await trx
      .insertInto('internal_messages')
      .values(agents.map((a) => ({ campaign_id: campaign.id, from_user_id: principal.userId, to_user_id: a.id, body: input.body })))
      .returningAll()
      .execute();
    const names = new Map(agents.map((a) => [a.id, a.display_name]));
    const messages = rows.map((row) => toInternalMessageView(row, principal.displayName, names.get(row.to_user_id) ?? ''));
    const outbox = await writeOutbox(
      trx,
      messages.map((message) => ({ event: 'internal_message.received' as const, rooms: [rooms.agent(message.toUserId)], data: { campaignId: campaign.id, message } })),
    );
    return { messages, outbox };
  });
}
