/** Inputs of the booking use cases (zod at the boundary; Spanish first). */
import { z } from 'zod';
import { HubError } from '../../errors/error-registry.js';
import { bilingual, pathOf } from '../../router/config/routing-problem.js';

export const NSS_PATTERN = /^[0-9]{11}$/;
export const CURP_PATTERN = /^[A-Z]{4}[0-9]{6}[HMX][A-Z]{5}[0-9A-Z][0-9]$/;

export const officialIdSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('nss'), value: z.string().regex(NSS_PATTERN, bilingual('el NSS tiene 11 dígitos', 'the NSS has 11 digits')) }),
  z.strictObject({ kind: z.literal('curp'), value: z.string().regex(CURP_PATTERN, bilingual('la CURP no es válida', 'the CURP is not valid')) }),
]);
export type OfficialId = z.output<typeof officialIdSchema>;

export const APPOINTMENT_CHANNELS = ['whatsapp', 'webchat', 'sms', 'api', 'voice', 'email', 'portal', 'agent'] as const;

const key = z.string().min(1, bilingual('campo requerido', 'required field')).max(100);

export const bookingInputSchema = z.strictObject({
  campaignId: z.uuid(bilingual('campaña no válida', 'invalid campaign')),
  serviceId: key,
  roomId: key,
  startsAt: z.iso.datetime({ offset: true, message: bilingual('use una fecha y hora ISO-8601', 'use an ISO-8601 instant') }),
  officialId: officialIdSchema,
  familyGroupId: key,
  contactId: z.uuid().optional(),
  /** The citizen's birth date, asked with the NSS or CURP (seed-digest §9.1). */
  birthDate: z.iso.date(bilingual('use una fecha AAAA-MM-DD', 'use a YYYY-MM-DD date')).optional(),
  /** The conversation the booking came from: reminders and notices go back on its channel. */
  conversationId: z.uuid().optional(),
  /** The procedure case (trámite) whose documents were approved (0027). */
  caseId: z.uuid().optional(),
  channel: z.enum(APPOINTMENT_CHANNELS),
});
export type BookingInput = z.input<typeof bookingInputSchema>;

export const cancellationInputSchema = z
  .strictObject({
    campaignId: z.uuid(bilingual('campaña no válida', 'invalid campaign')),
    appointmentId: z.uuid().optional(),
    folio: z.string().regex(/^CITA-[0-9]{8}-[0-9]{6}$/, bilingual('el folio tiene la forma CITA-AAAAMMDD-NNNNNN', 'the folio looks like CITA-YYYYMMDD-NNNNNN')).optional(),
    /** The NSS or CURP the appointment was booked with: who holds the folio alone cannot cancel. */
    officialId: z.string().min(1, bilingual('campo requerido', 'required field')).max(18),
    reason: z.string().min(1).max(500).default('Cancelada por el ciudadano'),
    channel: z.enum(APPOINTMENT_CHANNELS),
  })
  .refine((c) => (c.appointmentId === undefined) !== (c.folio === undefined), {
    message: bilingual('indique el folio o el identificador de la cita (solo uno)', 'give the folio or the appointment id (only one)'),
  });
export type CancellationInput = z.input<typeof cancellationInputSchema>;

/** Who books: a hub user (agent, admin), the bot, or the public portal. */
export type AppointmentActor = { readonly kind: 'user'; readonly userId: string } | { readonly kind: 'bot' } | { readonly kind: 'portal' };
/** Who cancels, confirms or records a visit: also the citizen (a SÍ/NO reply), the hub itself, an external calendar. */
export type AppointmentEventActor = AppointmentActor | { readonly kind: 'citizen' } | { readonly kind: 'system' } | { readonly kind: 'external' };

export function actorUserId(actor: AppointmentEventActor): string | null {
  return actor.kind === 'user' ? actor.userId : null;
}

/** Parses a use case's input; a refusal lists every problem (HUB_ERR_VALIDATION, `details.problems`). */
export function parseBookingInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new HubError('HUB_ERR_VALIDATION', undefined, {
      problems: parsed.error.issues.map((i) => ({ path: pathOf(i.path), message: i.message })),
    });
  }
  return parsed.data;
}
