/** The staff API's reads: the list with its filters, one appointment by folio, its history. */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { AppointmentStatusColumn } from '../../db/schema-appointments.js';
import { HubError } from '../../errors/error-registry.js';
import type { AppointmentViewRow } from './appointment-view.js';

/** The list never answers more than this many rows (narrow it with dates, office or status). */
export const APPOINTMENT_LIST_LIMIT = 500;

export interface AppointmentListFilters {
  /** Local dates `YYYY-MM-DD`, inclusive. */
  readonly from?: string;
  readonly to?: string;
  readonly officeId?: string;
  readonly roomId?: string;
  readonly status?: AppointmentStatusColumn;
  /** A folio or an official id (NSS / CURP), exact. */
  readonly q?: string;
}

export async function assertCampaignExists(db: Kysely<Database>, campaignId: string): Promise<void> {
  const row = await db.selectFrom('campaigns').select('id').where('id', '=', campaignId).executeTakeFirst();
  if (!row) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
}

function viewQuery(db: Kysely<Database>, campaignId: string) {
  return db
    .selectFrom('appointments as a')
    .leftJoin('users as u', 'u.id', 'a.booked_by_user_id')
    .select([
      'a.id',
      'a.folio',
      'a.status',
      'a.office_id',
      'a.room_id',
      'a.service_id',
      'a.shift_id',
      'a.starts_at',
      'a.ends_at',
      'a.official_id_kind',
      'a.official_id',
      'a.family_group_id',
      'a.channel',
      'a.contact_id',
      'a.conversation_id',
      'a.case_id',
      'a.external_ref',
      'a.booked_by_kind',
      'a.booked_by_user_id',
      'u.display_name as booked_by_name',
      'a.created_at',
      'a.confirmed_at',
      'a.attended_at',
      'a.cancelled_at',
      'a.cancel_reason',
    ])
    // node-pg reads `date` at the process's local midnight; text keeps the calendar date as stored.
    .select([sql<string>`a.local_date::text`.as('local_date_text'), sql<string | null>`a.birth_date::text`.as('birth_date_text')])
    .where('a.campaign_id', '=', campaignId);
}

export async function listAppointmentRows(db: Kysely<Database>, campaignId: string, filters: AppointmentListFilters): Promise<AppointmentViewRow[]> {
  let query = viewQuery(db, campaignId);
  if (filters.from !== undefined) query = query.where(sql<boolean>`a.local_date >= ${filters.from}::date`);
  if (filters.to !== undefined) query = query.where(sql<boolean>`a.local_date <= ${filters.to}::date`);
  if (filters.officeId !== undefined) query = query.where('a.office_id', '=', filters.officeId);
  if (filters.roomId !== undefined) query = query.where('a.room_id', '=', filters.roomId);
  if (filters.status !== undefined) query = query.where('a.status', '=', filters.status);
  const q = filters.q?.trim();
  if (q !== undefined && q !== '') {
    const upper = q.toUpperCase();
    query = query.where((eb) => eb.or([eb('a.folio', '=', upper), eb('a.official_id', '=', upper)]));
  }
  return query.orderBy('a.starts_at').orderBy('a.room_id').orderBy('a.folio').limit(APPOINTMENT_LIST_LIMIT).execute();
}

export async function appointmentRowByFolio(db: Kysely<Database>, campaignId: string, folio: string): Promise<AppointmentViewRow> {
  const row = await viewQuery(db, campaignId).where('a.folio', '=', folio.trim().toUpperCase()).executeTakeFirst();
  if (!row) throw new HubError('HUB_ERR_APPOINTMENT_NOT_FOUND');
  return row;
}

export interface AppointmentEventView {
  readonly kind: string;
  readonly actorKind: string;
  readonly actorUserId: string | null;
  readonly channel: string;
  readonly details: unknown;
  readonly occurredAt: string;
}

export async function appointmentEvents(db: Kysely<Database>, appointmentId: string): Promise<AppointmentEventView[]> {
  const rows = await db
    .selectFrom('appointment_events')
    .select(['kind', 'actor_kind', 'actor_user_id', 'channel', 'details', 'occurred_at'])
    .where('appointment_id', '=', appointmentId)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
  return rows.map((e) => ({
    kind: e.kind,
    actorKind: e.actor_kind,
    actorUserId: e.actor_user_id,
    channel: e.channel,
    details: e.details,
    occurredAt: e.occurred_at.toISOString(),
  }));
}
