import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { recordAudit, requestMeta } from '../../audit/audit.js';
import { authorize } from '../../auth/principal.js';
import { principalOf } from '../../http/authenticate.js';
import { assertCampaignExists, documented, parseBody } from '../../inbox/inbox-http.js';
import { bilingual } from '../../router/config/routing-problem.js';
import type { HubContext } from '../../runtime/context.js';
import { loadCalendar } from '../booking/calendar.store.js';
import { runConfirmationCampaign } from './confirmation-campaign.usecase.js';
import { reminderSettingsSchema } from './reminder-settings.schema.js';
import { loadReminderSettings, saveReminderSettings } from './reminder-settings.store.js';

/**
 * Reminders, confirmation campaigns and the post-visit survey (issue 11 item 4) under /api/v1:
 *
 * | Method and path | Who | Body / query → answer |
 * |---|---|---|
 * | `GET /appointments/campaigns/:campaignId/reminders/settings` | admin, supervisor | → `{ settings }` (defaults, disabled, when never saved) |
 * | `PUT /appointments/campaigns/:campaignId/reminders/settings` | admin | `ReminderSettings` (partial: defaults fill) → `{ settings }`; audited `appointment.reminders_configured` |
 * | `POST /appointments/campaigns/:campaignId/reminders/confirmation-campaign` | admin, supervisor | → `{ today, targetDate, businessDays, asked, skipped: [{ folio, reason }] }`; audited `appointment.confirmation_campaign_started` |
 * | `GET /appointments/campaigns/:campaignId/surveys?from=&to=` | admin, supervisor, auditor | → `{ offices: [{ officeId, officeName, count, mean }], total: { count, mean } }` |
 */
const params = z.object({ campaignId: z.uuid() });
const settingsReply = z.object({ settings: reminderSettingsSchema });
const surveyQuery = z.object({
  from: z.iso.date(bilingual('use una fecha AAAA-MM-DD', 'use a YYYY-MM-DD date')).optional(),
  to: z.iso.date(bilingual('use una fecha AAAA-MM-DD', 'use a YYYY-MM-DD date')).optional(),
});
const surveyRow = z.object({ officeId: z.string(), officeName: z.string(), count: z.number(), mean: z.number().nullable() });
const campaignReply = z.object({
  today: z.string(),
  targetDate: z.string(),
  businessDays: z.number(),
  asked: z.number(),
  skipped: z.array(z.object({ folio: z.string(), reason: z.string() })),
});

export function reminderRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;
    const tags = ['appointments'];
    const base = '/appointments/campaigns/:campaignId';

    app.get(`${base}/reminders/settings`, { schema: { tags, summary: 'Recordatorios de cita: configuración / appointment reminder settings', params, response: { 200: settingsReply } } }, async (request) => {
      const { campaignId } = request.params;
      authorize(principalOf(request), ['admin', 'supervisor'], campaignId);
      await assertCampaignExists(db, campaignId);
      return { settings: await loadReminderSettings(db, campaignId) };
    });

    app.put(
      `${base}/reminders/settings`,
      { schema: { tags, summary: 'Configurar recordatorios, confirmaciones y encuesta / configure reminders, confirmations and the survey', params, body: documented(reminderSettingsSchema), response: { 200: settingsReply } } },
      async (request) => {
        const { campaignId } = request.params;
        const principal = principalOf(request);
        authorize(principal, ['admin'], campaignId);
        const settings = parseBody(reminderSettingsSchema, request.body);
        await assertCampaignExists(db, campaignId);
        await db.transaction().execute(async (trx) => {
          await saveReminderSettings(trx, campaignId, settings, principal.userId);
          await recordAudit(trx, {
            actorUserId: principal.userId,
            ...requestMeta(request),
            action: 'appointment.reminders_configured',
            campaignId,
            targetType: 'campaign',
            targetId: campaignId,
            details: { enabled: settings.enabled, hoursBefore: settings.hoursBefore, channelKinds: settings.channelKinds, confirmation: settings.confirmation.enabled, survey: settings.survey.enabled },
          });
        });
        return { settings };
      },
    );

    app.post(
      `${base}/reminders/confirmation-campaign`,
      { schema: { tags, summary: 'Campaña de confirmación: citas a N días hábiles / confirmation campaign for appointments N business days ahead', params, response: { 200: campaignReply } } },
      async (request) => {
        const { campaignId } = request.params;
        const principal = principalOf(request);
        authorize(principal, ['admin', 'supervisor'], campaignId);
        await assertCampaignExists(db, campaignId);
        const result = await runConfirmationCampaign(ctx, campaignId, new Date());
        await recordAudit(db, {
          actorUserId: principal.userId,
          ...requestMeta(request),
          action: 'appointment.confirmation_campaign_started',
          campaignId,
          targetType: 'campaign',
          targetId: campaignId,
          details: { targetDate: result.targetDate, asked: result.asked, skipped: result.skipped.length },
        });
        return { ...result, skipped: [...result.skipped] };
      },
    );

    app.get(
      `${base}/surveys`,
      { schema: { tags, summary: 'Encuesta posterior a la visita por oficina / post-visit survey per office', params, querystring: surveyQuery, response: { 200: z.object({ offices: z.array(surveyRow), total: surveyRow.omit({ officeId: true, officeName: true }) }) } } },
      async (request) => {
        const { campaignId } = request.params;
        authorize(principalOf(request), ['admin', 'supervisor', 'auditor'], campaignId);
        await assertCampaignExists(db, campaignId);
        const { from, to } = request.query;
        const loaded = await loadCalendar(db, campaignId);
        const zone = loaded?.calendar.timeZone ?? 'America/Mexico_City';
        let query = db
          .selectFrom('appointment_surveys')
          .select(['office_id', sql<string>`count(*)`.as('n'), sql<string | null>`avg(score)`.as('mean')])
          .where('campaign_id', '=', campaignId)
          .groupBy('office_id')
          .orderBy('office_id');
        if (from) query = query.where(sql<boolean>`(answered_at AT TIME ZONE ${zone})::date >= ${from}::date`);
        if (to) query = query.where(sql<boolean>`(answered_at AT TIME ZONE ${zone})::date <= ${to}::date`);
        const rows = await query.execute();
        const offices = rows.map((r) => ({
          officeId: r.office_id,
          officeName: loaded?.calendar.offices.find((o) => o.id === r.office_id)?.name ?? r.office_id,
          count: Number(r.n),
          mean: r.mean === null ? null : Math.round(Number(r.mean) * 100) / 100,
        }));
        const count = offices.reduce((sum, o) => sum + o.count, 0);
        const total = rows.reduce((sum, r) => sum + Number(r.mean ?? 0) * Number(r.n), 0);
        return { offices, total: { count, mean: count === 0 ? null : Math.round((total / count) * 100) / 100 } };
      },
    );
  };
}
