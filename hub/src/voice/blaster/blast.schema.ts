import { z } from 'zod';
import { minuteOf } from './calling-window.js';

/** HTTP shapes of the blaster's admin API (issue 8 item 7), validated with zod (CONVENTIONS 9). */
export const BLAST_STATUSES = ['draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled'] as const;
export const BLAST_ACTIONS = ['agent', 'confirm', 'decline', 'repeat', 'optout'] as const;
export const RECIPIENT_STATUSES = ['pending', 'calling', 'answered', 'confirmed', 'declined', 'transferred', 'no_answer', 'busy', 'failed', 'machine', 'opted_out', 'invalid'] as const;

const hhmm = z.string().refine((v) => minuteOf(v) !== null, 'hora HH:MM (p. ej. 09:00) / time as HH:MM');
const windowSchema = z
  .object({ start: hhmm, end: hhmm })
  .refine((w) => (minuteOf(w.start) ?? 0) < (minuteOf(w.end) ?? 0), 'la hora de inicio debe ser anterior a la de fin / the start must be before the end');

const optionsSchema = z
  .record(z.string(), z.enum(BLAST_ACTIONS))
  .refine((o) => Object.keys(o).every((k) => /^[0-9*#]$/.test(k)), 'cada opción es una tecla: 0-9, * o # / each option is one key: 0-9, * or #')
  .refine((o) => Object.keys(o).length <= 12, 'a lo sumo 12 opciones / at most 12 options')
  .refine((o) => new Set(Object.values(o)).size === Object.values(o).length, 'cada acción en una sola tecla / each action on one key only');

export const createBlastBody = z
  .strictObject({
    campaignId: z.uuid(),
    channelId: z.uuid(),
    name: z.string().trim().min(1).max(200),
    messageText: z.string().trim().min(1).max(2000).optional(),
    audioUrl: z.url({ protocol: /^https?$/ }).optional(),
    options: optionsSchema.default({ '1': 'agent', '2': 'confirm', '3': 'decline', '9': 'repeat' }),
    queueId: z.uuid().optional(),
    startAt: z.iso.datetime({ offset: true }).optional(),
    /** Mexico City time; null = any hour; absent = 09:00–20:00. */
    window: windowSchema.nullable().optional(),
    callsPerMinute: z.number().int().min(1).max(600).optional(),
    maxConcurrent: z.number().int().min(1).max(500).optional(),
    maxAttempts: z.number().int().min(1).max(5).optional(),
    retryDelaySeconds: z.number().int().min(0).max(86_400).optional(),
    machinePolicy: z.enum(['leave_message', 'hang_up']).optional(),
    /** The list as text (CSV or TXT): `phone[,name][,variables…]`, optionally with a header. */
    list: z.string().max(5_000_000).optional(),
  })
  .refine((b) => b.messageText !== undefined || b.audioUrl !== undefined, { message: 'escriba el mensaje o dé la URL del audio / give the message text or an audio URL', path: ['messageText'] });
export type CreateBlastBody = z.output<typeof createBlastBody>;

export const scheduleBlastBody = z.strictObject({ startAt: z.iso.datetime({ offset: true }).optional() });
export const listQuery = z.object({ campaignId: z.uuid() });
export const blastParams = z.object({ blastId: z.uuid() });
export const uploadQuery = z.object({ replace: z.enum(['true', 'false']).optional() });
export const recipientsQuery = z.object({
  status: z.enum(RECIPIENT_STATUSES).optional(),
  cursor: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const uploadReportSchema = z.object({
  received: z.number().int(),
  added: z.number().int(),
  invalid: z.number().int(),
  duplicates: z.number().int(),
  doNotCall: z.number().int(),
  columns: z.array(z.string()),
  problems: z.array(z.object({ line: z.number().int(), value: z.string(), reason: z.string() })),
});
export type UploadReport = z.infer<typeof uploadReportSchema>;

export const summarySchema = z.object({
  total: z.number().int(),
  byStatus: z.record(z.string(), z.number().int()),
  attempts: z.number().int(),
  inCall: z.number().int(),
  retrying: z.number().int(),
});

export const blastSchema = z.object({
  id: z.uuid(),
  campaignId: z.uuid(),
  channelId: z.uuid(),
  name: z.string(),
  messageText: z.string().nullable(),
  audioUrl: z.string().nullable(),
  options: z.record(z.string(), z.enum(BLAST_ACTIONS)),
  queueId: z.uuid().nullable(),
  status: z.enum(BLAST_STATUSES),
  startAt: z.string().nullable(),
  window: z.object({ start: z.string(), end: z.string() }).nullable(),
  callsPerMinute: z.number().int(),
  maxConcurrent: z.number().int(),
  maxAttempts: z.number().int(),
  retryDelaySeconds: z.number().int(),
  machinePolicy: z.enum(['leave_message', 'hang_up']),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  summary: summarySchema,
});

export const recipientSchema = z.object({
  id: z.uuid(),
  line: z.number().int(),
  phone: z.string(),
  name: z.string().nullable(),
  variables: z.record(z.string(), z.string()),
  status: z.enum(RECIPIENT_STATUSES),
  digits: z.string().nullable(),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  callSid: z.string().nullable(),
  lastError: z.string().nullable(),
  updatedAt: z.string(),
});

export type BlastView = z.infer<typeof blastSchema>;
export type BlastRecipientView = z.infer<typeof recipientSchema>;
export type BlastSummary = z.infer<typeof summarySchema>;
export type BlastCreateInput = z.input<typeof createBlastBody>;
