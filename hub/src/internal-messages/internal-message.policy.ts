import type { Role } from '../db/schema.js';

/**
 * Who may write to whom (seed-digest §1.10): an agent writes only to a supervisor of a campaign
 * both belong to, unless the campaign allows agent-to-agent messages
 * (`settings.internalMessages.agentToAgent`); supervisors and admins write to the staff of
 * their campaigns. Nobody writes across campaigns. Pure: the use case loads the facts.
 */
export interface PolicyUser {
  userId: string;
  roles: readonly Role[];
  /** Campaigns the user belongs to (admins reach every campaign). */
  campaignIds: readonly string[];
}

export type PolicyDecision =
  | { ok: true }
  | { ok: false; reason: 'role' | 'campaign' | 'recipient_campaign' | 'agent_to_agent' | 'agent_to_non_supervisor' | 'self' };

const WRITER_ROLES: readonly Role[] = ['admin', 'supervisor', 'agent'];

export function isManager(roles: readonly Role[]): boolean {
  return roles.includes('admin') || roles.includes('supervisor');
}

export function memberOf(user: PolicyUser, campaignId: string): boolean {
  return user.roles.includes('admin') || user.campaignIds.includes(campaignId);
}

export function canWrite(sender: PolicyUser, recipient: PolicyUser, campaignId: string, agentToAgent: boolean): PolicyDecision {
  if (!sender.roles.some((r) => WRITER_ROLES.includes(r))) return { ok: false, reason: 'role' };
  if (sender.userId === recipient.userId) return { ok: false, reason: 'self' };
  if (!memberOf(sender, campaignId)) return { ok: false, reason: 'campaign' };
  if (!memberOf(recipient, campaignId)) return { ok: false, reason: 'recipient_campaign' };
  if (isManager(sender.roles)) return { ok: true };
  if (isManager(recipient.roles)) return { ok: true };
  if (recipient.roles.includes('agent')) return agentToAgent ? { ok: true } : { ok: false, reason: 'agent_to_agent' };
  return { ok: false, reason: 'agent_to_non_supervisor' };
}

/** Spanish first: what the 403 says for each refusal. */
export const REFUSAL_TEXT: Record<Exclude<PolicyDecision, { ok: true }>['reason'], string> = {
  role: 'Su rol no puede enviar mensajes internos / your role cannot send internal messages',
  self: 'No puede enviarse un mensaje a sí mismo / you cannot message yourself',
  campaign: 'No pertenece a esta campaña; no puede escribir en ella / you are not a member of this campaign',
  recipient_campaign: 'El destinatario no pertenece a esta campaña; no se permiten mensajes entre campañas / the recipient is not in this campaign; no messages across campaigns',
  agent_to_agent: 'Los agentes solo pueden escribir a su supervisor en esta campaña / agents may only write to their supervisor in this campaign',
  agent_to_non_supervisor: 'Los agentes solo pueden escribir a su supervisor / agents may only write to their supervisor',
};

/** `campaigns.settings.internalMessages.agentToAgent`, false unless exactly true. */
export function agentToAgentAllowed(settings: unknown): boolean {
  if (typeof settings !== 'object' || settings === null) return false;
  const im = (settings as Record<string, unknown>)['internalMessages'];
  if (typeof im !== 'object' || im === null) return false;
  return (im as Record<string, unknown>)['agentToAgent'] === true;
}
