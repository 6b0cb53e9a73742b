import type { Transaction } from 'kysely';
import type { NluEntity } from '@ventanilla/bots';
import type { Database } from '../../db/schema.js';
import type { BotAnsweredBy, BotTurnReview } from '../../db/schema-bots.js';
import type { TurnContext } from './bot-turn-types.js';

export interface TurnFacts {
  answeredBy: BotAnsweredBy;
  intent: string | null;
  score: number;
  entities: NluEntity[];
  language: 'es' | 'en';
  review: BotTurnReview;
  kbArticleId: string | null;
}

/** A turn row per answered message (its message id is what marks the message answered). */
export async function insertTurn(trx: Transaction<Database>, turn: Pick<TurnContext, 'session' | 'message'>, facts: TurnFacts): Promise<string> {
  const row = await trx
    .insertInto('bot_turns')
    .values({
      session_id: turn.session.id,
      conversation_id: turn.session.conversation_id,
      campaign_id: turn.session.campaign_id,
      model_id: turn.session.model_id,
      message_id: turn.message.id,
      utterance: (turn.message.text ?? '').slice(0, 4000),
      language: facts.language,
      intent: facts.intent,
      score: Number.isFinite(facts.score) ? facts.score : 0,
      entities: JSON.stringify(facts.entities),
      answered_by: facts.answeredBy,
      kb_article_id: facts.kbArticleId,
      review: facts.review,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
