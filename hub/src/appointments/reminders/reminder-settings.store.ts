import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { DEFAULT_REMINDER_SETTINGS, reminderSettingsSchema, type ReminderSettings } from './reminder-settings.schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** The campaign's settings, or the defaults (disabled) when an admin never saved any. */
export async function loadReminderSettings(db: Executor, campaignId: string): Promise<ReminderSettings> {
  const row = await db.selectFrom('appointment_reminder_settings').select('settings').where('campaign_id', '=', campaignId).executeTakeFirst();
  // Stored rows were validated on save; parsing again fills defaults added since (no casts).
  return row ? reminderSettingsSchema.parse(row.settings) : DEFAULT_REMINDER_SETTINGS;
}

/** Campaigns with anything switched on (reminders, confirmation campaign or survey). */
export async function activeReminderSettings(db: Executor): Promise<{ campaignId: string; settings: ReminderSettings }[]> {
  const rows = await db.selectFrom('appointment_reminder_settings').select(['campaign_id', 'settings']).orderBy('campaign_id').execute();
  return rows
    .map((r) => ({ campaignId: r.campaign_id, settings: reminderSettingsSchema.parse(r.settings) }))
    .filter((r) => r.settings.enabled || r.settings.confirmation.enabled || r.settings.survey.enabled);
}

export async function saveReminderSettings(trx: Transaction<Database>, campaignId: string, settings: ReminderSettings, userId: string): Promise<void> {
  const json = JSON.stringify(settings);
  await trx
    .insertInto('appointment_reminder_settings')
    .values({ campaign_id: campaignId, settings: json, updated_by: userId })
    .onConflict((oc) => oc.column('campaign_id').doUpdateSet({ settings: json, updated_by: userId, updated_at: new Date() }))
    .execute();
}
