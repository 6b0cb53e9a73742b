import { z } from 'zod';
import { bilingual } from '../router/config/routing-problem.js';

/** Mass SMS (issue 6 item 4): request bodies and the views the REST API returns. */

export const MASS_SMS_STATUSES = ['draft', 'scheduled', 'sending', 'paused', 'completed', 'cancelled'] as const;
export const MASS_SMS_RECIPIENT_STATUSES = ['pending', 'sent', 'delivered', 'undelivered', 'failed', 'opted_out', 'invalid'] as const;

const name = z.string().trim().min(1, bilingual('el nombre es obligatorio', 'name is required')).max(200, bilingual('el nombre admite hasta 200 caracteres', 'name is at most 200 characters'));
// Twilio concatenates up to 1,600 characters; variables may lengthen it, the send then fails for that row.
const body = z.string().trim().min(1, bilingual('el texto es obligatorio', 'text is required')).max(1600, bilingual('un SMS admite hasta 1,600 caracteres', 'an SMS is at most 1,600 characters'));
const ratePerMinute = z
  .number(bilingual('la velocidad debe ser un número', 'rate must be a number'))
  .int(bilingual('la velocidad debe ser un entero', 'rate must be an integer'))
  .min(1, bilingual('la velocidad mínima es 1 SMS por minuto', 'the lowest rate is 1 SMS a minute'))
  .max(60_000, bilingual('la velocidad máxima es 60,000 SMS por minuto', 'the highest rate is 60,000 SMS a minute'));
const maxAttempts = z.number().int().min(1, bilingual('al menos 1 intento', 'at least 1 attempt')).max(5, bilingual('a lo más 5 intentos', 'at most 5 attempts'));
const retryDelaySeconds = z.number().int().min(0).max(86_400, bilingual('la espera entre intentos es de hasta 24 h', 'the wait between attempts is at most 24 h'));

export const createMassSmsBody = z.strictObject({
  name,
  channelId: z.uuid(bilingual('el canal debe ser un UUID', 'channelId must be a UUID')),
  body,
  ratePerMinute: ratePerMinute.optional(),
  maxAttempts: maxAttempts.optional(),
  retryDelaySeconds: retryDelaySeconds.optional(),
});
export type CreateMassSmsInput = z.output<typeof createMassSmsBody>;

/** Content only in draft; the pace (throttle) and the retry policy until the end. */
export const updateMassSmsBody = createMassSmsBody.partial();

export const scheduleMassSmsBody = z.strictObject({
  scheduledAt: z.iso.datetime({ offset: true, error: bilingual('use una fecha y hora ISO 8601', 'use an ISO 8601 date-time') }).optional(),
  ratePerMinute: ratePerMinute.optional(),
});

export const campaignParams = z.object({ campaignId: z.uuid() });
export const massSmsParams = z.object({ campaignId: z.uuid(), massSmsId: z.uuid() });
export const uploadQuery = z.object({ replace: z.enum(['true', 'false']).optional() });
export const recipientsQuery = z.object({
  status: z.enum(MASS_SMS_RECIPIENT_STATUSES).optional(),
  cursor: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const counts = {
  pending: z.number().int(),
  sent: z.number().int(),
  delivered: z.number().int(),
  undelivered: z.number().int(),
  failed: z.number().int(),
  opted_out: z.number().int(),
  invalid: z.number().int(),
};
export const massSmsSummarySchema = z.object({
  total: z.number().int(),
  ...counts,
  /** Pending rows waiting for another attempt after a non-delivery. */
  retrying: z.number().int(),
  /** Each count as a percentage of the list (two decimals). */
  percent: z.record(z.string(), z.number()),
  attempts: z.number().int(),
});
export type MassSmsSummary = z.infer<typeof massSmsSummarySchema>;

export const massSmsSchema = z.object({
  id: z.uuid(),
  campaignId: z.uuid(),
  channelId: z.uuid(),
  name: z.string(),
  body: z.string(),
  status: z.enum(MASS_SMS_STATUSES),
  scheduledAt: z.string().nullable(),
  ratePerMinute: z.number().int(),
  maxAttempts: z.number().int(),
  retryDelaySeconds: z.number().int(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  summary: massSmsSummarySchema,
});
export type MassSmsView = z.infer<typeof massSmsSchema>;

export const massSmsRecipientSchema = z.object({
  id: z.uuid(),
  phone: z.string(),
  name: z.string().nullable(),
  variables: z.record(z.string(), z.string()),
  status: z.enum(MASS_SMS_RECIPIENT_STATUSES),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  providerMessageId: z.string().nullable(),
  errorCode: z.string().nullable(),
  error: z.string().nullable(),
  sentAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  failedAt: z.string().nullable(),
});

export const uploadReportSchema = z.object({
  format: z.enum(['csv', 'txt']),
  columns: z.array(z.string()),
  received: z.number().int(),
  added: z.number().int(),
  invalid: z.number().int(),
  duplicates: z.number().int(),
  optedOut: z.number().int(),
  /** The first problems, Spanish / English, for the administrator to fix the file. */
  problems: z.array(z.string()),
});
export type UploadReport = z.infer<typeof uploadReportSchema>;
