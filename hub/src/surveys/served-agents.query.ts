import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

export type SurveyTier = 'PS-I' | 'PS-P';

export interface ServedAgent {
  agentId: string;
  displayName: string;
  tier: SurveyTier;
}

/**
 * Who served a conversation, first assignment first, each agent once: read from the append-only
 * `conversation.assigned` events (router_claim and acceptOffer write them) rather than from the
 * conversation's current assignee, which only names the last one. The event's seatType is the
 * tier the conversation was billed at when the agent took it (PS-P after a tier-2 transfer); a
 * missing or unknown one counts as PS-I, the first level (seed-digest §3.6).
 */
export async function servedAgents(db: Kysely<Database> | Transaction<Database>, conversationId: string): Promise<ServedAgent[]> {
  const rows = await db
    .selectFrom('interaction_events as e')
    // Compared as text: a hand-written payload with a malformed id is skipped, not a cast error.
    .innerJoin('users as u', (join) => join.on(sql<boolean>`u.id::text = e.payload->>'agentId'`))
    .select(['e.payload', 'u.id as agentId', 'u.display_name as displayName'])
    .where('e.conversation_id', '=', conversationId)
    .where('e.type', '=', 'conversation.assigned')
    .orderBy('e.id')
    .execute();
  const agents: ServedAgent[] = [];
  for (const row of rows) {
    if (agents.some((a) => a.agentId === row.agentId)) continue;
    const seatType = row.payload['seatType'];
    agents.push({ agentId: row.agentId, displayName: row.displayName, tier: seatType === 'PS-P' ? 'PS-P' : 'PS-I' });
  }
  return agents;
}
