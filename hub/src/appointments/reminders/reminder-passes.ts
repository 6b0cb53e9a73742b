/**
 * The periodic work of the reminders (issue 11 item 4), run by every worker process
 * (reminder.worker.ts) and safe to run concurrently: each request is claimed per appointment and
 * kind (appointment-request.usecase.ts), so racing passes send it once.
 *
 *  - reminder: `booked` / `confirmed` appointments starting within `hoursBefore`, not reminded yet;
 *  - confirmation: the daily campaign for the date N business days ahead (confirmation-campaign.usecase.ts);
 *  - survey: visits recorded as `attended` at least `delayMinutes` ago (and at most 2 days ago).
 */
import { loadCalendar } from '../booking/calendar.store.js';
import { requestTargets, sendAppointmentRequest } from './appointment-request.usecase.js';
import { runConfirmationCampaign } from './confirmation-campaign.usecase.js';
import { activeReminderSettings } from './reminder-settings.store.js';
import { afterRequest, emptyCounts, type PassCounts, type ReminderDeps } from './request-delivery.js';

/** A survey not sent within this long after the visit is not sent at all (a late question annoys). */
const SURVEY_MAX_AGE_MS = 2 * 86_400_000;

export async function runReminderPass(ctx: ReminderDeps, now: Date): Promise<PassCounts> {
  const counts = emptyCounts();
  const db = ctx.db.kysely;
  for (const { campaignId, settings } of await activeReminderSettings(db)) {
    if (!settings.enabled) continue;
    const loaded = await loadCalendar(db, campaignId);
    if (!loaded) continue;
    const due = await requestTargets(db)
      .where('a.campaign_id', '=', campaignId)
      .where('a.status', 'in', ['booked', 'confirmed'])
      .where('a.starts_at', '>', now)
      .where('a.starts_at', '<=', new Date(now.getTime() + settings.hoursBefore * 3_600_000))
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('appointment_reminders as r').select('r.id').whereRef('r.appointment_id', '=', 'a.id').where('r.kind', '=', 'reminder'))),
      )
      .orderBy('a.starts_at')
      .limit(500)
      .execute();
    for (const target of due) {
      const result = await sendAppointmentRequest(db, target, 'reminder', settings.reminderText, { settings, calendar: loaded.calendar, now });
      await afterRequest(ctx, result, counts);
    }
  }
  return counts;
}

export async function runSurveyPass(ctx: ReminderDeps, now: Date): Promise<PassCounts> {
  const counts = emptyCounts();
  const db = ctx.db.kysely;
  for (const { campaignId, settings } of await activeReminderSettings(db)) {
    if (!settings.survey.enabled) continue;
    const loaded = await loadCalendar(db, campaignId);
    if (!loaded) continue;
    const due = await requestTargets(db)
      .where('a.campaign_id', '=', campaignId)
      .where('a.status', '=', 'attended')
      .where('a.attended_at', '<=', new Date(now.getTime() - settings.survey.delayMinutes * 60_000))
      .where('a.attended_at', '>', new Date(now.getTime() - SURVEY_MAX_AGE_MS))
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('appointment_reminders as r').select('r.id').whereRef('r.appointment_id', '=', 'a.id').where('r.kind', '=', 'survey'))),
      )
      .orderBy('a.attended_at')
      .limit(500)
      .execute();
    for (const target of due) {
      const result = await sendAppointmentRequest(db, target, 'survey', settings.survey.question, { settings, calendar: loaded.calendar, now });
      await afterRequest(ctx, result, counts);
    }
  }
  return counts;
}

/** The daily confirmation campaigns: once the campaign's local hour reaches `fromHour` (idempotent all day). */
export async function runConfirmationPass(ctx: ReminderDeps, now: Date): Promise<PassCounts> {
  const counts = emptyCounts();
  const db = ctx.db.kysely;
  for (const { campaignId, settings } of await activeReminderSettings(db)) {
    if (!settings.confirmation.enabled) continue;
    const loaded = await loadCalendar(db, campaignId);
    if (!loaded) continue;
    const localHour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: loaded.calendar.timeZone, hour: '2-digit', hourCycle: 'h23' }).format(now));
    if (localHour < settings.confirmation.fromHour) continue;
    const result = await runConfirmationCampaign(ctx, campaignId, now, { settings, loaded });
    counts.sent += result.asked;
    counts.already += result.skipped.filter((s) => s.reason === 'already_asked').length;
    counts.noChannel += result.skipped.filter((s) => s.reason === 'no_channel').length;
  }
  return counts;
}
