import { z } from 'zod';
import { bilingual } from '../router/config/routing-problem.js';

/**
 * Mass e-mail (issue 5 item 11; seed-digest §1.4 "DIR mass mail"): request bodies and the views
 * the REST API returns. Bodies are parsed in the handlers (inbox/inbox-http.ts parseBody) so every
 * message is bilingual and names the field.
 */

export const MASS_MAILING_STATUSES = ['draft', 'scheduled', 'sending', 'paused', 'completed', 'cancelled'] as const;
export const RECIPIENT_STATUSES = ['pending', 'sent', 'failed', 'bounced', 'suppressed', 'invalid'] as const;

/** Mail clients run nothing, but a template that tries is a mistake worth stopping at the door. */
const ACTIVE_HTML = /<\s*(script|iframe|object|embed|form)\b|\son[a-z]+\s*=|javascript:/i;
const ONE_LINE = /^[^\r\n]*$/;

const name = z.string().trim().min(1, bilingual('el nombre es obligatorio', 'name is required')).max(200, bilingual('el nombre admite hasta 200 caracteres', 'name is at most 200 characters'));
const subject = z
  .string()
  .trim()
  .min(1, bilingual('el asunto es obligatorio', 'subject is required'))
  .max(300, bilingual('el asunto admite hasta 300 caracteres', 'subject is at most 300 characters'))
  .regex(ONE_LINE, bilingual('el asunto va en una sola línea', 'the subject must be one line'));
const bodyText = z
  .string()
  .trim()
  .min(1, bilingual('el texto del correo es obligatorio (es la versión para clientes sin HTML)', 'the text body is required (the version for clients without HTML)'))
  .max(100_000, bilingual('el texto admite hasta 100,000 caracteres', 'the text is at most 100,000 characters'));
const bodyHtml = z
  .string()
  .max(500_000, bilingual('el HTML admite hasta 500,000 caracteres', 'the HTML is at most 500,000 characters'))
  .refine((html) => !ACTIVE_HTML.test(html), bilingual('el HTML no puede tener scripts, iframes, formularios ni atributos on…', 'the HTML may not contain scripts, iframes, forms or on… attributes'))
  .nullable();
// A QR code of byte mode at error-correction level M holds ~2,300 bytes; 1,000 leaves room for variables.
const qrText = z.string().trim().min(1).max(1000, bilingual('el texto del QR admite hasta 1,000 caracteres', 'the QR text is at most 1,000 characters')).nullable();
const ratePerMinute = z
  .number(bilingual('la velocidad debe ser un número', 'rate must be a number'))
  .int(bilingual('la velocidad debe ser un entero', 'rate must be an integer'))
  .min(1, bilingual('la velocidad mínima es 1 correo por minuto', 'the lowest rate is 1 e-mail a minute'))
  .max(100_000, bilingual('la velocidad máxima es 100,000 correos por minuto', 'the highest rate is 100,000 e-mails a minute'));

export const createMailingBody = z.strictObject({
  name,
  channelId: z.uuid(bilingual('el canal debe ser un UUID', 'channelId must be a UUID')),
  subject,
  bodyText,
  bodyHtml: bodyHtml.optional(),
  qrText: qrText.optional(),
  ratePerMinute: ratePerMinute.optional(),
});
export type CreateMailingInput = z.output<typeof createMailingBody>;

export const updateMailingBody = createMailingBody.partial();
export type UpdateMailingInput = z.output<typeof updateMailingBody>;

const isoInstant = z.iso.datetime({ offset: true, error: bilingual('use una fecha y hora ISO 8601, p. ej. 2026-12-01T09:00:00-06:00', 'use an ISO 8601 date-time, e.g. 2026-12-01T09:00:00-06:00') });

/**
 * `scheduledAt` absent (or past) starts at once. `finishBy` spreads the pending recipients evenly
 * until that time (seed §1.4 "uniform distribution"): it sets ratePerMinute.
 */
export const scheduleBody = z.strictObject({
  scheduledAt: isoInstant.optional(),
  finishBy: isoInstant.optional(),
  ratePerMinute: ratePerMinute.optional(),
});
export type ScheduleInput = z.output<typeof scheduleBody>;

export const mailingParams = z.object({ campaignId: z.uuid(), mailingId: z.uuid() });
export const campaignParams = z.object({ campaignId: z.uuid() });

export const uploadQuery = z.object({
  replace: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: borra la lista anterior antes de cargar / true: drop the recipients uploaded before'),
});

export const recipientsQuery = z.object({
  status: z.enum(RECIPIENT_STATUSES).optional(),
  cursor: z.uuid().optional().describe('El id del último destinatario de la página anterior / id of the last recipient of the previous page'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const counts = z.object({
  pending: z.number().int(),
  sent: z.number().int().describe('Aceptados por el servidor SMTP (incluye los rebotados después) / accepted by the SMTP server (bounced ones included)'),
  delivered: z.number().int().describe('Enviados que no rebotaron / sent and not bounced'),
  failed: z.number().int().describe('Rechazados por el servidor (p. ej. 550, cuenta inexistente) / refused by the server (e.g. 550 no such account)'),
  bounced: z.number().int().describe('Devueltos después de enviados (DSN) / bounced after sending (DSN)'),
  suppressed: z.number().int().describe('Omitidos: dados de baja o rebotados antes / skipped: unsubscribed or bounced before'),
  invalid: z.number().int().describe('Sintaxis inválida en la lista / invalid syntax in the list'),
});

export const summarySchema = counts.extend({
  total: z.number().int(),
  percent: z.object({
    pending: z.number(),
    sent: z.number(),
    delivered: z.number(),
    failed: z.number(),
    bounced: z.number(),
    suppressed: z.number(),
    invalid: z.number(),
  }),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  firstSentAt: z.string().nullable(),
  lastSentAt: z.string().nullable(),
  ratePerMinute: z.number().int().describe('Velocidad configurada / configured rate'),
  actualRatePerMinute: z.number().nullable().describe('Velocidad real entre el primer y el último envío / actual rate between the first and the last send'),
});
export type MailingSummary = z.infer<typeof summarySchema>;

export const mailingSchema = z.object({
  id: z.uuid(),
  campaignId: z.uuid(),
  channelId: z.uuid(),
  name: z.string(),
  subject: z.string(),
  bodyText: z.string(),
  bodyHtml: z.string().nullable(),
  qrText: z.string().nullable(),
  status: z.enum(MASS_MAILING_STATUSES),
  scheduledAt: z.string().nullable(),
  ratePerMinute: z.number().int(),
  createdBy: z.uuid().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  summary: summarySchema,
});
export type MailingView = z.infer<typeof mailingSchema>;

export const uploadReportSchema = z.object({
  format: z.enum(['csv', 'txt']),
  rows: z.number().int().describe('Filas con datos leídas / data rows read'),
  accepted: z.number().int(),
  invalid: z.number().int(),
  duplicate: z.number().int(),
  suppressed: z.number().int(),
  columns: z.array(z.string()).describe('Variables de plantilla que trajo la lista / template variables the list brought'),
});
export type UploadReport = z.infer<typeof uploadReportSchema>;

export const recipientSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string().nullable(),
  variables: z.record(z.string(), z.string()),
  status: z.enum(RECIPIENT_STATUSES),
  error: z.string().nullable(),
  messageId: z.string().nullable(),
  attempts: z.number().int(),
  sentAt: z.string().nullable(),
  failedAt: z.string().nullable(),
});
export type RecipientView = z.infer<typeof recipientSchema>;
