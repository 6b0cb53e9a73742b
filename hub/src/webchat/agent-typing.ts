import type { HubContext } from '../runtime/context.js';
import { TypingThrottle } from './typing-throttle.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** How long "is this agent the assignee" is trusted before asking PostgreSQL again. */
const ASSIGNEE_TTL_MS = 5000;

/**
 * A staff socket's `conversation.typing` → the citizen's widget (`agent.typing` with the agent's
 * display name). Only the conversation's assignee is relayed: a supervisor watching, or an agent
 * who lost the conversation to a transfer, types nothing into the citizen's window.
 * One relay per staff socket: it keeps that socket's throttles and checks.
 */
export function agentTypingRelay(ctx: HubContext, userId: string): (request: unknown) => void {
  const throttles = new Map<string, TypingThrottle>();
  const checked = new Map<string, { at: number; assignee: boolean }>();
  let displayName: string | null | undefined;

  const isAssignee = async (conversationId: string): Promise<boolean> => {
    const hit = checked.get(conversationId);
    if (hit && Date.now() - hit.at < ASSIGNEE_TTL_MS) return hit.assignee;
    const row = await ctx.db.kysely
      .selectFrom('conversations')
      .select(['assignee_id', 'closed_at'])
      .where('id', '=', conversationId)
      .executeTakeFirst();
    const assignee = row !== undefined && row.assignee_id === userId && row.closed_at === null;
    if (checked.size > 200) checked.clear();
    checked.set(conversationId, { at: Date.now(), assignee });
    return assignee;
  };

  const nameOf = async (): Promise<string | null> => {
    if (displayName === undefined) {
      const user = await ctx.db.kysely.selectFrom('users').select('display_name').where('id', '=', userId).executeTakeFirst();
      displayName = user?.display_name ?? null;
    }
    return displayName;
  };

  return (request) => {
    if (typeof request !== 'object' || request === null) return;
    const conversationId: unknown = 'conversationId' in request ? request.conversationId : undefined;
    const typing: unknown = 'typing' in request ? request.typing : undefined;
    if (typeof conversationId !== 'string' || !UUID.test(conversationId) || typeof typing !== 'boolean') return;
    let throttle = throttles.get(conversationId);
    if (!throttle) {
      if (throttles.size > 200) throttles.clear();
      throttle = new TypingThrottle();
      throttles.set(conversationId, throttle);
    }
    if (!throttle.shouldSend(typing)) return;
    void (async () => {
      if (!(await isAssignee(conversationId))) return;
      ctx.publisher.toWidgetConversation(conversationId, 'agent.typing', { typing, displayName: await nameOf() });
    })().catch((error: unknown) => ctx.logger.warn({ err: error }, 'agent typing relay failed'));
  };
}
