import type { Kysely } from 'kysely';
import type { Conversation, Database } from '../db/schema.js';
import { parseStoredTreatment } from '../router/queue-treatment/treatment-plan.js';
import { loadSurveySettings } from '../surveys/survey-settings.usecase.js';
import type { Visitor } from './visitor-auth.js';
import { conversationEnded, latestVisitorConversation } from './visitor-conversation.js';
import { toWidgetMessage } from './widget-message-view.js';
import type { WidgetConversationStatus, WidgetMessage, WidgetSessionState } from './widget.contract.js';

/** The most recent part of a long chat; the transcript has all of it. */
const HISTORY_LIMIT = 500;

function widgetStatus(conversation: Conversation, ended: boolean): WidgetConversationStatus {
  if (ended) return 'ended';
  return conversation.status === 'assigned' || conversation.status === 'waiting_contact' ? 'with_agent' : 'waiting';
}

/** The conversation's messages as the citizen sees them, oldest first, with agents' display names. */
export async function widgetMessages(db: Kysely<Database>, conversationId: string, limit = HISTORY_LIMIT): Promise<WidgetMessage[]> {
  const rows = await db
    .selectFrom('messages as m')
    .leftJoin('users as u', 'u.id', 'm.sender_id')
    .selectAll('m')
    .select('u.display_name as agent_name')
    .where('m.conversation_id', '=', conversationId)
    .orderBy('m.created_at', 'desc')
    .orderBy('m.id', 'desc')
    .limit(limit)
    .execute();
  return rows.reverse().map(({ agent_name, ...row }) => toWidgetMessage(row, agent_name));
}

/**
 * GET /widget/v1/session: the visitor's latest conversation on this channel as the citizen may
 * see it (folio, waiting / with an agent / ended, place in line and estimated wait from the
 * router's queue treatment, the agent's display name, the exit survey) and its messages.
 */
export async function widgetSessionState(db: Kysely<Database>, visitor: Visitor): Promise<WidgetSessionState> {
  const base = { visitorId: visitor.visitorId, name: visitor.session.name };
  const conversation = await latestVisitorConversation(db, visitor.channel.row.id, visitor.visitorId);
  if (!conversation) return { ...base, conversation: null, messages: [] };

  const [ended, messages, agent, survey, answered] = await Promise.all([
    conversationEnded(db, conversation),
    widgetMessages(db, conversation.id),
    conversation.assignee_id
      ? db.selectFrom('users').select('display_name').where('id', '=', conversation.assignee_id).executeTakeFirst()
      : Promise.resolve(undefined),
    loadSurveySettings(db, conversation.campaign_id),
    db.selectFrom('survey_responses').select('id').where('conversation_id', '=', conversation.id).executeTakeFirst(),
  ]);
  const status = widgetStatus(conversation, ended);
  const waitingInQueue = status === 'waiting' && (conversation.status === 'queued' || conversation.status === 'offered');
  const treatment = waitingInQueue ? parseStoredTreatment(conversation.treatment) : null;
  const done = answered !== undefined;
  return {
    ...base,
    conversation: {
      folio: conversation.folio,
      status,
      queue: waitingInQueue
        ? {
            position: treatment?.position ?? null,
            estimatedWaitSeconds: treatment?.estimatedWaitMs == null ? null : Math.round(treatment.estimatedWaitMs / 1000),
          }
        : null,
      agent: status === 'with_agent' && agent ? { displayName: agent.display_name } : null,
      closedAt: conversation.closed_at?.toISOString() ?? null,
      survey: { due: ended && survey.enabled && !done, done },
    },
    messages,
  };
}
