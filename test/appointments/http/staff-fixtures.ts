import type { Kysely } from 'kysely';
import type { Database } from '@ventanilla/hub';
import { saveCalendar } from '../../../hub/src/appointments/booking/calendar.store.js';
import type { AppointmentStatusColumn } from '../../../hub/src/db/schema-appointments.js';
import { createCampaign } from '../../support/factories.js';

/**
 * The staff API runs on the real clock (no `now` option over HTTP), so these fixtures are relative
 * to today in Mexico City (UTC−6 all year since 2022): the bookable days are 3 and 4 days ahead
 * (always past the 12 h lead, inside the 90-day limit) and the holiday is 6 days ahead.
 * Two clinics: UMF 20 (rooms c1, c2) and UMF 21 (room c3), family medicine («mf», 20 minutes),
 * a morning shift 08:00–10:00 every day, 3 appointments per room per shift.
 */
const DAY_MS = 86_400_000;
const OFFSET_MS = 6 * 3_600_000;

/** A local date of Mexico City `days` after today. */
export function daysAhead(days: number, nowMs = Date.now()): string {
  return new Date(nowMs - OFFSET_MS + days * DAY_MS).toISOString().slice(0, 10);
}

export const D1 = daysAhead(3);
export const D2 = daysAhead(4);
export const HOLIDAY = daysAhead(6);

/** Local wall time on a date in Mexico City (UTC−6) as an ISO instant: 08:00 → 14:00Z. */
export function local(date: string, time: string): string {
  const [h, m] = time.split(':').map(Number);
  return new Date(Date.parse(`${date}T00:00:00Z`) + ((h ?? 0) + 6) * 3_600_000 + (m ?? 0) * 60_000).toISOString();
}

/** An 11-digit NSS from a number, e.g. 7 → 12345000007. */
export function nss(n: number): string {
  return String(12_345_000_000 + n);
}

const EVERY_DAY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export function staffCalendar(options: { shiftStart?: string; shiftEnd?: string; capacity?: number } = {}) {
  const shift = (room: string) => ({
    id: `${room}-mat`,
    roomId: room,
    name: 'Matutino',
    weekdays: EVERY_DAY,
    start: options.shiftStart ?? '08:00',
    end: options.shiftEnd ?? '10:00',
    capacity: options.capacity ?? 3,
  });
  return {
    timeZone: 'America/Mexico_City',
    offices: [
      { id: 'umf-20', name: 'UMF 20' },
      { id: 'umf-21', name: 'UMF 21' },
    ],
    rooms: [
      { id: 'c1', officeId: 'umf-20', name: 'Consultorio 1', serviceIds: ['mf'] },
      { id: 'c2', officeId: 'umf-20', name: 'Consultorio 2', serviceIds: ['mf'] },
      { id: 'c3', officeId: 'umf-21', name: 'Consultorio 3', serviceIds: ['mf'] },
    ],
    services: [{ id: 'mf', name: 'Medicina familiar', slotMinutes: 20, excludedTimes: [] }],
    shifts: [shift('c1'), shift('c2'), shift('c3')],
    blocked: [],
    holidays: [{ date: HOLIDAY, name: 'Día del servidor público' }],
  };
}

export async function staffCampaign(db: Kysely<Database>, options: Parameters<typeof staffCalendar>[0] = {}): Promise<string> {
  const campaign = await createCampaign(db);
  await saveCalendar(db, { campaignId: campaign.id, definition: staffCalendar(options) }, null);
  return campaign.id;
}

export function bookingBody(roomId: string, startsAt: string, n: number) {
  return { serviceId: 'mf', roomId, startsAt, officialId: { kind: 'nss' as const, value: nss(n) } };
}

let handMadeFolio = 900_000;

/**
 * An appointment written straight into the table (a past visit, or a report's hand-made set): the
 * use cases refuse to book in the past, and a report must count whatever the table holds.
 */
export async function insertAppointment(
  db: Kysely<Database>,
  input: { campaignId: string; officeId: string; roomId: string; date: string; time: string; status: AppointmentStatusColumn; n: number },
): Promise<{ id: string; folio: string }> {
  handMadeFolio += 1;
  const startsAt = local(input.date, input.time);
  const folio = `CITA-${input.date.replaceAll('-', '')}-${String(handMadeFolio).padStart(6, '0')}`;
  return db
    .insertInto('appointments')
    .values({
      campaign_id: input.campaignId,
      folio,
      calendar_version: 1,
      office_id: input.officeId,
      room_id: input.roomId,
      service_id: 'mf',
      shift_id: `${input.roomId}-mat`,
      local_date: input.date,
      starts_at: startsAt,
      ends_at: new Date(Date.parse(startsAt) + 20 * 60_000),
      status: input.status,
      official_id_kind: 'nss',
      official_id: nss(input.n),
      family_group_id: `fam-${input.n}`,
      channel: 'whatsapp',
      booked_by_kind: 'bot',
      ...(input.status === 'cancelled' ? { cancelled_at: new Date(Date.parse(startsAt) - DAY_MS), cancel_reason: 'Cancelada por el ciudadano' } : {}),
      ...(input.status === 'confirmed' ? { confirmed_at: new Date(Date.parse(startsAt) - DAY_MS) } : {}),
    })
    .returning(['id', 'folio'])
    .executeTakeFirstOrThrow();
}
