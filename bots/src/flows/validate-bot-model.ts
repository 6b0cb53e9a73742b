import { botModelSchema, type BotModel } from '../model.schema.js';
import { crossReferenceProblems } from './cross-references.js';
import type { BotModelValidation } from './model-problem.js';
import { zodIssuesToProblems } from './zod-problems.js';

/**
 * The gate every model passes before it is stored, trained or imported: the schema first
 * (shapes, limits), then the cross-references (dangling steps, unknown flows, duplicates).
 * Never throws: whatever the input, the trainer gets a list of problems in Spanish.
 */
export function validateBotModel(input: unknown): BotModelValidation<BotModel> {
  const parsed = botModelSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: zodIssuesToProblems(parsed.error.issues, input) };
  const problems = crossReferenceProblems(parsed.data);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, model: parsed.data };
}
