import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ConsoleEngines } from './console-engines.js';
import { storedModel } from './model-gate.js';

interface TurnForGuess {
  id: string;
  modelId: string;
  utterance: string;
}

/**
 * NLU's best intent below the threshold for each turn, by the model version that answered it.
 * The runtime stores only an intent that matched (bot_turns.intent), so the trainers' inbox asks
 * the same trained version again: classification is deterministic, so this is the guess it made.
 * A version that cannot be loaded any more gives no guess rather than no inbox.
 */
export async function guessesFor(db: Kysely<Database>, engines: ConsoleEngines, turns: TurnForGuess[]): Promise<Map<string, string | null>> {
  const guesses = new Map<string, string | null>();
  const modelIds = [...new Set(turns.map((t) => t.modelId))];
  if (modelIds.length === 0) return guesses;
  const rows = await db.selectFrom('bot_models').select(['id', 'model', 'trained', 'training']).where('id', 'in', modelIds).execute();
  for (const row of rows) {
    if (row.trained === null || row.training === null) continue;
    try {
      const { nlu } = await engines.get(row.id, row.training.trainedAt, storedModel(row.model), row.trained);
      for (const turn of turns.filter((t) => t.modelId === row.id)) guesses.set(turn.id, (await nlu.classify(turn.utterance)).guess);
    } catch {
      // An export NLP.js cannot read back (another version of it): these turns show no guess.
    }
  }
  return guesses;
}
