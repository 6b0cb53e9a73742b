/** zod shapes of the staff API's params, queries and bodies (appointments/README.md, "Staff REST API"). */
import { z } from 'zod';
import { bilingual } from '../../router/config/routing-problem.js';
import { officialIdSchema } from '../booking/booking.schema.js';
import { APPOINTMENT_STATUS_CHANGES } from '../booking/change-status.usecase.js';

const key = z.string().min(1, bilingual('campo requerido', 'required field')).max(100);
const localDate = z.iso.date(bilingual('use una fecha AAAA-MM-DD', 'use a YYYY-MM-DD date'));

export const campaignParams = z.object({ campaignId: z.uuid(bilingual('campaña no válida', 'invalid campaign')) });
export const folioParams = campaignParams.extend({ folio: z.string().min(1).max(40) });

export const saveCalendarBody = z.strictObject({
  definition: z.record(z.string(), z.unknown()).describe('AppointmentCalendar (booking/calendar.schema.ts), validated by calendarDefinitionSchema'),
  rules: z.record(z.string(), z.unknown()).optional().describe('BookingRules overrides; a key left out keeps the default'),
});

export const calendarViewQuery = z.object({
  serviceId: key,
  officeId: key.optional(),
  roomId: key.optional(),
  from: localDate.optional().describe('first local day (default today in the calendar’s zone)'),
  days: z.coerce.number().int().min(1).max(120).optional().describe('default the campaign’s calendarDays (30)'),
});

export const slotsQuery = z.object({
  serviceId: key,
  officeId: key.optional(),
  roomId: key.optional(),
  from: z.iso.datetime({ offset: true, message: bilingual('use una fecha y hora ISO-8601', 'use an ISO-8601 instant') }).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

export const bookBody = z.strictObject({
  serviceId: key,
  roomId: key,
  startsAt: z.iso.datetime({ offset: true, message: bilingual('use una fecha y hora ISO-8601', 'use an ISO-8601 instant') }),
  officialId: officialIdSchema,
  birthDate: localDate.optional(),
  /** Default: the official id's value (the citizen alone is their family group). */
  familyGroupId: key.optional(),
  contactId: z.uuid().optional(),
  conversationId: z.uuid().optional(),
});

export const APPOINTMENT_STATUSES = ['booked', 'confirmed', 'cancelled', 'attended', 'no_show'] as const;

export const listQuery = z
  .object({
    date: localDate.optional(),
    from: localDate.optional(),
    to: localDate.optional(),
    officeId: key.optional(),
    roomId: key.optional(),
    status: z.enum(APPOINTMENT_STATUSES).optional(),
    q: z.string().max(40).optional().describe('folio or official id (NSS / CURP), exact'),
  })
  .refine((q) => q.date === undefined || (q.from === undefined && q.to === undefined), {
    message: bilingual('use «date» o «from»/«to», no ambos', 'use date or from/to, not both'),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    message: bilingual('«from» debe ser anterior o igual a «to»', 'from must not be after to'),
  });

export const cancelBody = z.strictObject({
  reason: z.string().trim().min(1, bilingual('indique el motivo de la cancelación', 'give the reason for the cancellation')).max(500),
});

export const statusBody = z.strictObject({
  to: z.enum(APPOINTMENT_STATUS_CHANGES),
  note: z.string().trim().min(1).max(500).optional(),
});
