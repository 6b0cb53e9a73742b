import type { BotModel, Language } from '@ventanilla/bots';
import { sql, type Kysely, type Transaction } from 'kysely';
import { recordAudit } from '../../audit/audit.js';
import type { Database } from '../../db/schema.js';
import type { BotTurnRow } from '../../db/schema-bots.js';
import { HubError } from '../../errors/error-registry.js';
import { auditActor, type ConsoleActor } from './console-actor.js';
import type { ConsoleEngines } from './console-engines.js';
import type { AddToIntentRequest, UnmatchedUtterance } from './console.contract.js';
import { parseModelOrThrow, storedModel } from './model-gate.js';
import { insertDraftCopy } from './model-versions.usecase.js';
import { guessesFor } from './unmatched-guesses.js';
import { loadNewestDraftForUpdate, loadProductionRow, lockCampaignModels } from './models.query.js';

/** The trainers' inbox (issue 7 item 5): utterances the bot did not understand, newest first. */
export async function listUnmatched(
  db: Kysely<Database>,
  engines: ConsoleEngines,
  campaignId: string,
  options: { limit: number; before?: string | undefined },
): Promise<UnmatchedUtterance[]> {
  let query = db
    .selectFrom('bot_turns as t')
    .innerJoin('conversations as c', 'c.id', 't.conversation_id')
    .select(['t.id', 't.model_id', 't.utterance', 't.language', 't.intent', 't.score', 't.answered_by', 't.conversation_id', 'c.folio', 't.created_at'])
    .where('t.campaign_id', '=', campaignId)
    .where('t.review', '=', 'pending')
    .orderBy('t.created_at', 'desc')
    .orderBy('t.id', 'desc')
    .limit(options.limit);
  if (options.before) query = query.where('t.created_at', '<', new Date(options.before));
  const rows = await query.execute();
  const guesses = await guessesFor(
    db,
    engines,
    rows.filter((row) => row.intent === null && row.score > 0).map((row) => ({ id: row.id, modelId: row.model_id, utterance: row.utterance })),
  );
  return rows.map((row) => ({
    turnId: row.id,
    utterance: row.utterance,
    language: row.language,
    guess: row.intent ?? guesses.get(row.id) ?? null,
    score: row.score,
    // A low-confidence match the runtime queued for review is, for the trainer, not understood either.
    answeredBy: row.answered_by === 'kb' ? 'kb' : 'fallback',
    conversationId: row.conversation_id,
    folio: row.folio,
    createdAt: row.created_at.toISOString(),
  }));
}

/**
 * Adds the utterance as a training phrase of `intent` in the campaign's newest draft (a new draft
 * from production when there is none). The draft must be trained again, so its training is cleared.
 */
export async function addToIntent(db: Kysely<Database>, campaignId: string, turnId: string, request: AddToIntentRequest, actor: ConsoleActor): Promise<{ modelId: string }> {
  return db.transaction().execute(async (trx) => {
    const turn = await pendingTurn(trx, campaignId, turnId);
    // Two adds at once with no draft yet must land in the same new draft, not in two.
    await lockCampaignModels(trx, campaignId);
    const language: Language = request.language ?? turn.language;
    const draft = (await loadNewestDraftForUpdate(trx, campaignId)) ?? (await draftFromProduction(trx, campaignId, actor));
    const model = storedModel(draft.model);
    const intent = model.intents.find((candidate) => candidate.name === request.intent);
    if (!intent) throw new HubError('HUB_ERR_BOT_INTENT_UNKNOWN', `La intención «${request.intent}» no existe en el borrador v${draft.version} / intent "${request.intent}" is not in draft v${draft.version}`);
    const phrase = turn.utterance.trim().replace(/\s+/g, ' ');
    const added = !intent.phrases[language].some((existing) => samePhrase(existing, phrase));
    if (added) {
      const next: BotModel = { ...model, intents: model.intents.map((i) => (i === intent ? { ...i, phrases: { ...i.phrases, [language]: [...i.phrases[language], phrase] } } : i)) };
      const valid = parseModelOrThrow(next);
      await trx
        .updateTable('bot_models')
        .set({ model: JSON.stringify(valid), trained: null, training: null, updated_at: sql`clock_timestamp()` })
        .where('id', '=', draft.id)
        .execute();
    }
    await trx.updateTable('bot_turns').set({ review: 'added', reviewed_by: actor.userId, reviewed_at: sql`clock_timestamp()` }).where('id', '=', turnId).execute();
    await recordAudit(trx, {
      action: 'bot_turn.phrase_added',
      ...auditActor(actor),
      targetType: 'bot_turn',
      targetId: turnId,
      campaignId,
      details: { modelId: draft.id, version: draft.version, intent: request.intent, language, alreadyThere: !added },
    });
    return { modelId: draft.id };
  });
}

export async function dismissUnmatched(db: Kysely<Database>, campaignId: string, turnId: string, actor: ConsoleActor): Promise<{ dismissed: true }> {
  return db.transaction().execute(async (trx) => {
    await pendingTurn(trx, campaignId, turnId);
    await trx.updateTable('bot_turns').set({ review: 'dismissed', reviewed_by: actor.userId, reviewed_at: sql`clock_timestamp()` }).where('id', '=', turnId).execute();
    await recordAudit(trx, { action: 'bot_turn.dismissed', ...auditActor(actor), targetType: 'bot_turn', targetId: turnId, campaignId });
    return { dismissed: true as const };
  });
}

/** The turn, locked, when it is this campaign's and still waits for review. */
async function pendingTurn(trx: Transaction<Database>, campaignId: string, turnId: string): Promise<BotTurnRow> {
  const turn = await trx.selectFrom('bot_turns').selectAll().where('id', '=', turnId).where('campaign_id', '=', campaignId).forUpdate().executeTakeFirst();
  if (!turn) throw new HubError('HUB_ERR_BOT_TURN_NOT_FOUND');
  if (turn.review !== 'pending') throw new HubError('HUB_ERR_BOT_TURN_REVIEWED');
  return turn;
}

async function draftFromProduction(trx: Transaction<Database>, campaignId: string, actor: ConsoleActor) {
  const production = await loadProductionRow(trx, campaignId);
  const { row } = await insertDraftCopy(trx, campaignId, production, { note: 'Borrador para frases del buzón / draft for inbox phrases', actor, reason: 'unmatched_add' });
  return row;
}

/** "Hola  " and "hola" teach NLP.js the same thing (it lowercases and tokenises): one copy is enough. */
function samePhrase(a: string, b: string): boolean {
  const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLocaleLowerCase('es-MX');
  return norm(a) === norm(b);
}
