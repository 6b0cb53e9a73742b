import { z } from 'zod';
import { WALLBOARD_METRICS } from './wallboard-alerts.js';

const metricSchema = z.enum(WALLBOARD_METRICS as [string, ...string[]]).transform((m) => m as (typeof WALLBOARD_METRICS)[number]);

/** A threshold: percent metrics 0–100, counts and seconds 0–86 400 (wallboard-alerts.ts gives the direction). */
export const thresholdBodySchema = z
  .object({
    queueId: z.uuid().nullable().default(null),
    metric: metricSchema,
    value: z.number().min(0).max(86_400),
  })
  .refine((t) => !['service_level_percent', 'abandonment_percent'].includes(t.metric) || t.value <= 100, {
    message: 'Un porcentaje va de 0 a 100 / a percentage is 0 to 100',
    path: ['value'],
  });
export type ThresholdBody = z.infer<typeof thresholdBodySchema>;

export const thresholdPatchSchema = z.object({ value: z.number().min(0).max(86_400) });

export const thresholdViewSchema = z.object({
  id: z.uuid(),
  campaignId: z.uuid(),
  queueId: z.uuid().nullable(),
  metric: z.string(),
  direction: z.enum(['above', 'below']),
  value: z.number(),
  updatedAt: z.string(),
});
export type ThresholdView = z.infer<typeof thresholdViewSchema>;
