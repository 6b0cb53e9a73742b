/**
 * `source_of_truth` mode: the institution's calendar must accept every booking and cancellation
 * before we commit ours. Called by `bookAppointment` and `cancelAppointment` inside their
 * transaction, after the rules passed and the row was written: a remote refusal or silence throws,
 * so the transaction rolls back and nothing is half-written. In any other mode these return at once
 * (builtin: nothing to tell; mirror: the outbox pushes the history after commit).
 *
 * If the local commit fails after the remote reserved, the reservation is released: a follow-up
 * waits for the booking's transaction to end (same advisory lock), finds no row and releases. A
 * crash in between leaves a remote booking carrying a folio we have no row for; the reconciliation
 * releases those (they can only be ours).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import { nearestSlots } from '../booking/nearest-slots.query.js';
import { loadExternalSettings, providerFor } from './external-settings.store.js';
import type { ExternalBooking, SchedulingProvider } from './scheduling-provider.js';

export interface InstitutionReservation extends ExternalBooking {
  readonly campaignId: string;
  /** The booking's clock, for the free slots offered after a remote refusal. */
  readonly now: Date;
}

const followUps = new Set<Promise<void>>();

/** Waits for the releases of reservations whose booking did not commit (shutdown, tests). */
export async function settleExternalFollowUps(): Promise<void> {
  while (followUps.size > 0) await Promise.all([...followUps]);
}

function lockKey(appointmentId: string): string {
  return `appointment-external:${appointmentId}`;
}

export async function reserveWithInstitution(db: Kysely<Database>, trx: Transaction<Database>, booking: InstitutionReservation): Promise<void> {
  const settings = await loadExternalSettings(trx, booking.campaignId);
  if (settings.mode !== 'source_of_truth') return;
  const provider = providerFor(settings);
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${lockKey(booking.appointmentId)}, 0))`.execute(trx);
  const { campaignId, now, ...external } = booking;
  let externalRef: string;
  try {
    ({ externalRef } = await provider.reserve(external));
  } catch (error) {
    if (error instanceof HubError && error.code === 'HUB_ERR_APPOINTMENT_SLOT_TAKEN') {
      // Read through the transaction (one connection on PGlite); our own uncommitted row keeps the refused slot out of the offer.
      const freeSlots = await nearestSlots(trx, campaignId, { serviceId: booking.serviceId, officeId: booking.officeId, now });
      throw new HubError('HUB_ERR_APPOINTMENT_SLOT_TAKEN', undefined, { problems: [], freeSlots, remote: true });
    }
    throw error;
  }
  await trx.updateTable('appointments').set({ external_ref: externalRef }).where('id', '=', booking.appointmentId).execute();
  const followUp = releaseIfNotCommitted(db, provider, booking.appointmentId, externalRef).finally(() => followUps.delete(followUp));
  followUps.add(followUp);
}

async function releaseIfNotCommitted(db: Kysely<Database>, provider: SchedulingProvider, appointmentId: string, externalRef: string): Promise<void> {
  try {
    // The booking's transaction holds this lock until it commits or rolls back.
    const committed = await db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtextextended(${lockKey(appointmentId)}, 0))`.execute(trx);
      const row = await trx.selectFrom('appointments').select('id').where('id', '=', appointmentId).executeTakeFirst();
      return row !== undefined;
    });
    if (!committed) await provider.release(externalRef, 'La cita no se guardó en el hub / the booking was not saved by the hub');
  } catch {
    // The institution or the database is down: the reconciliation releases remote bookings whose folio has no row.
  }
}

export interface InstitutionRelease {
  readonly campaignId: string;
  readonly appointmentId: string;
  readonly externalRef: string | null;
  readonly reason: string;
}

/** Inside the cancellation's transaction: the institution frees the slot first, or nothing changes. */
export async function releaseWithInstitution(trx: Transaction<Database>, release: InstitutionRelease): Promise<void> {
  const settings = await loadExternalSettings(trx, release.campaignId);
  if (settings.mode !== 'source_of_truth' || release.externalRef === null) return;
  await providerFor(settings).release(release.externalRef, release.reason);
}
