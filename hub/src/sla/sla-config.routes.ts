import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requestMeta } from '../audit/audit.js';
import { authorize } from '../auth/principal.js';
import type { Role } from '../db/schema.js';
import { principalOf } from '../http/authenticate.js';
import type { HubContext } from '../runtime/context.js';
import { measureMonth } from './measure-month.js';
import { createOutage, deleteOutage, listInvoices, loadSlaContract, outageCampaign, outagesBetween, saveSlaContract, setInvoice } from './sla-contract.store.js';
import { invoiceBodySchema, monthSchema, outageBodySchema, slaContractSchema } from './sla-inputs.schema.js';
import { activateSlaDraft, activeSlaTable, listSlaTables, saveSlaDraft, type Actor } from './sla-table.store.js';
import { monthSpan } from '../kpi/formulas/intervals.js';

const tags = ['sla'];
/** Supervisors see the SLA data of their campaigns; only the admin changes it (seed-digest §6). */
export const SLA_VIEW_ROLES: readonly Role[] = ['admin', 'supervisor'];
export const SLA_EDIT_ROLES: readonly Role[] = ['admin'];

export function actorOf(request: FastifyRequest): Actor {
  return { userId: principalOf(request).userId, ...requestMeta(request) };
}

const campaignParams = z.object({ campaignId: z.uuid() });

/** SLA table versions, contract data, invoices, outages and the month's measurement of a campaign. */
export function slaConfigRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  const db = ctx.db.kysely;
  return async (app) => {
    app.get(
      '/sla/campaigns/:campaignId/table',
      { schema: { tags, summary: 'Tabla de niveles de servicio: activa (o la general por omisión), borrador y versiones / SLA table: active, draft, versions', params: campaignParams } },
      async (request) => {
        const { campaignId } = request.params;
        authorize(principalOf(request), SLA_VIEW_ROLES, campaignId);
        const versions = await listSlaTables(db, campaignId);
        return { active: await activeSlaTable(db, campaignId), draft: versions.find((v) => v.status === 'draft') ?? null, versions };
      },
    );

    app.put(
      '/sla/campaigns/:campaignId/table/draft',
      {
        schema: {
          tags,
          summary: 'Guardar el borrador de la tabla (validado por slaTableSchema; problemas en español) / save the SLA table draft',
          params: campaignParams,
          body: z.record(z.string(), z.unknown()).describe('{ rows: SlaRow[], globalCap: { maxContractAmountWithoutIvaCents, percent } }'),
        },
      },
      async (request) => {
        const { campaignId } = request.params;
        authorize(principalOf(request), SLA_EDIT_ROLES, campaignId);
        return { draft: await saveSlaDraft(db, campaignId, request.body, actorOf(request)) };
      },
    );

    app.post(
      '/sla/campaigns/:campaignId/table/activate',
      { schema: { tags, summary: 'Activar el borrador; la versión activa anterior se archiva / activate the draft, archive the previous version', params: campaignParams } },
      async (request) => {
        const { campaignId } = request.params;
        authorize(principalOf(request), SLA_EDIT_ROLES, campaignId);
        return { active: await activateSlaDraft(db, campaignId, actorOf(request)) };
      },
    );

    app.get(
      '/sla/campaigns/:campaignId/contract',
      { schema: { tags, summary: 'Datos del contrato para la evaluación mensual / contract data', params: campaignParams } },
      async (request) => {
        const { campaignId } = request.params;
        authorize(principalOf(request), SLA_VIEW_ROLES, campaignId);
        return { contract: await loadSlaContract(db, campaignId), defaults: slaContractSchema.parse({ contractStartMonth: '2026-01', maxContractAmountWithoutIvaCents: 1 }) };
      },
    );

    app.put(
      '/sla/campaigns/:campaignId/contract',
      { schema: { tags, summary: 'Guardar los datos del contrato / save the contract data', params: campaignParams, body: z.record(z.string(), z.unknown()).describe('SlaContract (sla-inputs.schema.ts)') } },
      async (request) => {
        const { campaignId } = request.params;
        authorize(principalOf(request), SLA_EDIT_ROLES, campaignId);
        return { contract: await saveSlaContract(db, campaignId, request.body, actorOf(request)) };
      },
    );

    app.get(
      '/sla/campaigns/:campaignId/invoices',
      { schema: { tags, summary: 'Facturas mensuales capturadas / monthly invoices', params: campaignParams } },
      async (request) => {
        const { campaignId } = request.params;
        authorize(principalOf(request), SLA_VIEW_ROLES, campaignId);
        return { items: await listInvoices(db, campaignId) };
      },
    );

    app.put(
      '/sla/campaigns/:campaignId/invoices/:month',
      { schema: { tags, summary: 'Capturar la factura del mes (centavos, sin IVA) / set the month’s invoice', params: campaignParams.extend({ month: monthSchema }), body: invoiceBodySchema } },
      async (request) => {
        const { campaignId, month } = request.params;
        authorize(principalOf(request), SLA_EDIT_ROLES, campaignId);
        await setInvoice(db, campaignId, month, request.body.amountCents, actorOf(request));
        return { campaignId, month, amountCents: request.body.amountCents };
      },
    );

    app.get(
      '/sla/campaigns/:campaignId/outages',
      { schema: { tags, summary: 'Interrupciones del servicio de un mes / outages of a month', params: campaignParams, querystring: z.object({ month: monthSchema }) } },
      async (request) => {
        const { campaignId } = request.params;
        authorize(principalOf(request), SLA_VIEW_ROLES, campaignId);
        const campaign = await db.selectFrom('campaigns').select('time_zone').where('id', '=', campaignId).executeTakeFirstOrThrow();
        const { span } = monthSpan(request.query.month, campaign.time_zone);
        return { items: await outagesBetween(db, campaignId, new Date(span.startMs), new Date(span.endMs)) };
      },
    );

    app.post(
      '/sla/campaigns/:campaignId/outages',
      { schema: { tags, summary: 'Registrar una interrupción del servicio / record an outage', params: campaignParams, body: outageBodySchema } },
      async (request, reply) => {
        const { campaignId } = request.params;
        authorize(principalOf(request), SLA_EDIT_ROLES, campaignId);
        return reply.status(201).send({ outage: await createOutage(db, campaignId, request.body, actorOf(request)) });
      },
    );

    app.delete(
      '/sla/outages/:id',
      { schema: { tags, summary: 'Eliminar una interrupción (no en meses validados) / delete an outage', params: z.object({ id: z.uuid() }) } },
      async (request, reply) => {
        const campaignId = await outageCampaign(db, request.params.id);
        authorize(principalOf(request), SLA_EDIT_ROLES, campaignId);
        await deleteOutage(db, request.params.id, actorOf(request));
        return reply.status(204).send();
      },
    );

    app.get(
      '/sla/campaigns/:campaignId/measurements',
      { schema: { tags, summary: 'Medición del mes de cada indicador con su traza / the month’s measurement of every KPI', params: campaignParams, querystring: z.object({ month: monthSchema }) } },
      async (request) => {
        const { campaignId } = request.params;
        authorize(principalOf(request), SLA_VIEW_ROLES, campaignId);
        const contract = (await loadSlaContract(db, campaignId)) ?? slaContractSchema.parse({ contractStartMonth: request.query.month, maxContractAmountWithoutIvaCents: 1 });
        return measureMonth(db, campaignId, request.query.month, contract);
      },
    );
  };
}
