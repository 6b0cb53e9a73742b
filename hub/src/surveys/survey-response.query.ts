import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { parseStoredSurveySettings } from './survey-settings.schema.js';
import type { SurveyTier } from './served-agents.query.js';

export interface SurveyResponseView {
  id: string;
  conversationId: string;
  folio: string;
  campaignId: string;
  channelId: string;
  rating: number | null;
  comment: string | null;
  /** In the order of the campaign's questions; `text` null for a question removed since. */
  answers: { id: string; text: string | null; answer: boolean }[];
  yes: number;
  no: number;
  createdAt: string;
  agentRatings: { agentId: string; displayName: string; tier: SurveyTier; rating: number }[];
}

/** The answered survey of a conversation for staff, or null when it has none. */
export async function loadSurveyResponse(db: Kysely<Database>, conversationId: string): Promise<SurveyResponseView | null> {
  const row = await db
    .selectFrom('survey_responses as r')
    .innerJoin('campaigns as k', 'k.id', 'r.campaign_id')
    .selectAll('r')
    .select('k.settings')
    .where('r.conversation_id', '=', conversationId)
    .executeTakeFirst();
  if (!row) return null;
  const ratings = await db
    .selectFrom('survey_agent_ratings as a')
    .innerJoin('users as u', 'u.id', 'a.agent_id')
    .select(['a.agent_id', 'u.display_name', 'a.tier', 'a.rating'])
    .where('a.response_id', '=', row.id)
    .orderBy('a.tier')
    .orderBy('u.display_name')
    .execute();
  const questions = parseStoredSurveySettings(row.settings).questions;
  const given = Object.entries(row.answers);
  const rank = (id: string) => {
    const index = questions.findIndex((q) => q.id === id);
    return index === -1 ? questions.length : index;
  };
  return {
    id: row.id,
    conversationId: row.conversation_id,
    folio: row.folio,
    campaignId: row.campaign_id,
    channelId: row.channel_id,
    rating: row.rating,
    comment: row.comment,
    answers: given
      .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
      .map(([id, answer]) => ({ id, text: questions.find((q) => q.id === id)?.text ?? null, answer })),
    yes: row.yes_count,
    no: row.no_count,
    createdAt: row.created_at.toISOString(),
    agentRatings: ratings.map((r) => ({ agentId: r.agent_id, displayName: r.display_name, tier: r.tier, rating: r.rating })),
  };
}
