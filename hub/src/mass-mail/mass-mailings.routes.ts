import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AuditAction } from '../audit/audit.js';
import type { MassMailing } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';
import { assertCampaignExists, documented, parseBody } from '../inbox/inbox-http.js';
import { bilingual } from '../router/config/routing-problem.js';
import type { HubContext } from '../runtime/context.js';
import { auditMailing, authorizeManager } from './mailing-access.js';
import { loadStatusCounts } from './mailing-summary.js';
import { findMailing, mailingView, toMailingView, type Db } from './mailing-store.js';
import { editableFields, nextStatus, type MailingAction } from './mailing-transitions.js';
import { BUILTIN_VARIABLES, QR_VARIABLE, templateVariables } from './mail-template.js';
import { campaignParams, createMailingBody, mailingParams, mailingSchema, scheduleBody, summarySchema, updateMailingBody, type ScheduleInput } from './mass-mail.schema.js';

/**
 * Mass e-mail administration (issue 5 item 11) under /api/v1/campaigns/:campaignId/mass-mailings:
 * admins, and supervisors of the campaign. Every change is written with its audit entry in one
 * transaction; the dispatcher (mass-mail.worker.ts) does the sending.
 */

async function assertEmailChannel(db: Db, campaignId: string, channelId: string): Promise<void> {
  const channel = await db.selectFrom('channels').select('id').where('id', '=', channelId).where('campaign_id', '=', campaignId).where('kind', '=', 'email').executeTakeFirst();
  if (!channel) throw new HubError('HUB_ERR_MASS_MAIL_CHANNEL_INVALID');
}

/** Variables the templates use that neither the hub nor the uploaded list can fill. */
async function unknownVariables(db: Db, mailing: MassMailing): Promise<string[]> {
  const columns = await sql<{ key: string }>`
    SELECT DISTINCT jsonb_object_keys(variables) AS key FROM mass_mailing_recipients WHERE mailing_id = ${mailing.id} AND status = 'pending'`.execute(db);
  const known = new Set<string>([...BUILTIN_VARIABLES, ...columns.rows.map((r) => r.key)]);
  const used = new Set([mailing.subject, mailing.body_text, mailing.qr_text ?? ''].flatMap(templateVariables));
  for (const v of templateVariables(mailing.body_html ?? '')) if (v !== QR_VARIABLE) used.add(v);
  return [...used].filter((v) => !known.has(v));
}

async function pendingCount(db: Db, mailingId: string): Promise<number> {
  const row = await db.selectFrom('mass_mailing_recipients').select((eb) => eb.fn.countAll<string>().as('n')).where('mailing_id', '=', mailingId).where('status', '=', 'pending').executeTakeFirstOrThrow();
  return Number(row.n);
}

/** When to start and at what pace; `finishBy` spreads the pending recipients evenly until then. */
function plan(input: ScheduleInput, current: number, pending: number, now = Date.now()): { scheduledAt: Date; ratePerMinute: number } {
  const start = input.scheduledAt ? Math.max(now, Date.parse(input.scheduledAt)) : now;
  if (input.finishBy === undefined) return { scheduledAt: new Date(start), ratePerMinute: input.ratePerMinute ?? current };
  if (input.ratePerMinute !== undefined) {
    throw new HubError('HUB_ERR_VALIDATION', bilingual('indique finishBy o ratePerMinute, no ambos', 'give finishBy or ratePerMinute, not both'));
  }
  const minutes = (Date.parse(input.finishBy) - start) / 60_000;
  if (minutes < 1) throw new HubError('HUB_ERR_VALIDATION', bilingual('finishBy debe ser al menos un minuto después del inicio', 'finishBy must be at least one minute after the start'));
  return { scheduledAt: new Date(start), ratePerMinute: Math.min(100_000, Math.max(1, Math.ceil(pending / minutes))) };
}

const ACTION_AUDIT: Record<Exclude<MailingAction, 'schedule'>, AuditAction> = { pause: 'mass_mailing.paused', resume: 'mass_mailing.resumed', cancel: 'mass_mailing.cancelled' };

export function massMailingsRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;
    const tags = ['mass-mail'];
    const base = '/campaigns/:campaignId/mass-mailings';

    app.get(
      base,
      { schema: { tags, summary: 'Envíos masivos de la campaña, con su resumen / mass mailings of a campaign, with their summary', params: campaignParams, response: { 200: z.object({ items: z.array(mailingSchema) }) } } },
      async (request) => {
        const { campaignId } = request.params;
        authorizeManager(request, campaignId);
        await assertCampaignExists(db, campaignId);
        const rows = await db.selectFrom('mass_mailings').selectAll().where('campaign_id', '=', campaignId).orderBy('created_at', 'desc').limit(200).execute();
        const counts = await loadStatusCounts(db, rows.map((r) => r.id));
        return { items: rows.map((r) => toMailingView(r, counts.get(r.id))) };
      },
    );

    app.post(
      base,
      {
        schema: {
          tags,
          summary: 'Crear un envío masivo en borrador (remitente: el no-reply del canal de correo) / create a draft mass mailing (sent from the e-mail channel’s no-reply address)',
          params: campaignParams,
          body: documented(createMailingBody),
          response: { 201: mailingSchema },
        },
      },
      async (request, reply) => {
        const { campaignId } = request.params;
        const principal = authorizeManager(request, campaignId);
        const input = parseBody(createMailingBody, request.body);
        await assertCampaignExists(db, campaignId);
        await assertEmailChannel(db, campaignId, input.channelId);
        const row = await db.transaction().execute(async (trx) => {
          const created = await trx
            .insertInto('mass_mailings')
            .values({
              campaign_id: campaignId,
              channel_id: input.channelId,
              name: input.name,
              subject: input.subject,
              body_text: input.bodyText,
              body_html: input.bodyHtml ?? null,
              qr_text: input.qrText ?? null,
              ...(input.ratePerMinute === undefined ? {} : { rate_per_minute: input.ratePerMinute }),
              created_by: principal.userId,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          await auditMailing(trx, request, principal, 'mass_mailing.created', created, { name: input.name, channelId: input.channelId, subject: input.subject });
          return created;
        });
        return reply.status(201).send(toMailingView(row));
      },
    );

    app.get(
      `${base}/:mailingId`,
      { schema: { tags, summary: 'Un envío masivo con su resumen / a mass mailing with its summary', params: mailingParams, response: { 200: mailingSchema } } },
      async (request) => {
        const { campaignId, mailingId } = request.params;
        authorizeManager(request, campaignId);
        return mailingView(db, await findMailing(db, campaignId, mailingId));
      },
    );

    app.get(
      `${base}/:mailingId/summary`,
      {
        schema: {
          tags,
          summary: 'Resumen: total, enviados, rechazados, rebotados, omitidos, inválidos, pendientes, con % y velocidad real / summary with percentages and actual rate',
          params: mailingParams,
          response: { 200: summarySchema },
        },
      },
      async (request) => {
        const { campaignId, mailingId } = request.params;
        authorizeManager(request, campaignId);
        return (await mailingView(db, await findMailing(db, campaignId, mailingId))).summary;
      },
    );

    app.patch(
      `${base}/:mailingId`,
      {
        schema: {
          tags,
          summary: 'Cambiar un borrador (o solo la velocidad de uno programado, en envío o en pausa) / edit a draft (or only the rate of a scheduled, sending or paused one)',
          params: mailingParams,
          body: documented(updateMailingBody),
          response: { 200: mailingSchema },
        },
      },
      async (request) => {
        const { campaignId, mailingId } = request.params;
        const principal = authorizeManager(request, campaignId);
        const input = parseBody(updateMailingBody, request.body);
        if (input.channelId !== undefined) await assertEmailChannel(db, campaignId, input.channelId);
        const row = await db.transaction().execute(async (trx) => {
          const before = await findMailing(trx, campaignId, mailingId, true);
          const editable = editableFields(before.status);
          const onlyRate = Object.keys(input).every((k) => k === 'ratePerMinute');
          if (editable === 'none' || (editable === 'rate' && !onlyRate)) {
            throw new HubError('HUB_ERR_MASS_MAIL_STATE', bilingual(`un envío en estado «${before.status}» no admite cambios de contenido`, `a mailing in status "${before.status}" cannot have its content changed`));
          }
          const updated = await trx
            .updateTable('mass_mailings')
            .set({
              ...(input.name === undefined ? {} : { name: input.name }),
              ...(input.channelId === undefined ? {} : { channel_id: input.channelId }),
              ...(input.subject === undefined ? {} : { subject: input.subject }),
              ...(input.bodyText === undefined ? {} : { body_text: input.bodyText }),
              ...(input.bodyHtml === undefined ? {} : { body_html: input.bodyHtml }),
              ...(input.qrText === undefined ? {} : { qr_text: input.qrText }),
              ...(input.ratePerMinute === undefined ? {} : { rate_per_minute: input.ratePerMinute }),
              updated_at: sql`now()`,
            })
            .where('id', '=', before.id)
            .returningAll()
            .executeTakeFirstOrThrow();
          await auditMailing(trx, request, principal, 'mass_mailing.updated', before, { fields: Object.keys(input) });
          return updated;
        });
        return mailingView(db, row);
      },
    );

    app.post(
      `${base}/:mailingId/schedule`,
      {
        schema: {
          tags,
          summary: 'Programar el envío (scheduledAt, o ya) con velocidad fija o repartida hasta finishBy / schedule (at scheduledAt, or now), at a rate or spread evenly until finishBy',
          params: mailingParams,
          body: documented(scheduleBody),
          response: { 200: mailingSchema },
        },
      },
      async (request) => {
        const { campaignId, mailingId } = request.params;
        const principal = authorizeManager(request, campaignId);
        const input = parseBody(scheduleBody, request.body ?? {});
        const row = await db.transaction().execute(async (trx) => {
          const before = await findMailing(trx, campaignId, mailingId, true);
          if (nextStatus('schedule', before) === null) throw new HubError('HUB_ERR_MASS_MAIL_STATE', bilingual(`solo un borrador se programa (este está «${before.status}»)`, `only a draft can be scheduled (this one is "${before.status}")`));
          const pending = await pendingCount(trx, before.id);
          if (pending === 0) throw new HubError('HUB_ERR_MASS_MAIL_NO_RECIPIENTS');
          const unknown = await unknownVariables(trx, before);
          if (unknown.length > 0) {
            const names = unknown.map((v) => `{{${v}}}`).join(', ');
            throw new HubError('HUB_ERR_MASS_MAIL_VARIABLE_UNKNOWN', bilingual(`la plantilla usa ${names}, que la lista no trae`, `the template uses ${names}, which the list does not have`), { unknown });
          }
          const { scheduledAt, ratePerMinute } = plan(input, before.rate_per_minute, pending);
          const updated = await trx
            .updateTable('mass_mailings')
            .set({ status: 'scheduled', scheduled_at: scheduledAt, rate_per_minute: ratePerMinute, updated_at: sql`now()` })
            .where('id', '=', before.id)
            .returningAll()
            .executeTakeFirstOrThrow();
          await auditMailing(trx, request, principal, 'mass_mailing.scheduled', before, { scheduledAt: scheduledAt.toISOString(), ratePerMinute, pending });
          return updated;
        });
        return mailingView(db, row);
      },
    );

    for (const action of ['pause', 'resume', 'cancel'] as const) {
      app.post(
        `${base}/:mailingId/${action}`,
        {
          schema: {
            tags,
            summary: {
              pause: 'Pausar (los envíos se detienen en menos de un segundo) / pause (sending stops within a second)',
              resume: 'Reanudar un envío en pausa / resume a paused mailing',
              cancel: 'Cancelar; los pendientes no se envían / cancel; pending recipients are not sent',
            }[action],
            params: mailingParams,
            response: { 200: mailingSchema },
          },
        },
        async (request) => {
          const { campaignId, mailingId } = request.params;
          const principal = authorizeManager(request, campaignId);
          const row = await db.transaction().execute(async (trx) => {
            const before = await findMailing(trx, campaignId, mailingId, true);
            const status = nextStatus(action, before);
            if (status === null) throw new HubError('HUB_ERR_MASS_MAIL_STATE', bilingual(`no se puede ${{ pause: 'pausar', resume: 'reanudar', cancel: 'cancelar' }[action]} un envío «${before.status}»`, `cannot ${action} a "${before.status}" mailing`));
            const updated = await trx.updateTable('mass_mailings').set({ status, updated_at: sql`now()` }).where('id', '=', before.id).returningAll().executeTakeFirstOrThrow();
            await auditMailing(trx, request, principal, ACTION_AUDIT[action], before, { from: before.status, to: status });
            return updated;
          });
          return mailingView(db, row);
        },
      );
    }
  };
}
