import { languageSchema } from '@ventanilla/bots';
import { z } from 'zod';

/** Zod mirrors of console.contract.ts for validation and OpenAPI (the contract's types stay the source of truth). */

export const campaignParams = z.object({ campaignId: z.uuid() });
export const modelParams = z.object({ campaignId: z.uuid(), modelId: z.uuid() });
export const turnParams = z.object({ campaignId: z.uuid(), turnId: z.uuid() });

const note = z.string().trim().max(500);

const trainingView = z.object({
  durationMs: z.number(),
  accuracy: z.number().describe('Exactitud con validación cruzada 0–1 / cross-validated accuracy 0–1'),
  folds: z.number().int(),
  perIntent: z.record(z.string(), z.object({ correct: z.number().int(), total: z.number().int() })),
  trainedAt: z.string(),
});

export const modelSummary = z.object({
  id: z.uuid(),
  campaignId: z.uuid(),
  version: z.number().int(),
  status: z.enum(['draft', 'production', 'archived']),
  name: z.string(),
  intents: z.number().int(),
  phrases: z.number().int(),
  note: z.string().nullable(),
  training: trainingView.nullable().describe('null: sin entrenar / not trained'),
  createdAt: z.string(),
  createdBy: z.uuid().nullable(),
  promotedAt: z.string().nullable(),
});

// The model as stored passed the gate already: the response does not validate megabytes again.
export const modelDetail = modelSummary.extend({ model: z.unknown().describe('El modelo: intenciones, entidades, flujos (bots/src/model.schema.ts) / the BotModel JSON') });

export const createDraftBody = z.object({
  fromModelId: z.uuid().optional().describe('Versión a copiar (por omisión la de producción, si no un modelo vacío) / version to copy (default production, else empty)'),
  note: note.optional(),
});

// The model is checked by the bots package's gate (problems with paths, 400 HUB_ERR_BOT_MODEL_INVALID), not here.
export const updateDraftBody = z.object({ model: z.unknown().describe('BotModel (bots/src/model.schema.ts)'), note: note.optional() });
export const importBody = z.object({ model: z.unknown().describe('BotModel exportado / an exported BotModel'), note: note.optional() });

export const testBody = z.object({
  utterance: z.string().max(20_000).describe('Lo que escribiría el ciudadano (vacío o muy largo: el resultado lo indica en `issue`) / what a citizen would write'),
});

const entityView = z.object({ type: z.string(), text: z.string(), value: z.string(), valid: z.boolean() });
const answeredBy = z.enum(['intent', 'flow', 'kb', 'fallback', 'handoff']);

export const testResponse = z.object({
  intent: z.string().nullable(),
  score: z.number(),
  guess: z.string().nullable(),
  candidates: z.array(z.object({ intent: z.string(), score: z.number() })),
  language: languageSchema,
  entities: z.array(entityView),
  issue: z.enum(['empty', 'too_long', 'no_words']).optional(),
  reply: z.object({ answeredBy, texts: z.array(z.string()), kbArticle: z.object({ id: z.uuid(), title: z.string() }).optional() }),
});

export const unmatchedQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.iso.datetime({ offset: true }).optional().describe('Página siguiente: anteriores a esta fecha-hora / next page: older than this'),
});

export const unmatchedView = z.object({
  turnId: z.uuid(),
  utterance: z.string(),
  language: languageSchema,
  guess: z.string().nullable(),
  score: z.number(),
  answeredBy: z.enum(['kb', 'fallback']),
  conversationId: z.uuid(),
  folio: z.string(),
  createdAt: z.string(),
});

export const addBody = z.object({
  intent: z.string().min(1).max(64),
  language: languageSchema.optional().describe('Por omisión el idioma detectado / default: the detected language'),
});

export const metricsQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional().describe('Desde (incluido); por omisión hace 30 días / from (inclusive), default 30 days ago'),
  to: z.iso.datetime({ offset: true }).optional().describe('Hasta (excluido); por omisión ahora / to (exclusive), default now'),
});

const intentMetrics = z.object({
  intent: z.string(),
  volume: z.number().int(),
  resolved: z.number().int(),
  handedOff: z.number().int(),
  wrong: z.number().int(),
  cutOff: z.number().int(),
  containment: z.number(),
  handoffRate: z.number(),
  accuracy: z.number(),
  repeatedWrong: z.boolean().describe('2 o más respuestas erróneas en el periodo (deducción de 5 interacciones) / 2+ wrong answers in the period'),
});

export const metricsView = z.object({
  from: z.string(),
  to: z.string(),
  totals: z.object({
    interactions: z.number().int(),
    resolved: z.number().int(),
    handedOff: z.number().int(),
    wrong: z.number().int(),
    cutOff: z.number().int(),
    containment: z.number(),
    billableWeightedInteractions: z.number().describe('Σ peso ÷ 100: resuelta 100 %, a humano 30 %, errónea 0 %, cortada 30 % / Σ weight ÷ 100'),
  }),
  intents: z.array(intentMetrics),
});

export const flagBody = z.object({ reason: z.string().trim().min(1).max(500) });
