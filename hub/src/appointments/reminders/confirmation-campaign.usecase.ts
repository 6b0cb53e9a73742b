/**
 * The outbound confirmation campaign (seed-digest §9.3, «Confirmación de Citas 2º Nivel»): for the
 * local date N business days after today (weekends and the calendar's campaign-wide holidays
 * skipped), a confirmation request to every `booked` appointment of that date not asked yet; the
 * citizen answers SÍ / NO (appointment-reply.usecase.ts). Run by an admin or supervisor (route)
 * and daily by the reminder job; a second run asks nobody twice.
 */
import { sql } from 'kysely';
import type { LoadedCalendar } from '../booking/calendar.store.js';
import { requireCalendar } from '../booking/calendar.store.js';
import { requestTargets, sendAppointmentRequest } from './appointment-request.usecase.js';
import { addBusinessDays } from './business-days.js';
import { afterRequest, emptyCounts, todayIn, type ReminderDeps } from './request-delivery.js';
import type { ReminderSettings } from './reminder-settings.schema.js';
import { loadReminderSettings } from './reminder-settings.store.js';

export type ConfirmationSkip = 'already_asked' | 'already_confirmed' | 'no_channel' | 'not_booked';

export interface ConfirmationCampaignResult {
  readonly today: string;
  readonly targetDate: string;
  readonly businessDays: number;
  readonly asked: number;
  readonly skipped: readonly { readonly folio: string; readonly reason: ConfirmationSkip }[];
}

export async function runConfirmationCampaign(
  ctx: ReminderDeps,
  campaignId: string,
  now: Date,
  preloaded: { readonly settings?: ReminderSettings; readonly loaded?: LoadedCalendar } = {},
): Promise<ConfirmationCampaignResult> {
  const db = ctx.db.kysely;
  const settings = preloaded.settings ?? (await loadReminderSettings(db, campaignId));
  const loaded = preloaded.loaded ?? (await requireCalendar(db, campaignId));
  const today = todayIn(loaded.calendar.timeZone, now);
  const businessDays = settings.confirmation.businessDays;
  const targetDate = addBusinessDays(loaded.calendar, today, businessDays);

  const rows = await requestTargets(db)
    .leftJoin('appointment_reminders as r', (join) => join.onRef('r.appointment_id', '=', 'a.id').on('r.kind', '=', 'confirmation'))
    .select(['a.status', 'r.id as askedId'])
    .where('a.campaign_id', '=', campaignId)
    .where(sql<boolean>`a.local_date = ${targetDate}::date`)
    .where('a.status', 'in', ['booked', 'confirmed'])
    .orderBy('a.starts_at')
    .orderBy('a.folio')
    .execute();

  const skipped: { folio: string; reason: ConfirmationSkip }[] = [];
  const counts = emptyCounts();
  for (const row of rows) {
    if (row.status === 'confirmed') {
      skipped.push({ folio: row.folio, reason: 'already_confirmed' });
      continue;
    }
    if (row.askedId !== null) {
      skipped.push({ folio: row.folio, reason: 'already_asked' });
      continue;
    }
    const result = await sendAppointmentRequest(db, row, 'confirmation', settings.confirmation.text, { settings, calendar: loaded.calendar, now });
    await afterRequest(ctx, result, counts);
    if (result.outcome === 'already') skipped.push({ folio: row.folio, reason: 'already_asked' });
    else if (result.outcome === 'no_channel') skipped.push({ folio: row.folio, reason: 'no_channel' });
    else if (result.outcome === 'inactive') skipped.push({ folio: row.folio, reason: 'not_booked' });
  }
  return { today, targetDate, businessDays, asked: counts.sent, skipped };
}
