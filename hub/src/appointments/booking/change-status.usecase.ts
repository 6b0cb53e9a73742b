/**
 * An appointment's life after booking (issue 11): the citizen confirms it (a "SÍ" to a reminder,
 * the portal, an agent on their behalf), and after the start the office records the visit as
 * attended or no-show. The row is locked (FOR UPDATE) so a confirmation and a cancellation (or two
 * visit records) never interleave; every change appends its history event in the same transaction.
 *
 * | to          | from                 | when                                     |
 * |-------------|----------------------|------------------------------------------|
 * | `confirmed` | `booked`             | before the start (confirming twice: no-op) |
 * | `attended`  | `booked`, `confirmed`| from the start on                        |
 * | `no_show`   | `booked`, `confirmed`| from the start on                        |
 *
 * Anything else is refused with HUB_ERR_APPOINTMENT_STATUS_REFUSED and the reason in Spanish first.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import type { AppointmentRow } from '../../db/schema-appointments.js';
import { HubError } from '../../errors/error-registry.js';
import { bilingual } from '../../router/config/routing-problem.js';
import { lockAppointment } from './appointment-rows.js';
import { actorUserId, parseBookingInput, APPOINTMENT_CHANNELS, type AppointmentEventActor } from './booking.schema.js';

export const APPOINTMENT_STATUS_CHANGES = ['confirmed', 'attended', 'no_show'] as const;
export type AppointmentStatusChange = (typeof APPOINTMENT_STATUS_CHANGES)[number];

export const statusChangeInputSchema = z
  .strictObject({
    campaignId: z.uuid(bilingual('campaña no válida', 'invalid campaign')),
    appointmentId: z.uuid().optional(),
    folio: z.string().regex(/^CITA-[0-9]{8}-[0-9]{6}$/, bilingual('el folio tiene la forma CITA-AAAAMMDD-NNNNNN', 'the folio looks like CITA-YYYYMMDD-NNNNNN')).optional(),
    to: z.enum(APPOINTMENT_STATUS_CHANGES),
    /** Required when a citizen (or the portal) acts: the NSS or CURP booked with. Staff need not give it. */
    officialId: z.string().min(1).max(18).optional(),
    channel: z.enum(APPOINTMENT_CHANNELS),
    note: z.string().min(1).max(500).optional(),
  })
  .refine((c) => (c.appointmentId === undefined) !== (c.folio === undefined), {
    message: bilingual('indique el folio o el identificador de la cita (solo uno)', 'give the folio or the appointment id (only one)'),
  });
export type StatusChangeInput = z.input<typeof statusChangeInputSchema>;

export interface AppointmentStatusChanged {
  readonly id: string;
  readonly folio: string;
  readonly status: AppointmentRow['status'];
  /** False when the appointment already had that status (a second "SÍ"): nothing was written. */
  readonly changed: boolean;
}

const REFUSALS = {
  not_booked: bilingual('solo una cita agendada puede confirmarse', 'only a booked appointment can be confirmed'),
  started: bilingual('la cita ya comenzó; ya no se puede confirmar', 'the appointment has started; it can no longer be confirmed'),
  not_started: bilingual('la asistencia se registra a partir de la hora de la cita', 'attendance is recorded from the appointment time on'),
  not_active: bilingual('la cita está cancelada o su asistencia ya se registró', 'the appointment is cancelled or its attendance is already recorded'),
};

function refusal(reason: keyof typeof REFUSALS): HubError {
  return new HubError('HUB_ERR_APPOINTMENT_STATUS_REFUSED', REFUSALS[reason], { reason });
}

export async function changeAppointmentStatus(
  db: Kysely<Database>,
  rawInput: unknown,
  actor: AppointmentEventActor,
  options: { readonly now?: Date } = {},
): Promise<AppointmentStatusChanged> {
  const input = parseBookingInput(statusChangeInputSchema, rawInput);
  const now = options.now ?? new Date();
  const citizenSide = actor.kind === 'citizen' || actor.kind === 'portal' || actor.kind === 'bot';

  return db.transaction().execute(async (trx) => {
    const row = await lockAppointment(trx, input.campaignId, input);
    // A citizen must prove who they are; a wrong id reads as "not found" (a folio alone reveals nothing).
    const idMismatch = input.officialId !== undefined ? row?.official_id !== input.officialId.trim().toUpperCase() : citizenSide;
    if (!row || idMismatch) throw new HubError('HUB_ERR_APPOINTMENT_NOT_FOUND');

    if (row.status === input.to) return { id: row.id, folio: row.folio, status: row.status, changed: false };
    const started = row.starts_at.getTime() <= now.getTime();
    if (input.to === 'confirmed') {
      if (row.status !== 'booked') throw refusal('not_booked');
      if (started) throw refusal('started');
    } else {
      if (row.status !== 'booked' && row.status !== 'confirmed') throw refusal('not_active');
      if (!started) throw refusal('not_started');
    }
    await trx
      .updateTable('appointments')
      .set({
        status: input.to,
        ...(input.to === 'confirmed' ? { confirmed_at: now } : {}),
        ...(input.to === 'attended' ? { attended_at: now } : {}),
      })
      .where('id', '=', row.id)
      .execute();
    await trx
      .insertInto('appointment_events')
      .values({
        appointment_id: row.id,
        campaign_id: input.campaignId,
        kind: `appointment.${input.to}`,
        actor_kind: actor.kind,
        actor_user_id: actorUserId(actor),
        channel: input.channel,
        details: JSON.stringify({ folio: row.folio, from: row.status, ...(input.note ? { note: input.note } : {}) }),
      })
      .execute();
    return { id: row.id, folio: row.folio, status: input.to, changed: true };
  });
}
