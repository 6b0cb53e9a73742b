/**
 * What the staff API answers (appointments/README.md, `FreeSlotView` and `AppointmentView`): ids
 * with the names the agent reads from the calendar in force, and the local date and time in the
 * calendar's zone. A name missing from the calendar (a room removed in a later version) shows its id.
 */
import type { AppointmentChannel, AppointmentStatusColumn, OfficialIdKind, AppointmentActorKind } from '../../db/schema-appointments.js';
import { HubError } from '../../errors/error-registry.js';
import { isoDateOf } from '../../router/calendar/local-time.js';
import type { AppointmentCalendar, FreeSlot } from '../rules/appointment-rules.types.js';
import { positionOf } from '../rules/calendar-grid.js';

export interface FreeSlotView {
  readonly roomId: string;
  readonly roomName: string;
  readonly officeId: string;
  readonly officeName: string;
  readonly serviceId: string;
  readonly serviceName: string;
  readonly shiftId: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly localDate: string;
  /** `HH:MM` in the calendar's zone. */
  readonly localTime: string;
}

export interface AppointmentView {
  readonly id: string;
  readonly folio: string;
  readonly status: AppointmentStatusColumn;
  readonly officeId: string;
  readonly officeName: string;
  readonly roomId: string;
  readonly roomName: string;
  readonly serviceId: string;
  readonly serviceName: string;
  readonly shiftId: string;
  readonly localDate: string;
  readonly localTime: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly officialIdKind: OfficialIdKind;
  readonly officialId: string;
  readonly birthDate: string | null;
  readonly familyGroupId: string;
  readonly channel: AppointmentChannel;
  readonly contactId: string | null;
  readonly conversationId: string | null;
  readonly caseId: string | null;
  readonly externalRef: string | null;
  readonly bookedBy: { readonly kind: AppointmentActorKind; readonly userId: string | null; readonly name: string | null };
  readonly createdAt: string;
  readonly confirmedAt: string | null;
  readonly attendedAt: string | null;
  readonly cancelledAt: string | null;
  readonly cancelReason: string | null;
}

/** The stored appointment as the staff queries select it (dates as text, the booker's name joined). */
export interface AppointmentViewRow {
  readonly id: string;
  readonly folio: string;
  readonly status: AppointmentStatusColumn;
  readonly office_id: string;
  readonly room_id: string;
  readonly service_id: string;
  readonly shift_id: string;
  readonly local_date_text: string;
  readonly starts_at: Date;
  readonly ends_at: Date;
  readonly official_id_kind: OfficialIdKind;
  readonly official_id: string;
  readonly birth_date_text: string | null;
  readonly family_group_id: string;
  readonly channel: AppointmentChannel;
  readonly contact_id: string | null;
  readonly conversation_id: string | null;
  readonly case_id: string | null;
  readonly external_ref: string | null;
  readonly booked_by_kind: AppointmentActorKind;
  readonly booked_by_user_id: string | null;
  readonly booked_by_name: string | null;
  readonly created_at: Date;
  readonly confirmed_at: Date | null;
  readonly attended_at: Date | null;
  readonly cancelled_at: Date | null;
  readonly cancel_reason: string | null;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Local date and `HH:MM` of an instant in `timeZone`. */
export function localDateTimeOf(timeZone: string, instantMs: number): { localDate: string; localTime: string } {
  const position = positionOf(timeZone, instantMs);
  const minute = Math.floor(position.minute);
  return { localDate: isoDateOf(position.localDay), localTime: `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}` };
}

export interface CalendarNames {
  office(id: string): string;
  room(id: string): string;
  service(id: string): string;
}

export function namesOf(calendar: AppointmentCalendar | undefined): CalendarNames {
  const offices = new Map((calendar?.offices ?? []).map((o) => [o.id, o.name]));
  const rooms = new Map((calendar?.rooms ?? []).map((r) => [r.id, r.name]));
  const services = new Map((calendar?.services ?? []).map((s) => [s.id, s.name]));
  return {
    office: (id) => offices.get(id) ?? id,
    room: (id) => rooms.get(id) ?? id,
    service: (id) => services.get(id) ?? id,
  };
}

export function freeSlotView(calendar: AppointmentCalendar, slot: FreeSlot, names: CalendarNames = namesOf(calendar)): FreeSlotView {
  return {
    roomId: slot.roomId,
    roomName: names.room(slot.roomId),
    officeId: slot.officeId,
    officeName: names.office(slot.officeId),
    serviceId: slot.serviceId,
    serviceName: names.service(slot.serviceId),
    shiftId: slot.shiftId,
    startsAt: slot.startsAt,
    endsAt: slot.endsAt,
    ...localDateTimeOf(calendar.timeZone, Date.parse(slot.startsAt)),
  };
}

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

export function appointmentView(row: AppointmentViewRow, timeZone: string, names: CalendarNames): AppointmentView {
  return {
    id: row.id,
    folio: row.folio,
    status: row.status,
    officeId: row.office_id,
    officeName: names.office(row.office_id),
    roomId: row.room_id,
    roomName: names.room(row.room_id),
    serviceId: row.service_id,
    serviceName: names.service(row.service_id),
    shiftId: row.shift_id,
    localDate: row.local_date_text,
    localTime: localDateTimeOf(timeZone, row.starts_at.getTime()).localTime,
    startsAt: row.starts_at.toISOString(),
    endsAt: row.ends_at.toISOString(),
    officialIdKind: row.official_id_kind,
    officialId: row.official_id,
    birthDate: row.birth_date_text,
    familyGroupId: row.family_group_id,
    channel: row.channel,
    contactId: row.contact_id,
    conversationId: row.conversation_id,
    caseId: row.case_id,
    externalRef: row.external_ref,
    bookedBy: { kind: row.booked_by_kind, userId: row.booked_by_user_id, name: row.booked_by_name },
    createdAt: row.created_at.toISOString(),
    confirmedAt: iso(row.confirmed_at),
    attendedAt: iso(row.attended_at),
    cancelledAt: iso(row.cancelled_at),
    cancelReason: row.cancel_reason,
  };
}

function isFreeSlot(value: unknown): value is FreeSlot {
  return typeof value === 'object' && value !== null && 'roomId' in value && 'startsAt' in value && 'officeId' in value && 'serviceId' in value;
}

/**
 * Runs a booking; a refusal that offers other slots (`details.freeSlots`: slot taken, shift full)
 * is re-thrown with those slots as `FreeSlotView`s, so the agent or the citizen reads names and local times.
 */
export async function offeringSlotViews<T>(calendarOf: () => Promise<AppointmentCalendar | undefined>, book: () => Promise<T>): Promise<T> {
  try {
    return await book();
  } catch (error) {
    const details: unknown = error instanceof HubError ? error.details : undefined;
    if (!(error instanceof HubError) || typeof details !== 'object' || details === null || !('freeSlots' in details) || !Array.isArray(details.freeSlots)) throw error;
    const calendar = await calendarOf();
    const slots: unknown[] = details.freeSlots;
    if (!calendar || !slots.every(isFreeSlot)) throw error;
    throw new HubError(error.code, error.message, { ...details, freeSlots: slots.filter(isFreeSlot).map((s) => freeSlotView(calendar, s)) });
  }
}
