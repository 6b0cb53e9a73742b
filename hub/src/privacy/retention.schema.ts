import { z } from 'zod';
import { bilingual } from '../router/config/routing-problem.js';
import type { RetentionKind } from '../db/schema-privacy.js';

export const RETENTION_KINDS: readonly RetentionKind[] = ['messages', 'attachments', 'recordings'];

/** Seed §7.3: online ≥30 natural days (L1694), then the historic store ≥6 more months (L1695). */
export const DEFAULT_ONLINE_DAYS = 30;
export const DEFAULT_ARCHIVE_DAYS = 180;
export const MIN_ONLINE_DAYS = 30;
export const MAX_DAYS = 36_500;

export const retentionPeriodSchema = z
  .object({
    onlineDays: z
      .number()
      .int()
      .min(MIN_ONLINE_DAYS, bilingual('en línea al menos 30 días naturales (anexo técnico)', 'online for at least 30 natural days (contract)'))
      .max(MAX_DAYS),
    archiveDays: z.number().int().min(1).max(MAX_DAYS),
  })
  .strict()
  .refine((p) => p.archiveDays >= p.onlineDays, {
    message: bilingual('los días en archivo deben ser al menos los días en línea', 'archive days must be at least the online days'),
    path: ['archiveDays'],
  });
export type RetentionPeriod = z.output<typeof retentionPeriodSchema>;

export const retentionPolicySchema = z.object({
  messages: retentionPeriodSchema,
  attachments: retentionPeriodSchema,
  recordings: retentionPeriodSchema,
});
export type RetentionPolicy = z.output<typeof retentionPolicySchema>;

/** PUT body with one, two or all three kinds; the others keep their current value. */
export const retentionUpdateSchema = z
  .object({ messages: retentionPeriodSchema.optional(), attachments: retentionPeriodSchema.optional(), recordings: retentionPeriodSchema.optional() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: bilingual('indique al menos un tipo', 'give at least one kind') });
export type RetentionUpdate = z.output<typeof retentionUpdateSchema>;

export const DEFAULT_RETENTION: RetentionPolicy = {
  messages: { onlineDays: DEFAULT_ONLINE_DAYS, archiveDays: DEFAULT_ARCHIVE_DAYS },
  attachments: { onlineDays: DEFAULT_ONLINE_DAYS, archiveDays: DEFAULT_ARCHIVE_DAYS },
  recordings: { onlineDays: DEFAULT_ONLINE_DAYS, archiveDays: DEFAULT_ARCHIVE_DAYS },
};

const DAY_MS = 86_400_000;

/** Rows created before archiveBefore are archived; before purgeBefore (online + archive days) purged. */
export function cutoffsOf(period: RetentionPeriod, now: Date): { archiveBefore: Date; purgeBefore: Date } {
  return {
    archiveBefore: new Date(now.getTime() - period.onlineDays * DAY_MS),
    purgeBefore: new Date(now.getTime() - (period.onlineDays + period.archiveDays) * DAY_MS),
  };
}
