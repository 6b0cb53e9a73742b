/**
 * A campaign's reminder settings (issue 11 item 4): the reminder N hours before, the confirmation
 * campaign N business days ahead, the post-visit survey. Texts are Spanish first, English
 * optional (sent after the Spanish), with the placeholders {folio} {fecha} {hora} {lugar}
 * {servicio}. Disabled until an admin turns them on (nothing is sent to citizens by surprise).
 */
import { z } from 'zod';
import { bilingual } from '../../router/config/routing-problem.js';

export const REMINDER_CHANNEL_KINDS = ['origin', 'whatsapp', 'sms', 'email'] as const;
export type ReminderChannelKind = (typeof REMINDER_CHANNEL_KINDS)[number];

export const PLACEHOLDERS = ['folio', 'fecha', 'hora', 'lugar', 'servicio'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

const text = (max: number) => z.string().trim().min(1, bilingual('campo requerido', 'required field')).max(max);
const knownPlaceholders = (value: string) => [...value.matchAll(/\{([^{}]*)\}/g)].every((m) => (PLACEHOLDERS as readonly string[]).includes(m[1] ?? ''));
const PLACEHOLDER_PROBLEM = bilingual('use solo {folio}, {fecha}, {hora}, {lugar} y {servicio}', 'use only {folio}, {fecha}, {hora}, {lugar} and {servicio}');
const template = (max: number) => text(max).refine(knownPlaceholders, { message: PLACEHOLDER_PROBLEM });

const messageSchema = z.strictObject({ es: template(600), en: template(600).nullable().default(null) });

export const DEFAULT_REMINDER_TEXT = {
  es: 'Le recordamos su cita {folio} el {fecha} a las {hora} en {lugar} ({servicio}). Responda SÍ para confirmar o NO para cancelar.',
  en: 'Reminder: appointment {folio} on {fecha} at {hora}, {lugar} ({servicio}). Reply SÍ to confirm or NO to cancel.',
};
export const DEFAULT_CONFIRMATION_TEXT = {
  es: 'Su cita {folio} es el {fecha} a las {hora} en {lugar} ({servicio}). ¿Asistirá? Responda SÍ para confirmar o NO para cancelar y liberar el horario.',
  en: 'Your appointment {folio} is on {fecha} at {hora}, {lugar} ({servicio}). Will you attend? Reply SÍ to confirm or NO to cancel.',
};
export const DEFAULT_SURVEY_QUESTION = {
  es: 'Gracias por su visita ({folio}). Del 1 al 5, ¿qué tan satisfecho quedó con la atención? (5 = muy satisfecho). Puede agregar un comentario después del número.',
  en: 'Thank you for your visit. From 1 to 5, how satisfied were you? (5 = very satisfied)',
};

export const reminderSettingsSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** The reminder goes out when the appointment starts within this many hours. */
  hoursBefore: z.number().int().min(1).max(168).default(24),
  /** In order: the conversation the booking came from, then a new outbound conversation on these kinds. */
  channelKinds: z
    .array(z.enum(REMINDER_CHANNEL_KINDS))
    .min(1)
    .max(4)
    .refine((k) => new Set(k).size === k.length, { message: bilingual('sin canales repetidos', 'no repeated channel kinds') })
    .default(['origin', 'whatsapp', 'sms', 'email']),
  reminderText: messageSchema.default(DEFAULT_REMINDER_TEXT),
  /** WhatsApp outside the 24 h window: an approved template whose variables are folio, fecha, hora, lugar, servicio (in this order). */
  whatsappTemplate: z.strictObject({ name: z.string().regex(/^[a-z0-9_]{1,512}$/), language: z.string().min(2).max(15) }).nullable().default(null),
  confirmation: z
    .strictObject({
      enabled: z.boolean().default(false),
      businessDays: z.number().int().min(1).max(30).default(5),
      /** The daily job asks from this local hour on (the route asks at any time). */
      fromHour: z.number().int().min(0).max(23).default(9),
      text: messageSchema.default(DEFAULT_CONFIRMATION_TEXT),
    })
    .default({ enabled: false, businessDays: 5, fromHour: 9, text: DEFAULT_CONFIRMATION_TEXT }),
  survey: z
    .strictObject({
      enabled: z.boolean().default(false),
      /** Minutes after the visit was recorded as attended. */
      delayMinutes: z.number().int().min(0).max(10_080).default(60),
      question: messageSchema.default(DEFAULT_SURVEY_QUESTION),
    })
    .default({ enabled: false, delayMinutes: 60, question: DEFAULT_SURVEY_QUESTION }),
});
export type ReminderSettings = z.output<typeof reminderSettingsSchema>;
export type ReminderMessage = ReminderSettings['reminderText'];

export const DEFAULT_REMINDER_SETTINGS: ReminderSettings = reminderSettingsSchema.parse({});

/** The values a notice fills in: local date and time of the calendar, office and service names. */
export type NoticeValues = Readonly<Record<Placeholder, string>>;

export function renderPlaceholders(template: string, values: NoticeValues): string {
  return template.replace(/\{(folio|fecha|hora|lugar|servicio)\}/g, (_, key: Placeholder) => values[key]);
}

/** Spanish first; the English text, when configured, after it. */
export function renderMessage(message: ReminderMessage, values: NoticeValues): string {
  const es = renderPlaceholders(message.es, values);
  return message.en ? `${es}\n\n${renderPlaceholders(message.en, values)}` : es;
}

/** `channelKinds` as noticeCitizen takes them: whether to try the origin conversation, then the kinds. */
export function noticeRoute(settings: ReminderSettings): { useOrigin: boolean; kinds: ('whatsapp' | 'sms' | 'email')[] } {
  return {
    useOrigin: settings.channelKinds.includes('origin'),
    kinds: settings.channelKinds.filter((k): k is 'whatsapp' | 'sms' | 'email' => k !== 'origin'),
  };
}
