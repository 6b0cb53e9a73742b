import type { Kysely } from 'kysely';
import { authorize, campaignScope, hasRole, STAFF_ROLES, type Principal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';
import { LIVE_STATUSES, showsMonitoring, SUPERVISING_ROLES } from './supervision-access.js';
import { toWhisperView } from './supervision-notify.js';
import type { liveSessionSchema, supervisionStateSchema } from './supervision.schema.js';
import type { z } from 'zod';

type SupervisionState = z.infer<typeof supervisionStateSchema>;
type LiveSession = z.infer<typeof liveSessionSchema>;

/**
 * What the caller may know of the supervision of one conversation: supervisors and admins see
 * every open session and whisper; an agent sees the whispers addressed to them, and the sessions
 * only when they hold the conversation and the campaign shows monitoring.
 */
export async function supervisionState(db: Kysely<Database>, principal: Principal, conversationId: string): Promise<SupervisionState> {
  const conversation = await db
    .selectFrom('conversations as c')
    .innerJoin('campaigns as k', 'k.id', 'c.campaign_id')
    .select(['c.id', 'c.campaign_id', 'c.assignee_id', 'c.channel_class', 'k.settings'])
    .where('c.id', '=', conversationId)
    .executeTakeFirst();
  if (!conversation) throw new HubError('HUB_ERR_CONVERSATION_NOT_FOUND');
  authorize(principal, STAFF_ROLES, conversation.campaign_id);
  const supervising = hasRole(principal, SUPERVISING_ROLES);
  const shown = showsMonitoring(conversation.settings);
  const [sessions, whispers] = await Promise.all([
    db
      .selectFrom('supervision_sessions as s')
      .innerJoin('users as u', 'u.id', 's.supervisor_id')
      .select(['s.supervisor_id', 'u.display_name', 's.mode', 's.started_at'])
      .where('s.conversation_id', '=', conversation.id)
      .where('s.ended_at', 'is', null)
      .orderBy('s.started_at')
      .execute(),
    db
      .selectFrom('supervision_whispers as w')
      .innerJoin('users as u', 'u.id', 'w.supervisor_id')
      .selectAll('w')
      .select('u.display_name')
      .where('w.conversation_id', '=', conversation.id)
      .$if(!supervising, (q) => q.where('w.agent_id', '=', principal.userId))
      .orderBy('w.created_at')
      .limit(500)
      .execute(),
  ]);
  const monitors = sessions.map((s) => ({ supervisorId: s.supervisor_id, supervisorName: s.display_name, mode: s.mode, startedAt: s.started_at.toISOString() }));
  const agentMayKnow = conversation.assignee_id === principal.userId && shown;
  return {
    conversationId: conversation.id,
    assigneeId: conversation.assignee_id,
    voice: conversation.channel_class === 'voice',
    agentSeesMonitoring: shown,
    monitors: supervising || agentMayKnow ? monitors : [],
    whispers: whispers.map(({ display_name, ...w }) => toWhisperView(w, display_name)),
    mine: monitors.find((m) => m.supervisorId === principal.userId) ?? null,
  };
}

/** Agents' live sessions the caller may supervise (the supervisor's "who is attending what"). */
export async function liveSessions(db: Kysely<Database>, principal: Principal, campaignId: string | undefined): Promise<LiveSession[]> {
  authorize(principal, SUPERVISING_ROLES, campaignId);
  const scope = campaignScope(principal);
  if (scope !== null && scope.length === 0) return [];
  const rows = await db
    .selectFrom('conversations as c')
    .innerJoin('channels as ch', 'ch.id', 'c.channel_id')
    .innerJoin('contacts as ct', 'ct.id', 'c.contact_id')
    .innerJoin('users as u', 'u.id', 'c.assignee_id')
    .select(['c.id', 'c.folio', 'c.campaign_id', 'ch.kind', 'c.channel_class', 'ct.display_name as contact_name', 'c.status', 'c.assignee_id', 'u.display_name as agent_name', 'c.last_message_at'])
    .select((eb) =>
      eb
        .exists(eb.selectFrom('supervision_sessions as s').select('s.id').whereRef('s.conversation_id', '=', 'c.id').where('s.supervisor_id', '=', principal.userId).where('s.ended_at', 'is', null))
        .as('monitored'),
    )
    .where('c.status', 'in', [...LIVE_STATUSES])
    .where('c.closed_at', 'is', null)
    .where('c.assignee_id', '!=', principal.userId)
    .$if(campaignId !== undefined, (q) => q.where('c.campaign_id', '=', campaignId ?? ''))
    .$if(scope !== null, (q) => q.where('c.campaign_id', 'in', scope ?? []))
    .orderBy('u.display_name')
    .orderBy('c.last_message_at', 'desc')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    conversationId: r.id,
    folio: r.folio,
    campaignId: r.campaign_id,
    channelKind: r.kind,
    channelClass: r.channel_class,
    contactName: r.contact_name,
    status: r.status,
    agentId: r.assignee_id ?? '',
    agentName: r.agent_name,
    lastMessageAt: r.last_message_at.toISOString(),
    monitoredByMe: r.monitored === true,
  }));
}
