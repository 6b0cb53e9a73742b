/** Snapshots of stored appointments in the rule engine's shape, read inside or outside a transaction. */
import type { Kysely, Transaction } from 'kysely';
import type { AppointmentRow } from '../../db/schema-appointments.js';
import type { Database } from '../../db/schema.js';
import type { ExistingAppointment } from '../rules/appointment-rules.types.js';

type Executor = Kysely<Database> | Transaction<Database>;
const DAY_MS = 86_400_000;

export function toExisting(row: Pick<AppointmentRow, 'id' | 'room_id' | 'service_id' | 'starts_at' | 'ends_at' | 'status' | 'family_group_id' | 'official_id'>): ExistingAppointment {
  return {
    id: row.id,
    roomId: row.room_id,
    serviceId: row.service_id,
    startsAt: row.starts_at.toISOString(),
    endsAt: row.ends_at.toISOString(),
    status: row.status,
    familyGroupId: row.family_group_id,
    citizenId: row.official_id,
  };
}

const COLUMNS = ['id', 'room_id', 'service_id', 'starts_at', 'ends_at', 'status', 'family_group_id', 'official_id'] as const;

/**
 * What `checkBooking` needs for one request: the room's active appointments a day either side of
 * the start (its shift load and overlaps) and the family group's active future ones.
 */
export async function existingForBooking(
  db: Executor,
  input: { campaignId: string; roomId: string; familyGroupId: string; startMs: number; nowMs: number },
): Promise<ExistingAppointment[]> {
  const rows = await db
    .selectFrom('appointments')
    .select(COLUMNS)
    .where('campaign_id', '=', input.campaignId)
    .where('status', 'in', ['booked', 'confirmed'])
    .where((eb) =>
      eb.or([
        eb.and([
          eb('room_id', '=', input.roomId),
          eb('starts_at', '>=', new Date(input.startMs - DAY_MS)),
          eb('starts_at', '<=', new Date(input.startMs + DAY_MS)),
        ]),
        eb.and([eb('family_group_id', '=', input.familyGroupId), eb('starts_at', '>', new Date(input.nowMs))]),
      ]),
    )
    .execute();
  return rows.map(toExisting);
}

/** Every active appointment of the campaign that can still block a slot between `fromMs` and `toMs`. */
export async function activeBetween(db: Executor, campaignId: string, fromMs: number, toMs: number): Promise<ExistingAppointment[]> {
  const rows = await db
    .selectFrom('appointments')
    .select(COLUMNS)
    .where('campaign_id', '=', campaignId)
    .where('status', 'in', ['booked', 'confirmed'])
    .where('starts_at', '>=', new Date(fromMs - DAY_MS))
    .where('starts_at', '<=', new Date(toMs + DAY_MS))
    .execute();
  return rows.map(toExisting);
}

/** An appointment of the campaign by id or folio, locked (FOR UPDATE) until the transaction ends. */
export async function lockAppointment(trx: Transaction<Database>, campaignId: string, ref: { readonly appointmentId?: string | undefined; readonly folio?: string | undefined }): Promise<AppointmentRow | undefined> {
  let query = trx.selectFrom('appointments').selectAll().where('campaign_id', '=', campaignId);
  if (ref.appointmentId !== undefined) query = query.where('id', '=', ref.appointmentId);
  if (ref.folio !== undefined) query = query.where('folio', '=', ref.folio);
  return query.forUpdate().executeTakeFirst();
}
