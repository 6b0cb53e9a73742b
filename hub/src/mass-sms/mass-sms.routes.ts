import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AuditAction } from '../audit/audit.js';
import type { MassSms } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';
import { assertCampaignExists, documented, parseBody } from '../inbox/inbox-http.js';
import { nextStatus } from '../mass-mail/mailing-transitions.js';
import { templateVariables } from '../mass-mail/mail-template.js';
import { bilingual } from '../router/config/routing-problem.js';
import type { HubContext } from '../runtime/context.js';
import { assertSmsChannel, auditMassSms, authorizeManager } from './mass-sms-access.js';
import { findMassSms, massSmsView, massSmsSummary, type Db } from './mass-sms-store.js';
import { campaignParams, createMassSmsBody, massSmsParams, massSmsSchema, massSmsSummarySchema, scheduleMassSmsBody, updateMassSmsBody } from './mass-sms.schema.js';
import { massSmsRecipientsRoutes } from './mass-sms-recipients.routes.js';
import { SMS_BUILTIN_VARIABLES } from './phone-list.js';

/**
 * Mass SMS administration (issue 6 item 4) under /api/v1/campaigns/:campaignId/mass-sms: admins
 * and supervisors of the campaign, with the life of a mass mailing (draft → scheduled → sending →
 * completed; pause / resume / cancel; mass-mail/mailing-transitions.ts). The dispatcher
 * (mass-sms.worker.ts) sends.
 */
async function unknownVariables(db: Db, row: MassSms): Promise<string[]> {
  const columns = await sql<{ key: string }>`
    SELECT DISTINCT jsonb_object_keys(variables) AS key FROM mass_sms_recipients WHERE mass_sms_id = ${row.id} AND status = 'pending'`.execute(db);
  const known = new Set<string>([...SMS_BUILTIN_VARIABLES, ...columns.rows.map((r) => r.key)]);
  return templateVariables(row.body).filter((v) => !known.has(v));
}

const ACTION_AUDIT: Record<'pause' | 'resume' | 'cancel', AuditAction> = { pause: 'mass_sms.paused', resume: 'mass_sms.resumed', cancel: 'mass_sms.cancelled' };

export function massSmsRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;
    const tags = ['mass-sms'];
    const base = '/campaigns/:campaignId/mass-sms';
    await app.register(massSmsRecipientsRoutes(ctx));

    app.get(base, { schema: { tags, summary: 'SMS masivos de la campaña / mass SMS of a campaign', params: campaignParams, response: { 200: z.object({ items: z.array(massSmsSchema) }) } } }, async (request) => {
      const { campaignId } = request.params;
      authorizeManager(request, campaignId);
      await assertCampaignExists(db, campaignId);
      const rows = await db.selectFrom('mass_sms').selectAll().where('campaign_id', '=', campaignId).orderBy('created_at', 'desc').limit(200).execute();
      return { items: await Promise.all(rows.map((r) => massSmsView(db, r))) };
    });

    app.post(
      base,
      { schema: { tags, summary: 'Crear un SMS masivo en borrador (texto con {{variables}}) / create a draft mass SMS (text with {{variables}})', params: campaignParams, body: documented(createMassSmsBody), response: { 201: massSmsSchema } } },
      async (request, reply) => {
        const { campaignId } = request.params;
        const principal = authorizeManager(request, campaignId);
        const input = parseBody(createMassSmsBody, request.body);
        await assertCampaignExists(db, campaignId);
        await assertSmsChannel(db, campaignId, input.channelId);
        const row = await db.transaction().execute(async (trx) => {
          const created = await trx
            .insertInto('mass_sms')
            .values({
              campaign_id: campaignId,
              channel_id: input.channelId,
              name: input.name,
              body: input.body,
              ...(input.ratePerMinute === undefined ? {} : { rate_per_minute: input.ratePerMinute }),
              ...(input.maxAttempts === undefined ? {} : { max_attempts: input.maxAttempts }),
              ...(input.retryDelaySeconds === undefined ? {} : { retry_delay_seconds: input.retryDelaySeconds }),
              created_by: principal.userId,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          await auditMassSms(trx, request, principal, 'mass_sms.created', created, { name: input.name, channelId: input.channelId });
          return created;
        });
        return reply.status(201).send(await massSmsView(db, row));
      },
    );

    app.get(`${base}/:massSmsId`, { schema: { tags, summary: 'Un SMS masivo con su resumen / a mass SMS with its summary', params: massSmsParams, response: { 200: massSmsSchema } } }, async (request) => {
      const { campaignId, massSmsId } = request.params;
      authorizeManager(request, campaignId);
      return massSmsView(db, await findMassSms(db, campaignId, massSmsId));
    });

    app.get(
      `${base}/:massSmsId/summary`,
      { schema: { tags, summary: 'Resumen por estado de destinatario, con % e intentos / per-recipient status summary with percentages and attempts', params: massSmsParams, response: { 200: massSmsSummarySchema } } },
      async (request) => {
        const { campaignId, massSmsId } = request.params;
        authorizeManager(request, campaignId);
        return massSmsSummary(db, (await findMassSms(db, campaignId, massSmsId)).id);
      },
    );

    app.patch(
      `${base}/:massSmsId`,
      {
        schema: {
          tags,
          summary: 'Cambiar un borrador, o la velocidad (por minuto) y los reintentos de uno programado, en envío o en pausa / edit a draft, or the per-minute throttle and retries of a scheduled, sending or paused one',
          params: massSmsParams,
          body: documented(updateMassSmsBody),
          response: { 200: massSmsSchema },
        },
      },
      async (request) => {
        const { campaignId, massSmsId } = request.params;
        const principal = authorizeManager(request, campaignId);
        const input = parseBody(updateMassSmsBody, request.body);
        if (input.channelId !== undefined) await assertSmsChannel(db, campaignId, input.channelId);
        const row = await db.transaction().execute(async (trx) => {
          const before = await findMassSms(trx, campaignId, massSmsId, true);
          const pacingOnly = Object.keys(input).every((k) => k === 'ratePerMinute' || k === 'maxAttempts' || k === 'retryDelaySeconds');
          const live = before.status === 'scheduled' || before.status === 'sending' || before.status === 'paused';
          if (!(before.status === 'draft' || (live && pacingOnly))) {
            throw new HubError('HUB_ERR_MASS_SMS_STATE', bilingual(`un envío en estado «${before.status}» no admite estos cambios`, `a mass SMS in status "${before.status}" cannot take these changes`));
          }
          const updated = await trx
            .updateTable('mass_sms')
            .set({
              ...(input.name === undefined ? {} : { name: input.name }),
              ...(input.channelId === undefined ? {} : { channel_id: input.channelId }),
              ...(input.body === undefined ? {} : { body: input.body }),
              ...(input.ratePerMinute === undefined ? {} : { rate_per_minute: input.ratePerMinute }),
              ...(input.maxAttempts === undefined ? {} : { max_attempts: input.maxAttempts }),
              ...(input.retryDelaySeconds === undefined ? {} : { retry_delay_seconds: input.retryDelaySeconds }),
              updated_at: sql`now()`,
            })
            .where('id', '=', before.id)
            .returningAll()
            .executeTakeFirstOrThrow();
          await auditMassSms(trx, request, principal, 'mass_sms.updated', before, { fields: Object.keys(input) });
          return updated;
        });
        return massSmsView(db, row);
      },
    );

    app.post(
      `${base}/:massSmsId/schedule`,
      { schema: { tags, summary: 'Programar (scheduledAt, o ya) a una velocidad por minuto / schedule (at scheduledAt, or now) at a per-minute rate', params: massSmsParams, body: documented(scheduleMassSmsBody), response: { 200: massSmsSchema } } },
      async (request) => {
        const { campaignId, massSmsId } = request.params;
        const principal = authorizeManager(request, campaignId);
        const input = parseBody(scheduleMassSmsBody, request.body ?? {});
        const row = await db.transaction().execute(async (trx) => {
          const before = await findMassSms(trx, campaignId, massSmsId, true);
          if (nextStatus('schedule', before) === null) throw new HubError('HUB_ERR_MASS_SMS_STATE', bilingual(`solo un borrador se programa (este está «${before.status}»)`, `only a draft can be scheduled (this one is "${before.status}")`));
          const pending = await trx.selectFrom('mass_sms_recipients').select((eb) => eb.fn.countAll<string>().as('n')).where('mass_sms_id', '=', before.id).where('status', '=', 'pending').executeTakeFirstOrThrow();
          if (Number(pending.n) === 0) throw new HubError('HUB_ERR_MASS_SMS_NO_RECIPIENTS');
          const unknown = await unknownVariables(trx, before);
          if (unknown.length > 0) {
            const names = unknown.map((v) => `{{${v}}}`).join(', ');
            throw new HubError('HUB_ERR_MASS_SMS_VARIABLE_UNKNOWN', bilingual(`el texto usa ${names}, que la lista no trae`, `the text uses ${names}, which the list does not have`), { unknown });
          }
          const scheduledAt = new Date(Math.max(Date.now(), input.scheduledAt ? Date.parse(input.scheduledAt) : 0));
          const ratePerMinute = input.ratePerMinute ?? before.rate_per_minute;
          const updated = await trx
            .updateTable('mass_sms')
            .set({ status: 'scheduled', scheduled_at: scheduledAt, rate_per_minute: ratePerMinute, updated_at: sql`now()` })
            .where('id', '=', before.id)
            .returningAll()
            .executeTakeFirstOrThrow();
          await auditMassSms(trx, request, principal, 'mass_sms.scheduled', before, { scheduledAt: scheduledAt.toISOString(), ratePerMinute, pending: Number(pending.n) });
          return updated;
        });
        return massSmsView(db, row);
      },
    );

    for (const action of ['pause', 'resume', 'cancel'] as const) {
      app.post(
        `${base}/:massSmsId/${action}`,
        {
          schema: {
            tags,
            summary: { pause: 'Pausar / pause', resume: 'Reanudar / resume', cancel: 'Cancelar; los pendientes no se envían / cancel; pending recipients are not sent' }[action],
            params: massSmsParams,
            response: { 200: massSmsSchema },
          },
        },
        async (request) => {
          const { campaignId, massSmsId } = request.params;
          const principal = authorizeManager(request, campaignId);
          const row = await db.transaction().execute(async (trx) => {
            const before = await findMassSms(trx, campaignId, massSmsId, true);
            const status = nextStatus(action, before);
            if (status === null) throw new HubError('HUB_ERR_MASS_SMS_STATE', bilingual(`no se puede ${{ pause: 'pausar', resume: 'reanudar', cancel: 'cancelar' }[action]} un envío «${before.status}»`, `cannot ${action} a "${before.status}" mass SMS`));
            const updated = await trx.updateTable('mass_sms').set({ status, updated_at: sql`now()` }).where('id', '=', before.id).returningAll().executeTakeFirstOrThrow();
            await auditMassSms(trx, request, principal, ACTION_AUDIT[action], before, { from: before.status, to: status });
            return updated;
          });
          return massSmsView(db, row);
        },
      );
    }
  };
}
