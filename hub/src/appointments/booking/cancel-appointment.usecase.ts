/**
 * Cancels an appointment (seed-digest §9.2: at least 12 h before, configurable). The caller must
 * give the NSS or CURP the appointment was booked with; a wrong one reads as "not found", so a
 * folio alone reveals nothing. The row is locked (FOR UPDATE) so a cancellation and a confirmation
 * or a second cancellation cannot interleave; status `cancelled` frees the slot at once (the
 * partial UNIQUE index and the rules only count booked/confirmed).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import { checkCancellation } from '../rules/validate.js';
import { lockAppointment, toExisting } from './appointment-rows.js';
import { actorUserId, parseBookingInput, cancellationInputSchema, type AppointmentEventActor } from './booking.schema.js';
import { requireCalendar } from './calendar.store.js';
import { releaseWithInstitution } from '../external/source-of-truth.js';

export interface CancelledAppointment {
  readonly id: string;
  readonly folio: string;
  readonly cancelledAt: string;
}

export async function cancelAppointment(
  db: Kysely<Database>,
  rawInput: unknown,
  actor: AppointmentEventActor,
  options: { readonly now?: Date } = {},
): Promise<CancelledAppointment> {
  const input = parseBookingInput(cancellationInputSchema, rawInput);
  const now = options.now ?? new Date();
  const { rules } = await requireCalendar(db, input.campaignId);

  return db.transaction().execute(async (trx) => {
    const row = await lockAppointment(trx, input.campaignId, input);
    if (!row || row.official_id !== input.officialId.trim().toUpperCase()) throw new HubError('HUB_ERR_APPOINTMENT_NOT_FOUND');

    const verdict = checkCancellation(rules, toExisting(row), now);
    if (!verdict.ok) {
      throw new HubError('HUB_ERR_APPOINTMENT_CANCEL_REFUSED', verdict.problems.map((p) => p.message).join(' · '), {
        problems: verdict.problems.map((p) => ({ code: p.code, es: p.es, en: p.en })),
      });
    }
    await trx
      .updateTable('appointments')
      .set({ status: 'cancelled', cancelled_at: now, cancel_reason: input.reason })
      .where('id', '=', row.id)
      .execute();
    await trx
      .insertInto('appointment_events')
      .values({
        appointment_id: row.id,
        campaign_id: input.campaignId,
        kind: 'appointment.cancelled',
        actor_kind: actor.kind,
        actor_user_id: actorUserId(actor),
        channel: input.channel,
        details: JSON.stringify({ folio: row.folio, reason: input.reason }),
      })
      .execute();
    // Whoever cancels (portal, staff, bot, a NO reply, reconciliation): the case's documents still stand, it can book again.
    if (row.case_id !== null) {
      await trx.updateTable('appointment_cases').set({ status: 'approved', updated_at: now }).where('id', '=', row.case_id).where('status', '=', 'booked').execute();
    }
    // source_of_truth mode: the institution frees the slot first, or this transaction rolls back.
    await releaseWithInstitution(trx, { campaignId: input.campaignId, appointmentId: row.id, externalRef: row.external_ref, reason: input.reason });
    return { id: row.id, folio: row.folio, cancelledAt: now.toISOString() };
  });
}
