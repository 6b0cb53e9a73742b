import type { Worker } from 'bullmq';
import { closeSmtpTransports } from '@ventanilla/connectors';
import { startEmailReaders } from '../email/imap-reader.js';
import { startMassMailDispatcher } from '../mass-mail/mass-mail.worker.js';
import { startMassSmsDispatcher } from '../mass-sms/mass-sms.worker.js';
import type { HubContext } from '../runtime/context.js';
import { startWhatsAppWebManager, type WhatsAppWebManagerOptions } from '../whatsapp-web/whatsapp-web-manager.js';
import { instrumentWorker } from '../observability/worker-metrics.js';
import { startBotWorker } from './bot.worker.js';
import { startIngestWorker } from './ingest.worker.js';
import { startOutboundWorker, sweepPendingOutbound } from './outbound.worker.js';
import { startRouterWorker } from './router.worker.js';
import { startCallbackDialer } from '../voice/callbacks/callback-dialer.js';
import { startBlastDialer } from '../voice/blaster/blast-dialer.worker.js';
import { startVoiceMetering } from '../voice/metering/voice-metering.worker.js';
import { startVoiceAgentConnector } from '../voice/agent/connector.worker.js';
import { startKpiFacts } from '../kpi/facts/kpi-facts.worker.js';
import { startQualityDraws } from '../quality/quality-draw.worker.js';
import { startUsageRefresh } from '../billing/usage/usage-refresh.worker.js';
import { startAppointmentReminders } from '../appointments/reminders/reminder.worker.js';
import { startExternalScheduling } from '../appointments/external/external-scheduling.worker.js';
import { startPrivacyPurge } from '../privacy/purge.job.js';

export interface RunningWorkers {
  workers: Worker[];
  stop(): Promise<void>;
}

/** Ingest, outbound, router timers, the outbox relay sweep, the router sweep and the pending-reply sweep of one worker process. */
export function startWorkers(
  ctx: HubContext,
  options: { fetch?: typeof fetch; emailReaders?: boolean; whatsappWeb?: boolean | WhatsAppWebManagerOptions } = {},
): RunningWorkers {
  const router = startRouterWorker(ctx);
  // IMAP readers of the e-mail channels (one process per mailbox at a time, see email/mailbox-lock.ts).
  const emailReaders = options.emailReaders === false ? null : startEmailReaders(ctx);
  // whatsapp-web.js sessions (one process per channel at a time); idle — no library, no Chromium — until a whatsapp_web channel is enabled.
  const whatsappWeb = options.whatsappWeb === false ? null : startWhatsAppWebManager(ctx, options.whatsappWeb === true || options.whatsappWeb === undefined ? {} : options.whatsappWeb);
  // Tier-0 bots (issue 7): turns of conversations the bot holds, and the idle sweep.
  const bot = startBotWorker(ctx);
  const workers: Worker[] = [startIngestWorker(ctx), startOutboundWorker(ctx, options.fetch, whatsappWeb?.sessions), router.worker, bot.worker];
  // Completed / failed / duration of every BullMQ queue's jobs (observability/worker-metrics.ts).
  for (const worker of workers) instrumentWorker(ctx.metrics, worker);
  // Mass e-mail: scheduled mailings sent at their pace (any number of processes, see mass-mail/).
  const massMail = startMassMailDispatcher(ctx);
  // Mass SMS through Twilio: the same design, its own pace and retries on non-delivery (see mass-sms/).
  const massSms = startMassSmsDispatcher(ctx);
  // The voice blaster: scheduled voice-message campaigns dialled at their pace and window (see voice/blaster/).
  const blastDialer = startBlastDialer(ctx);
  // Voice usage facts (issue 8 item 9): ended call legs metered from their events (see voice/metering/).
  const voiceMetering = startVoiceMetering(ctx);
  // Voice agent leg: assigned calls get the citizen into a conference and the agent dialed in (see voice/agent/).
  const voiceConnector = startVoiceAgentConnector(ctx);
  // Call-backs: due tasks back in line, the citizen dialed once an agent has one (see voice/callbacks/).
  const callbackDialer = startCallbackDialer(ctx);
  // KPI facts (issue 9 item 1): interaction events → kpi_contact_facts / kpi_agent_intervals every second (see kpi/facts/).
  const kpiFacts = startKpiFacts(ctx);
  // Quality sampling (issue 9 item 8): the previous month's random samples once a campaign's month ends (see quality/).
  const qualityDraws = startQualityDraws(ctx);
  // Billing (issue 10): the usage facts of the current and previous month kept current (see billing/usage/).
  const usageRefresh = startUsageRefresh(ctx);
  // Citas (issue 11): reminders N hours before, confirmation campaigns, post-visit surveys (see appointments/reminders/).
  const appointmentReminders = startAppointmentReminders(ctx);
  // Appointments (issue 11 item 5): history pushed to institutions' own calendars, and the daily reconciliation (see appointments/external/).
  const externalScheduling = startExternalScheduling(ctx);
  // Data protection (issue 12): retention per campaign — archive, purge, certificate (see privacy/).
  const privacyPurge = startPrivacyPurge(ctx);
  ctx.relay.start();
  const sweep = setInterval(() => {
    sweepPendingOutbound(ctx).catch((error: unknown) => ctx.logger.warn({ err: error }, 'pending outbound sweep failed'));
  }, 10_000);
  sweep.unref();
  return {
    workers,
    async stop() {
      clearInterval(sweep);
      router.stopSweep();
      bot.stopSweep();
      await massMail.stop();
      await massSms.stop();
      await callbackDialer.stop();
      await kpiFacts.stop();
      await qualityDraws.stop();
      await usageRefresh.stop();
      await appointmentReminders?.stop();
      await externalScheduling.stop();
      await privacyPurge?.stop();
      await blastDialer.stop();
      await voiceMetering.stop();
      await voiceConnector.stop();
      await emailReaders?.stop();
      await whatsappWeb?.stop();
      await Promise.all(workers.map((w) => w.close()));
      // Pooled SMTP connections of the e-mail adapter: closed now rather than at their idle timeout.
      closeSmtpTransports();
      await ctx.relay.stop();
    },
  };
}
