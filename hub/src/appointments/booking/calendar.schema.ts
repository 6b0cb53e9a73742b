/**
 * The stored shape of a campaign's appointment calendar and its rule overrides (0025_appointments,
 * `appointment_calendars`). Validated on save so the pure rule engine never reads a calendar it
 * would misread: wall times `HH:MM`, start < end, every reference points at something that exists,
 * and a time zone the runtime knows.
 */
import { z } from 'zod';
import { bilingual } from '../../router/config/routing-problem.js';
import { isKnownTimeZone } from '../../router/calendar/local-time.js';
import { DEFAULT_APPOINTMENT_TIME_ZONE } from '../rules/appointment-rules.types.js';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const id = z.string().min(1, bilingual('el identificador no puede ir vacío', 'the id cannot be empty')).max(60);
const name = z.string().min(1, bilingual('el nombre no puede ir vacío', 'the name cannot be empty')).max(120);
const time = z.string().regex(TIME, bilingual('use el formato HH:MM de 24 horas (por ejemplo 08:45)', 'use 24-hour HH:MM, e.g. 08:45'));
const date = z.string().regex(DATE, bilingual('use el formato AAAA-MM-DD', 'use YYYY-MM-DD'));
const instant = z.iso.datetime({ offset: true, message: bilingual('use una fecha y hora ISO-8601 con zona', 'use an ISO-8601 instant with offset') });
const startBeforeEnd = bilingual('el inicio debe ser anterior al fin', 'start must be before end');

const windowSchema = z
  .strictObject({ from: time, to: time })
  .refine((w) => w.from < w.to, { message: startBeforeEnd, path: ['to'] });

const shiftSchema = z
  .strictObject({
    id,
    roomId: id,
    name,
    weekdays: z.array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])).min(1, bilingual('indique al menos un día', 'give at least one weekday')),
    start: time,
    end: time,
    capacity: z.number().int().min(1).max(1000).optional(),
  })
  .refine((s) => s.start < s.end, { message: startBeforeEnd, path: ['end'] });

export const calendarDefinitionSchema = z
  .strictObject({
    timeZone: z
      .string()
      .default(DEFAULT_APPOINTMENT_TIME_ZONE)
      .refine(isKnownTimeZone, bilingual('zona horaria IANA desconocida', 'unknown IANA time zone')),
    offices: z.array(z.strictObject({ id, name })).min(1, bilingual('registre al menos una oficina o clínica', 'add at least one office')),
    rooms: z.array(z.strictObject({ id, officeId: id, name, serviceIds: z.array(id) })),
    services: z.array(
      z.strictObject({ id, name, slotMinutes: z.number().int().min(5).max(480), excludedTimes: z.array(windowSchema).default([]) }),
    ),
    shifts: z.array(shiftSchema),
    blocked: z
      .array(
        z
          .strictObject({ officeId: id.optional(), roomId: id.optional(), startsAt: instant, endsAt: instant, reason: name })
          .refine((b) => Date.parse(b.startsAt) < Date.parse(b.endsAt), { message: startBeforeEnd, path: ['endsAt'] }),
      )
      .default([]),
    holidays: z.array(z.strictObject({ date, name, officeId: id.optional() })).default([]),
  })
  .superRefine((calendar, ctx) => {
    const offices = new Set(calendar.offices.map((o) => o.id));
    const rooms = new Set(calendar.rooms.map((r) => r.id));
    const services = new Set(calendar.services.map((s) => s.id));
    const unknown = (what: string, whatEn: string, value: string, path: PropertyKey[]): void => {
      ctx.addIssue({ code: 'custom', path, message: bilingual(`${what} «${value}» no existe`, `${whatEn} "${value}" does not exist`) });
    };
    const duplicated = (list: readonly { id: string }[], key: string): void => {
      const seen = new Set<string>();
      list.forEach((item, index) => {
        if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: [key, index, 'id'], message: bilingual(`identificador repetido «${item.id}»`, `duplicate id "${item.id}"`) });
        seen.add(item.id);
      });
    };
    duplicated(calendar.offices, 'offices');
    duplicated(calendar.rooms, 'rooms');
    duplicated(calendar.services, 'services');
    duplicated(calendar.shifts, 'shifts');
    calendar.rooms.forEach((room, i) => {
      if (!offices.has(room.officeId)) unknown('la oficina', 'office', room.officeId, ['rooms', i, 'officeId']);
      room.serviceIds.forEach((s, j) => {
        if (!services.has(s)) unknown('el servicio', 'service', s, ['rooms', i, 'serviceIds', j]);
      });
    });
    calendar.shifts.forEach((shift, i) => {
      if (!rooms.has(shift.roomId)) unknown('el consultorio', 'room', shift.roomId, ['shifts', i, 'roomId']);
    });
    calendar.blocked.forEach((b, i) => {
      if (b.roomId !== undefined && !rooms.has(b.roomId)) unknown('el consultorio', 'room', b.roomId, ['blocked', i, 'roomId']);
      if (b.officeId !== undefined && !offices.has(b.officeId)) unknown('la oficina', 'office', b.officeId, ['blocked', i, 'officeId']);
    });
    calendar.holidays.forEach((h, i) => {
      if (h.officeId !== undefined && !offices.has(h.officeId)) unknown('la oficina', 'office', h.officeId, ['holidays', i, 'officeId']);
    });
  });
export type CalendarDefinition = z.output<typeof calendarDefinitionSchema>;

const count = (max: number) => z.number().int().min(0).max(max);
/** Overrides of DEFAULT_BOOKING_RULES; a key left out keeps the seed's default. */
export const bookingRulesOverridesSchema = z.strictObject({
  minLeadHours: count(24 * 30).optional(),
  maxLeadDays: z.number().int().min(1).max(366).optional(),
  maxActivePerFamily: z.number().int().min(1).max(50).optional(),
  minCancelHours: count(24 * 30).optional(),
  nearestSlots: z.number().int().min(1).max(100).optional(),
  calendarDays: z.number().int().min(1).max(120).optional(),
  capacityPerShift: z.number().int().min(1).max(1000).optional(),
});
export type BookingRulesOverrides = z.output<typeof bookingRulesOverridesSchema>;
