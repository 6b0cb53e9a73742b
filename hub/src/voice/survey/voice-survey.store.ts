import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { appendEvents } from '../../domain/interaction-events.js';
import { servedAgents, type SurveyTier } from '../../surveys/served-agents.query.js';
import { answerOf, type VoiceSurveyQuestion } from './voice-survey-settings.schema.js';

/**
 * The keypad survey's answers in the web survey's tables (migration 0006), so satisfaction and
 * agent ratings read phone and web answers together: yes/no answers in `answers`, the overall
 * rating in `rating`, the agent rating once per agent who served the call with their tier. The
 * row's channel is the voice channel and `call_sid` the call (0013). It is rewritten from all
 * answers given so far after each key, so a caller who hangs up mid-survey still counts; only the
 * call that created it may rewrite it (UNIQUE conversation_id: never a second response).
 */

export interface CallAgent {
  agentId: string;
  seatType: string;
}

export interface StoreVoiceSurveyInput {
  conversationId: string;
  callSid: string;
  channelId: string;
  questions: readonly VoiceSurveyQuestion[];
  /** questionId → the key pressed (only valid keys are recorded as answers). */
  answers: ReadonlyMap<string, string>;
  /** Agents connected on this call (`agent_connected`), with their seat type. */
  callAgents: readonly CallAgent[];
  /** The last question was passed: log `survey.answered`. */
  complete: boolean;
}

export type StoreVoiceSurveyResult = 'stored' | 'nothing_to_store' | 'answered_elsewhere' | 'no_conversation';

/** Someone (the web widget or another call) already answered this conversation's survey. */
export async function answeredElsewhere(db: Kysely<Database>, conversationId: string, callSid: string): Promise<boolean> {
  const row = await sql<{ id: string }>`
    SELECT id FROM survey_responses WHERE conversation_id = ${conversationId} AND call_sid IS DISTINCT FROM ${callSid}`.execute(db);
  return row.rows.length > 0;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** This call's agents first (their seat type on the call), then anyone else the router assigned; each once, known users only. */
async function ratedAgents(db: Kysely<Database>, conversationId: string, callAgents: readonly CallAgent[]): Promise<{ agentId: string; tier: SurveyTier }[]> {
  const agents: { agentId: string; tier: SurveyTier }[] = [];
  for (const a of callAgents) {
    if (UUID.test(a.agentId) && !agents.some((o) => o.agentId === a.agentId)) agents.push({ agentId: a.agentId, tier: a.seatType === 'PS-P' ? 'PS-P' : 'PS-I' });
  }
  for (const a of await servedAgents(db, conversationId)) if (!agents.some((o) => o.agentId === a.agentId)) agents.push({ agentId: a.agentId, tier: a.tier });
  if (agents.length === 0) return [];
  const known = await db.selectFrom('users').select('id').where('id', 'in', agents.map((a) => a.agentId)).execute();
  return agents.filter((a) => known.some((k) => k.id === a.agentId));
}

export async function storeVoiceSurvey(db: Kysely<Database>, input: StoreVoiceSurveyInput): Promise<StoreVoiceSurveyResult> {
  const yesNo: Record<string, boolean> = {};
  let rating: number | null = null;
  let agentRating: number | null = null;
  for (const question of input.questions) {
    const digits = input.answers.get(question.id);
    const answer = digits === undefined ? null : answerOf(question, digits);
    if (answer === null) continue;
    if (typeof answer === 'boolean') yesNo[question.id] = answer;
    else if (question.kind === 'rating') rating = answer;
    else agentRating = answer;
  }
  if (Object.keys(yesNo).length === 0 && rating === null && agentRating === null) return 'nothing_to_store';
  const conversation = await db.selectFrom('conversations').select(['id', 'folio', 'campaign_id', 'contact_id']).where('id', '=', input.conversationId).executeTakeFirst();
  if (!conversation) return 'no_conversation';
  const agents = agentRating === null ? [] : await ratedAgents(db, conversation.id, input.callAgents);
  const yes = Object.values(yesNo).filter((v) => v).length;
  const no = Object.values(yesNo).length - yes;

  return db.transaction().execute(async (trx) => {
    const written = await sql<{ id: string }>`
      INSERT INTO survey_responses (conversation_id, campaign_id, folio, channel_id, rating, answers, yes_count, no_count, call_sid)
      VALUES (${conversation.id}, ${conversation.campaign_id}, ${conversation.folio}, ${input.channelId}, ${rating}, ${JSON.stringify(yesNo)}::jsonb, ${yes}, ${no}, ${input.callSid})
      ON CONFLICT (conversation_id) DO UPDATE
         SET rating = EXCLUDED.rating, answers = EXCLUDED.answers, yes_count = EXCLUDED.yes_count, no_count = EXCLUDED.no_count
       WHERE survey_responses.call_sid = EXCLUDED.call_sid
      RETURNING id`.execute(trx);
    const responseId = written.rows[0]?.id;
    if (responseId === undefined) return 'answered_elsewhere';
    await trx.deleteFrom('survey_agent_ratings').where('response_id', '=', responseId).execute();
    const agentRatings = agentRating === null ? [] : agents.map((a) => ({ agentId: a.agentId, tier: a.tier, rating: agentRating }));
    if (agentRatings.length > 0) {
      await trx
        .insertInto('survey_agent_ratings')
        .values(agentRatings.map((r) => ({ response_id: responseId, agent_id: r.agentId, tier: r.tier, rating: r.rating })))
        .execute();
    }
    if (input.complete) {
      await appendEvents(trx, { campaignId: conversation.campaign_id, actorType: 'contact', actorId: conversation.contact_id }, [
        { type: 'survey.answered', conversationId: conversation.id, contactId: conversation.contact_id, payload: { responseId, rating, yes, no, agentRatings } },
      ]);
    }
    return 'stored';
  });
}
