import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { Database } from '@ventanilla/hub';
import { saveCalendar } from '../../../hub/src/appointments/booking/calendar.store.js';
import { HubError } from '../../../hub/src/errors/error-registry.js';
import { createCampaign } from '../../support/factories.js';

/**
 * One clinic (UMF 20) in America/Mexico_City (UTC−6 all year since 2022, no DST): rooms c1 and c2
 * offer family medicine («mf», 20-minute slots) in a morning shift Monday to Friday, 08:00 to
 * `shiftEnd`, `capacity` appointments per room per shift per day. Christmas is a holiday.
 *
 * NOW is Thursday 2026-11-26 16:00Z = 10:00 local, so the earliest start is NOW + 12 h =
 * 2026-11-27T04:00Z (22:00 local) and the first slots are Friday 27 Nov from 08:00 local = 14:00Z.
 */
export const NOW = new Date('2026-11-26T16:00:00Z');

export function clinicCalendar(options: { capacity?: number; shiftEnd?: string } = {}) {
  const shift = (room: string) => ({
    id: `${room}-mat`,
    roomId: room,
    name: 'Matutino',
    weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'],
    start: '08:00',
    end: options.shiftEnd ?? '10:00',
    capacity: options.capacity ?? 3,
  });
  return {
    timeZone: 'America/Mexico_City',
    offices: [{ id: 'umf-20', name: 'UMF 20' }],
    rooms: [
      { id: 'c1', officeId: 'umf-20', name: 'Consultorio 1', serviceIds: ['mf'] },
      { id: 'c2', officeId: 'umf-20', name: 'Consultorio 2', serviceIds: ['mf'] },
    ],
    services: [{ id: 'mf', name: 'Medicina familiar', slotMinutes: 20, excludedTimes: [] }],
    shifts: [shift('c1'), shift('c2')],
    blocked: [],
    holidays: [{ date: '2026-12-25', name: 'Navidad' }],
  };
}

export async function clinicCampaign(db: Kysely<Database>, options: { capacity?: number; shiftEnd?: string } = {}): Promise<string> {
  const campaign = await createCampaign(db);
  await saveCalendar(db, { campaignId: campaign.id, definition: clinicCalendar(options) }, null);
  return campaign.id;
}

/** Local wall time on a date in Mexico City (UTC−6) as an ISO instant: 08:00 → 14:00Z. */
export function local(date: string, time: string): string {
  const [h, m] = time.split(':').map(Number);
  return new Date(Date.parse(`${date}T00:00:00Z`) + ((h ?? 0) + 6) * 3_600_000 + (m ?? 0) * 60_000).toISOString();
}

/** An 11-digit NSS from a number, e.g. 7 → 12345000007. */
export function nss(n: number): string {
  return String(12_345_000_000 + n);
}

export function booking(campaignId: string, roomId: string, startsAt: string, family: string, n: number) {
  return {
    campaignId,
    serviceId: 'mf',
    roomId,
    startsAt,
    officialId: { kind: 'nss' as const, value: nss(n) },
    familyGroupId: family,
    channel: 'whatsapp' as const,
  };
}

export async function rejection(promise: Promise<unknown>): Promise<HubError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HubError);
  if (!(error instanceof HubError)) throw new Error('expected a HubError');
  return error;
}

export async function counts(db: Kysely<Database>, campaignId: string): Promise<{ appointments: number; events: number }> {
  const a = await db.selectFrom('appointments').select((eb) => eb.fn.countAll<string>().as('n')).where('campaign_id', '=', campaignId).executeTakeFirstOrThrow();
  const e = await db.selectFrom('appointment_events').select((eb) => eb.fn.countAll<string>().as('n')).where('campaign_id', '=', campaignId).executeTakeFirstOrThrow();
  return { appointments: Number(a.n), events: Number(e.n) };
}

export interface OfferedSlot {
  roomId: string;
  startsAt: string;
}

/** The (room, start) pairs of `details.freeSlots` of a refusal. */
export function offered(error: HubError): OfferedSlot[] {
  const details = error.details;
  if (typeof details !== 'object' || details === null || !('freeSlots' in details) || !Array.isArray(details.freeSlots)) return [];
  return details.freeSlots.map((s: { roomId: string; startsAt: string }) => ({ roomId: s.roomId, startsAt: s.startsAt }));
}

export function problemCodes(error: HubError): string[] {
  const details = error.details;
  if (typeof details !== 'object' || details === null || !('problems' in details) || !Array.isArray(details.problems)) return [];
  return details.problems.map((p: { code: string }) => p.code);
}
