import { randomUUID } from 'node:crypto';
import {
  DEFAULT_BOOKING_RULES,
  type AppointmentCalendar,
  type AppointmentStatus,
  type BookingRequest,
  type ExistingAppointment,
  type Shift,
} from '../../../hub/src/appointments/rules/appointment-rules.types.js';

/**
 * An IMSS family-medicine unit (seed-digest §9.2): consulting rooms c1, c2 (family medicine,
 * 15-minute slots) and d1 (dental, 20-minute slots), each with a matutino 08:00–14:00 and a
 * vespertino 14:00–20:00 shift Monday to Friday; nothing at weekends. A second office (umf-33)
 * has one family-medicine room.
 *
 * Dates: 2026-11-26 is a Thursday; Mexico City is UTC−06:00 all year (no DST since 2022), so
 * 08:45 local = 14:45Z. Holidays: 2026-12-25 everywhere, 2026-12-01 only at umf-20.
 */
export const RULES = DEFAULT_BOOKING_RULES;

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;

function shiftsOf(roomId: string): Shift[] {
  return [
    { id: `${roomId}-matutino`, roomId, name: 'Matutino', weekdays: WEEKDAYS, start: '08:00', end: '14:00' },
    { id: `${roomId}-vespertino`, roomId, name: 'Vespertino', weekdays: WEEKDAYS, start: '14:00', end: '20:00' },
  ];
}

export function imssCalendar(timeZone = 'America/Mexico_City'): AppointmentCalendar {
  return {
    timeZone,
    offices: [
      { id: 'umf-20', name: 'UMF 20 Vallejo' },
      { id: 'umf-33', name: 'UMF 33 El Rosario' },
    ],
    rooms: [
      { id: 'c1', officeId: 'umf-20', name: 'Consultorio 1', serviceIds: ['medicina_familiar'] },
      { id: 'c2', officeId: 'umf-20', name: 'Consultorio 2', serviceIds: ['medicina_familiar'] },
      { id: 'd1', officeId: 'umf-20', name: 'Dental 1', serviceIds: ['estomatologia'] },
      { id: 'r1', officeId: 'umf-33', name: 'Consultorio 1', serviceIds: ['medicina_familiar'] },
    ],
    services: [
      {
        id: 'medicina_familiar',
        name: 'Medicina familiar',
        slotMinutes: 15,
        excludedTimes: [
          { from: '08:00', to: '08:45' },
          { from: '14:00', to: '14:45' },
        ],
      },
      {
        id: 'estomatologia',
        name: 'Estomatología',
        slotMinutes: 20,
        excludedTimes: [
          { from: '08:00', to: '08:40' },
          { from: '14:00', to: '14:40' },
        ],
      },
    ],
    shifts: [...shiftsOf('c1'), ...shiftsOf('c2'), ...shiftsOf('d1'), ...shiftsOf('r1')],
    blocked: [],
    holidays: [
      { date: '2026-12-25', name: 'Navidad' },
      { date: '2026-12-01', name: 'Asueto local', officeId: 'umf-20' },
    ],
  };
}

export function appointment(
  roomId: string,
  startsAt: string,
  over: { status?: AppointmentStatus; familyGroupId?: string; minutes?: number; serviceId?: string } = {},
): ExistingAppointment {
  const minutes = over.minutes ?? 15;
  return {
    id: randomUUID(),
    roomId,
    serviceId: over.serviceId ?? 'medicina_familiar',
    startsAt,
    endsAt: new Date(Date.parse(startsAt) + minutes * 60_000).toISOString(),
    status: over.status ?? 'booked',
    familyGroupId: over.familyGroupId ?? `familia-${randomUUID()}`,
    citizenId: randomUUID(),
  };
}

export function request(roomId: string, startsAt: string, over: Partial<BookingRequest> = {}): BookingRequest {
  return {
    serviceId: 'medicina_familiar',
    roomId,
    startsAt,
    familyGroupId: 'familia-perez',
    citizenId: 'nss-1234567890',
    ...over,
  };
}

export function codesOf(result: { ok: true } | { ok: false; problems: readonly { code: string }[] }): string[] {
  return result.ok ? [] : result.problems.map((p) => p.code);
}
