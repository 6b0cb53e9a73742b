import type { Kysely } from 'kysely';
import type { Database } from '@ventanilla/hub';
import { bookAppointment } from '../../../hub/src/appointments/booking/book-appointment.usecase.js';
import { saveCalendar } from '../../../hub/src/appointments/booking/calendar.store.js';
import { reminderSettingsSchema } from '../../../hub/src/appointments/reminders/reminder-settings.schema.js';
import { createCampaign } from '../../support/factories.js';

/**
 * A clinic open every day 00:00–23:40 in America/Mexico_City (UTC−6 all year, no DST), 20-minute
 * family-medicine slots in rooms c1 and c2, 50 per shift: there is always a slot within the next
 * hour, so tests on the real clock (the ingest worker confirms and cancels with `new Date()`) can
 * book around it. `holidays` for the business-days cases.
 */
export function openClinic(holidays: { date: string; name: string; officeId?: string }[] = []) {
  const shift = (room: string) => ({ id: `${room}-dia`, roomId: room, name: 'Todo el día', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '23:40', capacity: 50 });
  return {
    timeZone: 'America/Mexico_City',
    offices: [{ id: 'umf-7', name: 'UMF 7 Tlalpan' }],
    rooms: [
      { id: 'c1', officeId: 'umf-7', name: 'Consultorio 1', serviceIds: ['mf'] },
      { id: 'c2', officeId: 'umf-7', name: 'Consultorio 2', serviceIds: ['mf'] },
    ],
    services: [{ id: 'mf', name: 'Medicina familiar', slotMinutes: 20, excludedTimes: [] }],
    shifts: [shift('c1'), shift('c2')],
    blocked: [],
    holidays,
  };
}

export async function clinicCampaign(db: Kysely<Database>, holidays: { date: string; name: string }[] = []): Promise<string> {
  const campaign = await createCampaign(db);
  await saveCalendar(db, { campaignId: campaign.id, definition: openClinic(holidays) }, null);
  return campaign.id;
}

const SLOT_MS = 20 * 60_000;
const DAY_MS = 86_400_000;
const OFFSET_MS = 6 * 3_600_000;

/** The first slot starting at or after `instant` (local 23:40–24:00 has none: the next day's 00:00). */
export function slotAtOrAfter(instant: number): Date {
  let start = Math.ceil(instant / SLOT_MS) * SLOT_MS;
  const localMinute = ((start - OFFSET_MS) % DAY_MS) / 60_000;
  if (localMinute >= 23 * 60 + 40) start += DAY_MS - localMinute * 60_000;
  return new Date(start);
}

/** Local wall time in Mexico City as an instant: ('2026-12-04', '08:00') → 14:00Z. */
export function local(date: string, time: string): Date {
  const [h, m] = time.split(':').map(Number);
  return new Date(Date.parse(`${date}T00:00:00Z`) + ((h ?? 0) + 6) * 3_600_000 + (m ?? 0) * 60_000);
}

let nssCounter = 0;
/** A fresh 11-digit NSS per call (the family limit never bites). */
export function freshNss(): string {
  nssCounter += 1;
  return String(20_000_000_000 + (process.pid % 10_000) * 10_000 + nssCounter).slice(0, 11);
}

export interface BookOptions {
  roomId?: 'c1' | 'c2';
  contactId?: string;
  conversationId?: string;
  channel?: 'whatsapp' | 'sms' | 'api' | 'portal' | 'agent';
  /** The booking's clock: default one day before the start (the 12 h lead always holds). */
  bookedAt?: Date;
}

export async function book(db: Kysely<Database>, campaignId: string, startsAt: Date, options: BookOptions = {}) {
  const nss = freshNss();
  const booked = await bookAppointment(
    db,
    {
      campaignId,
      serviceId: 'mf',
      roomId: options.roomId ?? 'c1',
      startsAt: startsAt.toISOString(),
      officialId: { kind: 'nss', value: nss },
      familyGroupId: nss,
      channel: options.channel ?? 'api',
      ...(options.contactId ? { contactId: options.contactId } : {}),
      ...(options.conversationId ? { conversationId: options.conversationId } : {}),
    },
    { kind: 'bot' },
    { now: options.bookedAt ?? new Date(startsAt.getTime() - DAY_MS) },
  );
  return { ...booked, nss };
}

export async function enableReminders(db: Kysely<Database>, campaignId: string, settings: Record<string, unknown> = {}): Promise<void> {
  const parsed = reminderSettingsSchema.parse({ enabled: true, ...settings });
  await db
    .insertInto('appointment_reminder_settings')
    .values({ campaign_id: campaignId, settings: JSON.stringify(parsed) })
    .onConflict((oc) => oc.column('campaign_id').doUpdateSet({ settings: JSON.stringify(parsed) }))
    .execute();
}

/** A closed API-channel conversation the booking came from (the origin of reminders and acknowledgements). */
export async function originConversation(db: Kysely<Database>, campaignId: string, channelId: string, externalId: string) {
  const contact = await db.insertInto('contacts').values({ display_name: 'Ciudadana' }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('contact_identities').values({ contact_id: contact.id, kind: 'external', value: externalId, channel_id: channelId }).execute();
  const conversation = await db
    .insertInto('conversations')
    .values({ folio: `F-${externalId}`, campaign_id: campaignId, channel_id: channelId, contact_id: contact.id, status: 'resolved', closed_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { contactId: contact.id, conversationId: conversation.id };
}
