/**
 * Loads and saves a campaign's appointment calendar (versioned JSON in `appointment_calendars`).
 * Every save is a new version; the newest is the one in force. Appointments remember the version
 * they were booked under.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { recordAudit } from '../../audit/audit.js';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import { pathOf } from '../../router/config/routing-problem.js';
import { DEFAULT_BOOKING_RULES, type AppointmentCalendar, type BookingRules } from '../rules/appointment-rules.types.js';
import { bookingRulesOverridesSchema, calendarDefinitionSchema } from './calendar.schema.js';

export interface LoadedCalendar {
  readonly version: number;
  readonly calendar: AppointmentCalendar;
  readonly rules: BookingRules;
}

type Executor = Kysely<Database> | Transaction<Database>;

/** The calendar in force, or undefined when the campaign has none yet. */
export async function loadCalendar(db: Executor, campaignId: string): Promise<LoadedCalendar | undefined> {
  const row = await db
    .selectFrom('appointment_calendars')
    .select(['version', 'definition', 'rules'])
    .where('campaign_id', '=', campaignId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  // Stored rows were validated on save; parsing again keeps the types honest (no casts).
  const calendar: AppointmentCalendar = calendarDefinitionSchema.parse(row.definition);
  const rules: BookingRules = { ...DEFAULT_BOOKING_RULES, ...bookingRulesOverridesSchema.parse(row.rules) };
  return { version: row.version, calendar, rules };
}

export async function requireCalendar(db: Executor, campaignId: string): Promise<LoadedCalendar> {
  const loaded = await loadCalendar(db, campaignId);
  if (!loaded) throw new HubError('HUB_ERR_APPOINTMENT_NO_CALENDAR');
  return loaded;
}

export interface SaveCalendarInput {
  readonly campaignId: string;
  readonly definition: unknown;
  readonly rules?: unknown;
}

/** Validates and stores a new version; refuses with every problem listed (`details.problems`). */
export async function saveCalendar(db: Kysely<Database>, input: SaveCalendarInput, actorUserId: string | null): Promise<LoadedCalendar> {
  const definition = calendarDefinitionSchema.safeParse(input.definition);
  const rules = bookingRulesOverridesSchema.safeParse(input.rules ?? {});
  const problems = [
    ...(definition.success ? [] : definition.error.issues.map((i) => ({ path: pathOf(i.path), message: i.message }))),
    ...(rules.success ? [] : rules.error.issues.map((i) => ({ path: `rules.${pathOf(i.path)}`, message: i.message }))),
  ];
  if (!definition.success || !rules.success) {
    throw new HubError('HUB_ERR_APPOINTMENT_CALENDAR_INVALID', undefined, { problems });
  }
  return db.transaction().execute(async (trx) => {
    // One writer at a time per campaign, so two saves cannot take the same version number.
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`appointment-calendar:${input.campaignId}`}, 0))`.execute(trx);
    const latest = await trx
      .selectFrom('appointment_calendars')
      .select((eb) => eb.fn.max('version').as('version'))
      .where('campaign_id', '=', input.campaignId)
      .executeTakeFirst();
    const version = (latest?.version ?? 0) + 1;
    await trx
      .insertInto('appointment_calendars')
      .values({
        campaign_id: input.campaignId,
        version,
        definition: JSON.stringify(definition.data),
        rules: JSON.stringify(rules.data),
        created_by: actorUserId,
      })
      .execute();
    await recordAudit(trx, {
      action: 'campaign.updated',
      actorUserId,
      targetType: 'appointment_calendar',
      targetId: input.campaignId,
      campaignId: input.campaignId,
      details: { appointmentCalendarVersion: version },
    });
    return { version, calendar: definition.data, rules: { ...DEFAULT_BOOKING_RULES, ...rules.data } };
  });
}
