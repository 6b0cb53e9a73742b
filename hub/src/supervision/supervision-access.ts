import type { Transaction } from 'kysely';
import { z } from 'zod';
import { authorize, type Principal } from '../auth/principal.js';
import type { Conversation, Database, Role } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';

/** Who may intervene: the campaign's supervisors and admins (agents and other campaigns get 403). */
export const SUPERVISING_ROLES: readonly Role[] = ['admin', 'supervisor'];

/** A session an agent is working: accepted (an offer not yet taken is not a session yet). */
export const LIVE_STATUSES = ['assigned', 'waiting_contact'] as const;

export type LiveConversation = Conversation & { assignee_id: string };

/** Locks the conversation and checks role, campaign and that an agent other than the caller holds it. */
export async function lockLiveConversation(trx: Transaction<Database>, principal: Principal, conversationId: string): Promise<LiveConversation> {
  const conversation = await trx.selectFrom('conversations').selectAll().where('id', '=', conversationId).forUpdate().executeTakeFirst();
  if (!conversation) throw new HubError('HUB_ERR_CONVERSATION_NOT_FOUND');
  authorize(principal, SUPERVISING_ROLES, conversation.campaign_id);
  return assertLive(conversation, principal);
}

export function assertLive(conversation: Conversation, principal: Principal): LiveConversation {
  const { assignee_id: assignee } = conversation;
  if (conversation.closed_at !== null || assignee === null || !(LIVE_STATUSES as readonly string[]).includes(conversation.status)) {
    throw new HubError('HUB_ERR_SUPERVISION_NOT_LIVE', undefined, { status: conversation.status });
  }
  if (assignee === principal.userId) throw new HubError('HUB_ERR_SUPERVISION_OWN_SESSION');
  return { ...conversation, assignee_id: assignee };
}

export function isVoice(conversation: Pick<Conversation, 'channel_class'>): boolean {
  return conversation.channel_class === 'voice';
}

const settingsSchema = z.object({ supervision: z.object({ agentSeesMonitoring: z.boolean().optional() }).optional() });

/**
 * Whether the agent is shown «Supervisado» while monitored (campaign setting
 * `settings.supervision.agentSeesMonitoring`, default true). The citizen never is.
 */
export async function agentSeesMonitoring(trx: Transaction<Database>, campaignId: string): Promise<boolean> {
  const row = await trx.selectFrom('campaigns').select('settings').where('id', '=', campaignId).executeTakeFirst();
  return showsMonitoring(row?.settings ?? {});
}

export function showsMonitoring(settings: unknown): boolean {
  const parsed = settingsSchema.safeParse(settings);
  return parsed.success ? (parsed.data.supervision?.agentSeesMonitoring ?? true) : true;
}
