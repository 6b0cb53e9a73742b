import { z } from 'zod';
import { summarySchema, timelineItemSchema } from '../conversations/conversation.schema.js';
import { scorecardItemsSchema, scorecardNameSchema } from './scorecard.schema.js';

export const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'mes AAAA-MM / month YYYY-MM');
export const channelKindSchema = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'tipo de canal (p. ej. voice, webchat, email) / channel kind');

const scorecardItemView = z.object({ id: z.string(), label: z.string(), weight: z.number(), critical: z.boolean() });
export const scorecardViewSchema = z.object({
  id: z.uuid(),
  campaignId: z.uuid(),
  name: z.string(),
  version: z.number().int(),
  status: z.enum(['draft', 'active', 'archived']),
  items: z.array(scorecardItemView),
  createdAt: z.string(),
  evaluations: z.number().int(),
});

export const createScorecardBody = z.object({ campaignId: z.uuid(), name: scorecardNameSchema, items: scorecardItemsSchema });
export const updateScorecardBody = z.object({ name: scorecardNameSchema.optional(), items: scorecardItemsSchema.optional() });

export const drawBody = z.object({
  campaignId: z.uuid(),
  channelKind: channelKindSchema,
  month: monthSchema,
  sampleSize: z.number().int().min(1).max(10_000).optional(),
  seed: z.string().trim().min(1).max(200).optional(),
  redraw: z.boolean().optional(),
});

export const sampleViewSchema = z.object({
  id: z.uuid(),
  campaignId: z.uuid(),
  channelKind: z.string(),
  month: z.string(),
  sampleSize: z.number().int(),
  population: z.number().int(),
  seed: z.string(),
  drawnBy: z.uuid().nullable(),
  drawnAt: z.string(),
  drawn: z.number().int(),
  evaluated: z.number().int(),
  assignedToMe: z.number().int(),
  scoreSum: z.number(),
});

export const sampleItemSchema = z.object({
  conversationId: z.uuid(),
  position: z.number().int(),
  folio: z.string(),
  answeredAt: z.string().nullable(),
  agentId: z.string().nullable(),
  agentName: z.string().nullable(),
  analystId: z.uuid().nullable(),
  analystName: z.string().nullable(),
  score: z.number().nullable(),
  evaluatedAt: z.string().nullable(),
});

const answerSchema = z.object({ met: z.boolean(), comment: z.string().trim().max(1000).optional() });
export const evaluationBody = z.object({
  answers: z.record(z.string().max(40), answerSchema).refine((a) => Object.keys(a).length <= 50, 'máximo 50 respuestas / at most 50 answers'),
  comments: z.string().max(4000).nullable().optional(),
});

export const kpiResultSchema = z.object({
  kpi: z.string(),
  label: z.string(),
  unit: z.string(),
  value: z.number().nullable(),
  status: z.enum(['ok', 'sin_trafico']),
  numerator: z.number(),
  denominator: z.number(),
  formula: z.string(),
  seedRef: z.string(),
  inputs: z.record(z.string(), z.number()),
  explanation: z.string(),
});

export const interactionSchema = z.object({
  sample: z.object({ id: z.uuid(), campaignId: z.uuid(), channelKind: z.string(), month: z.string(), sampleSize: z.number().int() }),
  item: z.object({ position: z.number().int(), analystId: z.uuid().nullable(), answeredAt: z.string().nullable(), agentId: z.string().nullable(), agentName: z.string().nullable() }),
  conversation: summarySchema,
  timeline: z.array(timelineItemSchema),
  recordings: z.array(z.object({ recordingSid: z.string(), durationSeconds: z.number().nullable(), startedAt: z.string() })),
  evaluation: z
    .object({
      id: z.uuid(),
      analystId: z.uuid(),
      score: z.number(),
      answers: z.record(z.string(), z.object({ met: z.boolean(), comment: z.string().optional() })),
      comments: z.string().nullable(),
      createdAt: z.string(),
      updatedAt: z.string(),
    })
    .nullable(),
  scorecard: scorecardViewSchema.nullable(),
});
