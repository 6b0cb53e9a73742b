import { createKbAnswerer, type BotModel, type KbAnswerer } from '@ventanilla/bots';
import type { OutboundContent } from '@ventanilla/connectors/core';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import { lookUpFolio } from '../runtime/folio-status.js';
import type { ConsoleEngines } from './console-engines.js';
import type { TestUtteranceResponse } from './console.contract.js';
import { storedModel } from './model-gate.js';
import { loadModelRow } from './models.query.js';

/** The test box renders for a plain-text channel: buttons come out as numbered options, as most channels show them. */
const TEST_RENDER = { interactive: false, maxButtons: 3, maxTextLength: 4096 };

/**
 * The console's test box (issue 7 item 5): what NLU makes of an utterance, and what the bot would
 * answer a new conversation that opened with it. Nothing is stored: no session, turn or outcome.
 */
export async function testUtterance(db: Kysely<Database>, engines: ConsoleEngines, campaignId: string, modelId: string, utterance: string): Promise<TestUtteranceResponse> {
  const row = await loadModelRow(db, campaignId, modelId);
  if (row.trained === null || row.training === null) throw new HubError('HUB_ERR_BOT_NOT_TRAINED');
  const model = storedModel(row.model);
  const { nlu, engine } = await engines.get(row.id, row.training.trainedAt, model, row.trained);
  const result = await nlu.classify(utterance);
  const kb = await kbFor(db, campaignId, model);
  const turn = await engine.turn(engine.newSession(), { text: utterance, at: new Date() }, TEST_RENDER, {
    folioStatus: (folio, language) => lookUpFolio(db, campaignId, folio, language),
    kb,
  });
  const article = turn.kbArticleId ? await db.selectFrom('kb_articles').select(['id', 'title']).where('id', '=', turn.kbArticleId).executeTakeFirst() : undefined;
  return {
    intent: result.intent,
    score: result.score,
    guess: result.guess,
    candidates: result.candidates,
    language: result.language,
    entities: result.entities.map((e) => ({ type: e.type, text: e.text, value: e.value, valid: e.valid })),
    ...(result.issue ? { issue: result.issue } : {}),
    reply: { answeredBy: turn.answeredBy, texts: turn.replies.map(textOf), ...(article ? { kbArticle: article } : {}) },
  };
}

/** The campaign's published articles, read per test (a trainer may have just published one to see it answer). */
async function kbFor(db: Kysely<Database>, campaignId: string, model: BotModel): Promise<KbAnswerer | null> {
  if (!model.kb.enabled) return null;
  const articles = await db.selectFrom('kb_articles').select(['id', 'title', 'body', 'topic', 'tags']).where('campaign_id', '=', campaignId).where('published', '=', true).execute();
  return articles.length === 0 ? null : createKbAnswerer(articles, { minScore: model.kb.minScore });
}

function textOf(content: OutboundContent): string {
  switch (content.type) {
    case 'text':
    case 'interactive':
      return content.text;
    default:
      return content.text ?? '';
  }
}
