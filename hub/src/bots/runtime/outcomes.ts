import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { BOT_OUTCOME_WEIGHT_PCT, type BotOutcome, type BotOutcomeRow } from '../../db/schema-bots.js';
import { appendEvents, type DomainEvent } from '../../domain/interaction-events.js';

/** A wrong answer on the same intent within this window makes the next one "repeated" (a model to fix, not a one-off). */
const REPEATED_WRONG_DAYS = 30;

interface SessionFacts {
  id: string;
  conversationId: string;
  campaignId: string;
  channelId: string;
  modelId: string;
  intent: string | null;
}

async function sessionFacts(trx: Transaction<Database>, sessionId: string): Promise<SessionFacts> {
  const row = await trx
    .selectFrom('bot_sessions as s')
    .innerJoin('conversations as c', 'c.id', 's.conversation_id')
    .select(['s.id', 's.conversation_id', 's.campaign_id', 's.model_id', 's.state', 'c.channel_id'])
    .where('s.id', '=', sessionId)
    .executeTakeFirst();
  if (!row) throw new Error(`bot session ${sessionId} not found`);
  return { id: row.id, conversationId: row.conversation_id, campaignId: row.campaign_id, channelId: row.channel_id, modelId: row.model_id, intent: lastIntent(row.state) };
}

/** The interaction's intent: the last one the citizen's utterances matched (BotSessionState.intents). */
function lastIntent(state: unknown): string | null {
  if (state === null || typeof state !== 'object' || !('intents' in state) || !Array.isArray(state.intents)) return null;
  const last: unknown = state.intents[state.intents.length - 1];
  return typeof last === 'string' ? last : null;
}

async function currentOutcome(trx: Transaction<Database>, sessionId: string): Promise<BotOutcomeRow | undefined> {
  return trx.selectFrom('bot_outcomes').selectAll().where('session_id', '=', sessionId).where('superseded_by', 'is', null).forUpdate().executeTakeFirst();
}

interface NewOutcome {
  outcome: BotOutcome;
  intent: string | null;
  reason: string | null;
  turnId: string | null;
  decidedBy: string | null;
}

/**
 * Appends the session's new current outcome. Outcomes are append-only (billing recomputes as of
 * any date): the previous current row gets `superseded_by`. The new row is written pointing at
 * itself first, because the unique index allows one current row per session at every moment.
 */
async function supersede(trx: Transaction<Database>, facts: SessionFacts, previous: BotOutcomeRow | undefined, input: NewOutcome): Promise<string> {
  const id = randomUUID();
  const weightPct = BOT_OUTCOME_WEIGHT_PCT[input.outcome];
  await trx
    .insertInto('bot_outcomes')
    .values({
      id,
      session_id: facts.id,
      conversation_id: facts.conversationId,
      campaign_id: facts.campaignId,
      channel_id: facts.channelId,
      model_id: facts.modelId,
      intent: input.intent,
      outcome: input.outcome,
      weight_pct: weightPct,
      reason: input.reason === null ? null : input.reason.slice(0, 500),
      turn_id: input.turnId,
      decided_by: input.decidedBy,
      superseded_by: id,
    })
    .execute();
  if (previous) await trx.updateTable('bot_outcomes').set({ superseded_by: id }).where('id', '=', previous.id).execute();
  await trx.updateTable('bot_outcomes').set({ superseded_by: null }).where('id', '=', id).execute();
  const event: DomainEvent = {
    type: 'bot.outcome',
    conversationId: facts.conversationId,
    payload: {
      sessionId: facts.id,
      outcomeId: id,
      outcome: input.outcome,
      weightPct,
      intent: input.intent,
      modelId: facts.modelId,
      channelId: facts.channelId,
      supersedesId: previous?.id ?? null,
      reason: input.reason,
    },
  };
  await appendEvents(trx, { campaignId: facts.campaignId, actorType: input.decidedBy ? 'agent' : 'bot', actorId: input.decidedBy }, [event]);
  return id;
}

/**
 * The outcome of a bot interaction (one current per session): resolved, handed_off or cut_off,
 * with its billing weight and a `bot.outcome` usage fact. Recording the same outcome again is a
 * no-op, and a `wrong` flag is never overwritten by the session ending afterwards.
 */
export async function recordOutcome(trx: Transaction<Database>, input: { sessionId: string; outcome: BotOutcome; reason?: string }): Promise<{ outcomeId: string }> {
  const facts = await sessionFacts(trx, input.sessionId);
  const previous = await currentOutcome(trx, input.sessionId);
  if (previous && (previous.outcome === input.outcome || previous.outcome === 'wrong')) return { outcomeId: previous.id };
  const outcomeId = await supersede(trx, facts, previous, { outcome: input.outcome, intent: facts.intent, reason: input.reason ?? null, turnId: null, decidedBy: null });
  return { outcomeId };
}

/**
 * A trainer (decidedBy) or a negative survey (decidedBy null) says the bot answered wrong: the
 * session's current outcome becomes `wrong` (0 %). `repeated` when another current wrong answer
 * on the same intent in the same campaign happened within 30 days (`bot.repeated_wrong`).
 */
export async function markWrong(trx: Transaction<Database>, input: { sessionId: string; reason: string; decidedBy: string | null; turnId?: string }): Promise<{ repeated: boolean }> {
  const facts = await sessionFacts(trx, input.sessionId);
  let intent = facts.intent;
  if (input.turnId !== undefined) {
    const turn = await trx.selectFrom('bot_turns').select(['intent', 'session_id']).where('id', '=', input.turnId).executeTakeFirst();
    if (!turn || turn.session_id !== facts.id) throw new Error(`bot turn ${input.turnId} is not a turn of session ${facts.id}`);
    intent = turn.intent ?? intent;
  }
  const previous = await currentOutcome(trx, input.sessionId);
  const outcomeId =
    previous?.outcome === 'wrong'
      ? previous.id
      : await supersede(trx, facts, previous, { outcome: 'wrong', intent, reason: input.reason, turnId: input.turnId ?? null, decidedBy: input.decidedBy });
  if (intent === null) return { repeated: false };
  const others = await trx
    .selectFrom('bot_outcomes')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('campaign_id', '=', facts.campaignId)
    .where('intent', '=', intent)
    .where('outcome', '=', 'wrong')
    .where('superseded_by', 'is', null)
    .where('session_id', '!=', facts.id)
    .where('decided_at', '>', sql<Date>`clock_timestamp() - make_interval(days => ${REPEATED_WRONG_DAYS})`)
    .executeTakeFirstOrThrow();
  const repeated = others.n > 0;
  if (repeated && previous?.outcome !== 'wrong') {
    await appendEvents(trx, { campaignId: facts.campaignId, actorType: input.decidedBy ? 'agent' : 'bot', actorId: input.decidedBy }, [
      { type: 'bot.repeated_wrong', conversationId: facts.conversationId, payload: { sessionId: facts.id, outcomeId, intent, campaignWrongs30d: others.n + 1 } },
    ]);
  }
  return { repeated };
}
