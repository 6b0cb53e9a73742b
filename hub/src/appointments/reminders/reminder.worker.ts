import type { HubContext } from '../../runtime/context.js';
import { PeriodicJob } from '../../runtime/periodic-job.js';
import { runConfirmationPass, runReminderPass, runSurveyPass } from './reminder-passes.js';

/**
 * Reminders, the daily confirmation campaigns and the post-visit surveys every
 * APPOINTMENT_REMINDER_INTERVAL_MS (0 = not in this process: another worker does). Any number of
 * processes may run it: every request is claimed per appointment and kind.
 */
export function startAppointmentReminders(ctx: HubContext): PeriodicJob | null {
  const interval = ctx.config.APPOINTMENT_REMINDER_INTERVAL_MS;
  if (interval === 0) return null;
  return new PeriodicJob(
    'appointment reminders',
    async () => {
      const now = new Date();
      const reminders = await runReminderPass(ctx, now);
      const confirmations = await runConfirmationPass(ctx, now);
      const surveys = await runSurveyPass(ctx, now);
      if (reminders.sent + confirmations.sent + surveys.sent > 0) ctx.logger.info({ reminders, confirmations, surveys }, 'appointment notices sent');
    },
    ctx.logger,
    interval,
    interval,
  ).start();
}
