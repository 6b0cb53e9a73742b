import { botModelSchema, validateBotModel, type BotModel } from '@ventanilla/bots';
import { HubError } from '../../errors/error-registry.js';

/**
 * Every model the console stores passes here (PUT, import, a phrase added from the inbox): the
 * bots package's gate (schema + dangling steps, unknown flows…), its problems in the error's
 * details so the console can point at each field.
 */
export function parseModelOrThrow(input: unknown): BotModel {
  const result = validateBotModel(input);
  if (result.ok) return result.model;
  const first = result.problems.slice(0, 3).map((p) => `${p.path}: ${p.message}`).join('; ');
  throw new HubError(
    'HUB_ERR_BOT_MODEL_INVALID',
    `El modelo del bot no es válido / the bot model is not valid — ${first}${result.problems.length > 3 ? ` (+${result.problems.length - 3})` : ''}`,
    { problems: result.problems },
  );
}

/** A stored model: it passed the gate when written, so only the schema's shape is read back. */
export function storedModel(input: unknown): BotModel {
  return botModelSchema.parse(input);
}

/** The empty model a campaign's first draft starts from. */
export const EMPTY_MODEL_INPUT = { name: 'Modelo', intents: [] } as const;
