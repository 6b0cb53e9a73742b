import { z } from 'zod';
import { botModelSchema, intentSchema, type BotModelInput } from '../../src/model.schema.js';
import baseJson from './demo-model.json' with { type: 'json' };
import heldOutJson from './heldout.json' with { type: 'json' };
import imssIntentsJson from './intents-imss.json' with { type: 'json' };
import satIntentsJson from './intents-sat.json' with { type: 'json' };
import kbArticlesJson from './kb-articles.json' with { type: 'json' };

/**
 * The Spanish demo bot (issue 7 item 6) for the demo campaigns "derechohabientes" (IMSS-like)
 * and "contribuyentes" (SAT/IMSS employers): one model serves both. The content lives in JSON
 * so trainers can read it and the console can import it like any other model. It is split in
 * three files only to keep each reviewable: `demo-model.json` (settings, conversation intents,
 * entities, flows) plus the SAT and IMSS intents. Parsing here makes a broken edit fail at load
 * with zod's message instead of deep in a seed.
 */

const intentsSchema = z.array(intentSchema).min(1);

export const demoBotModel: BotModelInput = botModelSchema.parse({
  ...baseJson,
  intents: [...intentsSchema.parse(baseJson.intents), ...intentsSchema.parse(satIntentsJson), ...intentsSchema.parse(imssIntentsJson)],
});

export const DEMO_MODEL_NAME: string = demoBotModel.name;

const heldOutSchema = z.array(z.object({ utterance: z.string().trim().min(1).max(500), intent: z.string().min(1) })).min(1);

/**
 * Utterances written the way citizens write (no accents, typos, colloquial) that are NOT
 * training phrases: the honest measure of the NLU's accuracy on the demo model.
 */
export const demoHeldOutSet: { utterance: string; intent: string }[] = heldOutSchema.parse(heldOutJson);

const kbArticleSchema = z.object({
  title: z.string().trim().min(1).max(200),
  body: z.string().trim().min(300).max(1500),
  topic: z.string().trim().min(1).max(64),
  tags: z.array(z.string().trim().min(1).max(64)).min(1).max(20),
});

/** Knowledge-base articles the hub seeds into `kb_articles` for the demo campaigns. */
export const demoKbArticles: { title: string; body: string; topic: string; tags: string[] }[] = z.array(kbArticleSchema).min(1).parse(kbArticlesJson);
