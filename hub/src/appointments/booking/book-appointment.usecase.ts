/**
 * Books an appointment (issue 11; seed-digest §9.2). In ONE transaction: take an advisory lock on
 * the room's local day and on the family group (sorted, so two bookings never wait on each other
 * in opposite orders), read what the rules need, run the pure `checkBooking`, insert with a folio,
 * append the history event. The lock serialises every booking that could change the answer for
 * this room/day or this family; the partial UNIQUE index on (campaign, room, start) is the last
 * word if anything slips past.
 *
 * A refusal writes nothing. A taken slot or a full shift is refused with the nearest free slots in
 * `details.freeSlots`, read after the transaction ended (never through the pool while it is open).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { HubError, type ErrorCode } from '../../errors/error-registry.js';
import { isoDateOf } from '../../router/calendar/local-time.js';
import type { BookingProblemCode, FreeSlot, RuleProblem } from '../rules/appointment-rules.types.js';
import { positionOf, shiftAt } from '../rules/calendar-grid.js';
import { checkBooking } from '../rules/validate.js';
import { existingForBooking } from './appointment-rows.js';
import { actorUserId, parseBookingInput, bookingInputSchema, type AppointmentActor } from './booking.schema.js';
import { requireCalendar } from './calendar.store.js';
import { nearestSlots } from './nearest-slots.query.js';
import { admitCaseBooking } from '../procedures/case-gate.js';
import { reserveWithInstitution } from '../external/source-of-truth.js';

export interface BookedAppointment {
  readonly id: string;
  readonly folio: string;
  readonly officeId: string;
  readonly roomId: string;
  readonly serviceId: string;
  readonly shiftId: string;
  readonly localDate: string;
  readonly startsAt: string;
  readonly endsAt: string;
}

export interface BookingOptions {
  /** Default the clock; tests pass a fixed instant. */
  readonly now?: Date;
}

class BookingRefused extends Error {
  constructor(readonly problems: readonly RuleProblem<BookingProblemCode>[]) {
    super('booking refused');
  }
}

const MINUTE_MS = 60_000;

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';
}

export async function bookAppointment(
  db: Kysely<Database>,
  rawInput: unknown,
  actor: AppointmentActor,
  options: BookingOptions = {},
): Promise<BookedAppointment> {
  const input = parseBookingInput(bookingInputSchema, rawInput);
  const now = options.now ?? new Date();
  const { version, calendar, rules } = await requireCalendar(db, input.campaignId);
  const startMs = Date.parse(input.startsAt);
  const room = calendar.rooms.find((r) => r.id === input.roomId);
  const service = calendar.services.find((s) => s.id === input.serviceId);
  const position = positionOf(calendar.timeZone, startMs);
  const localDate = isoDateOf(position.localDay);
  const shift = room ? shiftAt(calendar, room.id, position) : undefined;
  const request = {
    serviceId: input.serviceId,
    roomId: input.roomId,
    startsAt: new Date(startMs).toISOString(),
    familyGroupId: input.familyGroupId,
    citizenId: input.officialId.value,
  };

  try {
    return await db.transaction().execute(async (trx) => {
      // Document pre-review (procedures/case-gate.ts): only an approved case books a service that asks for documents; the case becomes `booked` here.
      await admitCaseBooking(trx, { campaignId: input.campaignId, serviceId: input.serviceId, caseId: input.caseId });
      const lockKeys = [
        `appointment-room-day:${input.campaignId}:${input.roomId}:${localDate}`,
        `appointment-family:${input.campaignId}:${input.familyGroupId}`,
      ].sort();
      for (const key of lockKeys) {
        await sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
      }
      const existing = await existingForBooking(trx, {
        campaignId: input.campaignId,
        roomId: input.roomId,
        familyGroupId: input.familyGroupId,
        startMs,
        nowMs: now.getTime(),
      });
      const verdict = checkBooking(calendar, rules, existing, request, now);
      if (!verdict.ok) throw new BookingRefused(verdict.problems);
      // checkBooking refuses unknown rooms/services and starts outside a shift; these narrow the types.
      if (!room || !service || !shift) throw new HubError('HUB_ERR_INTERNAL');

      const endsAt = new Date(startMs + service.slotMinutes * MINUTE_MS);
      const folioDate = localDate.replaceAll('-', '');
      const row = await trx
        .insertInto('appointments')
        .values({
          campaign_id: input.campaignId,
          folio: sql<string>`'CITA-' || ${folioDate} || '-' || lpad((nextval('appointment_folio_seq') % 1000000)::text, 6, '0')`,
          calendar_version: version,
          office_id: room.officeId,
          room_id: room.id,
          service_id: service.id,
          shift_id: shift.id,
          local_date: localDate,
          starts_at: new Date(startMs),
          ends_at: endsAt,
          contact_id: input.contactId ?? null,
          birth_date: input.birthDate ?? null,
          conversation_id: input.conversationId ?? null,
          case_id: input.caseId ?? null,
          official_id_kind: input.officialId.kind,
          official_id: input.officialId.value,
          family_group_id: input.familyGroupId,
          channel: input.channel,
          booked_by_kind: actor.kind,
          booked_by_user_id: actorUserId(actor),
        })
        .returning(['id', 'folio'])
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('appointment_events')
        .values({
          appointment_id: row.id,
          campaign_id: input.campaignId,
          kind: 'appointment.booked',
          actor_kind: actor.kind,
          actor_user_id: actorUserId(actor),
          channel: input.channel,
          details: JSON.stringify({ folio: row.folio, roomId: room.id, serviceId: service.id, startsAt: request.startsAt }),
        })
        .execute();
      // source_of_truth mode: the institution's calendar reserves first, or this transaction rolls back.
      await reserveWithInstitution(db, trx, { campaignId: input.campaignId, appointmentId: row.id, folio: row.folio, officeId: room.officeId, roomId: room.id, serviceId: service.id, startsAt: request.startsAt, endsAt: endsAt.toISOString(), officialIdKind: input.officialId.kind, officialId: input.officialId.value, now });
      return {
        id: row.id,
        folio: row.folio,
        officeId: room.officeId,
        roomId: room.id,
        serviceId: service.id,
        shiftId: shift.id,
        localDate,
        startsAt: request.startsAt,
        endsAt: endsAt.toISOString(),
      };
    });
  } catch (error) {
    if (error instanceof BookingRefused) throw await refusal(db, input.campaignId, input.serviceId, room?.officeId, error.problems, now);
    if (isUniqueViolation(error)) throw await refusal(db, input.campaignId, input.serviceId, room?.officeId, [], now);
    throw error;
  }
}

/** The HubError of a refusal; a taken slot or a full shift carries the nearest free slots. */
async function refusal(
  db: Kysely<Database>,
  campaignId: string,
  serviceId: string,
  officeId: string | undefined,
  problems: readonly RuleProblem<BookingProblemCode>[],
  now: Date,
): Promise<HubError> {
  const codes = problems.map((p) => p.code);
  // No problems = the unique index refused: another booking won the slot.
  const taken = problems.length === 0 || codes.includes('slot_taken');
  const full = codes.includes('shift_full');
  const details = { problems: problems.map((p) => ({ code: p.code, es: p.es, en: p.en })) };
  if (!taken && !full) {
    return new HubError('HUB_ERR_APPOINTMENT_RULES', problems.map((p) => p.message).join(' · '), details);
  }
  const code: ErrorCode = taken ? 'HUB_ERR_APPOINTMENT_SLOT_TAKEN' : 'HUB_ERR_APPOINTMENT_SHIFT_FULL';
  const slots: FreeSlot[] = await nearestSlots(db, campaignId, { serviceId, now, ...(officeId === undefined ? {} : { officeId }) });
  return new HubError(code, undefined, { ...details, freeSlots: slots });
}
